"""The rules of the one approval engine (`isp.approval.mixin`), run for each of its three
documents: controlled issuances (stock.picking), loss reports, count variances.

Each document class builds a document waiting for approval from given people and says
what "nothing changed" means for it; the rules are written once, in the base class."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import IspInventoryCommon

ENGINE_FIELDS = [
    "isp_approval_state",
    "isp_approval_requested_by_id",
    "isp_approved_by_id",
    "isp_approved_date",
    "isp_rejected_by_id",
    "isp_rejected_date",
    "isp_rejection_reason",
]


class ApprovalEngineRules:
    """The rules; mixed into one TransactionCase per document."""

    # what the subclass fills
    document_fields = []  # the document's own fields that must not change on a refusal
    # the document's own tracked fields that follow an approval (besides the approval state)
    tracked_on_approval = {"state"}

    def _waiting(self, requester=None, preparer=None, technician=None):
        """A document waiting for approval: asked for / reported by `requester`,
        prepared / counted by `preparer`, holding the stock of `technician`."""
        raise NotImplementedError

    def _stock(self):
        """The stock figures the document would change."""
        raise NotImplementedError

    def _change_content(self, document):
        """Change what was approved (as the storekeeper)."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        approver = "isp_inventory.group_isp_approver"
        cls.store_approver = new_test_user(
            cls.env,
            login="isp_engine_store_approver",
            groups=f"isp_inventory.group_isp_storekeeper,{approver}",
        )
        cls.tech_approver = new_test_user(
            cls.env,
            login="isp_engine_tech_approver",
            groups=f"isp_inventory.group_isp_technician,{approver}",
        )
        cls.approving_technician = cls.env["isp.technician"].create(
            {"user_id": cls.tech_approver.id, "warehouse_id": cls.branch.id}
        )
        cls.approval_type = cls.env.ref("isp_inventory.mail_activity_type_isp_approval")

    def _snapshot(self, document):
        document.invalidate_recordset()
        values = document.read(ENGINE_FIELDS + self.document_fields)[0]
        return values, self._stock()

    def _assert_unchanged(self, document, snapshot):
        self.assertEqual(self._snapshot(document), snapshot)

    def _flush_tracking(self):
        """Run the end-of-transaction tracking: the chatter messages it writes."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _approval_activities(self, document):
        # as the system: the document may be held in its reporter's environment, and a
        # user reads only some of a document's activities
        document = document.with_env(self.env)
        document.invalidate_recordset(["activity_ids"])
        return document.activity_ids.filtered(lambda a: a.activity_type_id == self.approval_type)

    # ------------------------------------------------------------------
    # approver ≠ requester ≠ preparer ≠ the technician whose stock it is
    # ------------------------------------------------------------------
    def _check_excluded(self, document, user):
        self.assertEqual(document.isp_approval_state, "to_approve")
        self.assertNotIn(user, self._approval_activities(document).user_id)
        self.assertIn(self.approver_user, self._approval_activities(document).user_id)
        snapshot = self._snapshot(document)
        with self.assertRaisesRegex(AccessError, "another approver must decide"):
            document.with_user(user).action_approve()
        with self.assertRaisesRegex(AccessError, "another approver must decide"):
            document.with_user(user).action_reject("Not mine to decide")
        self._assert_unchanged(document, snapshot)
        # an approver who is none of them may decide
        document.with_user(self.approver_user).action_approve()
        self.assertRecordValues(
            document,
            [{"isp_approval_state": "approved", "isp_approved_by_id": self.approver_user.id}],
        )

    def test_requester_cannot_decide(self):
        self._check_excluded(self._waiting(requester=self.store_approver), self.store_approver)

    def test_preparer_cannot_decide(self):
        self._check_excluded(self._waiting(preparer=self.store_approver), self.store_approver)

    def test_technician_cannot_decide_on_own_stock(self):
        document = self._waiting(technician=self.approving_technician)
        self._check_excluded(document, self.tech_approver)

    # ------------------------------------------------------------------
    # only approvers decide, only on documents waiting
    # ------------------------------------------------------------------
    def test_only_approvers_decide(self):
        document = self._waiting()
        snapshot = self._snapshot(document)
        for user in (self.storekeeper_user, self.technician_user):
            with self.assertRaisesRegex(AccessError, "Only Inventory Approvers"):
                document.with_user(user).action_approve()
            with self.assertRaisesRegex(AccessError, "Only Inventory Approvers"):
                document.with_user(user).action_reject("No")
        self._assert_unchanged(document, snapshot)

    def test_deciding_a_document_not_waiting_is_refused(self):
        document = self._waiting()
        document.with_user(self.approver_user).action_reject("Recount / redo it")
        snapshot = self._snapshot(document)
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            document.with_user(self.approver_user).action_approve()
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            document.with_user(self.approver_user).action_reject("Again")
        self._assert_unchanged(document, snapshot)

    def test_reject_needs_a_reason(self):
        document = self._waiting()
        snapshot = self._snapshot(document)
        with self.assertRaisesRegex(UserError, "Give a reason"):
            document.with_user(self.approver_user).action_reject("   ")
        self._assert_unchanged(document, snapshot)

    # ------------------------------------------------------------------
    # the approval fields change only through the engine
    # ------------------------------------------------------------------
    def _protected_writes(self):
        return [
            {"isp_approval_state": "approved"},
            {"isp_approved_by_id": self.manager_user.id},
            {"isp_approved_date": fields.Datetime.now()},
            {"isp_rejected_by_id": self.manager_user.id},
            {"isp_rejection_reason": "Forged"},
            {"isp_approval_requested_by_id": False},
        ]

    def test_approval_fields_cannot_be_written_directly(self):
        document = self._waiting()
        snapshot = self._snapshot(document)
        # an ISP manager (an Odoo Inventory Administrator), whatever context the client sends
        for vals in self._protected_writes():
            for context in ({}, {"isp_approval_engine": True, "tracking_disable": True}):
                with self.assertRaisesRegex(AccessError, "change only when"):
                    document.with_user(self.manager_user).with_context(**context).write(vals)
        self._assert_unchanged(document, snapshot)
        self.assertTrue(self.manager_user.has_group("stock.group_stock_manager"))

    def test_approval_fields_cannot_be_set_on_create(self):
        document = self._waiting()
        Model = self.env[document._name].with_user(self.manager_user)
        count = Model.search_count([])
        with self.assertRaisesRegex(AccessError, "change only when"):
            document.with_user(self.manager_user).copy(
                {"isp_approval_state": "approved", "isp_approved_by_id": self.manager_user.id}
            )
        self.assertEqual(Model.search_count([]), count)
        # nor can a client's context give them as defaults
        context = {"default_isp_approval_state": "approved", "default_state": "done"}
        copy = document.with_user(self.manager_user).with_context(**context).copy()
        self.assertRecordValues(copy, [{"isp_approval_state": "none"}])
        if "state" in copy._isp_approval_protected_fields():  # the loss report's
            self.assertEqual(copy.state, "draft")

    # ------------------------------------------------------------------
    # one chatter message per decision; the one rejection wizard
    # ------------------------------------------------------------------
    def test_one_chatter_message_per_approval(self):
        document = self._waiting()
        self._flush_tracking()
        before = document.message_ids
        document.with_user(self.approver_user).action_approve()
        self._flush_tracking()
        new = document.message_ids - before
        self.assertEqual(len(new), 1, new.mapped("body"))
        self.assertIn("Approved.", new.body)
        self.assertEqual(new.author_id, self.approver_user.partner_id)
        # one entry: the approval's change (and the document's own state, when it has
        # one that follows the approval), not a line each for who approved and when
        # (the message's author and date)
        tracked = new.sudo().tracking_value_ids.field_id.mapped("name")
        self.assertIn("isp_approval_state", tracked)
        self.assertLessEqual(
            set(tracked), {"isp_approval_state"} | self.tracked_on_approval, tracked
        )
        self.assertFalse(self._approval_activities(document))

    def test_one_chatter_message_per_rejection_through_the_wizard(self):
        document = self._waiting()
        self._flush_tracking()
        before = document.message_ids
        action = document.with_user(self.approver_user).action_open_reject_wizard()
        self.assertEqual(action["res_model"], "isp.approval.reject.wizard")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.approver_user)
            .with_context(**action["context"])
        )
        wizard.reason = "Not justified"
        wizard.save().action_reject()
        self.assertRecordValues(
            document,
            [
                {
                    "isp_approval_state": "rejected",
                    "isp_rejected_by_id": self.approver_user.id,
                    "isp_rejection_reason": "Not justified",
                    "isp_approved_by_id": False,
                }
            ],
        )
        self.assertTrue(document.isp_rejected_date)
        self._flush_tracking()
        new = document.message_ids - before
        self.assertEqual(len(new), 1, new.mapped("body"))
        self.assertIn("Rejected: Not justified", new.body)
        tracked = new.sudo().tracking_value_ids.field_id.mapped("name")
        self.assertLessEqual(
            set(tracked), {"isp_approval_state"} | self.tracked_on_approval, tracked
        )
        self.assertFalse(self._approval_activities(document))

    def test_wizard_refuses_other_models(self):
        wizard = (
            self.env["isp.approval.reject.wizard"]
            .with_user(self.approver_user)
            .create({"res_model": "res.partner", "res_ids": [self.customer.id], "reason": "x"})
        )
        with self.assertRaisesRegex(UserError, "Only documents waiting for approval"):
            wizard.action_reject()
        self.assertEqual(self.customer.name, "Test Customer")


@tagged("post_install", "-at_install")
class TestApprovalEngineIssuance(ApprovalEngineRules, IspInventoryCommon):
    document_fields = ["state", "isp_approved_quantities"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.ont, cls.branch_stock, 5, lot_name="ENG-ONT-1")
        cls.env.company.isp_approval_threshold = 0.0

    def _waiting(self, requester=None, preparer=None, technician=None):
        technician = technician or self.technician
        requester = requester or (
            self.technician_user if technician == self.technician else self.storekeeper_user
        )
        if preparer:
            # a storekeeper prepares a transfer to the technician himself
            picking = self._prepared_by(preparer, technician)
        else:  # the request is sent (confirmed and reserved) at once
            picking = technician.with_user(requester)._isp_create_request([(self.ont, 1)])
        picking = picking.with_env(self.env)
        self.assertEqual(picking.isp_approval_state, "to_approve")
        self.picking = picking
        return picking

    def _prepared_by(self, preparer, technician):
        source, van = self.branch_stock, technician.vehicle_location_id
        picking = (
            self.env["stock.picking"]
            .with_user(preparer)
            .create(
                {
                    "picking_type_id": self.branch.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": van.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.ont.id,
                                "product_uom_qty": 1,
                                "location_id": source.id,
                                "location_dest_id": van.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        return picking

    def test_approving_an_issuance_writes_one_chatter_line(self):
        """The desk sees one entry per approval: "Approved." with the approval's change,
        by the approver, and nothing else on the transfer's chatter."""
        picking = self._waiting()
        self._flush_tracking()
        before = picking.message_ids
        picking.with_user(self.approver_user).action_isp_approve()
        self._flush_tracking()
        new = picking.message_ids - before
        self.assertEqual(len(new), 1, new.mapped("body"))
        values = new.sudo().tracking_value_ids
        self.assertEqual(values.field_id.mapped("name"), ["isp_approval_state"])
        self.assertEqual((values.old_value_char, values.new_value_char), ("To Approve", "Approved"))
        self.assertRecordValues(
            picking,
            [{"isp_approval_state": "approved", "isp_approved_by_id": self.approver_user.id}],
        )

    def _stock(self):
        destination = self.picking.location_dest_id
        return self._qty(self.ont, destination), self.picking.state

    def _change_content(self, document):
        document.move_ids.with_user(self.storekeeper_user).product_uom_qty = 3

    def test_changed_after_approval_goes_back_to_approval(self):
        picking = self._waiting()
        picking.with_user(self.approver_user).action_approve()
        self._flush_tracking()
        before = picking.message_ids
        self._change_content(picking)
        self.assertRecordValues(
            picking,
            [
                {
                    "isp_approval_state": "to_approve",
                    "isp_approved_by_id": False,
                    "isp_approved_date": False,
                    "isp_approved_quantities": False,
                }
            ],
        )
        self.assertIn(self.approver_user, self._approval_activities(picking).user_id)
        self._flush_tracking()
        notes = (picking.message_ids - before).filtered(lambda m: "Changed after" in m.body)
        self.assertEqual(len(notes), 1)
        self.assertIn("isp_approval_state", notes.sudo().tracking_value_ids.field_id.mapped("name"))
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "must be\\s+approved"):
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(self._qty(self.ont, self.van), 0)

    def test_receiving_technician_cannot_decide_own_issuance_by_rpc_alias(self):
        picking = self._waiting(technician=self.approving_technician)
        with self.assertRaisesRegex(AccessError, "another approver must decide"):
            picking.with_user(self.tech_approver).action_isp_approve()
        with self.assertRaisesRegex(AccessError, "another approver must decide"):
            picking.with_user(self.tech_approver).action_isp_reject("Mine")
        self.assertRecordValues(
            picking, [{"isp_approval_state": "to_approve", "isp_rejection_reason": False}]
        )

    def _protected_writes(self):
        return super()._protected_writes() + [{"isp_approved_quantities": {str(self.ont.id): 9}}]


