from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.isp_inventory.models.product_category import ISP_ITEM_CLASSES
from odoo.tools import SQL

from .isp_stock_month_report import IspStockMonthReport

# Done moves younger than this are never summarised: a transaction that validated a
# move a moment before a refresh may commit after it (Odoo's request time limit is far
# shorter), and its move must still be read live.
SUMMARY_LAG = timedelta(hours=1)
# Key of the cursor-local flag (``cr.cache``; the block sets it and removes it) set
# while a change of summarised history runs: the changes it makes in turn (the lines
# of a move being written or deleted) are covered by it. Server state, never the context.
SUMMARY_CHANGE_KEY = "isp_reports.flow_summary_change"


class IspStockFlowMonthReport(models.Model):
    """Monthly stock flows: the stock value flows (isp.stock.month.report) summed by
    month, company, branch, product and consumed-or-not, in the summary's time zone.

    A million done moves make every 12-month read of the flows a scan of a million
    rows. The months before the summary's watermark (``until``, an instant) are read from
    a summary table (``isp_stock_flow_summary``, quantities only); the moves from the
    watermark on are summed live from stock_move. Values are the quantities at the
    products' current standard cost, like the other reports, so a cost change needs
    no refresh.

    Done moves are locked (isp.done.lock.mixin): only an Inventory Administrator's
    correction, a superuser write or a change of what a location is can change a
    summarised month. Each of those takes the flows it changes out of the summary
    before, and puts them back after (`_isp_summary_kept`), in its own transaction.
    An hourly cron brings the watermark up to an hour ago."""

    _name = "isp.stock.flow.month.report"
    _description = "ISP Monthly Stock Flows"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    # a month (a date), not an instant: the export filters it as dates
    _isp_period_field = False
    _isp_export_fields = (
        "date",
        "region_id",
        "warehouse_id",
        "product_id",
        "item_class",
        "consumed",
        "quantity",
        "stock_value",
        "consumed_value",
    )
    # the same inputs as the flows it sums
    _depends = IspStockMonthReport._depends

    date = fields.Date(string="Month", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    item_class = fields.Selection(ISP_ITEM_CLASSES, string="ISP Item Class", readonly=True)
    consumed = fields.Boolean(
        string="Consumed or Installed",
        readonly=True,
        help="The goods went to a customer or a consumption location.",
    )
    quantity = fields.Float(string="Stock Change", readonly=True, aggregator="sum")
    stock_value = fields.Monetary(
        string="Stock Value Change", readonly=True, aggregator="sum", currency_field="currency_id"
    )
    consumed_value = fields.Monetary(readonly=True, aggregator="sum", currency_field="currency_id")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    def init(self):
        """The summary and its one-row state (watermark and time zone). Plain tables:
        they are a cache of done moves, read only through this model."""
        result = super().init()
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS isp_stock_flow_summary (
                    id serial PRIMARY KEY,
                    month date NOT NULL,
                    company_id integer NOT NULL,
                    warehouse_id integer,
                    product_id integer NOT NULL,
                    consumed boolean NOT NULL,
                    quantity numeric NOT NULL
                );
                CREATE INDEX IF NOT EXISTS isp_stock_flow_summary_month_idx
                    ON isp_stock_flow_summary (month);
                CREATE TABLE IF NOT EXISTS isp_stock_flow_summary_state (
                    id integer PRIMARY KEY CHECK (id = 1),
                    until timestamp,
                    tz varchar NOT NULL DEFAULT 'UTC'
                );
                INSERT INTO isp_stock_flow_summary_state (id) VALUES (1)
                    ON CONFLICT (id) DO NOTHING;
                """
            )
        )
        return result

    # ------------------------------------------------------------------
    # Rows
    # ------------------------------------------------------------------
    @api.model
    def _isp_flow_months(self, since, until=None, moves=None):
        """SQL of the flows of the done moves dated in [since, until) summed by
        (month, company_id, warehouse_id, product_id, consumed): ``quantity`` in the
        product's unit, ``first_id`` the smallest flow row id of the group. Months in
        the summary's time zone; since/until are SQL (None: open); ``moves``: SQL of
        an array of the move ids to keep (None: all). One definition of a flow:
        isp.stock.month.report's rows."""
        flows = self.env["isp.stock.month.report"]._table_query
        return SQL(
            """
            SELECT date_trunc('month', timezone(%(tz)s, timezone('UTC', f.date)))::date
                       AS month,
                   f.company_id, f.warehouse_id, f.product_id, f.consumed,
                   SUM(f.quantity) AS quantity, MIN(f.id) AS first_id
              FROM (%(flows)s) f
             WHERE f.date >= %(since)s AND f.date < %(until)s AND %(moves)s
             GROUP BY 1, 2, 3, 4, 5
            """,
            tz=SQL("(SELECT tz FROM isp_stock_flow_summary_state WHERE id = 1)"),
            flows=flows,
            since=SQL("'-infinity'::timestamp") if since is None else since,
            until=SQL("'infinity'::timestamp") if until is None else until,
            moves=SQL("TRUE") if moves is None else SQL("f.move_id = ANY(%s)", moves),
        )

    @api.model
    def _isp_summarise(self, rows, sign=1):
        """Add the grouped flows ``rows`` (SQL of `_isp_flow_months`) to the summary,
        each quantity times ``sign``."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO isp_stock_flow_summary
                       (month, company_id, warehouse_id, product_id, consumed, quantity)
                SELECT month, company_id, warehouse_id, product_id, consumed,
                       %s * quantity
                  FROM (%s) rows
                """,
                sign,
                rows,
            )
        )

    @property
    def _table_query(self):
        live = self._isp_flow_months(
            SQL(
                "COALESCE((SELECT until FROM isp_stock_flow_summary_state WHERE id = 1),"
                " '-infinity'::timestamp)"
            )
        )
        return SQL(
            """
            SELECT f.id, f.month AS date, f.company_id, f.warehouse_id,
                   w.isp_region_id AS region_id, f.product_id,
                   pt.isp_item_class AS item_class, f.consumed, f.quantity,
                   f.quantity * cost.cost AS stock_value,
                   CASE WHEN f.consumed THEN -f.quantity * cost.cost ELSE 0 END
                       AS consumed_value
              FROM (
                  SELECT s.id, s.month, s.company_id, s.warehouse_id, s.product_id,
                         s.consumed, s.quantity
                    FROM isp_stock_flow_summary s
                  UNION ALL
                  -- the live months: negative ids, apart from the summary's (each
                  -- flow row is in one group: its smallest row id is the group's)
                  SELECT -live.first_id,
                         live.month, live.company_id, live.warehouse_id, live.product_id,
                         live.consumed, live.quantity
                    FROM (%(live)s) live
              ) f
              JOIN product_product pp ON pp.id = f.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN stock_warehouse w ON w.id = f.warehouse_id
              CROSS JOIN LATERAL (
                  SELECT COALESCE((pp.standard_price ->> f.company_id::text)::numeric, 0)
                             AS cost
              ) cost
            """,
            live=live,
        )

    # ------------------------------------------------------------------
    # The summary
    # ------------------------------------------------------------------
    @api.model
    def _isp_summary_state(self, lock=False):
        """(watermark, time zone name) of the summary; ``lock``: hold its state row
        until the end of the transaction (refreshes and corrections take turns; one
        that read an older state fails to serialize and is retried)."""
        self.env.cr.execute(
            SQL(
                "SELECT until, tz FROM isp_stock_flow_summary_state WHERE id = 1 %s",
                SQL("FOR UPDATE") if lock else SQL(),
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _isp_month_start(self, instant, tz_name):
        """(first day of the month of the naive UTC ``instant`` in ``tz_name``, that
        day's first instant as naive UTC)."""
        local = self.with_context(tz=tz_name)
        month = fields.Datetime.context_timestamp(local, instant).date().replace(day=1)
        return month, local._isp_period_bounds(month, None)[0]

    @api.model
    def _isp_refresh_flow_summary(self, full=False):
        """Summarise the done moves up to an hour ago: the month of the watermark is
        summed again from its start, the months before it are kept. ``full`` (or a new
        time zone, or no watermark yet) sums every month. Returns the new watermark.

        The time zone is the company's (its partner's), else UTC; the dashboard reads
        the summary when the user's time zone is the same. Cron (superuser)."""
        self.env.flush_all()
        until, tz_name = self._isp_summary_state(lock=True)
        wanted_tz = self.env.company.partner_id.tz or "UTC"
        watermark = fields.Datetime.now().replace(microsecond=0) - SUMMARY_LAG
        cr = self.env.cr
        if full or until is None or tz_name != wanted_tz:
            cr.execute(SQL("DELETE FROM isp_stock_flow_summary"))
            cr.execute(
                SQL(
                    "UPDATE isp_stock_flow_summary_state SET tz = %s WHERE id = 1",
                    wanted_tz,
                )
            )
            since = None
        else:
            month, since = self._isp_month_start(until, tz_name)
            cr.execute(SQL("DELETE FROM isp_stock_flow_summary WHERE month >= %s", month))
        self._isp_summarise(
            self._isp_flow_months(None if since is None else SQL("%s", since), SQL("%s", watermark))
        )
        cr.execute(
            SQL("UPDATE isp_stock_flow_summary_state SET until = %s WHERE id = 1", watermark)
        )
        return watermark

    @contextmanager
    def _isp_summary_kept(self, moves=None, locations=None):
        """Around a change of summarised history (done ``moves``, or ``locations``):
        its flows are taken out of the summary before and put back after, so the
        summary stays exact in the same transaction. Inside another such change, the
        outer one covers it."""
        cache = self.env.cr.cache
        if cache.get(SUMMARY_CHANGE_KEY):
            yield
            return
        self._isp_summary_delta(-1, moves=moves, locations=locations)
        cache[SUMMARY_CHANGE_KEY] = True
        try:
            yield
        finally:
            cache.pop(SUMMARY_CHANGE_KEY, None)
        self._isp_summary_delta(
            1, moves=None if moves is None else moves.exists(), locations=locations
        )

    @api.model
    def _isp_summary_delta(self, sign, moves=None, locations=None):
        """Take out (``sign`` -1, before a change) or put back (+1, after it) the
        summarised flows of done ``moves``, or of every done move from or to
        ``locations`` and the locations under them: around a change of summarised
        history, the summary stays exact in the same transaction. No watermark yet
        (nothing summarised), or inside a change that covers this one: nothing to do."""
        if self.env.cr.cache.get(SUMMARY_CHANGE_KEY):
            return
        self.env.flush_all()
        until = self._isp_summary_state(lock=True)[0]
        if until is None:
            return
        if moves is not None:
            ids = moves.ids
        else:
            # sudo, archived included: the summary holds every company's moves, whatever
            # locations the user may read, and archived locations keep their moves
            under = (
                self.env["stock.location"]
                .sudo()
                .with_context(active_test=False)
                .search([("id", "child_of", locations.ids)])
            )
            self.env.cr.execute(
                SQL(
                    """
                    SELECT m.id FROM stock_move m
                     WHERE m.state = 'done' AND m.date < %s
                       AND (m.location_id = ANY(%s) OR m.location_dest_id = ANY(%s))
                    """,
                    until,
                    under.ids,
                    under.ids,
                )
            )
            ids = [move_id for (move_id,) in self.env.cr.fetchall()]
        if ids:
            self._isp_summarise(self._isp_flow_months(None, SQL("%s", until), SQL("%s", ids)), sign)

    @api.model
    def _isp_older_than_lag(self, dates):
        """Whether one of these move dates may be summarised: a watermark is always an
        hour old or more, so younger dates need no query."""
        dates = [date for date in dates if date]
        return bool(dates) and min(dates) < fields.Datetime.now() - SUMMARY_LAG
