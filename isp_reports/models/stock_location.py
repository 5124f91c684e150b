from odoo import models

# What a location is, for the flows: internal or not, a loss location, its branch.
FLOW_LOCATION_FIELDS = ("usage", "isp_role", "location_id", "company_id")


class StockLocation(models.Model):
    """Reclassifying a location changes the flows of every move from or to it (or, for
    a new parent, to the locations under it): they are taken out of the monthly flows'
    summary before and put back after."""

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
        if not changed:
            return super().write(vals)
        with self.env["isp.stock.flow.month.report"]._isp_summary_kept(locations=self):
            return super().write(vals)
