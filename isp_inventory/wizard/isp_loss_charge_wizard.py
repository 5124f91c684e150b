from odoo import api, fields, models

from ..models.isp_loss_charge import CHARGE_DECISIONS


class IspLossApproveWizard(models.TransientModel):
    """The web client's Approve of a loss report: the approver decides the charge-back in
    the same step (`isp.loss.report.action_approve(charge, charge_reason)`)."""

    _name = "isp.loss.approve.wizard"
    _description = "Approve a Loss Report and Decide the Charge-back"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    report_ids = fields.Many2many("isp.loss.report", string="Loss Reports", required=True)
    amount = fields.Monetary(string="Value at Cost", compute="_compute_amount")
    policy_percent = fields.Float(related="company_id.isp_charge_percent", string="Policy %")
    charge = fields.Selection(CHARGE_DECISIONS, string="Charge-back", required=True, default="none")
    reason = fields.Text()

    @api.depends("report_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.report_ids.mapped("amount"))

    def action_approve(self):
        self.ensure_one()
        self.report_ids.action_approve(charge=self.charge, charge_reason=self.reason)
        return {"type": "ir.actions.act_window_close"}


class IspLossChargeReverseWizard(models.TransientModel):
    """Ask the manager why charge-backs are reversed."""

    _name = "isp.loss.charge.reverse.wizard"
    _description = "Reverse a Loss Charge-back"

    charge_ids = fields.Many2many("isp.loss.charge", string="Charge-backs", required=True)
    reason = fields.Text(required=True)

    def action_reverse(self):
        self.ensure_one()
        self.charge_ids.action_isp_reverse(self.reason)
        return {"type": "ir.actions.act_window_close"}
