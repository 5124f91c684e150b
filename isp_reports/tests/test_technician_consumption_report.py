from odoo.tests import tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestTechnicianConsumptionReport(IspReportsCommon):
    def setUp(self):
        """Issue 10 cords to the van, complete the job (2 cords and serial VAN-ONT-1 at the
        customer), and let the other technician use 1 cord without a job."""
        super().setUp()
        self._issue_to_technician(self.patch_cord, 10)
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job, patch_cords=2.0, lots=["VAN-ONT-1"])
        )
        self._issue_to_technician(self.patch_cord, 3, technician=self.other_technician)
        self.env["stock.picking"]._isp_create_done(
            self.branch.out_type_id,
            self.other_technician.vehicle_location_id,
            self.other_customer.property_stock_customer,
            [(self.patch_cord, 1.0, self.env["stock.lot"])],
            partner_id=self.other_customer.id,
        )
        self.technicians = self.technician | self.other_technician

    def _rows(self, user=None):
        Report = self.env["isp.technician.consumption.report"]
        if user:
            Report = Report.with_user(user)
        return Report.search(
            [("technician_id", "in", self.technicians.ids)], order="technician_id, product_id"
        )

    def test_rows_per_technician_product_and_job(self):
        rows = self._rows().sorted(lambda r: (r.technician_id != self.technician, r.product_id.id))
        expected = [
            {
                "technician_id": self.technician.id,
                "technician_user_id": self.technician_user.id,
                "product_id": self.ont.id,
                "item_class": "cpe",
                "task_id": self.job.id,
                "job_type_id": self.job_type.id,
                "partner_id": self.customer.id,
                "usage": "customer",
                "location_id": self.van.id,
                "warehouse_id": self.branch.id,
                "region_id": self.region.id,
                "quantity": 1.0,
                "value": 45.0,
            },
            {
                "technician_id": self.technician.id,
                "technician_user_id": self.technician_user.id,
                "product_id": self.patch_cord.id,
                "item_class": "consumable",
                "task_id": self.job.id,
                "job_type_id": self.job_type.id,
                "partner_id": self.customer.id,
                "usage": "customer",
                "location_id": self.van.id,
                "warehouse_id": self.branch.id,
                "region_id": self.region.id,
                "quantity": 2.0,
                "value": 3.0,
            },
            {
                "technician_id": self.other_technician.id,
                "technician_user_id": self.other_tech_user.id,
                "product_id": self.patch_cord.id,
                "item_class": "consumable",
                "task_id": False,
                "job_type_id": False,
                "partner_id": self.other_customer.id,
                "usage": "customer",
                "location_id": self.other_technician.vehicle_location_id.id,
                "warehouse_id": self.branch.id,
                "region_id": self.region.id,
                "quantity": 1.0,
                "value": 1.5,
            },
        ]
        if self.ont.id > self.patch_cord.id:
            expected[0], expected[1] = expected[1], expected[0]
        self.assertRecordValues(rows, expected)

    def test_job_total_matches_the_job_card_cost(self):
        rows = self._rows().filtered(lambda r: r.task_id == self.job)
        self.assertEqual(sum(rows.mapped("value")), self.job.isp_material_cost)
        self.assertEqual(self.job.isp_material_cost, 48.0)

    def test_issues_losses_and_counts_are_not_consumption(self):
        """Issuing to the van, a loss and a count are not use: no new rows."""
        before = len(self._rows())
        self._report_loss(self.technician, [(self.patch_cord, 1.0, self.env["stock.lot"])])
        self._count(self.patch_cord, self.van, 5.0)
        self.assertEqual(len(self._rows()), before)
        self.assertEqual(before, 3)

    def test_technician_sees_only_own_rows(self):
        mine = self._rows(user=self.technician_user)
        self.assertEqual(mine.technician_id, self.technician)
        self.assertEqual(len(mine), 2)
        everything = self.env["isp.technician.consumption.report"].with_user(self.technician_user)
        self.assertFalse(everything.search([("technician_id", "=", self.other_technician.id)]))
        theirs = self._rows(user=self.other_tech_user)
        self.assertEqual(len(theirs), 1)
        self.assertEqual(theirs.technician_id, self.other_technician)

    def test_storekeeper_and_approver_see_all(self):
        for user in (self.storekeeper_user, self.approver_user):
            self.assertEqual(len(self._rows(user=user)), 3)

    def test_quantities_are_in_the_products_unit(self):
        """A van move of one pack of 6 cords is 6 cords in the consumption and in the
        stock value flows (the move's unit converted to the product's)."""
        pack = self.env.ref("uom.product_uom_pack_6")
        move = self.env["stock.move"].create(
            {
                "product_id": self.patch_cord.id,
                "product_uom": pack.id,
                "product_uom_qty": 1.0,
                "location_id": self.van.id,
                "location_dest_id": self.customer.property_stock_customer.id,
            }
        )
        move._action_confirm()
        move.quantity = 1.0
        move.picked = True
        move._action_done()
        self.assertRecordValues(move, [{"state": "done", "quantity": 1.0, "product_qty": 6.0}])
        consumption = self.env["isp.technician.consumption.report"].search([("id", "=", move.id)])
        self.assertRecordValues(
            consumption, [{"quantity": 6.0, "technician_id": self.technician.id}]
        )
        flows = self.env["isp.stock.month.report"].search([("move_id", "=", move.id)])
        self.assertRecordValues(
            flows, [{"location_id": self.van.id, "quantity": -6.0, "stock_value": -9.0}]
        )
        # the job's own rows, in the product's unit as well, are unchanged
        self.assertEqual(
            self._rows().filtered(lambda r: r.task_id == self.job).mapped("quantity"),
            [1.0, 2.0] if self.ont.id < self.patch_cord.id else [2.0, 1.0],
        )
