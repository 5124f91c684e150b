from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestIssueMaterials(IspFieldServiceCommon):
    def test_van_holds_everything_nothing_issued(self):
        picking_id = self.job.with_user(self.technician_user).action_isp_issue_materials()
        self.assertFalse(picking_id)
        self.assertRecordValues(
            self.job.isp_material_ids.sorted("quantity"),
            [
                {"product_id": self.ont.id, "qty_from_van": 1.0, "qty_issued": 0.0},
                {"product_id": self.patch_cord.id, "qty_from_van": 2.0, "qty_issued": 0.0},
            ],
        )

    def test_issue_only_what_the_van_lacks(self):
        self.job.with_user(self.technician_user).action_isp_issue_materials()
        # A second job needs 4 cords and 2 ONTs: the van has 3 cords and 1 ONT left unclaimed.
        job2 = self._create_job()
        self._material(job2, self.patch_cord).quantity = 4.0
        self._material(job2, self.ont).quantity = 2.0
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
            job2.isp_material_ids.sorted("quantity"),
            [
                {"product_id": self.ont.id, "qty_from_van": 1.0, "qty_issued": 1.0},
                {"product_id": self.patch_cord.id, "qty_from_van": 3.0, "qty_issued": 1.0},
            ],
        )
        self.assertEqual(job2.isp_picking_ids, picking)
        # Issuing again asks nothing more: the incoming transfer covers the job.
        self.assertFalse(job2.with_user(self.technician_user).action_isp_issue_materials())
        self.assertEqual(len(job2.isp_picking_ids), 1)
        # A third job for 1 cord gets nothing from the van (all claimed): it is issued.
        job3 = self._create_job()
        self._material(job3, self.patch_cord).quantity = 1.0
        self._material(job3, self.ont).unlink()
        job3.with_user(self.technician_user).action_isp_issue_materials()
        self.assertRecordValues(job3.isp_material_ids, [{"qty_from_van": 0.0, "qty_issued": 1.0}])
