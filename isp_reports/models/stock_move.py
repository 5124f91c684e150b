from odoo import api, models

# What a done move contributes to the monthly stock flows (isp.stock.flow.month.report).
FLOW_FIELDS = {
    "company_id",
    "date",
    "is_inventory",
    "location_dest_id",
    "location_id",
    "move_line_ids",
    "product_id",
    "product_uom",
    "quantity",
    "state",
}


class StockMove(models.Model):
    """A summarised month of flows is forgotten when one of its done moves changes."""

    _inherit = "stock.move"

    def write(self, vals):
        if FLOW_FIELDS.intersection(vals):
            done = self.filtered(lambda move: move.state == "done")
            if done:
                dates = done.mapped("date")
                if vals.get("date"):
                    dates.append(self._fields["date"].convert_to_cache(vals["date"], self))
                self.env["isp.stock.flow.month.report"]._isp_forget_flows_of(dates)
        return super().write(vals)

    def unlink(self):
        self.env["isp.stock.flow.month.report"]._isp_forget_flows_of(
            self.filtered(lambda move: move.state == "done").mapped("date")
        )
        return super().unlink()

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        # a move created done (imports, the superuser) with a date in a summarised month
        self.env["isp.stock.flow.month.report"]._isp_forget_flows_of(
            moves.filtered(lambda move: move.state == "done").mapped("date")
        )
        return moves
