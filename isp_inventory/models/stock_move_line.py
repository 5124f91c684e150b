from odoo import api, fields, models

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
        the transfer (sign-out, request, kit template)."""
        to_kits = self.filtered(
            lambda line: line.lot_id and line.location_dest_id.isp_role == "kit"
        )
        to_kits.lot_id._isp_check_inspections()
        return super()._action_done()
