from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestIssueMaterials(IspFieldServiceCommon):
    def _materials(self, job):
        return job.isp_material_ids.sorted(lambda m: m.product_id.id != self.ont.id)

    def test_planned_materials_are_draft_moves_of_the_job_operation(self):
        operation = self.job.isp_operation_id
        self.assertRecordValues(
            operation,
            [
                {
                    "isp_task_id": self.job.id,
                    "location_id": self.van.id,
                    "location_dest_id": self.customer_location.id,
                    "partner_id": self.customer.id,
                    "state": "draft",
                }
            ],
        )
        self.assertRecordValues(
            self._materials(self.job),
            [
                {"product_id": self.ont.id, "product_uom_qty": 1.0, "state": "draft"},
                {"product_id": self.patch_cord.id, "product_uom_qty": 2.0, "state": "draft"},
            ],
        )
        self.assertEqual(self._materials(self.job).picking_id, operation)

    def test_van_holds_everything_nothing_issued(self):
        picking_id = self.job.with_user(self.technician_user).action_isp_issue_materials()
        self.assertFalse(picking_id)
        # Set aside = reserved in the van for the job.
        self.assertRecordValues(
            self._materials(self.job),
            [
                {"product_id": self.ont.id, "quantity": 1.0, "state": "assigned"},
                {"product_id": self.patch_cord.id, "quantity": 2.0, "state": "assigned"},
            ],
        )
        in_van = self.patch_cord.with_context(location=self.van.id)
        self.assertEqual((in_van.qty_available, in_van.free_qty), (5.0, 3.0))

    def test_issue_only_what_the_van_lacks(self):
        self.job.with_user(self.technician_user).action_isp_issue_materials()
        # A second job needs 4 cords and 2 ONTs: the van has 3 cords and 1 ONT left free.
        job2 = self._create_job()
        self._material(job2, self.patch_cord).product_uom_qty = 4.0
        self._material(job2, self.ont).product_uom_qty = 2.0
        picking = self.env["stock.picking"].browse(
            job2.with_user(self.technician_user).action_isp_issue_materials()
        )
        self.assertRecordValues(
            picking,
            [
                {
                    "state": "assigned",
                    "isp_task_id": job2.id,
                    "project_id": self.project.id,
                    "location_id": self.branch_stock.id,
                    "location_dest_id": self.van.id,
                }
            ],
        )
        self.assertEqual(
            {m.product_id: m.product_uom_qty for m in picking.move_ids},
            {self.patch_cord: 1.0, self.ont: 1.0},
        )
        self.assertRecordValues(
            self._materials(job2),
            [
                {"product_id": self.ont.id, "quantity": 1.0, "state": "partially_available"},
                {"product_id": self.patch_cord.id, "quantity": 3.0, "state": "partially_available"},
            ],
        )
        self.assertEqual(job2.isp_picking_ids, job2.isp_operation_id | picking)
        # Issuing again asks nothing more: the incoming transfer covers the job.
        self.assertFalse(job2.with_user(self.technician_user).action_isp_issue_materials())
        self.assertEqual(len(job2.isp_picking_ids), 2)
        # When the request arrives, Odoo reserves it for the job that waits for it.
        picking.action_isp_approve()
        picking.button_validate()
        self.assertEqual(self._materials(job2).mapped("state"), ["assigned", "assigned"])
        # A third job for 1 cord gets nothing from the van (all set aside): it is issued.
        job3 = self._create_job()
        self._material(job3, self.patch_cord).product_uom_qty = 1.0
        self._material(job3, self.ont).unlink()
        job3.with_user(self.technician_user).action_isp_issue_materials()
        request = job3.isp_picking_ids - job3.isp_operation_id
        self.assertEqual(
            [(m.product_id, m.product_uom_qty) for m in request.move_ids], [(self.patch_cord, 1.0)]
        )
        self.assertRecordValues(job3.isp_material_ids, [{"quantity": 0.0, "state": "confirmed"}])

    def test_technician_plans_materials_of_his_open_job_only(self):
        job = self.job.with_user(self.technician_user)
        cord = self._material(self.job, self.patch_cord)
        job.write(
            {
                "isp_material_ids": [
                    (1, cord.id, {"product_uom_qty": 3.0}),
                    (0, 0, {"product_id": self.patch_cord.id, "product_uom_qty": 1.0}),
                ]
            }
        )
        self.assertEqual(
            sorted(self.job.isp_material_ids.mapped("product_uom_qty")), [1.0, 1.0, 3.0]
        )
        before = sorted(self.job.isp_material_ids.mapped("product_uom_qty"))
        for command in (
            (1, cord.id, {"location_id": self.branch_stock.id}),  # not a planning field
            (0, 0, {"product_id": self.patch_cord.id, "location_dest_id": self.van.id}),
        ):
            with self.assertRaises(AccessError):
                job.write({"isp_material_ids": [command]})
        other = self._create_job(technician=self.other_technician)
        with self.assertRaises(AccessError):
            other.with_user(self.technician_user).write(
                {"isp_material_ids": [(0, 0, {"product_id": self.patch_cord.id})]}
            )
        self.env.invalidate_all()
        self.assertEqual(sorted(self.job.isp_material_ids.mapped("product_uom_qty")), before)
        self.assertEqual(len(other.isp_material_ids), 2)

    def test_technician_cannot_change_stock_moves_directly(self):
        """Technicians have the rights on stock moves that let the job's form offer its
        material lines; directly (RPC), every create, write and unlink is refused."""
        Move = self.env["stock.move"].with_user(self.technician_user)
        cord = self._material(self.job, self.patch_cord)
        before = self.env["stock.move"].search_count([])
        for call in (
            lambda: Move.create({"isp_task_id": self.job.id, "product_id": self.patch_cord.id}),
            lambda: cord.with_user(self.technician_user).write({"product_uom_qty": 9.0}),
            lambda: cord.with_user(self.technician_user).unlink(),
        ):
            with self.assertRaises(AccessError):
                call()
        self.env.invalidate_all()
        self.assertEqual(self.env["stock.move"].search_count([]), before)
        self.assertEqual(cord.product_uom_qty, 2.0)
