from odoo import fields, models


class IspStockRequestWizardLine(models.TransientModel):
    _name = "isp.stock.request.wizard.line"
    _description = "Request Items: Line"
    _check_company_auto = True

    wizard_id = fields.Many2one("isp.stock.request.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        # the ISP catalogue only: stocked products of an ISP item class
        domain=[("is_storable", "=", True), ("isp_item_class", "!=", False)],
    )
    quantity = fields.Float(default=1.0, digits="Product Unit")
