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

    def test_van_top_up_never_joins_a_request(self):
        """The technician's own request (here of an ONT, waiting for an approver) is
        open when the scheduler tops his van up: the top-up is a transfer of its own,
        ready to prepare, and the request keeps only what he asked for."""
        self._put_in_stock(self.patch_cord, self.branch_stock, 50)
        self._put_in_stock(self.ont, self.branch_stock, 1, lot_name="TOPUP-ONT-1")
        request = self.technician.with_user(self.technician_user).action_isp_request(
            [{"product_id": self.ont.id, "quantity": 1}]
        )
        request = self.env["stock.picking"].browse(request)
        self.assertEqual(request.isp_approval_state, "to_approve")
        self.Orderpoint.create(
            {
                "product_id": self.patch_cord.id,
                "location_id": self.van.id,
                "warehouse_id": self.branch.id,
                "product_min_qty": 5,
                "product_max_qty": 20,
            }
        )
        self.env["stock.rule"].run_scheduler()
        top_up = self.env["stock.move"].search(
            [("product_id", "=", self.patch_cord.id), ("location_dest_id", "=", self.van.id)]
        )
        self.assertEqual(top_up.product_uom_qty, 20.0)
        self.assertNotEqual(top_up.picking_id, request)
        self.assertEqual(top_up.picking_id.isp_approval_state, "none")
        self.assertEqual(request.move_ids.product_id, self.ont)

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
