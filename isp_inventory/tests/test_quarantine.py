from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestQuarantineDecisions(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.product_tmpl_id.isp_warranty_months = 12
        cls.vendor = cls.env["res.partner"].create({"name": "Test ONT Vendor"})
        cls.env["product.supplierinfo"].create(
            {"partner_id": cls.vendor.id, "product_tmpl_id": cls.ont.product_tmpl_id.id}
        )
        cls.quarantine = cls.branch._isp_get_quarantine_location()
        cls.lot = cls._put_in_stock(cls.ont, cls.quarantine, 1, lot_name="ONT-Q-1")

    def test_repair_order_then_back_in_stock(self):
        self.assertEqual(self.lot.isp_state, "faulty")
        self.lot.with_user(self.storekeeper_user).action_isp_repair()
        repair = self.lot.isp_repair_ids
        self.assertEqual(len(repair), 1)
        self.assertEqual(self.lot.isp_state, "in_repair")
        self.assertIn(repair.name, self.lot.message_ids[0].body)
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(self._qty(self.ont, self.branch_stock, self.lot), 1)
        self.assertEqual(self.lot.isp_state, "in_stock")

    def test_rma_under_warranty_goes_to_vendor(self):
        self.lot.with_user(self.storekeeper_user).action_isp_return_to_vendor()
        self.assertEqual(self._qty(self.ont, self.quarantine, self.lot), 0)
        self.assertEqual(self._qty(self.ont, self.vendor.property_stock_supplier, self.lot), 1)
        self.assertEqual(self.lot.isp_state, "rma")

    def test_rma_after_warranty_end_refused(self):
        self.lot.isp_warranty_end = "2020-01-31"
        self.assertFalse(self.lot.isp_under_warranty)
        with self.assertRaises(UserError):
            self.lot.with_user(self.storekeeper_user).action_isp_return_to_vendor()
        self.assertEqual(self._qty(self.ont, self.quarantine, self.lot), 1)
        self.assertEqual(self.lot.isp_state, "faulty")

    def test_dispose_scraps_with_reason(self):
        self.lot.with_user(self.storekeeper_user).action_isp_dispose(reason="Lightning damage")
        scrap = self.env["stock.scrap"].search([("lot_id", "=", self.lot.id)])
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.scrap_reason_tag_ids.name, "Lightning damage")
        self.assertEqual(self._qty(self.ont, self.quarantine, self.lot), 0)
        self.assertEqual(self.lot.isp_state, "disposed")

    def test_decisions_need_storekeeper_and_faulty_serial(self):
        with self.assertRaises(AccessError):
            self.lot.with_user(self.technician_user).action_isp_dispose()
        van_lot = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-Q-2")
        with self.assertRaises(UserError):
            van_lot.with_user(self.storekeeper_user).action_isp_repair()
        self.assertFalse(van_lot.isp_repair_ids)
        self.assertEqual(self.lot.isp_state, "faulty")
        self.assertEqual(self._qty(self.ont, self.quarantine, self.lot), 1)
