from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestDoneLock(IspInventoryCommon):
    """Move lines are for stock users only; done moves, move lines, applied counts and
    posted loss reports are changed only by an Inventory Administrator giving a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_user = new_test_user(cls.env, login="isp_plain", groups="base.group_user")
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 10)
        cls.picking = cls.env["stock.picking"]._isp_create_done(
            cls.branch.int_type_id,
            cls.branch_stock,
            cls.van,
            [(cls.patch_cord, 4.0, cls.env["stock.lot"])],
        )
        cls.move = cls.picking.move_ids
        cls.line = cls.picking.move_line_ids
        cls.other_location = cls.technician.kit_location_id

    def setUp(self):
        super().setUp()
        self._forget_done_now()

    def _line_values(self):
        self.env.invalidate_all()
        return self.line.read(["quantity", "location_id", "location_dest_id", "lot_id", "date"])

    def _assert_refused(self, error, call, text=None):
        quants, line, move = self._quants(self.patch_cord), self._line_values(), self.move.read()
        with self.assertRaises(error) as refusal:  # rolled back, as the RPC call would be
            call()
        self.assertIn(text or "", str(refusal.exception))
        self.assertEqual(self._quants(self.patch_cord), quants, "nothing moved")
        self.assertEqual(self._line_values(), line)
        self.assertEqual(self.move.read(), move)

    # -- move lines: stock users only ---------------------------------------------------
    def test_plain_user_cannot_create_write_or_unlink_move_lines(self):
        ready = self.env["stock.picking"]._isp_create_ready(
            self.branch.int_type_id,
            self.branch_stock,
            self.van,
            [(self.patch_cord, 2.0, self.env["stock.lot"])],
        )
        line = ready.move_line_ids.with_user(self.plain_user)
        quants = self._quants(self.patch_cord)
        with self.assertRaises(AccessError) as refusal:
            line.quantity = 6
        self.assertIn("change stock move lines", str(refusal.exception))
        with self.assertRaises(AccessError) as refusal:
            line.unlink()
        self.assertIn("delete stock move lines", str(refusal.exception))
        with self.assertRaises(AccessError) as refusal:
            line.create(
                {
                    "move_id": ready.move_ids.id,
                    "product_id": self.patch_cord.id,
                    "quantity": 1,
                    "location_id": self.branch_stock.id,
                    "location_dest_id": self.van.id,
                }
            )
        self.assertIn("create stock move lines", str(refusal.exception))
        self.assertEqual(self._quants(self.patch_cord), quants)
        self.assertRecordValues(ready.move_line_ids, [{"quantity": 2.0}])
        self.assertEqual(len(ready.move_ids.move_line_ids), 1)

    def test_purchase_user_still_confirms_orders(self):
        """Odoo's purchase users reserve the receipt of the orders they confirm (move
        lines created as them): they keep that right."""
        buyer = new_test_user(self.env, login="isp_buyer", groups="purchase.group_purchase_user")
        vendor = self.env["res.partner"].create({"name": "Cord Vendor"})
        order = (
            self.env["purchase.order"]
            .with_user(buyer)
            .create(
                {
                    "partner_id": vendor.id,
                    "order_line": [
                        Command.create({"product_id": self.patch_cord.id, "product_qty": 5})
                    ],
                }
            )
        )
        order.button_confirm()
        self.assertEqual(order.picking_ids.move_line_ids.quantity, 5)
        self.assertEqual(order.picking_ids.move_line_ids.create_uid, buyer)

    # -- done moves and move lines ------------------------------------------------------
    def test_done_move_line_refused_to_everyone(self):
        for user in (self.storekeeper_user, self.manager_user):
            line = self.line.with_user(user)
            self._assert_refused(UserError, lambda line=line: line.write({"quantity": 1}), "done")
            self._assert_refused(
                UserError, lambda line=line: line.write({"location_dest_id": self.kit.id})
            )
            self._assert_refused(
                UserError, lambda line=line: line.write({"date": "2020-01-01 00:00:00"})
            )
            self._assert_refused(UserError, line.unlink)

    def test_done_move_refused_harmless_fields_free(self):
        move = self.move.with_user(self.storekeeper_user)
        self._assert_refused(UserError, lambda: move.write({"product_uom_qty": 1}), "done")
        self._assert_refused(UserError, lambda: move.write({"location_id": self.kit.id}))
        self._assert_refused(UserError, lambda: move.write({"picking_id": False}))
        # the picking's locations and date follow onto its done moves: refused as well
        picking = self.picking.with_user(self.manager_user)
        self._assert_refused(UserError, lambda: picking.write({"location_dest_id": self.kit.id}))
        self._assert_refused(UserError, lambda: picking.write({"date_done": "2020-01-01 00:00:00"}))
        move.description_picking = "Cords for the Westlands jobs"
        self.assertEqual(self.move.description_picking, "Cords for the Westlands jobs")
        self.picking.with_user(self.storekeeper_user).message_post(body="Checked")

    def test_no_new_line_on_a_done_move(self):
        self._assert_refused(
            UserError,
            lambda: self.env["stock.move.line"]
            .with_user(self.manager_user)
            .create(
                {
                    "move_id": self.move.id,
                    "product_id": self.patch_cord.id,
                    "quantity": 3,
                    "location_id": self.branch_stock.id,
                    "location_dest_id": self.van.id,
                }
            ),
        )
        self.assertEqual(len(self.move.move_line_ids), 1)

    def test_administrator_corrects_a_done_line_with_a_reason(self):
        self.line.with_user(self.manager_user).action_isp_edit_done(
            {"quantity": 3}, "Only 3 cords were loaded"
        )
        self.assertRecordValues(self.line, [{"quantity": 3.0, "state": "done"}])
        self.assertEqual(self._qty(self.patch_cord, self.van), 3)
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 7)
        body = self.picking.message_ids[0].body  # after Odoo's own "corrected" note
        self.assertIn("Only 3 cords were loaded", body)
        self.assertIn(self.manager_user.name, body)
        self.assertEqual(self.picking.message_ids[0].author_id, self.manager_user.partner_id)
        # the correction unlocked the line for its own write only
        self._assert_refused(
            UserError, lambda: self.line.with_user(self.manager_user).write({"quantity": 2})
        )

    def test_administrator_corrects_a_done_move_date(self):
        """Odoo carries a done move's date onto its lines: the correction covers both."""
        self.move.with_user(self.manager_user).action_isp_edit_done(
            {"date": "2026-01-05 10:00:00"}, "Recorded a day late"
        )
        self.assertEqual(str(self.move.date), "2026-01-05 10:00:00")
        self.assertEqual(str(self.line.date), "2026-01-05 10:00:00")
        self.assertIn("Recorded a day late", self.picking.message_ids[0].body)

    def test_correction_needs_an_administrator_and_a_reason(self):
        messages = len(self.picking.message_ids)
        self._assert_refused(
            AccessError,
            lambda: self.line.with_user(self.storekeeper_user).action_isp_edit_done(
                {"quantity": 1}, "Typo"
            ),
        )
        self._assert_refused(
            UserError,
            lambda: self.line.with_user(self.manager_user).action_isp_edit_done(
                {"quantity": 1}, "  "
            ),
        )
        self.assertEqual(len(self.picking.message_ids), messages)

    def test_odoo_return_of_a_done_transfer_still_works(self):
        """Odoo's return links the new moves to the done ones: not a change of them."""
        wizard = Form(
            self.env["stock.return.picking"]
            .with_user(self.storekeeper_user)
            .with_context(active_id=self.picking.id, active_model="stock.picking")
        ).save()
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.picked = True
        returned.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(returned.state, "done")
        self.assertEqual(returned.move_ids.origin_returned_move_id, self.move)
        self.assertEqual(self._qty(self.patch_cord, self.van), 3)
        self.assertRecordValues(self.line, [{"quantity": 4.0, "state": "done"}])

    def test_moves_done_in_the_same_transaction_are_finished_by_odoo(self):
        """Validating writes the done date on the moves just done (Odoo's own flow)."""
        picking = self.env["stock.picking"]._isp_create_ready(
            self.branch.int_type_id,
            self.branch_stock,
            self.van,
            [(self.patch_cord, 1.0, self.env["stock.lot"])],
        )
        picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.date, picking.date_done)


