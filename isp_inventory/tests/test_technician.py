from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestTechnician(IspInventoryCommon):
    def test_van_and_kit_created_under_branch_view_location(self):
        """Van and kit sit under WH/Technicians/<name>, outside WH/Stock."""
        self.assertRecordValues(
            self.van | self.kit,
            [
                {"usage": "internal", "isp_role": "vehicle", "warehouse_id": self.branch.id},
                {"usage": "internal", "isp_role": "kit", "warehouse_id": self.branch.id},
            ],
        )
        self.assertEqual(self.van.location_id.location_id, self.branch.isp_technicians_location_id)
        self.assertEqual(
            self.branch.isp_technicians_location_id.location_id, self.branch.view_location_id
        )
        self.assertFalse(
            self.env["stock.location"].search_count(
                [("id", "in", (self.van | self.kit).ids), ("id", "child_of", self.branch_stock.id)]
            )
        )
        self.assertEqual(self.technician.region_id, self.region)

    def test_one_technician_per_user(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["isp.technician"].create(
                {"user_id": self.technician_user.id, "warehouse_id": self.branch.id}
            )
        self.assertEqual(
            self.env["isp.technician"].search_count([("user_id", "=", self.technician_user.id)]),
            1,
        )

    def test_archive_refused_while_holding_stock(self):
        self._put_in_stock(self.patch_cord, self.van, 12)
        self._put_in_stock(self.ont, self.kit, 1, lot_name="ONT-ARCH-1")
        with self.assertRaises(UserError) as error:
            self.technician.action_archive()
        self.assertIn("Test SC/APC Patch Cord", str(error.exception))
        self.assertIn("ONT-ARCH-1", str(error.exception))
        self.assertTrue(self.technician.active)

    def test_archive_allowed_when_empty(self):
        self.technician.action_archive()
        self.assertFalse(self.technician.active)

    def _other_branch(self):
        branch = self.env["stock.warehouse"].create(
            {"name": "Other Branch", "code": "OBR", "isp_region_id": self.region.id}
        )
        self._put_in_stock(self.patch_cord, branch.lot_stock_id, 50)
        return branch

    def test_change_of_branch_refused_while_holding_stock(self):
        other = self._other_branch()
        self._put_in_stock(self.patch_cord, self.van, 3)
        with self.assertRaises(UserError):
            self.technician.warehouse_id = other
        self.assertEqual(self.technician.warehouse_id, self.branch)
        self.assertEqual(self.van.warehouse_id, self.branch)

    def test_change_of_branch_moves_van_kit_and_replenishment(self):
        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.patch_cord.id,
                "location_id": self.van.id,
                "product_min_qty": 5,
                "product_max_qty": 20,
            }
        )
        self.assertEqual(orderpoint.route_id, self.branch._isp_get_van_route())
        other = self._other_branch()
        self.technician.warehouse_id = other
        self.assertRecordValues(
            self.van | self.kit, [{"warehouse_id": other.id}, {"warehouse_id": other.id}]
        )
        self.assertEqual(self.van.location_id.location_id, other.isp_technicians_location_id)
        rules = self.env["stock.rule"].search([("location_dest_id", "=", self.van.id)])
        self.assertEqual(rules.route_id, other._isp_get_van_route(), "only the new branch's rule")
        self.assertEqual(rules.location_src_id, other.lot_stock_id)
        self.assertRecordValues(
            orderpoint,
            [
                {
                    "warehouse_id": other.id,
                    "location_id": self.van.id,
                    "route_id": other._isp_get_van_route().id,
                }
            ],
        )
        # the van's min/max now replenishes from the new branch, and so do requests
        self.env["stock.rule"].run_scheduler()
        replenishment = self.env["stock.move"].search(
            [("location_dest_id", "=", self.van.id), ("product_id", "=", self.patch_cord.id)]
        )
        self.assertRecordValues(
            replenishment, [{"location_id": other.lot_stock_id.id, "product_uom_qty": 20.0}]
        )
        request = self.technician._isp_create_request([(self.patch_cord, 4)])
        self.assertEqual(request.location_id, other.lot_stock_id)

    def test_van_never_goes_negative(self):
        self._put_in_stock(self.patch_cord, self.van, 3)
        customer_location = self.customer.property_stock_customer
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.branch.out_type_id.id,
                "location_id": self.van.id,
                "location_dest_id": customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.patch_cord.id,
                            "product_uom_qty": 5,
                            "location_id": self.van.id,
                            "location_dest_id": customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = 5  # forced beyond the 3 in the van
        picking.move_ids.picked = True
        with self.assertRaises(UserError) as error:  # assertRaises rolls back (savepoint)
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertIn("less than nothing", str(error.exception))
        self.assertEqual(self._qty(self.patch_cord, self.van), 3)
        self.assertNotEqual(picking.state, "done")

    def test_holdings_and_value(self):
        self._put_in_stock(self.patch_cord, self.van, 10)
        self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-VAL-1")
        self.technician.invalidate_recordset(["quant_ids", "stock_value"])
        self.assertEqual(len(self.technician.quant_ids), 2)
        self.assertAlmostEqual(self.technician.stock_value, 10 * 1.5 + 45.0)

    def test_only_one_main_warehouse(self):
        self.env["stock.warehouse"].search([("isp_is_main", "=", True)]).isp_is_main = False
        self.branch.isp_is_main = True
        other = self.env["stock.warehouse"].create({"name": "Other", "code": "OTH"})
        with self.assertRaises(ValidationError):
            other.isp_is_main = True

    def test_request_is_sent_at_once_from_home_branch(self):
        """A request is never left as a draft the technician cannot send: it is
        confirmed (waiting for the store, or for an approver for controlled items)."""
        picking = self.technician.with_user(self.technician_user)._isp_create_request(
            [(self.patch_cord, 20), (self.ont, 2)]
        )
        self.assertRecordValues(
            picking,
            [
                {
                    "state": "confirmed",
                    "isp_approval_state": "to_approve",
                    "location_id": self.branch_stock.id,
                    "location_dest_id": self.van.id,
                    "picking_type_id": self.branch.int_type_id.id,
                    "isp_requested_by_id": self.technician_user.id,
                }
            ],
        )
        self.assertEqual(sorted(picking.move_ids.mapped("product_uom_qty")), [2.0, 20.0])

    def test_request_refuses_non_positive_quantity(self):
        count = self.env["stock.picking"].search_count([])
        with self.assertRaises(UserError):
            self.technician._isp_create_request([(self.patch_cord, 0)])
        with self.assertRaises(UserError):
            self.technician._isp_create_request([(self.patch_cord, -3)])
        self.assertEqual(self.env["stock.picking"].search_count([]), count)
