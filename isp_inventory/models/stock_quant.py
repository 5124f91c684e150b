from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .isp_stock_count_line import negative_count_message


class StockQuant(models.Model):
    _inherit = "stock.quant"

    # Stored so stock can be filtered and grouped by branch and region.
    isp_warehouse_id = fields.Many2one(
        related="location_id.warehouse_id", store=True, string="Branch", index=True
    )
    isp_region_id = fields.Many2one(
        related="isp_warehouse_id.isp_region_id", store=True, string="Region", index=True
    )

    @api.constrains("inventory_quantity", "location_id")
    def _check_isp_inventory_quantity(self):
        """No negative count in a technician's van or kit (same rule as a count line)."""
        for quant in self:
            if quant.location_id.isp_technician_id and quant.inventory_quantity < 0:
                raise ValidationError(
                    negative_count_message(self.env, quant.product_id, quant.location_id)
                )
