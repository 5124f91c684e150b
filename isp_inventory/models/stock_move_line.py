from odoo import models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _action_done(self):
        """A tool whose inspection is overdue cannot go into a technician's kit, whatever
        the transfer (sign-out, request, kit template)."""
        to_kits = self.filtered(
            lambda line: line.lot_id and line.location_dest_id.isp_role == "kit"
        )
        to_kits.lot_id._isp_check_inspections()
        return super()._action_done()
