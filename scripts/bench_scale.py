"""Reports and screens on a database of ISP size (`make bench-scale`, after `make seed`).

Each read runs as the user who waits for it, through the public method the web client
calls (`odoo.service.model.execute_cr`, the path of JSON-RPC), in its own transaction
with empty caches: 3 runs each, min / median / max ms and the median query count.

- Every ISP report: the screen its menu opens (the action's first view: a pivot opens with
  its rows and columns, read by `formatted_read_grouping_sets` as the web client does; a
  list reads its first page of 80 with `web_search_read`), then a full grouped read
  (month x product), each against the same grouping read by Odoo's ORM from
  `stock.move.line` or `stock.quant` (`formatted_read_group`), which is what one would do
  without the report.
- Screens: serial lookup by name (the search box and the autocomplete), what a customer
  has got, the scan lookup, a technician's My Stock, the storekeeper's technician cards,
  and the monthly count of 100 technicians (create, start, apply: three calls).
- Reads over the target get the EXPLAIN (ANALYZE, BUFFERS) of their slowest query.
- "This month" (the reports' opening filters, the KPIs and the dashboard) is the last full
  month of data, so that a period holds as many moves as a user at a month's end meets.

Usage (scripts/bench_scale.sh): bench_scale.py <db>. Writes docs/benchmarks-scale.md unless
BENCH_WRITE_DOCS=0.
"""

import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

from dateutil.relativedelta import relativedelta
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import QueryLog, Timer, explain, log, machine, shorten  # noqa: E402

from odoo import api, fields  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.service.model import execute_cr  # noqa: E402
from odoo.tools import config  # noqa: E402
from odoo.tools.safe_eval import safe_eval  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_SCALE_RUNS", 3))
COUNT_TECHNICIANS = int(os.environ.get("BENCH_SCALE_COUNT_TECHNICIANS", 100))
# report models to time alone (comma-separated; screens and the count are then skipped)
ONLY = [name for name in os.environ.get("BENCH_SCALE_ONLY", "").split(",") if name]
WRITE_DOCS = os.environ.get("BENCH_WRITE_DOCS", "1") == "1"
SCREEN_TARGET_MS, LOOKUP_TARGET_MS, REPORT_TARGET_MS = 1000, 100, 1000
COUNT_TARGET_MS = 60_000
STORE_USER_LOGIN = "bench_scale_store"

DONE_OUT_OF_VANS = [
    ("state", "=", "done"),
    ("location_id.isp_technician_id", "!=", False),
    ("location_dest_id.usage", "in", ["customer", "inventory"]),
]
# report model -> (ORM model, domain, groupby of the full read, aggregates): the same
# question answered from Odoo's own tables without the report
ORM_EQUIVALENT = {
    "isp.stock.region.report": (
        "stock.quant",
        [("location_id.usage", "in", ["internal", "transit"])],
        ["location_id", "product_id"],
        ["quantity:sum", "value:sum"],
    ),
    "isp.stock.aging.report": (
        "stock.quant",
        [("location_id.usage", "in", ["internal", "transit"])],
        ["in_date:month", "product_id"],
        ["quantity:sum", "value:sum"],
    ),
    "isp.technician.consumption.report": (
        "stock.move.line",
        DONE_OUT_OF_VANS,
        ["date:month", "product_id"],
        ["quantity:sum"],
    ),
    "isp.loss.variance.report": (
        "stock.move.line",
        [("state", "=", "done"), ("location_dest_id.usage", "=", "inventory")],
        ["date:month", "product_id"],
        ["quantity:sum"],
    ),
    "isp.product.movement.report": (
        "stock.move.line",
        [
            ("state", "=", "done"),
            ("location_id.usage", "=", "internal"),
            ("location_id.isp_technician_id", "=", False),
            "|",
            ("location_dest_id.isp_technician_id", "!=", False),
            ("location_dest_id.usage", "=", "customer"),
        ],
        ["date:month", "product_id"],
        ["quantity:sum"],
    ),
    "isp.installation.cost.report": (
        "stock.move.line",
        [("state", "=", "done"), ("picking_id.isp_task_id", "!=", False)],
        ["date:month", "picking_id"],
        ["quantity:sum"],
    ),
    "isp.stock.month.report": (
        "stock.move",
        [("state", "=", "done")],
        ["date:month", "product_id"],
        ["quantity:sum"],
    ),
    "isp.stock.flow.month.report": (
        "stock.move",
        [("state", "=", "done")],
        ["date:month", "product_id"],
        ["quantity:sum"],
    ),
    "isp.first.time.fix.report": (
        "project.task",
        [("state", "=", "1_done"), ("isp_completed_date", "!=", False)],
        ["isp_completed_date:month", "isp_technician_id"],
        ["__count"],
    ),
    "isp.stock.out.report": (
        "stock.move",
        [("state", "=", "done"), ("isp_task_id", "!=", False)],
        ["date:month", "product_id"],
        ["quantity:sum"],
    ),
    "isp.cpe.utilisation.report": (
        "stock.lot",
        [("isp_state", "in", ["installed", "in_stock", "with_technician"])],
        ["product_id", "isp_state"],
        ["__count"],
    ),
    "isp.refurbishment.report": (
        "isp.refurbishment",
        [],
        ["date_received:month", "product_id"],
        ["__count"],
    ),
}
REPORT_FULL_READ = {  # the report's own grouped read: groupby, aggregates
    "isp.stock.region.report": (["location_id", "product_id"], ["quantity:sum"]),
    "isp.stock.aging.report": (["in_date:month", "product_id"], ["quantity:sum"]),
    "isp.installation.cost.report": (["date:month", "job_type_id"], ["material_cost:sum"]),
    "isp.first.time.fix.report": (["date:month", "technician_id"], ["first_time_fix_count:sum"]),
    "isp.stock.out.report": (["date:month", "product_id"], ["missing_qty:sum"]),
    "isp.cpe.utilisation.report": (["product_id", "status"], ["installed:sum"]),
    "isp.refurbishment.report": (["date:month", "product_id"], ["graded_count:sum"]),
}


