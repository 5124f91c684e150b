from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# Months of consumption the demand forecast averages (no stored forecast exists).
FORECAST_MONTHS = 3
# Months of the dashboard's trend.
TREND_MONTHS = 12


class IspKpi(models.AbstractModel):
    """The dashboard KPIs: inventory turnover, first-time fix, CPE utilisation,
    demand-forecast accuracy and stock-outs, read with ``_read_group`` from the SQL
    report models (isp.stock.month.report, isp.first.time.fix.report,
    isp.cpe.utilisation.report, isp.stock.out.report) with the caller's rights."""

    _inherit = "isp.kpi"

    @api.model
    def _isp_kpis(self, date_from, date_to, on_hand):
        """``get_kpis`` of a period; see the base method for the stock, loss and count
        keys.

        Also returns (dates in the user's timezone):

        - ``inventory_turnover``: ``consumed_value`` ÷ ``average_stock_value``, where
          ``consumed_value`` is the standard cost of done moves from a store, van or kit
          to a customer or consumption location in the period and
          ``average_stock_value`` the mean of the stock value at the period's start and
          end (the value on hand less the done moves since, at current cost); 0.0 without stock;
        - ``days_of_stock``: the period's days ÷ turnover (0.0 when turnover is 0);
        - ``turnover_by_region``, ``turnover_by_branch``, ``turnover_by_item_class``:
          lists of ``{"region_id"/"warehouse_id"/"item_class", "name",
          "consumed_value", "average_stock_value", "inventory_turnover",
          "days_of_stock"}``;
        - ``first_time_fix_days`` (the company setting), ``first_time_fix_jobs`` (jobs
          completed in the period), ``first_time_fix_count`` (those with no follow-up
          job at the same customer within the window), ``first_time_fix_rate`` (%);
        - ``cpe_installed``, ``cpe_total`` (installed + in stock + with technicians,
          now) and ``cpe_utilisation`` (%), ``cpe_utilisation_by_product`` (list of
          ``{"product_id", "name", "installed", "total", "utilisation"}``);
        - ``forecast_mape`` (%) and ``forecast_mape_by_product`` (list of
          ``{"product_id", "name", "months", "mape"}``): each month of the period
          the forecast is the average monthly consumption of the 3 months before it,
          compared with what was consumed that month (months without consumption
          are left out);
        - ``stock_out_incidents`` (jobs), ``stock_out_lines`` (material lines) and
          ``stock_out_by_branch`` (list of ``{"warehouse_id", "name", "incidents",
          "lines"}``): jobs completed short, or past due and waiting for stock.
        """
        kpis = super()._isp_kpis(date_from, date_to, on_hand)
        kpis.update(self._isp_dashboard_kpis(date_from, date_to, [], on_hand))
        return kpis

    @api.model
    @api.readonly
    def get_dashboard(self, date_from=None, date_to=None, warehouse_id=None, region_id=None):
        """What the dashboard shows: ``kpis`` (as ``get_kpis``; the dashboard figures
        for the branch and/or region given), ``trend`` (the 12 months up to
        ``date_to``), ``drilldown`` (per card, ``{"name", "res_model", "domain"}``),
        ``regions`` and ``branches`` (``{"id", "name"}``, for the filters)."""
        self._isp_check_access()
        date_from, date_to = self._isp_period(date_from, date_to)
        extra = self._isp_dashboard_domain(warehouse_id, region_id)
        on_hand = self._isp_on_hand()
        kpis = self._isp_kpis(date_from, date_to, on_hand)
        if extra:
            on_hand = self._isp_on_hand(extra)
            kpis.update(self._isp_dashboard_kpis(date_from, date_to, extra, on_hand))
        # the filters offer the branches and regions of the companies the caller works in
        companies = [("company_id", "in", self.env.companies.ids)]
        branches = self.env["stock.warehouse"].search_read(companies, ["display_name"])
        regions = self.env["isp.region"].search_read(companies, ["display_name"])
        return {
            "kpis": kpis,
            "trend": self._isp_trend(date_to, extra, on_hand),
            "drilldown": self._isp_drilldown(date_from, date_to, extra),
            "branches": [{"id": b["id"], "name": b["display_name"]} for b in branches],
            "regions": [{"id": r["id"], "name": r["display_name"]} for r in regions],
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _isp_dashboard_domain(self, warehouse_id=None, region_id=None):
        domain = []
        if warehouse_id:
            domain.append(("warehouse_id", "=", int(warehouse_id)))
        if region_id:
            domain.append(("region_id", "=", int(region_id)))
        return domain

    @api.model
    def _isp_dashboard_kpis(self, date_from, date_to, extra, on_hand):
        """The dashboard's KPIs of the period for ``extra`` (a domain on the reports),
        ``on_hand`` being ``_isp_on_hand(extra)``."""
        extra = list(extra)
        start, end = self._isp_period_bounds(date_from, date_to)
        period = [("date", ">=", start), ("date", "<=", end)]
        values = {}
        values.update(self._isp_turnover(date_from, date_to, extra, on_hand))
        values.update(self._isp_first_time_fix(period, extra))
        values.update(self._isp_cpe_utilisation(extra))
        values.update(self._isp_forecast_mape(date_from, date_to, extra))
        values.update(self._isp_stock_outs(period, extra))
        return values

    @api.model
    def _isp_ratio(self, consumed, opening, closing, days):
        average = ((opening or 0.0) + (closing or 0.0)) / 2
        turnover = (consumed or 0.0) / average if average > 0 else 0.0
        return {
            "consumed_value": consumed or 0.0,
            "average_stock_value": average,
            "inventory_turnover": turnover,
            "days_of_stock": days / turnover if turnover else 0.0,
        }

    @api.model
    def _isp_stock_value(self, groupby, extra, on_hand, *since, flows=None):
        """Stock values by ``groupby`` (some of ``ON_HAND_KEYS``; a dict keyed by the
        tuple of their values), one per instant: the value on hand now (``on_hand``, as
        ``_isp_on_hand(extra)``) less the flows since the instant (each of ``since``: a
        domain on the flows' date).

        Reading back from the quants reads only the moves after the instant. Summing
        every flow since the first move read all the moves of the database for each
        figure: 40 s for the KPIs at a million moves (docs/benchmarks-scale.md).
        ``flows``: the flows model read (default isp.stock.month.report; the monthly
        flows take month dates)."""
        flows = self.env["isp.stock.month.report"] if flows is None else flows
        now = {
            key: value for key, (_quantity, value) in self._isp_on_hand_by(on_hand, groupby).items()
        }
        result = []
        for after in since:
            values = defaultdict(float, now)
            for *key, change in flows._read_group([*extra, *after], groupby, ["stock_value:sum"]):
                values[tuple(key)] -= change or 0.0
            result.append(values)
        return result

    @api.model
    def _isp_turnover(self, date_from, date_to, extra, on_hand):
        """Turnover of the period, in total and by region, branch and item class: each
        figure is read once by the three keys and rolled up here (a handful of rows).

        A period of whole months (or from a month's first day up to today) is read from
        the monthly flows when their months are the user's; any other from the flows
        themselves, between the period's instants."""
        days = (date_to - date_from).days + 1
        flows = self._isp_monthly_flows()
        whole_months = date_from.day == 1 and (
            date_to == date_to + relativedelta(day=31) or date_to >= fields.Date.context_today(self)
        )
        if flows is not None and whole_months:
            start, end = date_from, date_to
        else:
            flows = self.env["isp.stock.month.report"]
            start, end = self._isp_period_bounds(date_from, date_to)
        keys = ["region_id", "warehouse_id", "item_class"]
        period = [*extra, ("date", ">=", start), ("date", "<=", end)]
        consumed = {
            tuple(key): value or 0.0
            for *key, value in flows._read_group(period, keys, ["consumed_value:sum"])
        }
        # the stock before the period's first instant, and after its last one
        opening, closing = self._isp_stock_value(
            keys, extra, on_hand, [("date", ">=", start)], [("date", ">", end)], flows=flows
        )

        def grouped(index):
            sums = defaultdict(lambda: [0.0, 0.0, 0.0])
            for slot, figures in enumerate((consumed, opening, closing)):
                for key, value in figures.items():
                    sums[() if index is None else key[index]][slot] += value
            return {key: self._isp_ratio(*values, days) for key, values in sums.items()}

        result = grouped(None).get(()) or self._isp_ratio(0.0, 0.0, 0.0, days)
        classes = dict(flows._fields["item_class"]._description_selection(self.env))
        no_value = self.env._("None")
        result["turnover_by_region"] = [
            dict(figures, region_id=region.id, name=region.display_name or no_value)
            for region, figures in sorted(grouped(0).items(), key=lambda i: i[0].id)
        ]
        result["turnover_by_branch"] = [
            dict(figures, warehouse_id=branch.id, name=branch.display_name or no_value)
            for branch, figures in sorted(grouped(1).items(), key=lambda i: i[0].id)
        ]
        result["turnover_by_item_class"] = [
            dict(figures, item_class=item_class or False, name=classes.get(item_class, no_value))
            for item_class, figures in sorted(grouped(2).items(), key=lambda i: i[0] or "")
        ]
        return result

    @api.model
    def _isp_first_time_fix(self, period, extra):
        [[jobs, fixed]] = self.env["isp.first.time.fix.report"]._read_group(
            [*extra, *period], [], ["__count", "first_time_fix_count:sum"]
        )
        return {
            "first_time_fix_days": self.env.company.isp_first_time_fix_days,
            "first_time_fix_jobs": jobs,
            "first_time_fix_count": fixed or 0,
            "first_time_fix_rate": 100.0 * (fixed or 0) / jobs if jobs else 0.0,
        }

    @api.model
    def _isp_cpe_utilisation(self, extra):
        groups = (
            self.env["isp.cpe.utilisation.report"]
            .with_context(isp_cpe_grouped=True)
            ._read_group(
                extra, ["product_id"], ["installed:sum", "serial_count:sum"], order="product_id"
            )
        )
        installed = sum(count for _product, count, _total in groups)
        total = sum(total for _product, _count, total in groups)
        return {
            "cpe_installed": installed,
            "cpe_total": total,
            "cpe_utilisation": 100.0 * installed / total if total else 0.0,
            "cpe_utilisation_by_product": [
                {
                    "product_id": product.id,
                    "name": product.display_name,
                    "installed": count,
                    "total": total,
                    "utilisation": 100.0 * count / total if total else 0.0,
                }
                for product, count, total in groups
            ],
        }

    @api.model
    def _isp_forecast_mape(self, date_from, date_to, extra):
        """MAPE of the demand forecast by product over the months of the period (see
        get_kpis); consumption grouped by month in the user's timezone."""
        first = date_from.replace(day=1)
        months = []
        month = first
        while month <= date_to:
            months.append(month)
            month += relativedelta(months=1)
        start, end = (
            first - relativedelta(months=FORECAST_MONTHS),
            months[-1] + relativedelta(day=31),
        )
        flows = self._isp_monthly_flows()
        if flows is None:
            start, end = self._isp_period_bounds(start, end)
            flows = self.env["isp.stock.month.report"].with_context(tz=self.env.tz.zone)
        consumed = {
            (product, self._isp_month_key(month)): -quantity
            for product, month, quantity in flows._read_group(
                [*extra, ("consumed", "=", True), ("date", ">=", start), ("date", "<=", end)],
                ["product_id", "date:month"],
                ["quantity:sum"],
            )
        }
        errors = {}
        for product in {product for product, _month in consumed}:
            for month in months:
                actual = consumed.get((product, self._isp_month_key(month)), 0.0)
                if actual <= 0:
                    continue
                forecast = (
                    sum(
                        consumed.get(
                            (product, self._isp_month_key(month - relativedelta(months=back))),
                            0.0,
                        )
                        for back in range(1, FORECAST_MONTHS + 1)
                    )
                    / FORECAST_MONTHS
                )
                errors.setdefault(product, []).append(100.0 * abs(actual - forecast) / actual)
        every = [error for product_errors in errors.values() for error in product_errors]
        return {
            "forecast_mape": sum(every) / len(every) if every else 0.0,
            "forecast_mape_by_product": [
                {
                    "product_id": product.id,
                    "name": product.display_name,
                    "months": len(product_errors),
                    "mape": sum(product_errors) / len(product_errors),
                }
                for product, product_errors in sorted(errors.items(), key=lambda i: i[0].id)
            ],
        }

    @api.model
    def _isp_monthly_flows(self):
        """The monthly stock flows (isp.stock.flow.month.report) when their months are
        the user's (same time zone) and summarised (a watermark), else None: the flows
        are then read move by move (grouping every move by month at each read is
        slower than reading the moves of the period)."""
        flows = self.env["isp.stock.flow.month.report"]
        until, tz_name = flows._isp_summary_state()
        return flows if until and tz_name == self.env.tz.zone else None

    @api.model
    def _isp_month_key(self, value):
        return value.strftime("%Y-%m")

    @api.model
    def _isp_stock_outs(self, period, extra):
        """Stock-out incidents (jobs) and lines, in total and by branch: read once by
        branch (a job is in its technician's branch only, so the branches' distinct jobs
        add up to the total's)."""
        report = self.env["isp.stock.out.report"]
        by_branch = report._read_group(
            [*extra, *period], ["warehouse_id"], ["task_id:count_distinct", "__count"]
        )
        return {
            "stock_out_incidents": sum(incidents for _branch, incidents, _lines in by_branch),
            "stock_out_lines": sum(lines for _branch, _incidents, lines in by_branch),
            "stock_out_by_branch": [
                {
                    "warehouse_id": branch.id,
                    "name": branch.display_name or self.env._("None"),
                    "incidents": branch_incidents,
                    "lines": branch_lines,
                }
                for branch, branch_incidents, branch_lines in by_branch
            ],
        }

    @api.model
    def _isp_trend(self, date_to, extra, on_hand):
        """The last 12 months up to ``date_to``'s month, month by month in the user's
        timezone: consumed value, stock value at the month's end, turnover, jobs
        completed, first-time fix rate and stock-out incidents. ``on_hand``: as
        ``_isp_on_hand(extra)``."""
        last = date_to.replace(day=1)
        months = [last - relativedelta(months=back) for back in range(TREND_MONTHS - 1, -1, -1)]
        start, end = self._isp_period_bounds(months[0], last + relativedelta(day=31))
        period = [*extra, ("date", ">=", start), ("date", "<=", end)]
        by_month = ["date:month"]
        context = {"tz": self.env.tz.zone}
        flows, since = self._isp_monthly_flows(), months[0]
        if flows is None:
            flows, since = self.env["isp.stock.month.report"].with_context(**context), start
        # One read of the flows since the first month, up to now: the months of the trend,
        # and (with the months after it, when it ends in the past) what has changed since
        # its start, so the stock at its start is the value on hand less all of them.
        flow = {
            self._isp_month_key(month): (consumed, change or 0.0)
            for month, consumed, change in flows._read_group(
                [*extra, ("date", ">=", since)], by_month, ["consumed_value:sum", "stock_value:sum"]
            )
        }
        opening = sum(value for _quantity, value in on_hand.values()) - sum(
            change for _consumed, change in flow.values()
        )
        fixes = {
            self._isp_month_key(month): (jobs, fixed)
            for month, jobs, fixed in self.env["isp.first.time.fix.report"]
            .with_context(**context)
            ._read_group(period, by_month, ["__count", "first_time_fix_count:sum"])
        }
        outs = {
            self._isp_month_key(month): incidents
            for month, incidents in self.env["isp.stock.out.report"]
            .with_context(**context)
            ._read_group(period, by_month, ["task_id:count_distinct"])
        }
        trend = []
        stock = opening or 0.0
        for month in months:
            key = self._isp_month_key(month)
            consumed, change = flow.get(key, (0.0, 0.0))
            closing = stock + (change or 0.0)
            days = ((month + relativedelta(months=1)) - month).days
            figures = self._isp_ratio(consumed, stock, closing, days)
            jobs, fixed = fixes.get(key, (0, 0))
            trend.append(
                dict(
                    figures,
                    month=key,
                    stock_value=closing,
                    jobs=jobs,
                    first_time_fix_rate=100.0 * (fixed or 0) / jobs if jobs else 0.0,
                    stock_out_incidents=outs.get(key, 0),
                )
            )
            stock = closing
        return trend

    @api.model
    def _isp_drilldown(self, date_from, date_to, extra):
        """Per dashboard card, the report (or records) behind its figure."""
        start, end = (
            fields.Datetime.to_string(bound)
            for bound in self._isp_period_bounds(date_from, date_to)
        )
        period = [("date", ">=", start), ("date", "<=", end)]
        return {
            "turnover": {
                "name": self.env._("Consumed and Installed"),
                "res_model": "isp.stock.month.report",
                "domain": [*extra, *period, ("consumed", "=", True)],
            },
            # the stock's ins and outs in the period, between its opening and closing
            # value (the whole history up to the end read a million rows at ISP size)
            "days_of_stock": {
                "name": self.env._("Stock Value Flows"),
                "res_model": "isp.stock.month.report",
                "domain": [*extra, *period],
            },
            "first_time_fix": {
                "name": self.env._("First-Time Fix"),
                "res_model": "isp.first.time.fix.report",
                "domain": [*extra, *period],
            },
            "cpe_utilisation": {
                "name": self.env._("CPE Utilisation"),
                "res_model": "isp.cpe.utilisation.report",
                "domain": list(extra),
            },
            "forecast_mape": {
                "name": self.env._("Consumption by Month"),
                "res_model": "isp.stock.month.report",
                "domain": [*extra, ("consumed", "=", True), *period],
            },
            "stock_outs": {
                "name": self.env._("Stock-Out Incidents"),
                "res_model": "isp.stock.out.report",
                "domain": [*extra, *period],
            },
            "fill_rate": {
                "name": self.env._("Issues to Technicians"),
                "res_model": "stock.move",
                "domain": [
                    ("state", "=", "done"),
                    ("picking_id.date_done", ">=", start),
                    ("picking_id.date_done", "<=", end),
                    ("location_id.usage", "=", "internal"),
                    ("location_id.isp_technician_id", "=", False),
                    ("location_dest_id.isp_technician_id", "!=", False),
                ],
            },
            "count_accuracy": {
                "name": self.env._("Stock Counts"),
                "res_model": "isp.stock.count",
                "domain": [
                    ("state", "=", "done"),
                    ("date_done", ">=", start),
                    ("date_done", "<=", end),
                ],
            },
        }
