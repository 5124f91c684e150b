from odoo import fields, models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    # Stored so stock can be filtered and grouped by branch and region.
    isp_warehouse_id = fields.Many2one(
        related="location_id.warehouse_id", store=True, string="Branch", index=True
    )
    isp_region_id = fields.Many2one(
        related="isp_warehouse_id.isp_region_id", store=True, string="Region", index=True
    )
