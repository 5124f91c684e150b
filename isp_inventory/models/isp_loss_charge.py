from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

CHARGE_DECISIONS = [
    ("none", "No Charge"),
    ("full", "Full Cost"),
    ("percent", "Policy Percentage"),
]
# Who may reverse a charge: an Inventory Administrator (an ISP manager implies it) or an
# ISP manager.
REVERSING_GROUPS = ("stock.group_stock_manager", "isp_inventory.group_isp_manager")


class IspLossCharge(models.Model):
    """A charge-back of an approved loss to the technician: one posted journal entry
    (debit the employee receivable / payroll deduction account, partner the technician;
    credit the stock loss account) for the value Odoo gave the loss's scrap moves, times
    100 % or the company's policy percentage.

    Created only by the approval of a loss report (`isp.loss.report.action_approve` with
    ``charge="full"`` or ``"percent"``) and reversed only by a manager
    (`action_isp_reverse`): nobody writes it directly, so the technicians' record rule
    (``technician_id.user_id``) rests on a field no user can change. It moves no stock.
    """

    _name = "isp.loss.charge"
    _description = "Loss Charge-back"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True)
    report_id = fields.Many2one(
        "isp.loss.report", string="Loss Report", required=True, readonly=True, index=True
    )
    technician_id = fields.Many2one(
        "isp.technician", required=True, readonly=True, index=True, check_company=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    decision = fields.Selection(
        [item for item in CHARGE_DECISIONS if item[0] != "none"], required=True, readonly=True
    )
    percent = fields.Float(
        string="Charged %", readonly=True, help="100 for a full charge, else the policy's."
    )
    loss_value = fields.Monetary(
        readonly=True, help="The value Odoo gave the loss's scrap moves (at cost)."
    )
    amount = fields.Monetary(string="Charged", readonly=True)
    reason = fields.Text(readonly=True)
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, check_company=True
    )
    state = fields.Selection(
        [("posted", "Charged"), ("reversed", "Reversed")],
        default="posted",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal Entry", readonly=True, check_company=True
    )
    reversal_reason = fields.Text(readonly=True, tracking=True)
    reversed_by_id = fields.Many2one("res.users", readonly=True)
    reversed_date = fields.Datetime(string="Reversed On", readonly=True)
    amount_outstanding = fields.Monetary(
        string="Outstanding",
        compute="_compute_amount_outstanding",
        help="What the technician still owes: the residual of the receivable line when "
        "the account is reconcilable, else the charged amount; 0 once reversed.",
    )

    @api.depends("state", "amount", "move_id.line_ids.amount_residual")
    def _compute_amount_outstanding(self):
        for charge in self:
            charge.amount_outstanding = charge._isp_outstanding()

    def _isp_outstanding(self):
        self.ensure_one()
        if self.state != "posted":
            return 0.0
        # sudo: technicians and office roles read their charges, not the journal items
        # (accounting rights); only the residual of this charge's own entry is read.
        move = self.sudo().move_id
        lines = move.line_ids.filtered(lambda line: line.debit > 0)
        if lines and lines.account_id.reconcile:
            return sum(lines.mapped("amount_residual"))
        return self.amount

    # ------------------------------------------------------------------
    # Nobody writes a charge: the approval creates it, a manager reverses it
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("Charge-backs are decided when a loss report is approved.")
            )
        return super().create(vals_list)

    def write(self, vals):
        # mail.thread writes nothing on the record itself (followers and messages are
        # other models); every change of a charge is the server's, in sudo.
        if not self.env.su:
            raise AccessError(
                self.env._("Charge-backs are changed only by their reversal, by a manager.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A charge-back is never deleted: a manager reverses it."))

    # ------------------------------------------------------------------
    # Reversal
    # ------------------------------------------------------------------
    def action_isp_reverse(self, reason):
        """Reverse charged charge-backs with a reason (Inventory Administrator or ISP
        manager): Odoo's reversal of the entry (reconciled with it), the charge marked
        reversed, one chatter message."""
        env = self.env
        if not any(env.user.has_group(group) for group in REVERSING_GROUPS):
            raise AccessError(env._("Only a manager can reverse a charge-back."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(env._("Give a reason for the reversal."))
        self.check_access("read")
        for charge in self:
            if charge.state != "posted":
                raise UserError(
                    env._("%(charge)s is already reversed.", charge=charge.display_name)
                )
        for charge in self:
            # sudo: a manager of the stores is not an accountant; the reversal is the
            # entry this charge posted, reversed by Odoo's own method, nothing else.
            move = charge.sudo().move_id
            reversal = move._reverse_moves(
                default_values_list=[
                    {
                        "ref": env._(
                            "Reversal of %(charge)s: %(reason)s", charge=charge.name, reason=reason
                        ),
                        "date": fields.Date.context_today(charge),
                    }
                ],
                cancel=True,
            )
            # sudo: the charge's state and reversal fields are the server's (write refused
            # to every user); the caller's rights were checked above.
            charge.sudo().write(
                {
                    "state": "reversed",
                    "reversal_move_id": reversal.id,
                    "reversal_reason": reason,
                    "reversed_by_id": env.uid,
                    "reversed_date": fields.Datetime.now(),
                }
            )
            charge._track_set_log_message(env._("Charge-back reversed: %(reason)s", reason=reason))
            charge.report_id._message_log(
                body=env._(
                    "Charge-back %(charge)s reversed: %(reason)s", charge=charge.name, reason=reason
                )
            )
        return True

    def action_open_reverse_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reverse Charge-back"),
            "res_model": "isp.loss.charge.reverse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_charge_ids": self.ids},
        }

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
