from odoo.addons.isp_inventory.tests.common_company import IspSecondCompanyMixin
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestFieldServiceCompanyIsolation(IspSecondCompanyMixin, IspFieldServiceCommon):
    """A second company's field project, job type and job (with its materials) stay out
    of sight of the first company's users; a job never mixes companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_second_company()
        company = cls.c2["company"]
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        cls.c2_project = env["project.project"].create(
            {
                "name": "Second Company Field Jobs",
                "isp_is_field_service": True,
                "privacy_visibility": "followers",
                "company_id": company.id,
            }
        )
        cls.c2_job_type = env["isp.job.type"].create(
            {
                "name": "Second Company Installation",
                "material_line_ids": [
                    Command.create({"product_id": cls.c2["product"].id, "quantity": 1.0})
                ],
            }
        )
        cls.c2_job = env["project.task"].create(
            {
                "name": "Second company job",
                "project_id": cls.c2_project.id,
                "isp_job_type_id": cls.c2_job_type.id,
                "isp_technician_id": cls.c2["technician"].id,
                "partner_id": cls.customer.id,
            }
        )
        cls.c2_job.action_isp_suggest_materials()
        cls.c2_job = cls.c2_job.with_env(cls.env)

    def test_first_company_users_see_no_job_of_the_second(self):
        self.assertEqual(self.c2_job.company_id, self.c2["company"])
        self.assertEqual(self.c2_job_type.company_id, self.c2["company"])
        self.assertEqual(len(self.c2_job.isp_material_ids), 1)
        records = [
            self.c2_project,
            self.c2_job,
            self.c2_job.isp_material_ids,
            self.c2_job_type,
            self.c2_job_type.material_line_ids,
        ]
        for user in (
            self.technician_user,
            self.storekeeper_user,
            self.approver_user,
            self.manager_user,
        ):
            with self.subTest(user=user.login):
                self.assertHiddenFrom(user, records)

    def test_second_company_sees_its_job(self):
        for user in (self.c2["technician_user"], self.c2["storekeeper_user"]):
            jobs = (
                self.env["project.task"].with_user(user).search([("isp_is_field_job", "=", True)])
            )
            self.assertEqual(jobs.ids, self.c2_job.ids)
            materials = (
                self.env["stock.move"].with_user(user).search([("isp_task_id", "!=", False)])
            )
            self.assertEqual(materials.ids, self.c2_job.isp_material_ids.ids)
        self.assertHiddenFrom(self.c2["storekeeper_user"], [self.job, self.job_type])

    def test_job_of_one_company_refuses_another_company_technician_or_type(self):
        jobs = self.env["project.task"].search_count([])
        with self.assertRaises(UserError):
            self._create_job(technician=self.c2["technician"])
        with self.assertRaises(UserError):
            self._create_job(job_type=self.c2_job_type)
        self.assertEqual(self.env["project.task"].search_count([]), jobs)
        with self.assertRaises(UserError):
            self.job.isp_technician_id = self.c2["technician"]
        self.assertEqual(self.job.isp_technician_id, self.technician)

    def test_job_type_refuses_a_product_of_another_company(self):
        with self.assertRaises(UserError):
            self.job_type.write(
                {"material_line_ids": [Command.create({"product_id": self.c2["product"].id})]}
            )
        self.assertEqual(self.job_type.material_line_ids.product_id, self.ont | self.patch_cord)
