from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from .isp_loss_charge import CHARGE_DECISIONS

LOSS_TYPES = [("lost", "Lost"), ("damaged", "Damaged"), ("stolen", "Stolen")]


class IspLossReport(models.Model):
    """A technician's report of lost, damaged or stolen items. Submitting it sends it to
    the approval engine (`isp.approval.mixin`); an approver who is neither the reporter,
    the submitter nor the technician approves it and it is posted: the items are scrapped
    from the technician's van or kit into the branch "Losses" location, valued at cost.
    Its state follows the approval (the engine alone moves it past draft)."""

    _name = "isp.loss.report"
    _description = "Loss and Damage Report"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "isp.approval.mixin",
        "isp.server.fields.mixin",
        "isp.done.lock.mixin",
    ]
    _order = "id desc"
    _isp_server_fields = ("technician_id", "reporter_id")
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="New")
    technician_id = fields.Many2one(
        "isp.technician",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env["isp.technician"]._isp_of_current_user(),
        help="Whose van or kit the items were lost from; fixed once the report exists "
        "(a technician reports only for himself).",
    )
    company_id = fields.Many2one(related="technician_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    reporter_id = fields.Many2one(
        "res.users",
        string="Reported By",
        default=lambda self: self.env.user,
        readonly=True,
        tracking=True,
        help="Set by the system to the user who created the report.",
    )
    loss_type = fields.Selection(LOSS_TYPES, string="Type", required=True, default="lost")
    date = fields.Date(string="Date of Loss", required=True, default=fields.Date.context_today)
    description = fields.Text(required=True)
    line_ids = fields.One2many("isp.loss.report.line", "report_id", string="Items", copy=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Photos")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    scrap_ids = fields.One2many("stock.scrap", "isp_loss_report_id", readonly=True)
    amount = fields.Monetary(
        string="Value", compute="_compute_amount", store=True, currency_field="currency_id"
    )
    # The charge-back decision: part of the approval (`action_approve(charge, charge_reason)`),
    # written by the server only (approval-protected fields). The decision and its reason
    # are tracked; who decided and when are, like the engine's approver and date, the
    # approval message's author and date (not tracked lines of their own), and immutable.
    isp_charge_decision = fields.Selection(
        CHARGE_DECISIONS,
        string="Charge-back",
        readonly=True,
        copy=False,
        tracking=True,
        help="Decided by the approver when approving: no charge, the loss's full cost, or "
        "the company's policy percentage of it.",
    )
    isp_charge_reason = fields.Text(
        string="Charge-back Reason", readonly=True, copy=False, tracking=True
    )
    isp_charge_decided_by_id = fields.Many2one(
        "res.users", string="Charge Decided By", readonly=True, copy=False
    )
    isp_charge_decided_date = fields.Datetime(string="Charge Decided On", readonly=True, copy=False)
    isp_charge_id = fields.Many2one(
        "isp.loss.charge", string="Charge", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends("line_ids.amount")
    def _compute_amount(self):
        for report in self:
            report.amount = sum(report.line_ids.mapped("amount"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                vals["reporter_id"] = self.env.uid
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("isp.loss.report") or "New"
        return super().create(vals_list)

    def _isp_is_done(self):
        self.ensure_one()
        return self.state == "done"

    def _isp_done_removal_log_record(self):
        self.ensure_one()
        return self.technician_id

    def _isp_check_change_of_items(self):
        """The items are part of the report: refused once it is posted (done is done);
        changing them after approval reopens the approval."""
        self._isp_check_done_write({"line_ids"})
        self._isp_approval_check_change()

    def action_submit(self):
        """Send draft reports to approval (the reporting technician may submit their own
        drafts: checked by the access rules before the engine writes)."""
        self._isp_lock()
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._("Only draft reports can be submitted."))
            if not report.line_ids:
                raise UserError(self.env._("List the lost or damaged items first."))
        self.check_access("write")
        self.line_ids._isp_check_held()
        self._isp_request_approval()
        return True

    # ------------------------------------------------------------------
    # Approval engine hooks
    # ------------------------------------------------------------------
    def _isp_approval_needed(self):
        self.ensure_one()
        return self.state == "draft"

    def _isp_approval_reason(self):
        return self.env._(
            "%(type)s items worth %(amount)s reported.",
            type=dict(LOSS_TYPES)[self.loss_type],
            amount=self.currency_id.format(self.amount),
        )

    def _isp_approval_excluded_users(self):
        """The reporter and the technician whose items were lost."""
        return (
            super()._isp_approval_excluded_users()
            | self.reporter_id
            | self.create_uid
            | self.technician_id.user_id
        )

    def _isp_approval_branches(self):
        """The home branch of the technician whose items were lost."""
        self.ensure_one()
        return self.technician_id.warehouse_id

    def _isp_approval_protected_fields(self):
        return super()._isp_approval_protected_fields() | {
            "state",
            "isp_charge_decision",
            "isp_charge_reason",
            "isp_charge_decided_by_id",
            "isp_charge_decided_date",
            "isp_charge_id",
        }

    # ------------------------------------------------------------------
    # Approval with the charge-back decision
    # ------------------------------------------------------------------
    def action_approve(self, charge="none", charge_reason=None):
        """Approve (the approval engine) and decide the charge-back to the technician in
        the same call: ``charge`` is ``none``, ``full`` (the loss's value) or ``percent``
        (the company's policy percentage of it); ``charge_reason`` is required unless
        ``none``. Everything is checked before anything changes; a charge posts one
        journal entry (`isp.loss.charge`)."""
        self._isp_approval_check_decider()
        charge = charge or "none"
        reason = self._isp_charge_check_decision(charge, charge_reason)
        super().action_approve()
        self._isp_charge_decide(charge, reason)
        return True

    def action_open_approve_wizard(self):
        """The web client's Approve button: asks for the charge-back decision."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve and Post"),
            "res_model": "isp.loss.approve.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_ids": self.ids},
        }

    def _isp_charge_check_decision(self, charge, charge_reason):
        """Refuse (UserError, nothing changed) a decision that cannot be carried out;
        returns the stripped reason."""
        env = self._isp_approval_lang().env
        if charge not in dict(CHARGE_DECISIONS):
            raise UserError(
                env._(
                    "The charge-back is one of: none, full, percent (not %(charge)s).",
                    charge=charge,
                )
            )
        reason = (charge_reason or "").strip()
        if charge == "none":
            return reason
        if not reason:
            raise UserError(env._("Give a reason for charging the loss to the technician."))
        for company in self.company_id:
            company._isp_charge_check_configured(env, percent=charge == "percent")
        return reason

    def _isp_loss_value(self):
        """The value Odoo gave the loss: the done scrap moves' value (at cost, as the
        stock valuation computed it when they were done)."""
        self.ensure_one()
        moves = self.scrap_ids.move_ids.filtered(lambda move: move.state == "done")
        return sum(moves.mapped("value"))

    def _isp_charge_decide(self, charge, reason):
        """Record the decision on these approved reports and post the charges."""
        now = fields.Datetime.now()
        for report in self:
            vals = {
                "isp_charge_decision": charge,
                "isp_charge_reason": reason or False,
                "isp_charge_decided_by_id": self.env.uid,
                "isp_charge_decided_date": now,
            }
            note = self.env._("No charge-back.")
            if charge != "none":
                charge_record = report._isp_charge_post(charge, reason, now)
                vals["isp_charge_id"] = charge_record.id
                note = self.env._(
                    "Charged to the technician: %(amount)s (%(charge)s, %(percent)s %%): "
                    "%(reason)s",
                    amount=report.currency_id.format(charge_record.amount),
                    charge=charge_record.name,
                    percent=charge_record.percent,
                    reason=reason,
                )
            # sudo: the decision fields are approval-protected (refused to every direct
            # write); this runs only after the approver's approval above.
            report.sudo().write(vals)
            # one chatter message: the approval's text, then the decision
            bodies = self.env.cr.precommit.data.get(f"mail.tracking.message.{self._name}", {})
            report._isp_approval_log(" ".join(filter(None, [bodies.get(report.id), note])))

    def _isp_charge_post(self, charge, reason, now):
        """Post the charge-back entry of this approved report: debit the employee
        receivable (partner: the technician's user), credit the stock loss account."""
        self.ensure_one()
        company = self.company_id
        percent = 100.0 if charge == "full" else company.isp_charge_percent
        loss_value = self._isp_loss_value()
        amount = company.currency_id.round(loss_value * percent / 100.0)
        if company.currency_id.compare_amounts(amount, 0.0) <= 0:
            raise UserError(
                self.env._(
                    "%(report)s has no value to charge: its items were valued at %(value)s.",
                    report=self.display_name,
                    value=company.currency_id.format(loss_value),
                )
            )
        partner = self.technician_id.user_id.partner_id
        label = self.env._(
            "Charge-back of %(report)s to %(technician)s",
            report=self.name,
            technician=self.technician_id.name,
        )
        # sudo: an Inventory Approver is not an accountant; the entry is the one the
        # company's charge-back settings define, for the value of this report's losses.
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company._isp_charge_journal().id,
                    "company_id": company.id,
                    "date": fields.Date.context_today(self),
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": company.isp_charge_receivable_account_id.id,
                                "partner_id": partner.id,
                                "debit": amount,
                                "credit": 0.0,
                            }
                        ),
                        Command.create(
                            {
                                "name": label,
                                "account_id": company.isp_charge_loss_account_id.id,
                                "partner_id": partner.id,
                                "debit": 0.0,
                                "credit": amount,
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        # sudo: charge-backs are created only here, by the server (create refused to
        # every user); the technician's rule rests on technician_id set from the report.
        return (
            self.env["isp.loss.charge"]
            .sudo()
            .create(
                {
                    "name": self.env["ir.sequence"].sudo().next_by_code("isp.loss.charge")
                    or self.name,
                    "report_id": self.id,
                    "technician_id": self.technician_id.id,
                    "company_id": company.id,
                    "decision": charge,
                    "percent": percent,
                    "loss_value": loss_value,
                    "amount": amount,
                    "reason": reason,
                    "decided_by_id": self.env.uid,
                    "decided_date": now,
                    "move_id": move.id,
                }
            )
        )

    def _isp_approval_values(self, step):
        values = super()._isp_approval_values(step)
        state = {"to_approve": "submitted", "approved": "approved", "rejected": "rejected"}
        if step in state:
            values["state"] = state[step]
        return values

    def _isp_approval_on_approved(self):
        """Post the losses: scrap the items into the Losses location (state done)."""
        self._isp_post_losses()
        return self.env._("Losses posted: %(count)s scraps.", count=len(self.scrap_ids))

    def _isp_post_losses(self):
        """Scrap each line from the technician's location into the branch Losses location,
        valued at cost by the stock valuation; never partial (UserError rolls back)."""
        for report in self:
            losses = report.technician_id.warehouse_id._isp_get_loss_location()
            report.line_ids._isp_check_held()
            for line in report.line_ids:
                scrap = self.env["stock.scrap"].create(
                    {
                        "product_id": line.product_id.id,
                        "lot_id": line.lot_id.id,
                        "scrap_qty": line.quantity,
                        "location_id": line.location_id.id,
                        "scrap_location_id": losses.id,
                        "origin": report.name,
                        "isp_loss_report_id": report.id,
                    }
                )
                with self.env["stock.move.line"]._isp_releasing_custody():
                    scrap.do_scrap()
        # sudo: the state is the approval engine's (protected); this runs only when an
        # approver approves the report.
        self.sudo().write({"state": "done"})
