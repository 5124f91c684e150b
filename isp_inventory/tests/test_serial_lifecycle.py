from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestSerialLifecycle(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.product_tmpl_id.write({"isp_warranty_months": 24, "isp_eol_date": "2030-06-30"})
        cls.vendor = cls.env["res.partner"].create({"name": "Test Vendor"})

    def _receive(self, lot_name):
        lot = self.env["stock.lot"].create({"name": lot_name, "product_id": self.ont.id})
        self.env["stock.picking"]._isp_create_done(
            self.branch.in_type_id,
            self.vendor.property_stock_supplier,
            self.branch_stock,
            [(self.ont, 1.0, lot)],
            partner_id=self.vendor.id,
        )
        return lot

    def test_warranty_counted_from_receipt_and_eol_from_product(self):
        lot = self._receive("ONT-W-1")
        receipt_line = lot.isp_move_line_ids
        self.assertEqual(len(receipt_line), 1)
        self.assertEqual(lot.isp_receipt_date, receipt_line.date)
        self.assertEqual(lot.isp_warranty_end.year, receipt_line.date.year + 2)
        self.assertEqual(lot.isp_eol_date, date(2030, 6, 30))
        self.assertEqual(lot.isp_state, "in_stock")

    def test_no_warranty_period_no_warranty_end(self):
        lot = self._put_in_stock(self.router, self.branch_stock, 1, lot_name="RTR-W-1")
        self.assertEqual(lot.isp_receipt_date, lot.create_date)
        self.assertFalse(lot.isp_warranty_end)

    def test_history_lists_moves_and_customers(self):
        lot = self._receive("ONT-H-1")
        issuance = self.env["stock.picking"]._isp_create_ready(
            self.branch.int_type_id, self.branch_stock, self.van, [(self.ont, 1.0, lot)]
        )
        issuance.with_user(self.approver_user).action_isp_approve()  # CPE is controlled
        issuance._isp_validate_now()
        lot.action_isp_install(self.technician.id, self.customer.id)
        self.assertRecordValues(
            lot.isp_move_line_ids,
            [
                {"location_dest_id": self.branch_stock.id, "picking_partner_id": self.vendor.id},
                {"location_dest_id": self.van.id, "picking_partner_id": False},
                {
                    "location_dest_id": self.customer.property_stock_customer.id,
                    "picking_partner_id": self.customer.id,
                },
            ],
        )

    def test_open_repair_order_means_in_repair(self):
        lot = self._put_in_stock(self.ont, self.branch_stock, 1, lot_name="ONT-R-1")
        repair = self.env["repair.order"].create(
            {
                "product_id": self.ont.id,
                "lot_id": lot.id,
                "picking_type_id": self.branch.repair_type_id.id,
            }
        )
        self.assertEqual(lot.isp_state, "in_repair")
        self.assertEqual(lot.isp_repair_ids, repair)
        repair.action_repair_cancel()
        self.assertEqual(lot.isp_state, "in_stock")

    def test_serial_never_in_two_places(self):
        lot = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-I-1")
        lot.action_isp_install(self.technician.id, self.customer.id)
        # Installed once: a second installation elsewhere is refused.
        with self.assertRaises(UserError):
            lot.action_isp_install(self.technician.id, self.other_customer.id)
        # The serial is no longer in the van: it cannot be moved from there either.
        with self.assertRaises(UserError):
            self.env["stock.picking"]._isp_create_done(
                self.branch.int_type_id, self.van, self.branch_stock, [(self.ont, 1.0, lot)]
            )
        positive = lot.quant_ids.filtered(lambda q: q.quantity > 0)
        self.assertEqual(positive.location_id, self.customer.property_stock_customer)
        self.assertEqual(lot.isp_customer_id, self.customer)
