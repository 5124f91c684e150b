from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestLossChargeBack(IspInventoryCommon):
    """Issue 12 point 2: the approver of a loss report decides a charge-back to the
    technician; a charge posts one journal entry and moves no stock; a manager reverses
    it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.receivable = cls.env["account.account"].create(
            {
                "code": "126900",
                "name": "Test Employee Receivable",
                "account_type": "asset_receivable",
                "reconcile": True,
                "company_ids": [(6, 0, cls.company.ids)],
            }
        )
        cls.loss_account = cls.env["account.account"].create(
            {
                "code": "613900",
                "name": "Test Stock Losses",
                "account_type": "expense",
                "company_ids": [(6, 0, cls.company.ids)],
            }
        )
        cls.company.write(
            {
                "isp_charge_percent": 40.0,
                "isp_charge_receivable_account_id": cls.receivable.id,
                "isp_charge_loss_account_id": cls.loss_account.id,
            }
        )
        cls.patch_cord.standard_price = 150.0
        cls._put_in_stock(cls.patch_cord, cls.van, 10)
        cls.admin_user = cls.env.ref("base.user_admin")

    def _submitted(self, quantity=4):
        report = (
            self.env["isp.loss.report"]
            .with_user(self.technician_user)
            .create(
                {
                    "technician_id": self.technician.id,
                    "loss_type": "lost",
                    "description": "Cords left at the pole.",
                    "line_ids": [(0, 0, {"product_id": self.patch_cord.id, "quantity": quantity})],
                }
            )
        )
        report.action_submit()
        return report.with_env(self.env)

    def _charge_moves(self):
        return self.env["account.move"].search([("line_ids.account_id", "=", self.receivable.id)])

    def test_full_charge_posts_entry_at_the_loss_value(self):
        report = self._submitted()
        report.with_user(self.approver_user).action_approve(
            charge="full", charge_reason="Left at the pole."
        )
        charge = report.isp_charge_id
        value = sum(report.scrap_ids.move_ids.mapped("value"))
        self.assertEqual(value, 600.0)
        self.assertRecordValues(
            report,
            [
                {
                    "state": "done",
                    "isp_charge_decision": "full",
                    "isp_charge_reason": "Left at the pole.",
                    "isp_charge_decided_by_id": self.approver_user.id,
                }
            ],
        )
        self.assertTrue(report.isp_charge_decided_date)
        self.assertRecordValues(
            charge,
            [
                {
                    "technician_id": self.technician.id,
                    "decision": "full",
                    "percent": 100.0,
                    "loss_value": 600.0,
                    "amount": 600.0,
                    "state": "posted",
                    "amount_outstanding": 600.0,
                }
            ],
        )
        move = charge.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.currency_id, self.company.currency_id)
        self.assertEqual(move.company_id, self.company)
        debit = move.line_ids.filtered(lambda line: line.debit)
        credit = move.line_ids.filtered(lambda line: line.credit)
        self.assertRecordValues(
            debit,
            [
                {
                    "account_id": self.receivable.id,
                    "debit": 600.0,
                    "partner_id": self.technician_user.partner_id.id,
                }
            ],
        )
        self.assertRecordValues(credit, [{"account_id": self.loss_account.id, "credit": 600.0}])
        self.assertEqual(self.technician.charge_total, 600.0)
        self.assertEqual(self.technician.charge_outstanding, 600.0)

    def test_decision_is_in_the_one_approval_message(self):
        report = self._submitted()
        self.env.flush_all()
        self.env.cr.precommit.run()
        before = report.message_ids
        report.with_user(self.approver_user).action_approve(
            charge="full", charge_reason="Left at the pole."
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        new = report.message_ids - before
        self.assertEqual(len(new), 1, new.mapped("body"))
        self.assertIn("Approved.", new.body)
        self.assertIn("Charged to the technician", new.body)
        self.assertIn("Left at the pole.", new.body)
        self.assertEqual(new.author_id, self.approver_user.partner_id)
        tracked = new.sudo().tracking_value_ids.field_id.mapped("name")
        self.assertIn("isp_charge_decision", tracked)
        self.assertIn("isp_charge_reason", tracked)

    def test_percent_charge_takes_the_policy(self):
        report = self._submitted()
        report.with_user(self.approver_user).action_approve(
            charge="percent", charge_reason="Policy share."
        )
        self.assertRecordValues(
            report.isp_charge_id, [{"decision": "percent", "percent": 40.0, "amount": 240.0}]
        )
        self.assertEqual(report.isp_charge_id.move_id.amount_total, 240.0)

    def test_no_charge_is_recorded_without_entry(self):
        report = self._submitted()
        moves_before = self._charge_moves()
        report.with_user(self.approver_user).action_approve()
        self.assertRecordValues(
            report,
            [
                {
                    "state": "done",
                    "isp_charge_decision": "none",
                    "isp_charge_decided_by_id": self.approver_user.id,
                    "isp_charge_id": False,
                }
            ],
        )
        self.assertEqual(self._charge_moves(), moves_before)

    def test_reason_required_and_unknown_decision_refused(self):
        report = self._submitted()
        approver_report = report.with_user(self.approver_user)
        for charge, reason in (("full", ""), ("percent", "   "), ("half", "Because")):
            with self.assertRaises(UserError):
                approver_report.action_approve(charge=charge, charge_reason=reason)
            self.assertRecordValues(
                report,
                [
                    {
                        "state": "submitted",
                        "isp_approval_state": "to_approve",
                        "isp_charge_decision": False,
                        "isp_charge_id": False,
                    }
                ],
            )
            self.assertFalse(report.scrap_ids)
            self.assertEqual(self._qty(self.patch_cord, self.van), 10)

    def test_not_configured_refused_nothing_changed(self):
        self.company.isp_charge_receivable_account_id = False
        report = self._submitted()
        moves_before = self._charge_moves()
        with self.assertRaisesRegex(UserError, "not configured"):
            report.with_user(self.approver_user).action_approve(
                charge="full", charge_reason="Left at the pole."
            )
        self.assertRecordValues(
            report,
            [{"state": "submitted", "isp_approval_state": "to_approve", "isp_charge_id": False}],
        )
        self.assertFalse(report.scrap_ids)
        self.assertEqual(self._qty(self.patch_cord, self.van), 10)
        self.assertFalse(self.env["isp.loss.charge"].search([("report_id", "=", report.id)]))
        self.assertEqual(self._charge_moves(), moves_before)
        # no charge needs no accounts
        report.with_user(self.approver_user).action_approve(charge="none")
        self.assertEqual(report.state, "done")

    def test_charge_moves_no_stock(self):
        report = self._submitted()
        report.with_user(self.approver_user).action_approve()
        done_report_moves = report.scrap_ids.move_ids
        other = self._submitted(quantity=2)
        stock_moves_before = self.env["stock.move"].search_count([])
        other.with_user(self.approver_user).action_approve(
            charge="full", charge_reason="Second time this month."
        )
        # the approval scrapped the items (one move); the charge added no stock move
        self.assertEqual(self.env["stock.move"].search_count([]), stock_moves_before + 1)
        self.assertEqual(self._qty(self.patch_cord, self.van), 4)
        self.assertEqual(len(other.scrap_ids.move_ids), 1)
        self.assertEqual(report.scrap_ids.move_ids, done_report_moves)
        self.assertFalse(other.isp_charge_id.move_id.line_ids.filtered("product_id"))

    def test_decision_fields_and_charges_are_server_set(self):
        report = self._submitted()
        report.with_user(self.approver_user).action_approve(
            charge="full", charge_reason="Left at the pole."
        )
        charge = report.isp_charge_id
        for user in (self.approver_user, self.manager_user, self.admin_user):
            with self.assertRaises(AccessError):
                report.with_user(user).write({"isp_charge_decision": "none"})
            with self.assertRaises(AccessError):
                report.with_user(user).write({"isp_charge_decided_by_id": user.id})
            with self.assertRaises(AccessError):
                charge.with_user(user).write({"amount": 1.0})
            with self.assertRaises(AccessError):
                self.env["isp.loss.charge"].with_user(user).create(
                    {
                        "name": "X",
                        "report_id": report.id,
                        "technician_id": self.technician.id,
                        "company_id": self.company.id,
                        "decision": "full",
                    }
                )
        self.assertRecordValues(
            report,
            [{"isp_charge_decision": "full", "isp_charge_decided_by_id": self.approver_user.id}],
        )
        self.assertEqual(charge.amount, 600.0)

    def test_technician_and_storekeeper_cannot_decide_or_reverse(self):
        report = self._submitted()
        for user in (self.technician_user, self.storekeeper_user):
            with self.assertRaises(AccessError):
                report.with_user(user).action_approve(charge="full", charge_reason="Mine")
        self.assertRecordValues(
            report, [{"state": "submitted", "isp_charge_id": False, "isp_charge_decision": False}]
        )
        report.with_user(self.approver_user).action_approve(
            charge="full", charge_reason="Left at the pole."
        )
        charge = report.isp_charge_id
        for user in (self.technician_user, self.storekeeper_user, self.approver_user):
            with self.assertRaises(AccessError):
                charge.with_user(user).action_isp_reverse("Not my fault")
        self.assertRecordValues(charge, [{"state": "posted", "reversal_move_id": False}])
        self.assertEqual(charge.move_id.reversal_move_ids, self.env["account.move"])

    def test_manager_reverses_with_reason(self):
        report = self._submitted()
        report.with_user(self.approver_user).action_approve(
            charge="full", charge_reason="Left at the pole."
        )
        charge = report.isp_charge_id
        with self.assertRaises(UserError):
            charge.with_user(self.manager_user).action_isp_reverse("  ")
        self.assertEqual(charge.state, "posted")
        action = charge.with_user(self.manager_user).action_open_reverse_wizard()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.manager_user)
            .with_context(**action["context"])
        ) as form:
            form.reason = "Cords found at the branch."
        form.record.action_reverse()
        self.assertRecordValues(
            charge,
            [
                {
                    "state": "reversed",
                    "reversal_reason": "Cords found at the branch.",
                    "reversed_by_id": self.manager_user.id,
                    "amount_outstanding": 0.0,
                }
            ],
        )
        reversal = charge.reversal_move_id
        self.assertEqual(reversal.state, "posted")
        self.assertEqual(reversal.reversed_entry_id, charge.move_id)
        self.assertEqual(reversal.line_ids.filtered("credit").account_id, self.receivable)
        self.assertEqual(self.technician.charge_total, 0.0)
        self.assertEqual(self.technician.charge_outstanding, 0.0)
        with self.assertRaises(UserError):
            charge.with_user(self.manager_user).action_isp_reverse("Again")
        self.assertEqual(len(charge.move_id.reversal_move_ids), 1)
        # an Inventory Administrator (not ISP manager) may reverse too
        other = self._submitted(quantity=1)
        other.with_user(self.approver_user).action_approve(charge="full", charge_reason="Lost")
        admin = self.env["res.users"].create(
            {
                "name": "Stock Admin",
                "login": "isp_stock_admin",
                "group_ids": [(6, 0, [self.env.ref("stock.group_stock_manager").id])],
            }
        )
        other.isp_charge_id.with_user(admin).action_isp_reverse("Written off")
        self.assertEqual(other.isp_charge_id.state, "reversed")

    def test_approval_wizard_decides_the_charge(self):
        report = self._submitted()
        action = report.with_user(self.approver_user).action_open_approve_wizard()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.approver_user)
            .with_context(**action["context"])
        ) as form:
            form.charge = "percent"
            form.reason = "Policy share."
        form.record.action_approve()
        self.assertRecordValues(report, [{"state": "done", "isp_charge_decision": "percent"}])
        self.assertEqual(report.isp_charge_id.amount, 240.0)

    def test_technician_reads_only_own_charges(self):
        report = self._submitted()
        report.with_user(self.approver_user).action_approve(
            charge="full", charge_reason="Left at the pole."
        )
        other_user = self.env["res.users"].create(
            {
                "name": "Other Tech",
                "login": "isp_tech_other",
                "group_ids": [(6, 0, [self.env.ref("isp_inventory.group_isp_technician").id])],
            }
        )
        other_tech = self.env["isp.technician"].create(
            {"user_id": other_user.id, "warehouse_id": self.branch.id}
        )
        Charge = self.env["isp.loss.charge"]
        own = Charge.with_user(self.technician_user).search([])
        self.assertEqual(own, report.isp_charge_id)
        self.assertEqual(own.amount_outstanding, 600.0)
        self.assertFalse(Charge.with_user(other_user).search([]))
        with self.assertRaises(AccessError):
            report.isp_charge_id.with_user(other_user).read(["amount"])
        self.assertEqual(other_tech.with_user(other_user).charge_total, 0.0)
        me = self.technician.with_user(self.technician_user)
        self.assertEqual(me.charge_total, 600.0)
        self.assertEqual(me.charge_outstanding, 600.0)
        with self.assertRaises(AccessError):
            own.with_user(self.technician_user).write({"reason": "Not me"})
        with self.assertRaises(AccessError):
            own.with_user(self.technician_user).unlink()
        with self.assertRaises(UserError):
            self.env["isp.loss.charge"].browse(own.id).unlink()
        self.assertEqual(own.reason, "Left at the pole.")
