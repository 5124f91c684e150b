from odoo import fields, models


class IspLossRejectWizard(models.TransientModel):
    """Ask the approver why a loss report is rejected."""

    _name = "isp.loss.reject.wizard"
    _description = "Reject a Loss Report"

    report_id = fields.Many2one("isp.loss.report", required=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    reason = fields.Char(required=True)

    def action_reject(self):
        self.ensure_one()
        self.report_id.action_reject(self.reason)
