from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestCustomerQuants(IspInventoryCommon):
    """Consumables delivered to customers add a quant each instead of updating the one
    row per product at "Customers" that every delivery would otherwise update (and
    that concurrent job completions fail on). Odoo's quant tasks merge them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.patch_cord, cls.van, 10.0)
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.out_type = cls.branch.out_type_id

    def _quants(self):
        return self.env["stock.quant"].search(
            [("product_id", "=", self.patch_cord.id), ("location_id", "=", self.customers.id)],
            order="id",
        )

    def _deliver(self, quantity):
        self.env["stock.picking"]._isp_create_done(
            self.out_type,
            self.van,
            self.customers,
            [(self.patch_cord, quantity, self.env["stock.lot"])],
            partner_id=self.customer.id,
        )

    def test_each_delivery_adds_its_own_quant_merged_later(self):
        before = self._quants()
        self._deliver(2.0)
        first = self._quants() - before
        self.assertEqual(first.mapped("quantity"), [2.0])
        self._deliver(3.0)
        # the first delivery's row is not touched by the second
        self.assertEqual(first.quantity, 2.0)
        second = self._quants() - before - first
        self.assertEqual(second.mapped("quantity"), [3.0])
        # stock moved out of the van as usual, and the totals hold
        self.assertEqual(self._qty(self.patch_cord, self.van), 5.0)
        self.assertEqual(sum(self._quants().mapped("quantity")), sum(before.mapped("quantity")) + 5)
        # Odoo's quant tasks merge them into one row per product and location
        self.env["stock.quant"]._merge_quants()
        self.env.invalidate_all()
        merged = self._quants()
        self.assertEqual(len(merged), 1)
        self.assertEqual(merged.quantity, sum(before.mapped("quantity")) + 5)

    def test_internal_locations_keep_one_quant(self):
        """Only deliveries to customers change: the van's stock stays one row."""
        self._deliver(1.0)
        self._deliver(1.0)
        van_quants = self.env["stock.quant"].search(
            [("product_id", "=", self.patch_cord.id), ("location_id", "=", self.van.id)]
        )
        self.assertEqual(van_quants.mapped("quantity"), [8.0])
