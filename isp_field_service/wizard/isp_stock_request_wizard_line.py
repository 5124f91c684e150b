from odoo import fields, models


class IspStockRequestWizardLine(models.TransientModel):
    _name = "isp.stock.request.wizard.line"
    _description = "Request Items: Line"

    wizard_id = fields.Many2one("isp.stock.request.wizard", required=True, ondelete="cascade")
    product_id = fields.Many2one(
        "product.product", required=True, domain=[("is_storable", "=", True)]
    )
    quantity = fields.Float(default=1.0, digits="Product Unit")