@tagged("post_install", "-at_install")
class TestDoneDocuments(IspInventoryCommon):
    """Applied counts and posted loss reports are done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.patch_cord, cls.van, 10)
        cls.count = cls.env["isp.stock.count"].create({"technician_id": cls.technician.id})
        cls.count.with_user(cls.storekeeper_user).action_start()
        cls.count.line_ids.counted_qty = 8
        cls.count.line_ids.reason = "lost"
        cls.count.with_user(cls.storekeeper_user).action_apply()
        cls.report = cls.env["isp.loss.report"].create(
            {
                "technician_id": cls.technician.id,
                "description": "Cord reel fell off the van",
                "line_ids": [Command.create({"product_id": cls.patch_cord.id, "quantity": 1})],
            }
        )
        cls.report.action_submit()
        cls.report.with_user(cls.approver_user).action_approve()

    def setUp(self):
        super().setUp()
        self._forget_done_now()

    def _state(self):
        self.env.invalidate_all()
        return (
            self._quants(self.patch_cord),
            self.count.read(["date", "counted_by_id", "state"]),
            self.count.line_ids.read(["counted_qty", "reason", "note"]),
            self.report.read(["description", "loss_type", "state"]),
            self.report.line_ids.read(["quantity", "location_id"]),
        )

    def _assert_refused(self, call):
        before = self._state()
        with self.assertRaises(UserError) as refusal:
            call()
        self.assertIn("is done", str(refusal.exception))
        self.assertEqual(self._state(), before)

    def test_applied_count_is_done(self):
        self.assertEqual(self.count.state, "done")
        self.assertEqual(self._qty(self.patch_cord, self.van), 7)  # 8 counted, 1 lost since
        count = self.count.with_user(self.manager_user)
        self._assert_refused(lambda: count.write({"date": "2020-01-01"}))
        self._assert_refused(lambda: count.line_ids.write({"counted_qty": 10}))
        self._assert_refused(lambda: count.line_ids.unlink())
        self._assert_refused(
            lambda: count.line_ids.create(
                {"count_id": count.id, "product_id": self.ont.id, "counted_qty": 1}
            )
        )
        self._assert_refused(count.unlink)
        count.message_post(body="Statement signed")

    def test_administrator_corrects_and_removes_a_count_with_a_reason(self):
        count = self.count.with_user(self.manager_user)
        line = count.line_ids
        count.action_isp_edit_done(
            {"line_ids": [Command.update(line.id, {"note": "reel found broken"})]},
            "Note forgotten at the count",
        )
        self.assertEqual(line.note, "reel found broken")
        self.assertIn("Note forgotten at the count", self.count.message_ids[0].body)
        with self.assertRaises(AccessError):
            self.count.with_user(self.storekeeper_user).action_isp_remove_done("Duplicate")
        self.assertTrue(self.count.exists())
        count.action_isp_remove_done("Counted twice by mistake")
        self.assertFalse(self.count.exists())
        self.assertIn("Counted twice by mistake", self.technician.message_ids[0].body)
        self.assertEqual(self._qty(self.patch_cord, self.van), 7, "the adjustment stands")

    def test_posted_loss_report_is_done(self):
        self.assertEqual(self.report.state, "done")
        report = self.report.with_user(self.manager_user)
        self._assert_refused(lambda: report.write({"loss_type": "stolen"}))
        self._assert_refused(lambda: report.line_ids.write({"quantity": 5}))
        self._assert_refused(lambda: report.line_ids.unlink())
        self._assert_refused(report.unlink)
        report.action_isp_edit_done({"loss_type": "stolen"}, "Police report received")
        self.assertEqual(self.report.loss_type, "stolen")
        self.assertIn("Police report received", self.report.message_ids[0].body)