class Scale:
    def __init__(self, registry):
        self.registry = registry
        self.rows = []  # (section, label, samples, target_ms, note)
        self.sql_ms = {}  # label -> time the last run spent in PostgreSQL
        self.groups = {}  # label of a full grouped read -> its number of groups
        self.explains = []

    def rpc(self, uid, model, method, args, kwargs=None):
        with self.registry.cursor() as cr:
            return execute_cr(cr, uid, model, method, args, kwargs or {})

    def env(self, cr, uid=api.SUPERUSER_ID):
        return api.Environment(cr, uid, {})

    def time(self, section, label, uid, model, method, args, kwargs=None, target=None, note=""):
        """RUNS timed calls (after one untimed warm-up); the slowest query of the last is
        kept for EXPLAIN when the median is over the target."""
        self.rpc(uid, model, method, args, kwargs)
        samples = []
        result = None
        for run in range(RUNS):
            last = run == RUNS - 1
            with Timer(diagnose=last) as timer:
                result = self.rpc(uid, model, method, args, kwargs)
            samples.append((timer.ms, timer.queries))
            if last:
                query_log = timer.query_log
        row = (section, label, samples, target, note)
        self.rows.append(row)
        self.sql_ms[label] = sum(delay for _n, delay, _p in query_log.stats.values()) * 1000
        median = statistics.median(ms for ms, _q in samples)
        log(f"  {label}: median {median:.0f} ms, {samples[-1][1]} queries")
        if target and median > target:
            self.explain_slowest(label, query_log)
        return result

    def explain_slowest(self, label, query_log: QueryLog):
        for text, (_n, _delay, params) in query_log.top(1):
            plan = explain(self, text, params)
            self.explains.append((label, shorten(text, 400), plan))


# ----------------------------------------------------------------------
# The actors
# ----------------------------------------------------------------------
def actors(scale):
    """(manager uid, storekeeper uid, technician record as dict): the technician who
    holds the most; a storekeeper is created once if the data has none."""
    with scale.registry.cursor() as cr:
        env = scale.env(cr)
        manager = env.ref("base.user_admin")
        store_group = env.ref("isp_inventory.group_isp_storekeeper")
        manager_group = env.ref("isp_inventory.group_isp_manager")
        store = env["res.users"].search(
            [("group_ids", "in", store_group.ids), ("group_ids", "not in", manager_group.ids)],
            limit=1,
        )
        if not store:
            store = env["res.users"].create(
                {
                    "name": "Scale Bench Storekeeper",
                    "login": STORE_USER_LOGIN,
                    "group_ids": [(6, 0, store_group.ids)],
                }
            )
        cr.execute(
            """SELECT t.id, t.user_id FROM isp_technician t
               JOIN stock_location l ON l.isp_technician_id = t.id
               JOIN stock_quant q ON q.location_id = l.id
               WHERE t.active GROUP BY t.id ORDER BY count(q.id) DESC, t.id LIMIT 1"""
        )
        tech_id, tech_uid = cr.fetchone()
        return manager.id, store.id, tech_id, tech_uid


