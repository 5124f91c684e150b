from odoo import fields, models


class IspJobCompleteWizardLine(models.TransientModel):
    _name = "isp.job.complete.wizard.line"
    _description = "Complete Field Job: Material Used"
    _check_company_auto = True

    wizard_id = fields.Many2one("isp.job.complete.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    material_id = fields.Many2one("stock.move", required=True, check_company=True)
    product_id = fields.Many2one(related="material_id.product_id")
    tracking = fields.Selection(related="material_id.product_id.tracking")
    planned = fields.Float(related="material_id.product_uom_qty", string="Planned")
    qty_used = fields.Float(string="Used", digits="Product Unit")

    def _prepare_values(self):
        self.ensure_one()
        return {"material_id": self.material_id.id, "qty_used": self.qty_used}
