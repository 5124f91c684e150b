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
        # sudo: whether a move is summarised decides the summary's upkeep; the change
        # itself is still checked against the user's rights (and refused) after this
        done = self.sudo().filtered(lambda move: move.state == "done")
        flows = self.env["isp.stock.flow.month.report"]
        summarised = flows._isp_older_than_lag([*done.mapped("date"), *dates])
        return self.browse(done.ids if summarised else [])

    def write(self, vals):
        if not FLOW_FIELDS.intersection(vals):
            return super().write(vals)
        new_date = self._fields["date"].convert_to_cache(vals.get("date"), self)
        moves = self._isp_summarised(new_date)
        if not moves:
            return super().write(vals)
        with self.env["isp.stock.flow.month.report"]._isp_summary_kept(moves=moves):
            return super().write(vals)

    def unlink(self):
        moves = self._isp_summarised()
        if not moves:
            return super().unlink()
        with self.env["isp.stock.flow.month.report"]._isp_summary_kept(moves=moves):
            return super().unlink()

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        # a move created done (an import, the superuser) dated in a summarised month
        summarised = moves._isp_summarised()
        if summarised:
            self.env["isp.stock.flow.month.report"]._isp_summary_delta(1, moves=summarised)
        return moves
