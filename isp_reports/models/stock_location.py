from odoo import models

# What a location is, for the flows: internal or not, a loss location, its branch.
FLOW_LOCATION_FIELDS = ("usage", "isp_role", "location_id", "company_id")


class StockLocation(models.Model):
    """Reclassifying a location changes the flows of every month it was used in: the
    monthly summary is forgotten whole (read live until the cron sums it again)."""

    _inherit = "stock.location"

    def write(self, vals):
        changed = any(
            name in vals
            and any(
                self._fields[name].convert_to_write(location[name], location) != vals[name]
                for location in self
            )
            for name in FLOW_LOCATION_FIELDS
        )
        result = super().write(vals)
        if changed:
            self.env["isp.stock.flow.month.report"]._isp_forget_flow_summary()
        return result
