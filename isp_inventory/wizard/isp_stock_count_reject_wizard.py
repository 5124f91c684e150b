from odoo import fields, models


class IspStockCountRejectWizard(models.TransientModel):
    _name = "isp.stock.count.reject.wizard"
    _description = "Reject a stock count waiting for approval"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    count_ids = fields.Many2many(
        "isp.stock.count", string="Counts", required=True, check_company=True
    )
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.count_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
