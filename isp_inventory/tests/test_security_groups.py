from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestSecurityGroups(IspInventoryCommon):
    def test_serials_and_locations_are_on_for_every_role(self):
        for user in (self.technician_user, self.storekeeper_user, self.approver_user):
            self.assertTrue(user.has_group("stock.group_production_lot"), user.login)
            self.assertTrue(user.has_group("stock.group_stock_multi_locations"), user.login)

    def test_separation_of_duties(self):
        """A storekeeper is not an approver, an approver is not a storekeeper."""
        self.assertFalse(self.storekeeper_user.has_group("isp_inventory.group_isp_approver"))
        self.assertFalse(self.approver_user.has_group("isp_inventory.group_isp_storekeeper"))

    def test_manager_holds_every_office_role(self):
        for xmlid in (
            "isp_inventory.group_isp_storekeeper",
            "isp_inventory.group_isp_approver",
            "stock.group_stock_manager",
        ):
            self.assertTrue(self.manager_user.has_group(xmlid), xmlid)

    def test_technician_is_a_plain_user(self):
        """Technicians hold no office role."""
        self.assertTrue(self.technician_user.has_group("base.group_user"))
        self.assertFalse(self.technician_user.has_group("isp_inventory.group_isp_storekeeper"))
