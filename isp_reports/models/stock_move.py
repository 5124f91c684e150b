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
    """A change of a summarised done move keeps the monthly flows' summary exact."""

    _inherit = "stock.move"

    def _isp_summarised(self, *dates):
        """These moves that are done and may be summarised (or would be, at one of
        ``dates``)."""
        done = self.filtered(lambda move: move.state == "done")
        flows = self.env["isp.stock.flow.month.report"]
        return done if flows._isp_older_than_lag([*done.mapped("date"), *dates]) else done[:0]

    def write(self, vals):
        if not FLOW_FIELDS.intersection(vals):
            return super().write(vals)
        new_date = self._fields["date"].convert_to_cache(vals.get("date"), self)
        moves = self._isp_summarised(new_date)
        if not moves:
            return super().write(vals)
        flows = self.env["isp.stock.flow.month.report"]
        flows._isp_summary_delta(-1, moves=moves)
        result = super().write(vals)
        flows._isp_summary_delta(1, moves=moves)
        return result

    def unlink(self):
        moves = self._isp_summarised()
        if moves:
            self.env["isp.stock.flow.month.report"]._isp_summary_delta(-1, moves=moves)
        return super().unlink()

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        # a move created done (an import, the superuser) dated in a summarised month
        summarised = moves._isp_summarised()
        if summarised:
            self.env["isp.stock.flow.month.report"]._isp_summary_delta(1, moves=summarised)
        return moves
