from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestSuggestMaterials(IspFieldServiceCommon):
    def _done_job(self, cords_used):
        """A completed job of the type that used `cords_used` patch cords."""
        self._put_in_stock(self.patch_cord, self.van, cords_used)
        job = self._create_job()
        job.action_isp_complete(
            {
                "lines": [{"product_id": self.patch_cord.id, "qty_used": cords_used}],
                "no_serial_reason": "Customer kept their own ONT",
            }
        )
        self.assertEqual(job.isp_job_state, "done")
        return job

    def test_template_without_enough_history(self):
        self._done_job(4.0)
        self._done_job(4.0)
        job = self._create_job()
        self.assertEqual(self._material(job, self.patch_cord).product_uom_qty, 2.0)
        self.assertEqual(self._material(job, self.ont).product_uom_qty, 1.0)

    def test_average_of_last_completed_jobs(self):
        for used in (3.0, 4.0, 4.0):
            self._done_job(used)
        job = self._create_job()
        # (3 + 4 + 4) / 3 = 3.67, rounded up to the unit; the ONT was never used: dropped.
        self.assertRecordValues(
            job.isp_material_ids, [{"product_id": self.patch_cord.id, "product_uom_qty": 4.0}]
        )

    def test_suggest_keeps_set_aside_lines(self):
        self._material(self.job, self.patch_cord).product_uom_qty = 5.0
        self.job.with_user(self.technician_user).action_isp_issue_materials()
        self.job.with_user(self.technician_user).action_isp_suggest_materials()
        self.assertEqual(len(self.job.isp_material_ids), 2)
        self.assertEqual(self._material(self.job, self.patch_cord).product_uom_qty, 5.0)
