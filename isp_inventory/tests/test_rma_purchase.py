from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestRmaOfPurchasedSerial(IspInventoryCommon):
    """Issue 13, point 7: a serial bought by purchase order at a branch (not the main
    warehouse), issued to a van, installed, taken back faulty into that branch's
    quarantine, then returned to its vendor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.product_tmpl_id.isp_warranty_months = 12
        cls.vendor = cls.env["res.partner"].create({"name": "Branch ONT Vendor"})

    def _receive_by_purchase(self, lot_name):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "picking_type_id": self.branch.in_type_id.id,
                "order_line": [Command.create({"product_id": self.ont.id, "product_qty": 1})],
            }
        )
        order.button_confirm()
        receipt = order.picking_ids.with_user(self.storekeeper_user)
        self.assertEqual(receipt.location_dest_id, self.branch_stock)
        receipt.move_ids.move_line_ids.lot_name = lot_name
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        return receipt.move_line_ids.lot_id.with_env(self.env)

    def _issue_to_van(self, lot):
        request = self.technician.with_user(self.technician_user)._isp_create_request(
            [(self.ont, 1)]
        )
        request = request.with_env(self.env)
        request.with_user(self.approver_user).action_isp_approve()
        request = request.with_user(self.storekeeper_user)
        request.action_assign()
        self.assertEqual(request.move_line_ids.lot_id, lot)
        request.move_ids.picked = True
        request.button_validate()
        self.assertEqual(request.state, "done")

    def test_rma_of_serial_received_by_purchase_at_a_branch(self):
        lot = self._receive_by_purchase("ONT-PO-BR-1")
        self._issue_to_van(lot)
        self.assertEqual(lot.isp_state, "with_technician")
        lot.with_user(self.technician_user).action_isp_install(self.technician.id, self.customer.id)
        self.assertEqual(lot.isp_state, "installed")
        lot.with_user(self.storekeeper_user).action_isp_take_back(
            self.technician.id, self.customer.id, faulty=True, reason="No optical signal"
        )
        quarantine = self.branch._isp_get_quarantine_location()
        self.assertEqual(lot.location_id, quarantine)
        self.assertEqual(lot.isp_state, "faulty")
        self.assertTrue(lot.isp_under_warranty)

        action = lot.with_user(self.storekeeper_user).action_isp_return_to_vendor()

        rma = self.env["stock.picking"].browse(action["res_id"])
        self.assertRecordValues(
            rma,
            [
                {
                    "state": "done",
                    "partner_id": self.vendor.id,
                    "location_id": quarantine.id,
                    "location_dest_id": self.vendor.property_stock_supplier.id,
                }
            ],
        )
        self.assertEqual(self._qty(self.ont, quarantine, lot), 0)
        self.assertEqual(lot.isp_state, "rma")
        self.assertFalse(lot.isp_customer_id)

    def test_rma_of_a_serial_odoo_also_shows_elsewhere(self):
        """Odoo's `stock.lot.location_id` is empty while a serial has stock in two
        places (a stray quant elsewhere): the RMA takes the serial from the quarantine
        that holds it. Before, the return transfer had no source location and the
        database refused it ("Missing required value for the field 'Source
        Location'")."""
        lot = self._receive_by_purchase("ONT-PO-BR-2")
        self._issue_to_van(lot)
        lot.with_user(self.technician_user).action_isp_install(self.technician.id, self.customer.id)
        lot.with_user(self.storekeeper_user).action_isp_take_back(
            self.technician.id, self.customer.id, faulty=True
        )
        quarantine = self.branch._isp_get_quarantine_location()
        # the same serial also counted at another customer's site
        stray = self.env["stock.location"].create(
            {"name": "Test Site", "usage": "customer", "location_id": False}
        )
        self.env["stock.quant"]._update_available_quantity(self.ont, stray, 1.0, lot_id=lot)
        self.assertFalse(lot.location_id)
        self.assertEqual(lot.isp_state, "faulty")

        action = lot.with_user(self.storekeeper_user).action_isp_return_to_vendor()

        rma = self.env["stock.picking"].browse(action["res_id"])
        self.assertRecordValues(
            rma,
            [{"state": "done", "location_id": quarantine.id, "partner_id": self.vendor.id}],
        )
        self.assertEqual(self._qty(self.ont, quarantine, lot), 0)
        self.assertEqual(self._qty(self.ont, stray, lot), 1)

    def test_decision_refused_when_the_serial_is_not_in_quarantine(self):
        """A serial whose last move went to quarantine but which is no longer there
        (counted away) gets a clear refusal, not a database error."""
        lot = self._receive_by_purchase("ONT-PO-BR-3")
        self._issue_to_van(lot)
        lot.with_user(self.technician_user).action_isp_install(self.technician.id, self.customer.id)
        lot.with_user(self.storekeeper_user).action_isp_take_back(
            self.technician.id, self.customer.id, faulty=True
        )
        quarantine = self.branch._isp_get_quarantine_location()
        self.env["stock.quant"]._update_available_quantity(self.ont, quarantine, -1.0, lot_id=lot)
        self.assertEqual(lot.isp_state, "faulty")
        pickings = self.env["stock.picking"].search_count([])
        with self.assertRaises(UserError) as refusal:
            lot.with_user(self.storekeeper_user).action_isp_return_to_vendor()
        self.assertIn("only faulty serials in quarantine", str(refusal.exception))
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        self.assertEqual(self._qty(self.ont, quarantine, lot), 0)