def samples_of(env):
    """A few real values to look up: a serial at a customer, its customer, a MAC."""
    cr = env.cr
    cr.execute(
        """SELECT l.name, l.isp_customer_id, l.isp_mac_address FROM stock_lot l
           WHERE l.isp_state = 'installed' AND l.isp_customer_id IS NOT NULL
           ORDER BY l.id DESC LIMIT 1"""
    )
    return cr.fetchone()


# ----------------------------------------------------------------------
# Reports
# ----------------------------------------------------------------------
def view_spec(env, model, view_type, view_id=False):
    """The fields of a view as the web client asks for them (web_search_read spec)."""
    views = env[model].get_views([[view_id, view_type]])
    fields = views["models"][model]["fields"]
    spec = {}
    for name, desc in fields.items():
        if desc["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    arch = etree.fromstring(views["views"][view_type]["arch"])
    return spec, arch


def report_actions(env):
    actions = env["ir.actions.act_window"].search(
        [("res_model", "in", list(ORM_EQUIVALENT)), ("domain", "=", False)]
    )
    first = {}
    for action in actions.sorted("id"):
        first.setdefault(action.res_model, action)
    return first


def data_today(env):
    """The last day of the last full month of data: the month before the one of the last
    done move. "This month" then holds a whole month of moves, the most a user meets; the
    current month of a seed made some days ago (or of a month just begun) holds a
    handful and looks fast."""
    last = env["stock.move"].search([("state", "=", "done")], order="date desc", limit=1).date
    today = fields.Date.context_today(env.user)
    day = fields.Date.context_today(env.user, last) if last else today
    return day.replace(day=1) - relativedelta(days=1)


def opening_state(env, action, model):
    """The domain and groupby the web client opens the action with: its context's
    `search_default_*` filters (a domain filter, evaluated as the client does with
    today's date; a date filter over its `default_period` in the user's timezone; a
    group-by filter), all combined with AND."""
    context = safe_eval(action.context or "{}", {"uid": env.uid})
    views = env[model].get_views([[action.search_view_id.id or False, "search"]])
    arch = etree.fromstring(views["views"]["search"]["arch"])
    today = data_today(env)
    domain, groupby = [], []
    for node in arch.iter("filter"):
        if not context.get(f"search_default_{node.get('name')}"):
            continue
        if node.get("domain"):
            values = {"context_today": lambda: today, "relativedelta": relativedelta}
            domain += safe_eval(node.get("domain"), values)
        elif node.get("date"):
            period = node.get("default_period", "month")
            first = today.replace(day=1) if period == "month" else today.replace(month=1, day=1)
            last = first + relativedelta(months=1 if period == "month" else 12, days=-1)
            if env[model]._fields[node.get("date")].type == "datetime":
                first, last = env["isp.report.mixin"]._isp_period_bounds(first, last)
            domain += [(node.get("date"), ">=", first), (node.get("date"), "<=", last)]
        elif node.get("context"):
            group_by = safe_eval(node.get("context")).get("group_by")
            groupby += [group_by] if isinstance(group_by, str) else list(group_by or [])
    return domain, groupby


def pivot_axis(arch, kind):
    """The pivot's row or col groupbys, with their date interval (``date:month``)."""
    return [
        ":".join(filter(None, (f.get("name"), f.get("interval"))))
        for f in arch.iter("field")
        if f.get("type") == kind
    ]


def bench_reports(scale, manager):
    log("==> reports (as the manager)")
    with scale.registry.cursor() as cr:
        env = scale.env(cr, manager)
        today = data_today(env)
        plans = []
        for model, action in report_actions(env).items():
            if ONLY and model not in ONLY:
                continue
            view_type = action.view_mode.split(",")[0]
            spec, arch = view_spec(env, model, view_type)
            domain, groupby = opening_state(env, action, model)
            plans.append((model, action.name, view_type, spec, arch, domain, groupby))
    for model, name, view_type, spec, arch, domain, groupby in plans:
        if view_type == "pivot" and not groupby:
            rows, cols = pivot_axis(arch, "row"), pivot_axis(arch, "col")
            measures = [
                f"{f.get('name')}:sum" for f in arch.iter("field") if f.get("type") == "measure"
            ] or ["__count"]
            sets = [rows[:i] + cols[:j] for i in range(len(rows) + 1) for j in range(len(cols) + 1)]
            scale.time(
                "reports",
                f"{name}: opening pivot",
                manager,
                model,
                "formatted_read_grouping_sets",
                [domain, sets, measures],
                target=REPORT_TARGET_MS,
            )
        elif view_type == "list" and groupby:
            sums = [f"{f.get('name')}:sum" for f in arch.iter("field") if f.get("sum")]
            scale.time(
                "reports",
                f"{name}: first page ({view_type} grouped by {', '.join(groupby)})",
                manager,
                model,
                "web_read_group",
                [domain, groupby[:1], sums],
                {"limit": 80},
                target=REPORT_TARGET_MS,
            )
        else:
            scale.time(
                "reports",
                f"{name}: first page (80)",
                manager,
                model,
                "web_search_read",
                [domain, spec],
                {"limit": 80, "count_limit": 10001},
                target=REPORT_TARGET_MS,
            )
        orm_model, orm_domain, groupby, aggregates = ORM_EQUIVALENT[model]
        own_groupby, own_aggregates = REPORT_FULL_READ.get(
            model, (["date:month", "product_id"], ["quantity:sum"])
        )
        full = f"{name}: full grouped read ({' x '.join(own_groupby)})"
        groups = scale.time(
            "reports",
            full,
            manager,
            model,
            "formatted_read_group",
            [[], own_groupby, own_aggregates],
            target=REPORT_TARGET_MS,
        )
        scale.groups[full] = len(groups)
        scale.time(
            "reports",
            f"{name}: the same from {orm_model} (ORM)",
            manager,
            orm_model,
            "formatted_read_group",
            [orm_domain, groupby, aggregates],
        )
    month = [str(today.replace(day=1)), str(today)]
    scale.time("reports", "KPIs (the last full month)", manager, "isp.kpi", "get_kpis", month)
    scale.time(
        "reports",
        "Dashboard (the last full month, with 12 months of trends)",
        manager,
        "isp.kpi",
        "get_dashboard",
        month,
        target=REPORT_TARGET_MS,
    )


# ----------------------------------------------------------------------
# Screens
# ----------------------------------------------------------------------
def bench_screens(scale, manager, store, tech_id, tech_uid):
    with scale.registry.cursor() as cr:
        env = scale.env(cr)
        serial, customer_id, mac = samples_of(env)
        # the technician scans a serial he may see: one he installed (the latest)
        env.cr.execute(
            """SELECT name FROM stock_lot WHERE isp_installed_by_id = %s
               ORDER BY id DESC LIMIT 1""",
            [tech_id],
        )
        tech_serial = (env.cr.fetchone() or [serial])[0]
        lot_spec, _arch = view_spec(env(user=store), "stock.lot", "list")
        quant_spec, _arch = view_spec(
            env(user=tech_uid),
            "stock.quant",
            "kanban",
            env.ref("isp_field_service.stock_quant_view_kanban_isp_my_stock").id,
        )
        tech_spec, _arch = view_spec(env(user=store), "isp.technician", "kanban")
    log(f"==> screens (serial {serial}, customer {customer_id}, technician {tech_id})")
    scale.time(
        "screens",
        "serial lookup: search box (storekeeper)",
        store,
        "stock.lot",
        "web_search_read",
        [[("name", "ilike", serial)], lot_spec],
        {"limit": 80, "count_limit": 10001},
        target=LOOKUP_TARGET_MS,
    )
    scale.time(
        "screens",
        "serial lookup: autocomplete (storekeeper)",
        store,
        "stock.lot",
        "name_search",
        [serial],
        {"limit": 8},
        target=LOOKUP_TARGET_MS,
    )
    scale.time(
        "screens",
        "what the customer has got (storekeeper)",
        store,
        "stock.lot",
        "web_search_read",
        [[("isp_customer_id", "=", customer_id)], lot_spec],
        {"limit": 80, "count_limit": 10001},
        target=LOOKUP_TARGET_MS,
    )
    scale.time(
        "screens",
        "scan lookup of a serial (technician)",
        tech_uid,
        "isp.scan",
        "isp_lookup",
        [tech_serial],
        target=LOOKUP_TARGET_MS,
    )
    if mac:
        scale.time(
            "screens",
            "scan lookup of a MAC (storekeeper)",
            store,
            "isp.scan",
            "isp_lookup",
            [mac],
            target=LOOKUP_TARGET_MS,
        )
    scale.time(
        "screens",
        "My Stock (technician)",
        tech_uid,
        "stock.quant",
        "web_search_read",
        [
            [("location_id.isp_technician_id.user_id", "=", tech_uid), ("quantity", ">", 0)],
            quant_spec,
        ],
        {"limit": 40, "count_limit": 10001},
        target=SCREEN_TARGET_MS,
    )
    scale.time(
        "screens",
        "technician cards (storekeeper)",
        store,
        "isp.technician",
        "web_search_read",
        [[], tech_spec],
        {"limit": 40, "count_limit": 10001},
        target=SCREEN_TARGET_MS,
    )


def bench_count(scale, store):
    """The monthly count of COUNT_TECHNICIANS technicians: one call each to create,
    start and apply (every line counted as expected). Timed once: it changes data."""
    with scale.registry.cursor() as cr:
        cr.execute(
            """SELECT t.id FROM isp_technician t WHERE t.active AND NOT EXISTS (
                   SELECT 1 FROM isp_stock_count c WHERE c.technician_id = t.id
                   AND c.state NOT IN ('done', 'cancel'))
               ORDER BY t.id LIMIT %s""",
            [COUNT_TECHNICIANS],
        )
        tech_ids = [row[0] for row in cr.fetchall()]
    log(f"==> monthly count of {len(tech_ids)} technicians (storekeeper)")
    samples = []
    with Timer() as timer:
        count_ids = scale.rpc(
            store,
            "isp.stock.count",
            "create",
            [[{"technician_id": t, "kind": "monthly"} for t in tech_ids]],
        )
    samples.append(("create", timer.ms, timer.queries))
    for step in ("action_start", "action_apply"):
        with Timer() as timer:
            scale.rpc(store, "isp.stock.count", step, [count_ids])
        samples.append((step, timer.ms, timer.queries))
    total = sum(ms for _s, ms, _q in samples)
    with scale.registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM isp_stock_count_line WHERE count_id = ANY(%s)", [count_ids]
        )
        lines = cr.fetchone()[0]
    note = ", ".join(f"{s} {ms / 1000:.1f} s / {q} queries" for s, ms, q in samples)
    scale.rows.append(
        (
            "count",
            f"monthly count of {len(tech_ids)} technicians ({lines} lines)",
            [(total, sum(q for _s, _ms, q in samples))],
            COUNT_TARGET_MS,
            note,
        )
    )
    log(f"  {note}")


