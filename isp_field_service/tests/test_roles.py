from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestRoles(IspFieldServiceCommon):
    def test_technician_holds_no_project_or_inventory_group(self):
        """Technicians read and update their own jobs through the ISP rights only:
        Project / User would let them create and delete tasks, Inventory / User would let
        them move stock outside the ISP operations."""
        self.assertTrue(self.technician_user.has_group("base.group_user"))
        self.assertFalse(self.technician_user.has_group("project.group_project_user"))
        self.assertFalse(self.technician_user.has_group("stock.group_stock_user"))

    def test_manager_manages_projects(self):
        self.assertTrue(self.manager_user.has_group("project.group_project_manager"))
