from odoo import api, models

# The line fields a done move's flow depends on (its quantity is their sum).
FLOW_LINE_FIELDS = {"move_id", "product_uom_id", "quantity"}


class StockMoveLine(models.Model):
    """A change of a line of a summarised done move keeps the monthly flows' summary
    exact (the move's quantity is the sum of its lines)."""

    _inherit = "stock.move.line"

    def _isp_changing_flows(self, change, moves=None):
        """Run ``change`` with the flows of these lines' summarised moves (and
        ``moves``) taken out of the summary before and put back after."""
        # sudo: reading which moves the lines belong to, for the summary's upkeep only
        moves = (self.sudo().move_id | (moves or self.env["stock.move"])).with_env(self.env)
        moves = moves._isp_summarised()
        if not moves:
            return change()
        with self.env["isp.stock.flow.month.report"]._isp_summary_kept(moves=moves):
            return change()

    def write(self, vals):
        if not FLOW_LINE_FIELDS.intersection(vals):
            return super().write(vals)
        target = self.env["stock.move"].browse(vals.get("move_id"))
        return self._isp_changing_flows(lambda: super(StockMoveLine, self).write(vals), target)

    def unlink(self):
        return self._isp_changing_flows(lambda: super(StockMoveLine, self).unlink())

    @api.model_create_multi
    def create(self, vals_list):
        moves = self.env["stock.move"].browse(
            {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        )
        return self.browse()._isp_changing_flows(
            lambda: super(StockMoveLine, self).create(vals_list), moves
        )
