from odoo import api, models


class IspStockCountReport(models.AbstractModel):
    """What the count statement shows beyond the count's own fields: which lines have
    a variance (only those carry a reason) and the quantities added up per unit."""

    _name = "report.isp_inventory.isp_stock_count_report"
    _description = "Count Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        return {
            "doc_ids": docids,
            "doc_model": "isp.stock.count",
            "docs": self.env["isp.stock.count"].browse(docids),
            "has_variance": self._isp_has_variance,
            "unit_totals": self._isp_unit_totals,
        }

    @api.model
    def _isp_has_variance(self, line):
        return line._isp_has_variance()

    @api.model
    def _isp_unit_totals(self, count):
        """Expected, counted and variance of the count's lines added up per unit of
        measure, in the lines' order: metres and units are never summed together."""
        totals = {}
        for line in count.line_ids:
            total = totals.setdefault(
                line.uom_id, {"uom": line.uom_id, "expected": 0.0, "counted": 0.0, "variance": 0.0}
            )
            total["expected"] += line.expected_qty
            total["counted"] += line.counted_qty
            total["variance"] += line.variance_qty
        return list(totals.values())
