from odoo import api, models

# The line fields a done move's flow depends on (its quantity is their sum).
FLOW_LINE_FIELDS = {"move_id", "product_uom_id", "quantity"}


class StockMoveLine(models.Model):
    """A summarised month of flows is forgotten when a line of one of its done moves
    changes (the move's quantity is the sum of its lines)."""

    _inherit = "stock.move.line"

    def _isp_forget_flows(self):
        done = self.move_id.filtered(lambda move: move.state == "done")
        self.env["isp.stock.flow.month.report"]._isp_forget_flows_of(done.mapped("date"))

    def write(self, vals):
        if FLOW_LINE_FIELDS.intersection(vals):
            self._isp_forget_flows()
            result = super().write(vals)
            self._isp_forget_flows()
            return result
        return super().write(vals)

    def unlink(self):
        self._isp_forget_flows()
        return super().unlink()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._isp_forget_flows()
        return lines
