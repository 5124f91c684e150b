from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestStockCountApproval(IspInventoryCommon):
    """Counts whose variances (shortages and surpluses both counted, at cost) exceed the
    company's count variance threshold wait for an Inventory Approver who neither counted
    nor submitted them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.patch_cord, cls.van, 10)  # 1.50 each
        cls.ont_lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="APR-ONT-1")  # 45.00
        cls.found_lot = cls.env["stock.lot"].create({"name": "APR-ONT-2", "product_id": cls.ont.id})
        cls.env.company.isp_count_variance_threshold = 80.0
        cls.store_approver_user = new_test_user(
            cls.env,
            login="isp_store_approver",
            groups="isp_inventory.group_isp_storekeeper,isp_inventory.group_isp_approver",
        )
        cls.approval_type = cls.env.ref("isp_inventory.mail_activity_type_isp_approval")

    def _started(self, user=None):
        count = (
            self.env["isp.stock.count"]
            .with_user(user or self.storekeeper_user)
            .create({"technician_id": self.technician.id, "kind": "monthly"})
        )
        count.action_start()
        return count

    def _line(self, count, product):
        return count.line_ids.filtered(lambda line: line.product_id == product)

    def _submitted(self, counter=None, submitter=None):
        """A count with the ONT lost (-45) and another ONT found (+45): nothing in net,
        90 in absolute value, above the threshold of 80."""
        count = self._started(counter)
        self._line(count, self.ont).write({"counted_qty": 0, "reason": "lost"})
        count.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.ont.id,
                            "lot_id": self.found_lot.id,
                            "counted_qty": 1,
                            "reason": "found",
                        }
                    )
                ]
            }
        )
        count.with_user(submitter or self.storekeeper_user).action_apply()
        return count

    def _inventory_moves(self, count):
        return self.env["stock.move"].search([("inventory_name", "=", count.name)])

    def _assert_unchanged(self, count, state="to_approve"):
        self.assertRecordValues(count, [{"state": state, "isp_approved_by_id": False}])
        self.assertFalse(self._inventory_moves(count))
        self.assertFalse(count.move_ids)
        self.assertEqual(self._qty(self.patch_cord, self.van), 10)
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot), 1)
        self.assertEqual(self._qty(self.ont, self.van, self.found_lot), 0)

    # ------------------------------------------------------------------
    def test_threshold_in_settings(self):
        settings = self.env["res.config.settings"].create({"isp_count_variance_threshold": 250.0})
        settings.execute()
        self.assertEqual(self.env.company.isp_count_variance_threshold, 250.0)

    def test_below_threshold_applies_at_once(self):
        count = self._started()
        self._line(count, self.patch_cord).write({"counted_qty": 6, "reason": "lost"})  # -6.00
        count.action_apply()
        self.assertRecordValues(
            count,
            [
                {
                    "state": "done",
                    "submitted_by_id": self.storekeeper_user.id,
                    "isp_approved_by_id": False,
                    "variance_abs_value": 6.0,
                }
            ],
        )
        self.assertEqual(self._qty(self.patch_cord, self.van), 6)
        self.assertEqual(count.move_ids, self._inventory_moves(count))
        self.assertFalse(
            count.activity_ids.filtered(lambda a: a.activity_type_id == self.approval_type)
        )

    def test_threshold_zero_never_needs_approval(self):
        self.env.company.isp_count_variance_threshold = 0.0
        count = self._submitted()
        self.assertEqual(count.state, "done")
        self.assertEqual(self._qty(self.ont, self.van, self.found_lot), 1)

    def test_above_threshold_waits_for_an_approver(self):
        count = self._submitted()
        self.assertRecordValues(
            count,
            [
                {
                    "state": "to_approve",
                    "submitted_by_id": self.storekeeper_user.id,
                    "counted_by_id": self.storekeeper_user.id,
                    "variance_value": 0.0,  # shortage and surplus cancel out in net...
                    "variance_abs_value": 90.0,  # ...but both count for the approval
                }
            ],
        )
        activities = count.activity_ids.filtered(lambda a: a.activity_type_id == self.approval_type)
        self.assertIn(self.approver_user, activities.user_id)
        self.assertIn(self.store_approver_user, activities.user_id)
        self.assertNotIn(self.storekeeper_user, activities.user_id)
        self._assert_unchanged(count)

        # What the approver will approve cannot change meanwhile.
        line = self._line(count, self.ont).filtered(lambda line: line.lot_id == self.ont_lot)
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            line.with_user(self.storekeeper_user).counted_qty = 1
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            count.with_user(self.storekeeper_user).write(
                {"line_ids": [Command.create({"product_id": self.patch_cord.id, "counted_qty": 1})]}
            )
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            count.with_user(self.storekeeper_user).counted_by_id = self.manager_user
        with self.assertRaisesRegex(UserError, "is not being counted"):
            count.with_user(self.storekeeper_user).action_apply()
        self.assertEqual(line.counted_qty, 0)
        self.assertEqual(len(count.line_ids), 3)
        self.assertEqual(count.counted_by_id, self.storekeeper_user)
        self._assert_unchanged(count)

    def test_counter_submitter_and_non_approvers_cannot_approve(self):
        counted = self._submitted(counter=self.store_approver_user)
        submitted = self._submitted(
            counter=self.storekeeper_user, submitter=self.store_approver_user
        )
        for count in (counted, submitted):
            with self.assertRaisesRegex(AccessError, "another approver must decide"):
                count.with_user(self.store_approver_user).action_approve()
            with self.assertRaisesRegex(AccessError, "another approver must decide"):
                count.with_user(self.store_approver_user).action_reject("Recount")
            self.assertNotIn(
                self.store_approver_user,
                count.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.approval_type
                ).user_id,
            )
            for user in (self.storekeeper_user, self.technician_user):
                with self.assertRaisesRegex(AccessError, "Only Inventory Approvers"):
                    count.with_user(user).action_approve()
            self.assertFalse(count.isp_rejection_reason)
        # `submitted` holds the same serials as `counted`: only one count can be applied.
        self._assert_unchanged(counted)
        self._assert_unchanged(submitted)

    def test_another_approver_approves_and_the_variances_are_applied(self):
        count = self._submitted()
        count.with_user(self.approver_user).action_approve()
        self.assertRecordValues(
            count,
            [
                {
                    "state": "done",
                    "isp_approved_by_id": self.approver_user.id,
                    "submitted_by_id": self.storekeeper_user.id,
                }
            ],
        )
        self.assertTrue(count.date_done)
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot), 0)
        self.assertEqual(self._qty(self.ont, self.van, self.found_lot), 1)
        self.assertEqual(self._qty(self.patch_cord, self.van), 10)
        moves = self._inventory_moves(count)
        self.assertEqual(len(moves), 2)
        self.assertEqual(count.move_ids, moves)
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(set(moves.mapped("is_inventory")), {True})
        self.assertEqual(moves.create_uid, self.approver_user)
        self.assertFalse(count.activity_ids)
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            count.with_user(self.approver_user).action_approve()
        with self.assertRaisesRegex(UserError, "is done"):
            count.line_ids[0].with_user(self.storekeeper_user).counted_qty = 1

        report = self.env.ref("isp_inventory.isp_stock_count_report_action")
        html = self.env["ir.actions.report"]._render_qweb_html(report.id, count.ids)[0].decode()
        self.assertIn("Approved by", html)
        self.assertIn(self.approver_user.name, html)

    def test_reject_needs_a_reason_and_returns_to_counting(self):
        count = self._submitted()
        with self.assertRaisesRegex(UserError, "Give a reason"):
            count.with_user(self.approver_user).action_reject("  ")
        with self.assertRaisesRegex(AccessError, "Only Inventory Approvers"):
            count.with_user(self.storekeeper_user).action_reject("Recount")
        self._assert_unchanged(count)

        action = count.with_user(self.approver_user).action_open_reject_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.approver_user)
            .with_context(**action["context"])
        )
        wizard.reason = "The found ONT belongs to Mary: recount with her."
        wizard.save().action_reject()

        self.assertRecordValues(
            count,
            [
                {
                    "state": "counting",
                    "isp_rejection_reason": "The found ONT belongs to Mary: recount with her.",
                }
            ],
        )
        self.env.cr.precommit.run()  # the chatter message carries the tracked changes
        self.env.invalidate_all()
        self.assertIn("The found ONT belongs to Mary", count.message_ids[0].body)
        self.assertFalse(
            count.activity_ids.filtered(lambda a: a.activity_type_id == self.approval_type)
        )
        self._assert_unchanged(count, state="counting")

        # The storekeeper recounts: the found ONT goes, the rest is below the threshold.
        count.line_ids.filtered(lambda line: line.lot_id == self.found_lot).with_user(
            self.storekeeper_user
        ).unlink()
        count.with_user(self.storekeeper_user).action_apply()
        self.assertEqual(count.state, "done")
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot), 0)
        self.assertEqual(self._qty(self.ont, self.van, self.found_lot), 0)

    def test_stock_moved_while_waiting_refuses_the_approval(self):
        count = self._submitted()
        self._put_in_stock(self.patch_cord, self.van, 5)
        with self.assertRaisesRegex(UserError, "Stock moved in or out .* since .* started"):
            count.with_user(self.approver_user).action_approve()
        self.assertRecordValues(count, [{"state": "to_approve", "isp_approved_by_id": False}])
        self.assertFalse(self._inventory_moves(count))
        self.assertEqual(self._qty(self.patch_cord, self.van), 15)
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot), 1)
        self.assertEqual(self._qty(self.ont, self.van, self.found_lot), 0)
        # The storekeeper can still cancel it and start again.
        count.with_user(self.storekeeper_user).action_cancel()
        self.assertEqual(count.state, "cancel")
        self.assertFalse(count.activity_ids)
