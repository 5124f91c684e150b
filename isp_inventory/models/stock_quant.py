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

    @api.model
    def _update_available_quantity(
        self,
        product_id,
        location_id,
        quantity=False,
        reserved_quantity=False,
        lot_id=None,
        package_id=None,
        owner_id=None,
        in_date=None,
    ):
        """Untracked stock delivered to a customer location adds a quant of its own
        instead of updating the location's one row per product: every job completion and
        delivery of a consumable otherwise updates that same row, and concurrent ones fail
        with serialization errors that reach the technician (measured by `make load`
        with two servers). Odoo does the same when the row is locked, and its quant tasks
        merge such quants (`_merge_quants`)."""
        if (
            location_id.usage == "customer"
            and not (lot_id or package_id or owner_id or reserved_quantity)
            and quantity
            and product_id.uom_id.compare(quantity, 0) > 0
        ):
            # sudo: quants are written by the stock layer only, as in Odoo's own method
            self.sudo().create(
                {
                    "product_id": product_id.id,
                    "location_id": location_id.id,
                    "quantity": quantity,
                    "in_date": in_date or fields.Datetime.now(),
                }
            )
            available = self._get_available_quantity(
                product_id,
                location_id,
                lot_id=lot_id,
                package_id=package_id,
                owner_id=owner_id,
                strict=True,
                allow_negative=True,
            )
            return available, in_date or fields.Datetime.now()
        return super()._update_available_quantity(
            product_id,
            location_id,
            quantity=quantity,
            reserved_quantity=reserved_quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            in_date=in_date,
        )