# ----------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------
def sizes(scale):
    with scale.registry.cursor() as cr:
        cr.execute(
            """SELECT (SELECT count(*) FROM isp_technician),
                      (SELECT count(*) FROM stock_warehouse),
                      (SELECT count(*) FROM stock_lot),
                      (SELECT count(*) FROM stock_lot WHERE isp_state = 'installed'),
                      (SELECT count(*) FROM stock_move_line WHERE state = 'done'),
                      (SELECT count(*) FROM stock_quant),
                      (SELECT count(*) FROM res_partner)"""
        )
        names = ("technicians", "branches", "serials", "installed", "done move lines")
        names += ("quants", "partners")
        return dict(zip(names, cr.fetchone(), strict=True))


def lines_of(scale):
    out = ["| read | min ms | median ms | max ms | SQL ms | queries | target | ok |"]
    out.append("|---|---:|---:|---:|---:|---:|---:|:-:|")
    for _section, label, samples, target, _note in scale.rows:
        times = [ms for ms, _q in samples]
        median = statistics.median(times)
        ok = "" if not target else ("yes" if median <= target else "**no**")
        sql = scale.sql_ms.get(label)
        out.append(
            f"| {label} | {min(times):.0f} | {median:.0f} | {max(times):.0f} "
            f"| {'' if sql is None else f'{sql:.0f}'} | {samples[-1][1]} | {target or ''} | {ok} |"
        )
    return out


