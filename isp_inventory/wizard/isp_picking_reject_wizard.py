from odoo import fields, models


class IspPickingRejectWizard(models.TransientModel):
    _name = "isp.picking.reject.wizard"
    _description = "Reject a controlled issuance"

    picking_ids = fields.Many2many("stock.picking", string="Transfers", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.picking_ids.action_isp_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