@tagged("post_install", "-at_install")
class TestApprovalEngineLossReport(ApprovalEngineRules, IspInventoryCommon):
    document_fields = ["state", "scrap_ids"]
    # the approver's charge-back decision is part of the approval (no charge here)
    tracked_on_approval = {"state", "isp_charge_decision"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.patch_cord, cls.van, 10)
        cls._put_in_stock(cls.patch_cord, cls.approving_technician.vehicle_location_id, 10)

    def _waiting(self, requester=None, preparer=None, technician=None):
        technician = technician or self.technician
        reporter = preparer or (
            self.technician_user if technician == self.technician else self.storekeeper_user
        )
        report = (
            self.env["isp.loss.report"]
            .with_user(reporter)
            .create(
                {
                    "technician_id": technician.id,
                    "loss_type": "lost",
                    "description": "Dropped at a manhole.",
                    "line_ids": [Command.create({"product_id": self.patch_cord.id, "quantity": 4})],
                }
            )
        )
        report.with_user(requester or reporter).action_submit()
        self.assertRecordValues(
            report, [{"state": "submitted", "isp_approval_state": "to_approve"}]
        )
        self.report = report
        return report

    def _stock(self):
        return self._qty(self.patch_cord, self.report.line_ids.location_id)

    def _change_content(self, document):
        document.line_ids.with_user(self.storekeeper_user).quantity = 1

    def _protected_writes(self):
        return super()._protected_writes() + [{"state": "done"}, {"state": "rejected"}]

    def test_changed_after_approval_is_refused(self):
        report = self._waiting()
        report.with_user(self.approver_user).action_approve()
        self.assertRecordValues(report, [{"state": "done", "isp_approval_state": "approved"}])
        self.assertEqual(self._stock(), 6)
        snapshot = self._snapshot(report)
        line = report.line_ids
        with self.assertRaisesRegex(UserError, "is done: .* can no longer be changed"):
            self._change_content(report)
        with self.assertRaisesRegex(UserError, "is done: .* can no longer be changed"):
            line.with_user(self.storekeeper_user).unlink()
        with self.assertRaisesRegex(UserError, "is done: .* can no longer be changed"):
            report.with_user(self.storekeeper_user).write(
                {"line_ids": [Command.create({"product_id": self.patch_cord.id})]}
            )
        self._assert_unchanged(report, snapshot)
        self.assertRecordValues(line, [{"quantity": 4.0}])
        self.assertEqual(report.line_ids, line)

    def test_technician_cannot_submit_someone_elses_draft(self):
        report = (
            self.env["isp.loss.report"]
            .with_user(self.storekeeper_user)
            .create(
                {
                    "technician_id": self.approving_technician.id,
                    "description": "Lost.",
                    "line_ids": [Command.create({"product_id": self.patch_cord.id})],
                }
            )
        )
        with self.assertRaises(AccessError):
            report.with_user(self.technician_user).action_submit()
        self.assertRecordValues(report, [{"state": "draft", "isp_approval_state": "none"}])


