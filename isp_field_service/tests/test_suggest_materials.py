from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestSuggestMaterials(IspFieldServiceCommon):
    def _done_job(self, cords_used):
        job = self._create_job()
        self._material(job, self.patch_cord).qty_used = cords_used
        job.isp_job_state = "done"
        return job

    def test_template_without_enough_history(self):
        self._done_job(4.0)
        self._done_job(4.0)
        job = self._create_job()
        self.assertEqual(self._material(job, self.patch_cord).quantity, 2.0)
        self.assertEqual(self._material(job, self.ont).quantity, 1.0)

    def test_average_of_last_completed_jobs(self):
        for used in (3.0, 4.0, 4.0):
            self._done_job(used)
        job = self._create_job()
        # (3 + 4 + 4) / 3 = 3.67, rounded up to the unit; the ONT was never used: dropped.
        self.assertRecordValues(
            job.isp_material_ids, [{"product_id": self.patch_cord.id, "quantity": 4.0}]
        )

    def test_suggest_keeps_issued_lines(self):
        self._material(self.job, self.patch_cord).write({"qty_issued": 1.0, "quantity": 5.0})
        self.job.with_user(self.technician_user).action_isp_suggest_materials()
        self.assertEqual(len(self.job.isp_material_ids), 2)
        self.assertEqual(self._material(self.job, self.patch_cord).quantity, 5.0)
