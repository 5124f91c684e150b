from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestRoles(IspFieldServiceCommon):
    def test_technician_works_jobs_as_project_user(self):
        self.assertTrue(self.technician_user.has_group("project.group_project_user"))
        self.assertFalse(self.technician_user.has_group("project.group_project_manager"))

    def test_manager_manages_projects(self):
        self.assertTrue(self.manager_user.has_group("project.group_project_manager"))
