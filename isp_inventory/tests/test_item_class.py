from odoo.tests import Form, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestItemClass(IspInventoryCommon):
    def test_class_defaults_on_create(self):
        self.assertRecordValues(
            self.ont | self.router | self.splicer | self.patch_cord,
            [
                {"isp_item_class": "cpe", "tracking": "serial", "is_storable": True},
                {"isp_item_class": "network", "tracking": "serial", "is_storable": True},
                {"isp_item_class": "tool", "tracking": "serial", "is_storable": True},
                {"isp_item_class": "consumable", "tracking": "none", "is_storable": True},
            ],
        )

    def test_class_defaults_in_form(self):
        form = Form(self.env["product.template"])
        form.name = "Drop Cable 1-core"
        form.categ_id = self.env.ref("isp_inventory.product_category_consumable")
        self.assertTrue(form.is_storable)
        form.categ_id = self.env.ref("isp_inventory.product_category_cpe")
        self.assertEqual(form.tracking, "serial")

    def test_consumables_removed_fifo(self):
        categ = self.env.ref("isp_inventory.product_category_consumable")
        self.assertEqual(categ.removal_strategy_id, self.env.ref("stock.removal_fifo"))
