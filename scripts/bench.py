"""Benchmark of the ISP flows on a generated branch (`make bench`).

Run by scripts/bench.sh inside the Odoo environment: builds a branch with technicians
and serial-tracked CPE, then times the operations staff repeat all day (receive, issue
to vans, install at customers, take back, technician holdings, report queries) and
prints one line per figure. Everything runs in one transaction that is rolled back,
so the benchmark database stays as it was and runs are comparable.

Sizes: BENCH_TECHNICIANS (default 20), BENCH_SERIALS (default 400), BENCH_INSTALLS
(default 100, at most BENCH_SERIALS).
"""

import os
import resource
import sys
import time
from contextlib import contextmanager

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config

TECHNICIANS = int(os.environ.get("BENCH_TECHNICIANS", 20))  # at least 1
SERIALS = int(os.environ.get("BENCH_SERIALS", 400))
INSTALLS = min(int(os.environ.get("BENCH_INSTALLS", 100)), SERIALS)
REPORT_MODELS = [
    "isp.stock.region.report",
    "isp.stock.aging.report",
    "isp.technician.consumption.report",
    "isp.loss.variance.report",
    "isp.product.movement.report",
    "isp.installation.cost.report",
]


@contextmanager
def timed(label, count=1, unit="op"):
    """Print the wall time of the block, and per `unit` when `count` > 1."""
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    per = f"  ({elapsed / count * 1000:8.1f} ms/{unit}, n={count})" if count > 1 else ""
    print(f"{label:<48} {elapsed * 1000:10.1f} ms{per}", flush=True)


def build(env):
    """A region, a branch, technicians (with users), customers and a CPE product."""
    region = env["isp.region"].create({"name": "Bench Region", "code": "BNR"})
    branch = env["stock.warehouse"].create(
        {"name": "Bench Branch", "code": "BNB", "isp_region_id": region.id}
    )
    group = env.ref("isp_inventory.group_isp_technician")
    users = env["res.users"].create(
        [
            {"name": f"Bench Tech {n}", "login": f"bench_tech_{n}", "group_ids": [(4, group.id)]}
            for n in range(TECHNICIANS)
        ]
    )
    with timed("create technicians (van, kit, van rule)", TECHNICIANS, "technician"):
        technicians = env["isp.technician"].create(
            [{"user_id": user.id, "warehouse_id": branch.id} for user in users]
        )
    customers = env["res.partner"].create(
        [{"name": f"Bench Customer {n}"} for n in range(INSTALLS)]
    )
    ont = env["product.product"].create(
        {
            "name": "Bench ONT",
            "categ_id": env.ref("isp_inventory.product_category_cpe").id,
            "standard_price": 45.0,
        }
    )
    storekeeper = env["res.users"].create(
        {
            "name": "Bench Storekeeper",
            "login": "bench_store",
            "group_ids": [(4, env.ref("isp_inventory.group_isp_storekeeper").id)],
        }
    )
    return branch, technicians, customers, ont, storekeeper


def run(env):
    branch, technicians, customers, ont, storekeeper = build(env)
    picking = env["stock.picking"]
    lots = env["stock.lot"].create(
        [{"name": f"BENCH-ONT-{n:06d}", "product_id": ont.id} for n in range(SERIALS)]
    )
    with timed("receive serials into the branch (1 transfer)", SERIALS, "serial"):
        picking._isp_create_done(
            branch.in_type_id,
            env.ref("stock.stock_location_suppliers"),
            branch.lot_stock_id,
            [(ont, 1, lot) for lot in lots],
        )

    per_van = max(SERIALS // TECHNICIANS, 1)
    issued = env["stock.picking"]
    with timed("issue serials to vans (approved transfers)", TECHNICIANS, "transfer"):
        for index, technician in enumerate(technicians):
            batch = lots[index * per_van : (index + 1) * per_van]
            if not batch:
                break
            transfer = picking.with_user(storekeeper)._isp_create_ready(
                branch.int_type_id,
                branch.lot_stock_id,
                technician.vehicle_location_id,
                [(ont, 1, lot) for lot in batch],
            )
            transfer = transfer.with_env(env)  # approved by the administrator
            transfer.action_isp_approve()
            issued |= transfer._isp_validate_now()

    in_vans = lots.filtered(lambda lot: lot.location_id.isp_technician_id)[:INSTALLS]
    with timed("install a serial at a customer", len(in_vans), "install"):
        for lot, customer in zip(in_vans, customers, strict=False):
            technician = lot.location_id.isp_technician_id
            lot._isp_install(technician, customer, latitude=-1.28, longitude=36.82)

    take_back = in_vans[: max(len(in_vans) // 10, 1)]
    with timed("take back a faulty serial to quarantine", len(take_back), "return"):
        for lot in take_back:
            lot._isp_take_back(
                lot.isp_installed_by_id, lot.isp_customer_id, faulty=True, reason="bench"
            )

    counted = technicians.filtered(lambda t: t.quant_ids)[:5]
    with timed("count a van and kit, one serial missing", len(counted), "count"):
        for technician in counted:
            count = env["isp.stock.count"].create({"technician_id": technician.id})
            count.action_start()
            line = count.line_ids.filtered("lot_id")[:1]
            line.write({"counted_qty": 0, "reason": "lost"})
            count.action_apply()

    env.invalidate_all()
    with timed("technician holdings (stock held and value)", TECHNICIANS, "technician"):
        technicians.mapped("stock_value")

    env.invalidate_all()
    with timed("count serials by lifecycle state (stored)"):
        counts = env["stock.lot"]._read_group(
            [("product_id", "=", ont.id)], ["isp_state"], ["__count"]
        )
    print(f"{'':<48} states: {dict(counts)}")

    env.flush_all()
    if "isp.kpi" in env:
        env.invalidate_all()
        with timed("KPIs (isp.kpi.get_kpis, this month)"):
            env["isp.kpi"].get_kpis()
    for model in REPORT_MODELS:
        if model not in env:
            continue
        env.invalidate_all()
        with timed(f"report {model} (read every row)"):
            rows = env[model].search_read([], limit=None)
        print(f"{'':<48} rows: {len(rows)}")


def main():
    database = sys.argv[1]
    config.parse_config(["-c", os.environ["ISP_ODOO_CONF"], "-d", database, "--log-level=warn"])
    registry = Registry(database)
    print(
        f"ISP benchmark on {database}: {TECHNICIANS} technicians, {SERIALS} serials, "
        f"{INSTALLS} installs"
    )
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": False})
        env = env(user=env.ref("base.user_admin").id)
        start = time.perf_counter()
        try:
            run(env)
        finally:
            cr.rollback()
    total = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'total':<48} {total * 1000:10.1f} ms")
    print(f"{'peak memory (RSS) of the benchmark process':<48} {peak_mb:10.1f} MB")


if __name__ == "__main__":
    main()
