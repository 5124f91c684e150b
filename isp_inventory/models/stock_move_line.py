from odoo import api, fields, models
from odoo.exceptions import UserError

from .stock_move import APPROVAL_SENSITIVE_FIELDS


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Stored so the moves history can be filtered and grouped by branch and region.
    isp_warehouse_id = fields.Many2one(
        related="picking_type_id.warehouse_id", store=True, string="Branch", index=True
    )
    isp_region_id = fields.Many2one(
        related="isp_warehouse_id.isp_region_id", store=True, string="Region", index=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.picking_id._isp_recheck_approval()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if APPROVAL_SENSITIVE_FIELDS.intersection(vals):
            self.picking_id._isp_recheck_approval()
        return result

    def _action_done(self):
        """A tool whose inspection is overdue cannot go into a technician's kit, whatever
        the transfer (sign-out, request, kit template); and no transfer may leave a
        technician's van or kit with less than nothing."""
        to_kits = self.filtered(
            lambda line: line.lot_id and line.location_dest_id.isp_role == "kit"
        )
        to_kits.lot_id._isp_check_inspections()
        custody = self.location_id.filtered("isp_technician_id")
        products = self.filtered(lambda line: line.location_id in custody).product_id
        result = super()._action_done()
        self._isp_check_no_negative_custody(custody, products)
        return result

    def _isp_check_no_negative_custody(self, locations, products):
        if not locations:
            return
        negative = (
            self.env["stock.quant"]
            .search(
                [
                    ("location_id", "in", locations.ids),
                    ("product_id", "in", products.ids),
                    ("quantity", "<", 0),
                ]
            )
            .filtered(lambda quant: quant.product_uom_id.compare(quant.quantity, 0) < 0)
        )
        if negative:
            raise UserError(
                self.env._(
                    "A technician's van or kit cannot hold less than nothing: %(lines)s. "
                    "Transfer only what is there, or count the van first.",
                    lines=", ".join(
                        f"{quant.product_id.display_name} in {quant.location_id.display_name} "
                        f"({quant.quantity:g})"
                        for quant in negative
                    ),
                )
            )
