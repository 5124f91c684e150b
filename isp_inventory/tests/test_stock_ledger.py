from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestStockLedger(IspInventoryCommon):
    """Stock on hand changes only through done stock moves, and a move is done only by
    its validation. Odoo lets any Inventory user write a quant's quantity, location or
    serial, or create a quant holding stock, when the call does not ask for inventory
    mode (any RPC client can leave it out), and write a move's, transfer's or scrap's
    state. Every role is refused, with nothing changed; Physical Inventory and a
    transfer's validation still work, and a done move keeps what the reports read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inventory_admin = new_test_user(
            cls.env,
            login="isp_stock_admin",
            groups="stock.group_stock_manager,isp_inventory.group_isp_manager",
        )
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 20)
        cls._put_in_stock(cls.patch_cord, cls.van, 5)
        cls.lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="LEDGER-ONT-1")

    def _stock(self):
        """(location, product, serial, quantity, reserved) of every quant of the test
        products, and the number of done moves."""
        self.env.invalidate_all()
        quants = self.env["stock.quant"].search(
            [("product_id", "in", (self.patch_cord | self.ont).ids)], order="id"
        )
        moves = self.env["stock.move"].search_count([("state", "=", "done")])
        return [
            (q.location_id.id, q.product_id.id, q.lot_id.id, q.quantity, q.reserved_quantity)
            for q in quants
        ], moves

    def _quant(self, product, location):
        return self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", location.id)]
        )

    def test_direct_writes_refused_to_every_role(self):
        before = self._stock()
        van_cords = self._quant(self.patch_cord, self.van)
        van_ont = self._quant(self.ont, self.van)
        other_lot = self.env["stock.lot"].create(
            {"name": "LEDGER-ONT-2", "product_id": self.ont.id}
        )
        attempts = [
            (van_cords, {"quantity": 0}),
            (van_cords, {"location_id": self.branch_stock.id}),
            (van_ont, {"lot_id": other_lot.id}),
            (van_ont, {"reserved_quantity": 1}),
            (van_cords, {"in_date": "2020-01-01 00:00:00"}),
        ]
        for user in (self.storekeeper_user, self.approver_user, self.inventory_admin):
            for quant, vals in attempts:
                for context in ({}, {"inventory_mode": True}):
                    with self.assertRaises(AccessError, msg=f"{user.login} {vals} {context}"):
                        quant.with_user(user).with_context(**context).write(vals)
            with self.assertRaisesRegex(AccessError, "only through stock moves"):
                self.env["stock.quant"].with_user(user).create(
                    {
                        "product_id": self.patch_cord.id,
                        "location_id": self.branch_stock.id,
                        "quantity": 50,
                    }
                )
        self.assertEqual(self._stock(), before)
        self.assertEqual(van_cords.quantity, 5)

    def test_physical_inventory_still_goes_through_a_move(self):
        """The storekeeper counts the branch store in Physical Inventory: the new count
        is applied as a done inventory move, the quant follows it."""
        _quants, moves_before = self._stock()
        Quant = self.env["stock.quant"].with_user(self.storekeeper_user)
        quant = Quant.with_context(inventory_mode=True).create(
            {
                "product_id": self.patch_cord.id,
                "location_id": self.branch_stock.id,
                "inventory_quantity": 23,
            }
        )
        self.assertIs(quant.action_apply_inventory(), True)  # not None: XML-RPC carries it
        self.env.invalidate_all()
        self.assertEqual(self._quant(self.patch_cord, self.branch_stock).quantity, 23)
        # resent (an RPC client retrying after a lost answer): the count was applied,
        # nothing is left to apply; Odoo would apply the reset count of 0
        moves_applied = self._stock()[1]
        with self.assertRaises(UserError) as refusal:
            quant.with_user(self.approver_user).action_apply_inventory()
        self.assertIn("No count is entered", str(refusal.exception))
        self.assertEqual(self._quant(self.patch_cord, self.branch_stock).quantity, 23)
        self.assertEqual(self._stock()[1], moves_applied)
        move = self.env["stock.move"].search(
            [
                ("product_id", "=", self.patch_cord.id),
                ("location_dest_id", "=", self.branch_stock.id),
                ("is_inventory", "=", True),
            ]
        )
        self.assertRecordValues(move, [{"state": "done", "quantity": 3.0}])
        self.assertEqual(self._stock()[1], moves_before + 1)

    def _transfer(self, quantity=2.0):
        """A confirmed transfer branch store -> van, reserved."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.branch.int_type_id.id,
                "location_id": self.branch_stock.id,
                "location_dest_id": self.van.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.patch_cord.id,
                            "product_uom_qty": quantity,
                            "location_id": self.branch_stock.id,
                            "location_dest_id": self.van.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def test_states_become_done_only_by_validation(self):
        picking = self._transfer()
        scrap = self.env["stock.scrap"].create(
            {"product_id": self.patch_cord.id, "scrap_qty": 1, "location_id": self.branch_stock.id}
        )
        before = self._stock()
        for user in (self.storekeeper_user, self.inventory_admin):
            for records, vals in (
                (picking.move_ids, {"state": "done"}),
                (picking.move_ids.move_line_ids, {"state": "done"}),
                (picking, {"state": "done"}),
                (scrap, {"state": "done"}),
            ):
                with self.assertRaisesRegex(AccessError, "only when it is validated"):
                    records.with_user(user).write(vals)
        self.assertEqual(self._stock(), before)
        self.assertEqual(
            (picking.state, picking.move_ids.state, picking.move_ids.move_line_ids.state),
            ("assigned", "assigned", "assigned"),
        )
        self.assertEqual(scrap.state, "draft")
        # validated, they are done and the stock follows
        picking.move_ids.picked = True
        picking.with_user(self.storekeeper_user).button_validate()
        # a scrap off the shelves is an approver's (test_store_write_off)
        scrap.with_user(self.approver_user).action_validate()
        self.env.invalidate_all()
        self.assertEqual(picking.state, "done")
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self._quant(self.patch_cord, self.branch_stock).quantity, 20 - 2 - 1)
        self.assertEqual(self._quant(self.patch_cord, self.van).quantity, 5 + 2)

    def test_done_move_keeps_what_the_reports_read(self):
        picking = self._transfer()
        picking.move_ids.picked = True
        picking.button_validate()
        self._forget_done_now()
        move = picking.move_ids
        scrap = self.env["stock.scrap"].create(
            {"product_id": self.patch_cord.id, "scrap_qty": 1, "location_id": self.branch_stock.id}
        )
        for vals in (
            {"is_inventory": True},
            {"scrap_id": scrap.id},
            {"partner_id": self.customer.id},
        ):
            with self.assertRaisesRegex(UserError, "can no longer be changed"):
                move.with_user(self.storekeeper_user).write(vals)
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            picking.with_user(self.storekeeper_user).write({"partner_id": self.customer.id})
        self.env.invalidate_all()
        self.assertRecordValues(
            move, [{"is_inventory": False, "scrap_id": False, "partner_id": False}]
        )
        self.assertFalse(picking.partner_id)

    def test_done_moves_and_their_value_come_from_the_stock_layer(self):
        """A done move cannot be created by hand (a done move of no lines moves nothing
        but is valued), and a done move's value changes only through the valuation
        (Adjust Valuation records a product.value): both were open to stock users."""
        customers = self.customer.property_stock_customer
        # a receipt: Odoo's manual value (Adjust Valuation) applies to incoming moves
        move = self.env["stock.move"].create(
            {
                "product_id": self.patch_cord.id,
                "product_uom_qty": 2,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.branch_stock.id,
                "picking_type_id": self.branch.in_type_id.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.picked = True
        move._action_done()
        self._forget_done_now()
        value = move.value
        self.assertEqual(value, 3.0)  # valued: 2 cords at 1.5
        moves_before = self.env["stock.move"].search_count([])
        for user in (self.storekeeper_user, self.inventory_admin):
            with self.assertRaises(AccessError, msg=user.login) as refusal:
                self.env["stock.move"].with_user(user).create(
                    {
                        "product_id": self.patch_cord.id,
                        "product_uom_qty": 7,
                        "location_id": self.branch_stock.id,
                        "location_dest_id": customers.id,
                        "state": "done",
                        "value": 999,
                    }
                )
            self.assertIn("only when it is validated", str(refusal.exception))
            with self.assertRaises(AccessError) as refusal:
                move.with_user(user).write({"value": 12345})
            self.assertIn("only through the stock valuation", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual(self.env["stock.move"].search_count([]), moves_before)
        self.assertEqual(move.value, value)
        # Odoo's Adjust Valuation (an Inventory Administrator's manual value) still works
        move.with_user(self.inventory_admin).value_manual = 42.0
        self.env.invalidate_all()
        self.assertEqual(move.value, 42.0)
        self.assertEqual(self.env["product.value"].search([("move_id", "=", move.id)]).value, 42.0)

    def test_serial_lifecycle_and_install_record_follow_the_moves(self):
        """A serial's lifecycle state and install record are the moves': neither
        written nor given at creation by any role."""
        for user in (self.storekeeper_user, self.inventory_admin):
            Lot = self.env["stock.lot"].with_user(user)
            with self.assertRaisesRegex(AccessError, "follows where it is"):
                Lot.browse(self.lot.id).write({"isp_state": "installed"})
            for vals in ({"isp_state": "installed"}, {"isp_customer_id": self.customer.id}):
                with self.assertRaises(AccessError):
                    Lot.create(dict({"name": "LEDGER-ONT-9", "product_id": self.ont.id}, **vals))
        self.env.invalidate_all()
        self.assertRecordValues(
            self.lot, [{"isp_state": "with_technician", "isp_customer_id": False}]
        )
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "LEDGER-ONT-9")]))

    def test_count_state_follows_its_actions(self):
        Count = self.env["isp.stock.count"].with_user(self.storekeeper_user)
        with self.assertRaisesRegex(AccessError, "State"):
            Count.create({"technician_id": self.technician.id, "state": "done"})
        count = Count.create({"technician_id": self.technician.id})
        for vals in ({"state": "done"}, {"state": "counting"}, {"date_done": "2031-01-01"}):
            with self.assertRaisesRegex(AccessError, "change only when"):
                count.write(vals)
        self.assertRecordValues(count, [{"state": "draft", "date_done": False}])
        count.action_start()
        count.action_apply()
        self.assertRecordValues(count, [{"state": "done"}])
        self.assertTrue(count.date_done)
