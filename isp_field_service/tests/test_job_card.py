from odoo.tests import Form, tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestJobCard(IspFieldServiceCommon):
    def test_data_job_types_and_project(self):
        names = self.env["isp.job.type"].search([]).mapped("name")
        for name in (
            "FTTH Installation",
            "Wireless Installation",
            "Repair",
            "Relocation",
            "Disconnection",
        ):
            self.assertIn(name, names)
        project = self.env.ref("isp_field_service.project_field_jobs")
        self.assertTrue(project.isp_is_field_service)
        self.assertEqual(project.privacy_visibility, "followers")
        self.assertTrue(project.account_id)

    def test_technician_is_the_assignee(self):
        self.assertEqual(self.job.user_ids, self.technician_user)
        self.assertEqual(self.job.isp_job_state, "scheduled")
        self.job.isp_technician_id = self.other_technician
        self.assertEqual(self.job.user_ids, self.other_tech_user)
        self.assertNotIn(self.technician_user.partner_id, self.job.message_partner_ids)

    def test_choosing_the_type_fills_the_materials(self):
        form = Form(
            self.env["project.task"].with_context(default_project_id=self.project.id),
            view="isp_field_service.project_task_view_form_isp_job",
        )
        form.name = "Job from the form"
        form.isp_job_type_id = self.job_type
        task = form.save()
        self.assertRecordValues(
            task.isp_material_ids.sorted("product_uom_qty"),
            [
                {"product_id": self.ont.id, "product_uom_qty": 1.0, "state": "draft"},
                {"product_id": self.patch_cord.id, "product_uom_qty": 2.0, "state": "draft"},
            ],
        )
        self.assertEqual(task.isp_material_ids.picking_id, task.isp_operation_id)

    def test_start_moves_the_stage(self):
        stage = self.env["project.task.type"].create(
            {
                "name": "On site",
                "isp_job_state": "in_progress",
                "project_ids": [(4, self.project.id)],
            }
        )
        self.job.with_user(self.technician_user).action_isp_start()
        self.assertEqual(self.job.isp_job_state, "in_progress")
        self.assertEqual(self.job.stage_id, stage)

    def test_only_field_service_tasks_have_a_job_state(self):
        office_project = self.env["project.project"].create({"name": "Office Moves"})
        task = self.env["project.task"].create(
            {"name": "Order chairs", "project_id": office_project.id}
        )
        self.assertFalse(task.isp_job_state)
        task.project_id = self.project
        self.assertEqual(task.isp_job_state, "scheduled")
