from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestSerialDeliveries(IspInventoryCommon):
    """A serial's deliveries (Odoo's "Transfer to", the Transfers button and the search
    by customer) still find the same moves now that the move's operation type is
    joined (stock.lot._get_outgoing_domain) instead of read through a subquery of every move."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivered = cls._put_in_stock(cls.ont, cls.branch_stock, lot_name="TDEL-0001")
        cls.kept = cls._put_in_stock(cls.ont, cls.branch_stock, lot_name="TDEL-0002")

    def _lots(self):
        return (self.delivered | self.kept).with_user(self.storekeeper_user)

    def test_delivered_serial_names_its_delivery_and_customer(self):
        picking = self._delivery(self.delivered, self.branch_stock, partner=self.customer)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        delivered, kept = self._lots()
        self.assertEqual(delivered.partner_ids, self.customer)
        self.assertEqual(delivered.delivery_ids, picking)
        self.assertEqual(delivered.delivery_count, 1)
        self.assertFalse(kept.partner_ids)
        self.assertEqual(kept.delivery_count, 0)
        found = (
            self.env["stock.lot"]
            .with_user(self.storekeeper_user)
            .search([("partner_ids", "=", self.customer.id), ("name", "like", "TDEL-")])
        )
        self.assertEqual(found, delivered)

    def test_outgoing_condition_joins_the_move(self):
        """Odoo's condition on the move's transfer type, joined: no subquery of moves."""
        domain = str(self.env["stock.lot"]._get_outgoing_domain())
        self.assertIn("'move_id', 'any!'", domain)
        self.assertNotIn("move_id.picking_code", domain)
