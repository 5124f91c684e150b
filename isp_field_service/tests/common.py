from odoo.addons.isp_inventory.tests.common import IspInventoryCommon


class IspFieldServiceCommon(IspInventoryCommon):
    """Field-service fixtures on top of the inventory ones."""
