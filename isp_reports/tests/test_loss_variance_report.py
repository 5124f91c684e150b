from odoo.tests import tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestLossVarianceReport(IspReportsCommon):
    def setUp(self):
        """The van holds 5 cords: 1 is reported lost (approved), then the van is counted
        at 3 (a shortfall of 1), and the kit counted with 2 cords nobody booked (a
        surplus of 2); the other technician loses serial OTHER-ONT-1 from their van."""
        super().setUp()
        self.loss = self._report_loss(
            self.technician, [(self.patch_cord, 1.0, self.env["stock.lot"])]
        )
        self.van_count = self._count(self.patch_cord, self.van, 3.0)
        self.kit_count = self._count(self.patch_cord, self.kit, 2.0)
        other_lot = self._put_in_stock(
            self.ont, self.other_technician.vehicle_location_id, 1.0, lot_name="OTHER-ONT-1"
        )
        self.other_loss = self._report_loss(
            self.other_technician, [(self.ont, 1.0, other_lot)], loss_type="stolen"
        )
        self.technicians = self.technician | self.other_technician

    def _rows(self, user=None):
        Report = self.env["isp.loss.variance.report"]
        if user:
            Report = Report.with_user(user)
        return Report.search([("technician_id", "in", self.technicians.ids)], order="id")

    def test_losses_and_count_variances_signed(self):
        self.assertRecordValues(
            self._rows(),
            [
                {
                    "technician_id": self.technician.id,
                    "kind": "loss",
                    "product_id": self.patch_cord.id,
                    "location_id": self.van.id,
                    "loss_report_id": self.loss.id,
                    "loss_type": "lost",
                    "quantity": -1.0,
                    "value": -1.5,
                },
                {
                    "technician_id": self.technician.id,
                    "kind": "count_variance",
                    "product_id": self.patch_cord.id,
                    "location_id": self.van.id,
                    "loss_report_id": False,
                    "loss_type": False,
                    "quantity": -1.0,
                    "value": -1.5,
                },
                {
                    "technician_id": self.technician.id,
                    "kind": "count_variance",
                    "product_id": self.patch_cord.id,
                    "location_id": self.kit.id,
                    "loss_report_id": False,
                    "loss_type": False,
                    "quantity": 2.0,
                    "value": 3.0,
                },
                {
                    "technician_id": self.other_technician.id,
                    "kind": "loss",
                    "product_id": self.ont.id,
                    "location_id": self.other_technician.vehicle_location_id.id,
                    "loss_report_id": self.other_loss.id,
                    "loss_type": "stolen",
                    "quantity": -1.0,
                    "value": -45.0,
                },
            ],
        )

    def test_count_variances_point_to_their_count(self):
        variances = self._rows().filtered(lambda row: row.kind == "count_variance")
        self.assertEqual(variances.mapped("count_id"), self.van_count | self.kit_count)
        self.assertEqual(variances.mapped("location_id"), self.van | self.kit)

    def test_adjustment_outside_a_count_is_not_a_count_variance(self):
        self._adjust(self.patch_cord, self.van, 10.0)  # 3 in the van after the count
        adjustments = self._rows().filtered(lambda row: row.kind == "adjustment")
        self.assertRecordValues(
            adjustments,
            [
                {
                    "technician_id": self.technician.id,
                    "location_id": self.van.id,
                    "product_id": self.patch_cord.id,
                    "count_id": False,
                    "quantity": 7.0,
                    "value": 10.5,
                }
            ],
        )
        self.assertEqual(len(self._rows().filtered(lambda r: r.kind == "count_variance")), 2)

    def test_totals_by_technician_and_kind(self):
        groups = self.env["isp.loss.variance.report"]._read_group(
            [("technician_id", "in", self.technicians.ids)],
            ["technician_id", "kind"],
            ["quantity:sum", "value:sum"],
        )
        self.assertEqual(
            {(t, k): (q, v) for t, k, q, v in groups},
            {
                (self.technician, "loss"): (-1.0, -1.5),
                (self.technician, "count_variance"): (1.0, 1.5),
                (self.other_technician, "loss"): (-1.0, -45.0),
            },
        )
        # the report's losses are the approved loss reports' amounts
        self.assertEqual(self.technician.loss_value, 1.5)

    def test_technician_sees_only_own_rows(self):
        mine = self._rows(user=self.technician_user)
        self.assertEqual(len(mine), 3)
        self.assertEqual(mine.technician_id, self.technician)
        theirs = self._rows(user=self.other_tech_user)
        self.assertEqual(len(theirs), 1)
        self.assertEqual(theirs.loss_report_id, self.other_loss)

    def test_storekeeper_and_approver_see_all(self):
        for user in (self.storekeeper_user, self.approver_user):
            self.assertEqual(len(self._rows(user=user)), 4)

    def test_opening_balance_is_left_out(self):
        """A new technician's van is loaded by inventory adjustments on his first day (his
        opening balance): neither a loss nor a variance, not in the report. Once the van
        has had a transfer, an adjustment is one ('Other Adjustment', signed)."""
        user = self.env["res.users"].create(
            {
                "name": "New Tech",
                "login": "isp_new_tech",
                "group_ids": [(6, 0, [self.env.ref("isp_inventory.group_isp_technician").id])],
            }
        )
        newcomer = self.env["isp.technician"].create(
            {"user_id": user.id, "warehouse_id": self.branch.id}
        )
        van, kit = newcomer.vehicle_location_id, newcomer.kit_location_id
        self._adjust(self.patch_cord, van, 12.0)
        self._adjust(self.patch_cord, van, 10.0)  # the opening count corrected the same day
        self._adjust(self.patch_cord, kit, 4.0)
        Report = self.env["isp.loss.variance.report"]
        self.assertFalse(Report.search([("technician_id", "=", newcomer.id)]))

        self._issue_to_technician(self.patch_cord, 3.0, technician=newcomer)
        self._adjust(self.patch_cord, van, 12.0)  # 13 after the issue: 1 short
        rows = Report.search([("technician_id", "=", newcomer.id)])
        self.assertRecordValues(
            rows,
            [
                {
                    "kind": "adjustment",
                    "location_id": van.id,
                    "product_id": self.patch_cord.id,
                    "quantity": -1.0,
                    "value": -1.5,
                }
            ],
        )
        # the kit has had no transfer yet: its adjustments are still its opening balance
        self._adjust(self.patch_cord, kit, 5.0)
        self.assertEqual(Report.search([("technician_id", "=", newcomer.id)]), rows)
        # the other technicians' rows are unchanged
        self.assertEqual(len(self._rows()), 4)
