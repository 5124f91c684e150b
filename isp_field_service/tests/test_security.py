from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

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
            self.other_job.isp_material_ids.with_user(self.technician_user).read(
                ["product_uom_qty"]
            )

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
        material = self.job.isp_material_ids.filtered(lambda m: m.state == "done")
        with self.assertRaises(AccessError):
            job.write({"isp_material_ids": [(1, material.id, {"product_uom_qty": 9.0})]})
        with self.assertRaises(UserError) as refusal:  # done is done, for everyone
            material.with_user(self.storekeeper_user).write({"product_uom_qty": 9.0})
        self.assertIn("is done", str(refusal.exception))
        self.assertEqual(self.job.name, "Test FTTH job")
        self.assertNotEqual(material.product_uom_qty, 9.0)
        # The office can still correct it.
        self.job.with_user(self.storekeeper_user).write({"name": "Corrected"})
        self.assertEqual(self.job.name, "Corrected")

    def test_storekeeper_completes_for_the_technician(self):
        self.job.with_user(self.storekeeper_user).action_isp_complete(
            self._complete_values(self.job)
        )
        self.assertEqual(self.job.isp_job_state, "done")
        self.assertEqual(self._qty(self.patch_cord, self.van), 3.0)

    def test_following_the_project_shows_no_other_job(self):
        """The sixth attack: following the field-service project (or a colleague's job)
        widened a technician's view to every customer's job. Follower lists are
        writable by any employee, so no rule of ours rests on them."""
        project = self.project.with_user(self.technician_user)
        project.message_subscribe(partner_ids=self.technician_user.partner_id.ids)
        self.assertIn(self.technician_user.partner_id, self.project.message_partner_ids)
        self.assertEqual(self._visible_jobs(self.technician_user), self.job)
        tasks = self.env["project.task"].with_user(self.technician_user)
        self.assertEqual(tasks.search_count([("id", "=", self.other_job.id)]), 0)
        self.assertFalse(tasks.name_search(self.other_job.name))
        with self.assertRaises(AccessError):
            self.other_job.with_user(self.technician_user).message_subscribe(
                partner_ids=self.technician_user.partner_id.ids
            )
        self.other_job.message_subscribe(partner_ids=self.technician_user.partner_id.ids)
        self.assertEqual(self._visible_jobs(self.technician_user), self.job)

    def test_technician_cannot_delete_create_or_reassign_jobs(self):
        """The fourth attack: a completed job deleted, with its materials and chatter."""
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job)
        )
        jobs = self.job | self.other_job
        job = self.job.with_user(self.technician_user)
        with self.assertRaises(UserError):  # done is done, for everyone
            job.unlink()
        open_job = self._create_job(name="Open job").with_user(self.technician_user)
        with self.assertRaises(AccessError):
            open_job.unlink()
        with self.assertRaises(AccessError):
            self.env["project.task"].with_user(self.technician_user).create(
                {"name": "Mine now", "project_id": self.project.id}
            )
        for vals in (
            {"isp_technician_id": self.other_technician.id},
            {"partner_id": self.other_customer.id},
            {"isp_job_state": "done"},
            {"user_ids": [(6, 0, self.other_tech_user.ids)]},
            {"project_id": False},
        ):
            with self.assertRaises(AccessError):
                open_job.write(vals)
        self.assertRecordValues(
            open_job,
            [
                {
                    "isp_technician_id": self.technician.id,
                    "partner_id": self.customer.id,
                    "isp_job_state": "scheduled",
                    "project_id": self.project.id,
                }
            ],
        )
        self.assertTrue(jobs.exists() == jobs)
        self.assertEqual(self.job.isp_job_state, "done")

    def test_technician_records_on_site_fields(self):
        job = self.job.with_user(self.technician_user)
        job.write({"isp_latitude": -1.3, "isp_longitude": 36.8, "description": "Gate code 42"})
        self.assertRecordValues(self.job, [{"isp_latitude": -1.3, "isp_longitude": 36.8}])
        job.action_isp_start()
        self.assertEqual(self.job.isp_job_state, "in_progress")

    def test_plain_employee_sees_no_field_job(self):
        employee = new_test_user(self.env, login="isp_plain_employee", groups="base.group_user")
        self.assertTrue(employee.has_group("base.group_user"))
        self.project.message_subscribe(partner_ids=employee.partner_id.ids)
        self.assertFalse(self._visible_jobs(employee))
