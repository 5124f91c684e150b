from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestSecurity(IspFieldServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_job = cls._create_job(technician=cls.other_technician, name="Other's job")

    def _visible_jobs(self, user):
        return (
            self.env["project.task"].with_user(user).search([("project_id", "=", self.project.id)])
        )

    def test_technician_sees_only_own_jobs(self):
        self.assertEqual(self._visible_jobs(self.technician_user), self.job)
        self.assertEqual(self._visible_jobs(self.other_tech_user), self.other_job)
        with self.assertRaises(AccessError):
            self.other_job.with_user(self.technician_user).read(["name"])
        with self.assertRaises(AccessError):
            self.other_job.isp_material_ids.with_user(self.technician_user).read(["quantity"])

    def test_office_sees_all_jobs(self):
        jobs = self.job | self.other_job
        self.assertEqual(self._visible_jobs(self.storekeeper_user), jobs)
        self.assertEqual(self._visible_jobs(self.manager_user), jobs)

    def test_technician_cannot_change_a_completed_job(self):
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job)
        )
        job = self.job.with_user(self.technician_user)
        with self.assertRaises(AccessError):
            job.write({"name": "Changed"})
        with self.assertRaises(UserError) as refusal:  # done is done, for everyone
            job.isp_material_ids[0].write({"quantity": 9.0})
        self.assertIn("is done", str(refusal.exception))
        self.assertEqual(self.job.name, "Test FTTH job")
        self.assertNotEqual(self.job.isp_material_ids[0].quantity, 9.0)
        # The office can still correct it.
        self.job.with_user(self.storekeeper_user).write({"name": "Corrected"})
        self.assertEqual(self.job.name, "Corrected")

    def test_storekeeper_completes_for_the_technician(self):
        self.job.with_user(self.storekeeper_user).action_isp_complete(
            self._complete_values(self.job)
        )
        self.assertEqual(self.job.isp_job_state, "done")
        self.assertEqual(self._qty(self.patch_cord, self.van), 3.0)
