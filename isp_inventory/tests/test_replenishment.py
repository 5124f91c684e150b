from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestReplenishment(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Orderpoint = cls.env["stock.warehouse.orderpoint"]
        cls.vendor = cls.env["res.partner"].create({"name": "Test Fibre Supplies"})
        cls.patch_cord.seller_ids = [(0, 0, {"partner_id": cls.vendor.id, "price": 1.2})]

    def test_van_orderpoint_replenishes_from_home_branch(self):
        self._put_in_stock(self.patch_cord, self.branch_stock, 50)
        self._put_in_stock(self.patch_cord, self.van, 2)
        orderpoint = self.Orderpoint.create(
            {
                "product_id": self.patch_cord.id,
                "location_id": self.van.id,
                "warehouse_id": self.branch.id,
                "product_min_qty": 5,
                "product_max_qty": 20,
            }
        )
        self.assertEqual(orderpoint.route_id, self.branch._isp_get_van_route())
        self.env["stock.rule"].run_scheduler()
        move = self.env["stock.move"].search(
            [("product_id", "=", self.patch_cord.id), ("location_dest_id", "=", self.van.id)]
        )
        self.assertRecordValues(
            move,
            [
                {
                    "location_id": self.branch_stock.id,
                    "product_uom_qty": 18.0,
                    "state": "assigned",
                }
            ],
        )
        self.assertEqual(move.picking_id.picking_type_id, self.branch.int_type_id)

    def test_main_warehouse_buys_from_vendor(self):
        main = self.env["stock.warehouse"].create({"name": "Test Main", "code": "TMN"})
        buy = self.env.ref("purchase_stock.route_warehouse0_buy")
        self.Orderpoint.create(
            {
                "product_id": self.patch_cord.id,
                "location_id": main.lot_stock_id.id,
                "warehouse_id": main.id,
                "product_min_qty": 100,
                "product_max_qty": 500,
                "route_id": buy.id,
            }
        )
        self.env["stock.rule"].run_scheduler()
        line = self.env["purchase.order.line"].search([("product_id", "=", self.patch_cord.id)])
        self.assertRecordValues(line, [{"product_qty": 500.0}])
        self.assertRecordValues(line.order_id, [{"partner_id": self.vendor.id, "state": "draft"}])

    def test_branch_resupplied_from_main(self):
        main = self.env["stock.warehouse"].create({"name": "Test Main", "code": "TMN"})
        self._put_in_stock(self.patch_cord, main.lot_stock_id, 300)
        self.branch.resupply_wh_ids = main
        route = self.branch.resupply_route_ids.filtered(lambda r: r.supplier_wh_id == main)
        self.assertTrue(route)
        self.Orderpoint.create(
            {
                "product_id": self.patch_cord.id,
                "location_id": self.branch_stock.id,
                "warehouse_id": self.branch.id,
                "product_min_qty": 10,
                "product_max_qty": 100,
                "route_id": route.id,
            }
        )
        self.env["stock.rule"].run_scheduler()
        out = self.env["stock.move"].search(
            [("product_id", "=", self.patch_cord.id), ("location_id", "=", main.lot_stock_id.id)]
        )
        self.assertEqual(sum(out.mapped("product_uom_qty")), 100.0)

    def test_below_minimum_alert_reaches_storekeeper(self):
        self.Orderpoint.create(
            {
                "product_id": self.patch_cord.id,
                "location_id": self.van.id,
                "warehouse_id": self.branch.id,
                "product_min_qty": 5,
                "product_max_qty": 20,
                "trigger": "manual",
            }
        )
        self.env["stock.rule"].run_scheduler()
        activities = self.patch_cord.product_tmpl_id.activity_ids
        self.assertIn(self.storekeeper_user, activities.user_id)
        self.assertIn("Below minimum", activities[0].summary)
        self.env["stock.rule"].run_scheduler()
        self.assertEqual(len(self.patch_cord.product_tmpl_id.activity_ids), len(activities))