@tagged("post_install", "-at_install")
class TestApprovalEngineCount(ApprovalEngineRules, IspInventoryCommon):
    document_fields = ["state", "submitted_by_id", "counted_by_id", "move_ids"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for technician in (cls.technician, cls.approving_technician):
            cls._put_in_stock(cls.patch_cord, technician.vehicle_location_id, 100)  # 150.00
        cls.env.company.isp_count_variance_threshold = 50.0

    def _waiting(self, requester=None, preparer=None, technician=None):
        count = (
            self.env["isp.stock.count"]
            .with_user(preparer or self.storekeeper_user)
            .create({"technician_id": (technician or self.technician).id, "kind": "monthly"})
        )
        count.action_start()
        count.line_ids.write({"counted_qty": 0, "reason": "lost"})  # -150.00
        count.with_user(requester or self.storekeeper_user).action_apply()
        self.assertRecordValues(
            count, [{"state": "to_approve", "isp_approval_state": "to_approve"}]
        )
        self.count = count
        return count

    def _stock(self):
        return self._qty(self.patch_cord, self.count.technician_id.vehicle_location_id)

    def _change_content(self, document):
        document.line_ids.with_user(self.storekeeper_user).counted_qty = 1

    def test_changed_after_approval_is_refused(self):
        count = self._waiting()
        count.with_user(self.approver_user).action_approve()
        self.assertRecordValues(count, [{"state": "done", "isp_approval_state": "approved"}])
        self.assertEqual(self._stock(), 0)
        snapshot = self._snapshot(count)
        with self.assertRaisesRegex(UserError, "is done: .* can no longer be changed"):
            self._change_content(count)
        self._assert_unchanged(count, snapshot)
        self.assertEqual(count.line_ids.counted_qty, 0)

    def test_rejected_then_recounted_below_threshold_needs_no_approval(self):
        count = self._waiting()
        count.with_user(self.approver_user).action_reject("Look under the seats")
        self.assertRecordValues(count, [{"state": "counting", "isp_approval_state": "rejected"}])
        count.line_ids.with_user(self.storekeeper_user).counted_qty = 80  # -30.00
        count.with_user(self.storekeeper_user).action_apply()
        self.assertRecordValues(
            count,
            [
                {
                    "state": "done",
                    "isp_approval_state": "none",
                    "isp_rejection_reason": False,
                    "isp_approved_by_id": False,
                }
            ],
        )
        self.assertEqual(self._stock(), 80)

    def test_cancelling_a_waiting_count_withdraws_it(self):
        count = self._waiting()
        count.with_user(self.storekeeper_user).action_cancel()
        self.assertRecordValues(count, [{"state": "cancel", "isp_approval_state": "none"}])
        self.assertFalse(self._approval_activities(count))
        self.assertEqual(self._stock(), 100)