def ratio_lines(scale):
    """Report's full grouped read against the ORM's, per report."""
    by_label = {label: samples for _s, label, samples, _t, _n in scale.rows}
    out = []
    for label, samples in by_label.items():
        if ": full grouped read" not in label:
            continue
        name = label.split(": full grouped read")[0]
        orm = next((s for k, s in by_label.items() if k.startswith(f"{name}: the same")), None)
        if orm:
            mine = statistics.median(ms for ms, _q in samples)
            theirs = statistics.median(ms for ms, _q in orm)
            orm_label = next(k for k in by_label if k.startswith(f"{name}: the same"))
            sql_mine, sql_theirs = scale.sql_ms.get(label, 0), scale.sql_ms.get(orm_label, 0)
            groups = scale.groups.get(label, 0)
            if not groups:
                # an empty report is not fast: the seed made none of its rows
                out.append(f"- {name}: no ratio: the data has no rows for this report")
                continue
            out.append(
                f"- {name}: ORM / report = {theirs / mine:.1f}x; {groups:,}"
                f" groups; in PostgreSQL: report {sql_mine:.0f} ms of {mine:.0f}, ORM"
                f" {sql_theirs:.0f} ms of {theirs:.0f}"
            )
    return out


def write_docs(scale, header):
    doc = ["# Reports and screens at ISP size (`make bench-scale`)", ""]
    doc += ["Written by scripts/bench_scale.py; see its docstring for the method.", ""]
    doc += header + ["", "## Figures", ""] + lines_of(scale)
    doc += ["", "SQL ms: the time the last run spent in PostgreSQL (its queries' sum)."]
    doc += ["", "## The report's grouped read against Odoo's ORM on the same rows", ""]
    doc += ratio_lines(scale)
    doc += [
        "",
        "What is not spent in PostgreSQL is Odoo's own work on the result, the same for the",
        "report and the ORM: `formatted_read_group` builds a domain, a display name and a",
        "dictionary per group (web/models/models.py `_web_read_group_format`). A full",
        "read of thousands of groups (24 months x 300 products) spends hundreds of ms on",
        "it whatever the query, which caps how much faster than the ORM a report's full",
        "grouped read can be.",
    ]
    notes = [f"- {label}: {note}" for _s, label, _x, _t, note in scale.rows if note]
    if notes:
        doc += ["", "## Notes", ""] + notes
    if scale.explains:
        doc += ["", "## Over the target: the slowest query's plan", ""]
        for label, text, plan in scale.explains:
            doc += [f"### {label}", "", "```sql", text, "```", "", "```"] + plan + ["```", ""]
    path = ROOT / "docs" / "benchmarks-scale.md"
    path.write_text("\n".join(doc) + "\n")
    log(f"==> wrote {path}")


