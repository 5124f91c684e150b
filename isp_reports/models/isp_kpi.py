from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# How the stock on hand is read once for the KPIs and the dashboard (see _isp_on_hand).
ON_HAND_KEYS = ("region_id", "warehouse_id", "item_class", "holder")


class IspKpi(models.AbstractModel):
    """The inventory KPIs of the ISP management pack, read from the report models with
    the caller's rights (so multi-company rules apply): one RPC-callable method."""

    _name = "isp.kpi"
    _description = "ISP Inventory KPIs"

    @api.model
    @api.readonly
    def get_kpis(self, date_from=None, date_to=None):
        """KPIs of a period (dates included; default: this month up to today).

        Stock figures are on hand now; losses, count variances, jobs and installations
        are those of the period. Returns a dict of plain values (XML-RPC safe):
        ``date_from``, ``date_to``, ``currency``, ``stock_value``,
        ``stock_value_by_region`` (list of ``{"region_id", "region", "value"}``),
        ``technician_stock_value``, ``loss_value`` (signed like the loss and variance
        report: a loss is negative), ``loss_count``,
        ``count_variance_value`` (signed), ``jobs_completed``,
        ``average_material_cost``, ``serials_installed``, ``quarantine_quantity``,
        ``quarantine_value``, ``counts_done``, ``count_accuracy`` (% of counted lines
        without a difference, counts applied in the period) and ``issue_fill_rate`` (% of
        the quantity asked for that stores issued to technicians in the period); both
        percentages are 0.0 when there was nothing to measure. The dashboard's KPIs
        (turnover, first-time fix, CPE utilisation, forecast error, stock-outs) are
        added by ``_isp_kpis`` in isp_kpi_dashboard.py.
        """
        self._isp_check_access()
        date_from, date_to = self._isp_period(date_from, date_to)
        return self._isp_kpis(date_from, date_to, self._isp_on_hand())

    @api.model
    def _isp_on_hand(self, extra=()):
        """The stock on hand now (isp.stock.region.report: internal locations, at the
        products' standard cost), read once by ``ON_HAND_KEYS``:
        ``{(region, branch, item_class, holder): (quantity, value)}``. Every stock figure
        of the KPIs and of the dashboard is rolled up from it (``_isp_on_hand_by``):
        each read of the quants takes about 0.1 s at ISP size (docs/benchmarks-scale.md).
        ``extra``: a domain on the report (the dashboard's branch and region filters)."""
        return {
            tuple(key): (quantity or 0.0, value or 0.0)
            for *key, quantity, value in self.env["isp.stock.region.report"]._read_group(
                list(extra), list(ON_HAND_KEYS), ["quantity:sum", "value:sum"], order="region_id"
            )
        }

    @api.model
    def _isp_on_hand_by(self, on_hand, groupby):
        """``on_hand`` summed by ``groupby`` (some of ``ON_HAND_KEYS``), in the order the
        groups first appear: ``{tuple of the groupby values: (quantity, value)}``."""
        positions = [ON_HAND_KEYS.index(name) for name in groupby]
        rolled = {}
        for key, (quantity, value) in on_hand.items():
            group = tuple(key[position] for position in positions)
            held = rolled.get(group, (0.0, 0.0))
            rolled[group] = (held[0] + quantity, held[1] + value)
        return rolled

    @api.model
    def _isp_kpis(self, date_from, date_to, on_hand):
        """The KPIs of ``get_kpis`` for a checked period, the stock on hand read
        (``_isp_on_hand``)."""
        start, end = self._isp_period_bounds(date_from, date_to)
        period = [("date", ">=", start), ("date", "<=", end)]
        by_region = [
            (region, value)
            for (region,), (_quantity, value) in self._isp_on_hand_by(
                on_hand, ["region_id"]
            ).items()
        ]
        by_holder = {
            holder: figures
            for (holder,), figures in self._isp_on_hand_by(on_hand, ["holder"]).items()
        }
        losses = self.env["isp.loss.variance.report"]
        [[loss_value, loss_count]] = losses._read_group(
            [*period, ("kind", "=", "loss")], [], ["value:sum", "loss_report_id:count_distinct"]
        )
        [[variance_value]] = losses._read_group(
            [*period, ("kind", "=", "count_variance")], [], ["value:sum"]
        )
        [[jobs, job_cost]] = self.env["isp.installation.cost.report"]._read_group(
            period, [], ["__count", "material_cost:sum"]
        )
        serials = self.env["stock.move.line"].search_count(
            [
                *period,
                ("state", "=", "done"),
                ("lot_id", "!=", False),
                ("location_id.isp_technician_id", "!=", False),
                ("location_dest_id.usage", "=", "customer"),
            ]
        )
        quarantine_qty, quarantine_value = by_holder.get("quarantine", (0.0, 0.0))
        counts_done, count_accuracy = self._isp_count_accuracy(date_from, date_to)
        return {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "currency": self.env.company.currency_id.name,
            "stock_value": sum(value for _region, value in by_region),
            "stock_value_by_region": [
                {
                    "region_id": region.id,
                    "region": region.display_name or self.env._("No region"),
                    "value": value,
                }
                for region, value in by_region
            ],
            "technician_stock_value": sum(
                by_holder.get(holder, (0.0, 0.0))[1] for holder in ("vehicle", "kit")
            ),
            "loss_value": loss_value or 0.0,
            "loss_count": loss_count,
            "count_variance_value": variance_value or 0.0,
            "jobs_completed": jobs,
            "average_material_cost": (job_cost or 0.0) / jobs if jobs else 0.0,
            "serials_installed": serials,
            "quarantine_quantity": quarantine_qty,
            "quarantine_value": quarantine_value,
            "counts_done": counts_done,
            "count_accuracy": count_accuracy,
            "issue_fill_rate": self._isp_issue_fill_rate(date_from, date_to),
        }

    @api.model
    def _isp_count_accuracy(self, date_from, date_to):
        """(counts applied in the period, % of their lines counted without difference).

        Counted in the database: a monthly count of 500 technicians has tens of
        thousands of lines. The stored variance is rounded to the unit's precision, so
        "no difference" is a variance of exactly 0."""
        start, end = self._isp_period_bounds(date_from, date_to)
        applied = [("state", "=", "done"), ("date_done", ">=", start), ("date_done", "<=", end)]
        counts = self.env["isp.stock.count"].search_count(applied)
        lines = self.env["isp.stock.count.line"]
        of_counts = [("count_id", "any", applied)]
        [[total]] = lines._read_group(of_counts, [], ["__count"])
        if not total:
            return counts, 0.0
        [[exact]] = lines._read_group([*of_counts, ("variance_qty", "=", 0)], [], ["__count"])
        return counts, 100.0 * exact / total

    @api.model
    def _isp_issue_fill_rate(self, date_from, date_to):
        """% of the quantity asked for in store → technician transfers completed in the
        period that was issued. A transfer validated short without a backorder keeps
        its demand on the done move; with a backorder the rest is still to come and
        counts when that backorder is done.

        Summed in the database by product and unit (a month of a large ISP is tens of
        thousands of moves); each sum of issued quantities is then converted to the
        product's unit."""
        start, end = self._isp_period_bounds(date_from, date_to)
        groups = self.env["stock.move"]._read_group(
            [
                ("state", "=", "done"),
                ("picking_id.date_done", ">=", start),
                ("picking_id.date_done", "<=", end),
                ("location_id.usage", "=", "internal"),
                ("location_id.isp_technician_id", "=", False),
                ("location_dest_id.isp_technician_id", "!=", False),
            ],
            ["product_id", "product_uom"],
            ["product_qty:sum", "quantity:sum"],
        )
        asked = sum(product_qty for _product, _uom, product_qty, _quantity in groups)
        issued = sum(
            uom._compute_quantity(quantity, product.uom_id)
            for product, uom, _product_qty, quantity in groups
        )
        return 100.0 * issued / asked if asked else 0.0

    @api.model
    def _isp_check_access(self):
        user = self.env.user
        if not (
            user.has_group("isp_inventory.group_isp_storekeeper")
            or user.has_group("isp_inventory.group_isp_approver")
        ):
            raise AccessError(
                self.env._("Only storekeepers, approvers and managers see the inventory KPIs.")
            )

    @api.model
    def _isp_period_bounds(self, date_from, date_to):
        """The period's dates in the user's timezone as naive UTC bounds."""
        return self.env["isp.report.mixin"]._isp_period_bounds(date_from, date_to)

    @api.model
    def _isp_period(self, date_from, date_to):
        """(date_from, date_to) as dates, checked; default this month up to today."""
        try:
            today = fields.Date.context_today(self)
            date_from = fields.Date.to_date(date_from) or today.replace(day=1)
            date_to = fields.Date.to_date(date_to) or today
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("Give dates as YYYY-MM-DD: %(error)s", error=error)
            ) from error
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The period starts (%(start)s) after it ends (%(end)s).",
                    start=date_from,
                    end=date_to,
                )
            )
        return date_from, date_to
