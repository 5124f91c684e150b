from odoo import fields, models


class IspPickingRejectWizard(models.TransientModel):
    _name = "isp.picking.reject.wizard"
    _description = "Reject a controlled issuance"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    picking_ids = fields.Many2many(
        "stock.picking", string="Transfers", required=True, check_company=True
    )
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.picking_ids.action_isp_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