def main():
    db = sys.argv[1]
    config.parse_config(["-c", os.environ["ISP_ODOO_CONF"], "-d", db, "--log-level=warn"])
    started = time.perf_counter()
    scale = Scale(Registry(db))
    manager, store, tech_id, tech_uid = actors(scale)
    with scale.registry.cursor() as cr:
        env = scale.env(cr, manager)
        last = data_today(env)
        start, end = env["isp.report.mixin"]._isp_period_bounds(last.replace(day=1), last)
        moves = env["stock.move"].search_count(
            [("state", "=", "done"), ("date", ">=", start), ("date", "<=", end)]
        )
    header = [
        f"- date: {datetime.now():%Y-%m-%d %H:%M}; database {db}",
        f"- machine: {machine()}",
        "- data: " + ", ".join(f"{v:,} {k}" for k, v in sizes(scale).items()),
        f'- "this month": {last:%B %Y}, the last full month of data ({moves:,} done moves)',
        f"- each read: {RUNS} runs after a warm-up, as its user, each in its own transaction",
    ]
    for line in header:
        log(line)
    bench_reports(scale, manager)
    if not ONLY:
        bench_screens(scale, manager, store, tech_id, tech_uid)
    if COUNT_TECHNICIANS and not ONLY:
        bench_count(scale, store)
    log("")
    for line in lines_of(scale) + [""] + ratio_lines(scale):
        log(line)
    header.append("- load average at the end: " + " / ".join(f"{x:.1f}" for x in os.getloadavg()))
    if WRITE_DOCS:
        write_docs(scale, header)
    log(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
