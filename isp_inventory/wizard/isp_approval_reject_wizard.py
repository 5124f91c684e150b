from odoo import fields, models
from odoo.exceptions import UserError


class IspApprovalRejectWizard(models.TransientModel):
    """Ask the approver why documents waiting for approval (issuances, loss reports,
    counts: any model with the approval engine) are rejected."""

    _name = "isp.approval.reject.wizard"
    _description = "Reject a Document Waiting for Approval"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    res_model = fields.Char(string="Document Model", required=True)
    res_ids = fields.Json(string="Documents", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        if self.res_model not in self.env or not isinstance(
            self.env[self.res_model], self.env.registry["isp.approval.mixin"]
        ):
            raise UserError(self.env._("Only documents waiting for approval can be rejected."))
        self.env[self.res_model].browse(self.res_ids).action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
