"""Benchmark of what a user waits for, at two data sizes (`make bench`).

Run by scripts/bench.sh inside the Odoo environment, on two databases with the three ISP
addons and no demo data:

1. Data. A deterministic generator (fixed seed) fills each database once, in committed
   batches: branches of BENCH_TECHS_PER_BRANCH technicians (users in the Technician
   group), customers, eight consumables and two serial-tracked CPE products, and S serials
   received into the branches, issued to the vans (approved issuances) and about half of
   them installed at customers. Small: 20 technicians / 400 serials; large: BENCH_FACTOR
   (default 10) times that. An `ir.config_parameter` marks the data, so the next run
   reuses it (scripts/bench.sh drops a database whose data is of another size).
2. Each run prepares what its operations need (committed, not timed: serials topped up
   in the vans, customers, open jobs, draft counts), then times every operation AS THE
   ACTING USER through its PUBLIC RPC method (`odoo.service.model.execute_cr`, the code
   path of XML-RPC/JSON-RPC), each in its own transaction, committed, with a fresh
   environment (empty caches): the time is the call and its commit, the query count is
   every query of it (commit hooks included). An operation runs BENCH_REPEAT (15) times
   on distinct serials and jobs, by three technicians in turn (each warmed up by one
   untimed call), alternating between the two databases so a busy machine slows both
   alike; one more run of each, profiled, is kept for the diagnosis.
3. It prints, per operation, min / median / max ms and the median queries at each size,
   the ratio large/small (target <= 1.2), the job completion against Odoo's native
   picking of the same lines, and the reports and KPIs (reads of every row, which grow
   with the data by nature). Every SELECT of one profiled run of each operation is
   re-run with EXPLAIN (ANALYZE, BUFFERS) in both databases: those that read more at the
   large size are listed (what grows with the data, whatever the machine's load). An
   operation over the target also gets its queries that run more often, its slowest
   queries, a cProfile summary and the plans of the query that grew most.
4. It writes the figures to docs/benchmarks.md (not in smoke mode).

BENCH_SMOKE=1: 2 technicians / 20 serials, BENCH_REPEAT 2, docs untouched.
"""

import cProfile
import io
import os
import pstats
import random
import re
import resource
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from seed.docs import split_seed_section

from odoo import api
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service.model import execute_cr
from odoo.tools import config

SUPERUSER_ID = api.SUPERUSER_ID
SEED = 20261124
DATA_VERSION = 1  # bump when the generated data changes: the databases are rebuilt
MARKER_KEY = "isp_bench.data"
SMOKE = os.environ.get("BENCH_SMOKE") == "1"
FACTOR = int(os.environ.get("BENCH_FACTOR", 10))
TECHS_PER_BRANCH = int(os.environ.get("BENCH_TECHS_PER_BRANCH", 20))
BASE_TECHNICIANS, BASE_SERIALS = (2, 20) if SMOKE else (20, 400)
REPEAT = int(os.environ.get("BENCH_REPEAT", 2 if SMOKE else 15))
WRITE_DOCS = os.environ.get("BENCH_WRITE_DOCS", "0" if SMOKE else "1") == "1"
TARGET = 1.2
# the operations are repeated by a few technicians in turn (their rights cached after a
# warm-up call each, as on a server they use all day), on distinct serials and jobs
ACTING_TECHNICIANS = min(3, BASE_TECHNICIANS)
ROOT = Path(__file__).resolve().parent.parent
VAN_CONSUMABLES = 100  # of each consumable, issued to each van with its serials
STORE_CONSUMABLES = 1000  # left in each branch store

CONSUMABLES = [  # default_code, name, cost
    ("BENCH-PC1", "Patch Cord SC/APC 1 m", 1.2),
    ("BENCH-PC3", "Patch Cord SC/APC 3 m", 1.8),
    ("BENCH-FCS", "Fast Connector SC/APC", 0.9),
    ("BENCH-FCL", "Fast Connector LC/UPC", 0.9),
    ("BENCH-SPL", "Splice Protector 60 mm", 0.1),
    ("BENCH-TIE", "Cable Tie 200 mm", 0.05),
    ("BENCH-BOX", "Wall Outlet Box", 2.5),
    ("BENCH-CLP", "Drop Cable Clamp", 0.4),
]
SERIAL_PRODUCTS = [  # default_code, name, cost, serial prefix
    ("BENCH-ONT", "ONT GPON HG8245", 45.0, "HWTC"),
    ("BENCH-RTR", "Wi-Fi Router AX1500", 30.0, "RTAX"),
]
REPORT_MODELS = [
    "isp.stock.region.report",
    "isp.stock.aging.report",
    "isp.technician.consumption.report",
    "isp.loss.variance.report",
    "isp.product.movement.report",
    "isp.installation.cost.report",
]


@dataclass
class Size:
    label: str
    technicians: int
    serials: int

    @property
    def branches(self):
        return -(-self.technicians // TECHS_PER_BRANCH)

    @property
    def marker(self):
        return (
            f"v{DATA_VERSION} technicians={self.technicians} serials={self.serials} "
            f"per_branch={TECHS_PER_BRANCH} seed={SEED}"
        )


SIZES = {
    "small": Size("small", BASE_TECHNICIANS, BASE_SERIALS),
    "large": Size("large", BASE_TECHNICIANS * FACTOR, BASE_SERIALS * FACTOR),
}


def log(message):
    print(message, flush=True)


# ----------------------------------------------------------------------
# Data generation (once per database)
# ----------------------------------------------------------------------
class Progress:
    """A progress line at most every 15 s, with the time left at the current pace."""

    def __init__(self, db, what, total):
        self.db, self.what, self.total = db, what, total
        self.start = self.last = time.perf_counter()

    def tick(self, done):
        now = time.perf_counter()
        if done == self.total or now - self.last > 15:
            self.last = now
            spent = now - self.start
            left = (
                f", ~{spent * (self.total - done) / done:.0f} s left" if done < self.total else ""
            )
            log(f"  [{self.db}] {self.what}: {done}/{self.total} ({spent:.0f} s{left})")


def admin_env(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    return env(user=env.ref("base.user_admin").id)


def batches(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(registry, size):
    """Fill the database with `size` of data, committed in batches."""
    log(f"==> generating the {size.label} data in {registry.db_name}: {size.marker}")
    start = time.perf_counter()
    with registry.cursor() as cr:
        admin_env(cr)["ir.config_parameter"].sudo().set_param(
            MARKER_KEY, f"generating: {size.marker}"
        )
    rng = random.Random(SEED)
    gen_people_and_products(registry, size)
    gen_branches(registry, size)
    gen_technicians(registry, size)
    gen_customers(registry, size)
    gen_serials(registry, size)
    world = World.load(registry)
    gen_receipts(registry, size, world)
    gen_issues(registry, size, world)
    gen_installs(registry, size, world, rng)
    with registry.cursor() as cr:
        env = admin_env(cr)
        env["stock.quant"].sudo()._quant_tasks()  # the daily scheduler's clean-up
        env["ir.config_parameter"].sudo().set_param(MARKER_KEY, size.marker)
    log(f"  [{registry.db_name}] data ready in {time.perf_counter() - start:.0f} s")


STAFF = (  # login, name, group: who prepares and who approves the issuances
    ("bench_store", "Bench Storekeeper", "isp_inventory.group_isp_storekeeper"),
    ("bench_approver", "Bench Approver", "isp_inventory.group_isp_approver"),
)


def ensure_staff(env):
    """The storekeeper and the approver the bench acts as, created when missing:
    {login: user id}."""
    Users = env["res.users"].with_context(no_reset_password=True)
    found = {u.login: u.id for u in Users.search([("login", "in", [s[0] for s in STAFF])])}
    for login, name, group in STAFF:
        if login not in found:
            found[login] = Users.create(
                {"name": name, "login": login, "group_ids": [Command.link(env.ref(group).id)]}
            ).id
    return found


def gen_people_and_products(registry, size):
    with registry.cursor() as cr:
        env = admin_env(cr)
        ensure_staff(env)
        consumable = env.ref("isp_inventory.product_category_consumable").id
        cpe = env.ref("isp_inventory.product_category_cpe").id
        env["product.product"].create(
            [
                {"default_code": code, "name": name, "standard_price": cost, "categ_id": consumable}
                for code, name, cost in CONSUMABLES
            ]
            + [
                {"default_code": code, "name": name, "standard_price": cost, "categ_id": cpe}
                for code, name, cost, _prefix in SERIAL_PRODUCTS
            ]
        )
        regions = env["isp.region"].create(
            [
                {"name": f"Bench Region {n:02d}", "code": f"BR{n:02d}"}
                for n in range(-(-size.branches // 5))
            ]
        )
        cr.commit()
        log(f"  [{registry.db_name}] users, products, {len(regions)} region(s)")


def gen_branches(registry, size):
    progress = Progress(registry.db_name, "branches", size.branches)
    numbers = list(range(size.branches))
    for chunk in batches(numbers, 5):
        with registry.cursor() as cr:
            env = admin_env(cr)
            regions = env["isp.region"].search([("code", "=like", "BR%")], order="code")
            for n in chunk:
                env["stock.warehouse"].create(
                    {
                        "name": f"Bench Branch {n:03d}",
                        "code": f"B{n:03d}",
                        "isp_region_id": regions[n // 5].id,
                    }
                )
        progress.tick(chunk[-1] + 1)


def gen_technicians(registry, size):
    progress = Progress(registry.db_name, "technicians", size.technicians)
    numbers = list(range(size.technicians))
    for chunk in batches(numbers, TECHS_PER_BRANCH):
        with registry.cursor() as cr:
            env = admin_env(cr)
            group = env.ref("isp_inventory.group_isp_technician")
            users = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    [
                        {
                            "name": f"Bench Tech {n:04d}",
                            "login": f"bench_tech_{n:04d}",
                            "group_ids": [Command.link(group.id)],
                        }
                        for n in chunk
                    ]
                )
            )
            branch = env["stock.warehouse"].search(
                [("code", "=", f"B{chunk[0] // TECHS_PER_BRANCH:03d}")]
            )
            env["isp.technician"].create(
                [{"user_id": user.id, "warehouse_id": branch.id} for user in users]
            )
        progress.tick(chunk[-1] + 1)


def gen_customers(registry, size):
    total = size.technicians * pairs_installed_per_tech(size)
    progress = Progress(registry.db_name, "customers", total)
    for chunk in batches(list(range(total)), 1000):
        with registry.cursor() as cr:
            admin_env(cr)["res.partner"].create(
                [
                    {"name": f"Bench Customer {n:06d}", "city": "Nairobi", "ref": f"BC{n:06d}"}
                    for n in chunk
                ]
            )
        progress.tick(chunk[-1] + 1)


def serials_per_tech_and_product(size):
    return max(size.serials // (2 * size.technicians), 1)


def pairs_installed_per_tech(size):
    return serials_per_tech_and_product(size) // 2


def gen_serials(registry, size):
    per = serials_per_tech_and_product(size)
    total = per * size.technicians
    for code, _name, _cost, prefix in SERIAL_PRODUCTS:
        progress = Progress(registry.db_name, f"serials {code}", total)
        for chunk in batches(list(range(total)), 2000):
            with registry.cursor() as cr:
                env = admin_env(cr)
                product = env["product.product"].search([("default_code", "=", code)])
                env["stock.lot"].create(
                    [{"name": f"{prefix}{n:08X}", "product_id": product.id} for n in chunk]
                )
            progress.tick(chunk[-1] + 1)


def gen_receipts(registry, size, world):
    """One receipt per branch: the serials of its technicians and the consumables."""
    per = serials_per_tech_and_product(size)
    progress = Progress(registry.db_name, "receipts (one per branch)", len(world.branch_ids))
    for done, branch_id in enumerate(world.branch_ids, 1):
        with registry.cursor() as cr:
            env = admin_env(cr)
            branch = env["stock.warehouse"].browse(branch_id)
            techs = [t for t in world.techs if t.branch_id == branch_id]
            lines = []
            for product_id in world.serial_product_ids:
                lots = world.lots_of(env, product_id, [t.index for t in techs], per)
                lines += [(lot.product_id, 1.0, lot) for lot in lots]
            for product in env["product.product"].browse(world.consumable_ids):
                lines.append(
                    (product, VAN_CONSUMABLES * len(techs) + STORE_CONSUMABLES, env["stock.lot"])
                )
            receive(env, branch, lines)
        progress.tick(done)


def receive(env, branch, lines):
    return env["stock.picking"]._isp_create_done(
        branch.in_type_id, env.ref("stock.stock_location_suppliers"), branch.lot_stock_id, lines
    )


def issue(env, world, tech, lines):
    """An approved issuance branch store → van: storekeeper prepares, approver approves,
    storekeeper validates (the builders of the ISP flows)."""
    store = env(user=world.storekeeper_uid)
    branch = store["stock.warehouse"].browse(tech.branch_id)
    van = store["stock.location"].browse(tech.van_id)
    picking = store["stock.picking"]._isp_create_ready(
        branch.int_type_id, branch.lot_stock_id, van, lines
    )
    if picking.isp_approval_state == "to_approve":
        picking.with_user(world.approver_uid).action_isp_approve()
    return picking._isp_validate_now()


def gen_issues(registry, size, world):
    """One approved issuance per van: its serials and every consumable."""
    per = serials_per_tech_and_product(size)
    progress = Progress(registry.db_name, "issues to the vans (approved)", len(world.techs))
    done = 0
    for branch_id in world.branch_ids:
        techs = [t for t in world.techs if t.branch_id == branch_id]
        with registry.cursor() as cr:
            env = admin_env(cr)
            for tech in techs:
                lines = []
                for product_id in world.serial_product_ids:
                    lots = world.lots_of(env, product_id, [tech.index], per)
                    lines += [(lot.product_id, 1.0, lot) for lot in lots]
                for product in env["product.product"].browse(world.consumable_ids):
                    lines.append((product, VAN_CONSUMABLES, env["stock.lot"]))
                issue(env, world, tech, lines)
                done += 1
        progress.tick(done)


def gen_installs(registry, size, world, rng):
    """Install the first half of each van's serials, an ONT and a router per customer,
    on dates spread over the last two years. Recorded by the storekeeper for the
    technician (the same operation; about a third faster than as the technician, whose
    record rules every read goes through)."""
    per = serials_per_tech_and_product(size)
    pairs = pairs_installed_per_tech(size)
    with registry.cursor() as cr:
        customers = admin_env(cr)["res.partner"].search([("ref", "=like", "BC%")], order="ref").ids
    progress = Progress(registry.db_name, "installs (ONT + router per customer)", len(customers))
    now = datetime.now().replace(microsecond=0)
    done = 0
    for branch_id in world.branch_ids:
        with registry.cursor() as cr:
            env = admin_env(cr)
            store = env(user=world.storekeeper_uid)
            for tech in [t for t in world.techs if t.branch_id == branch_id]:
                technician = store["isp.technician"].browse(tech.id)
                by_product = [
                    world.lots_of(store, product_id, [tech.index], per)[:pairs]
                    for product_id in world.serial_product_ids
                ]
                for k in range(pairs):
                    lots = by_product[0][k] | by_product[1][k]
                    customer = store["res.partner"].browse(customers[tech.index * pairs + k])
                    lots._isp_install(
                        technician,
                        customer,
                        latitude=round(-1.28 + rng.uniform(-0.2, 0.2), 6),
                        longitude=round(36.82 + rng.uniform(-0.2, 0.2), 6),
                        installed_date=now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
                        rx_power_dbm=round(rng.uniform(-27.0, -8.0), 2),
                        olt_port=f"OLT-B{branch_id:03d}-01 0/{rng.randrange(1, 17)}/"
                        f"{rng.randrange(1, 65)}",
                    )
                    done += 1
        progress.tick(done)


# ----------------------------------------------------------------------
# What a run works with: ids read back from the database
# ----------------------------------------------------------------------
@dataclass
class Tech:
    id: int
    index: int
    user_id: int
    branch_id: int
    van_id: int


@dataclass
class World:
    db: str
    techs: list
    branch_ids: list
    storekeeper_uid: int
    approver_uid: int
    admin_uid: int
    consumable_ids: list
    serial_product_ids: list
    field_jobs_project_id: int

    @classmethod
    def load(cls, registry):
        """The world of the bench generator (its technicians, products and staff); in a
        database it did not generate (`make seed`'s), the same kinds of things found in
        what it holds (`found_in`). Creates the storekeeper and the approver if missing."""
        with registry.cursor() as cr:
            env = admin_env(cr)
            if not env["ir.config_parameter"].get_param(MARKER_KEY):
                return cls.found_in(env)
            technicians = env["isp.technician"].search([("user_id.login", "=like", "bench_tech_%")])
            Product = env["product.product"]
            return cls.of(
                env,
                [(int(t.user_id.login.rsplit("_", 1)[1]), t) for t in technicians],
                [Product.search([("default_code", "=", code)]).id for code, *_ in CONSUMABLES],
                [Product.search([("default_code", "=", c)]).id for c, *_ in SERIAL_PRODUCTS],
            )

    @classmethod
    def found_in(cls, env):
        """Any ISP database's world: its technicians (isp.technician with an active user
        and a van), the first untracked storable consumables (item class) and two
        serial-tracked CPE products, ONTs first (an ONT and a router)."""
        technicians = env["isp.technician"].search(
            [("user_id.active", "=", True), ("vehicle_location_id", "!=", False)], order="id"
        )
        Product = env["product.product"]
        consumables = Product.search(
            [("isp_item_class", "=", "consumable"), ("is_storable", "=", True),
             ("tracking", "=", "none")], order="default_code, id", limit=len(CONSUMABLES),
        )  # fmt: skip
        cpe = Product.search(
            [("isp_item_class", "=", "cpe"), ("tracking", "=", "serial")],
            order="default_code, id",
        )
        onts = cpe.filtered(lambda p: "ONT" in p.name)
        serials = (onts[:1] | (cpe - onts)[:1]).ids or cpe[:2].ids
        return cls.of(env, list(enumerate(technicians)), consumables.ids, serials)

    @classmethod
    def of(cls, env, technicians, consumable_ids, serial_product_ids):
        """`technicians`: (index, isp.technician) pairs."""
        staff = ensure_staff(env)
        techs = sorted(
            (
                Tech(t.id, index, t.user_id.id, t.warehouse_id.id, t.vehicle_location_id.id)
                for index, t in technicians
            ),
            key=lambda t: t.index,
        )
        return cls(
            db=env.cr.dbname,
            techs=techs,
            branch_ids=sorted({t.branch_id for t in techs}),
            storekeeper_uid=staff["bench_store"],
            approver_uid=staff["bench_approver"],
            admin_uid=env.uid,
            consumable_ids=consumable_ids,
            serial_product_ids=serial_product_ids,
            field_jobs_project_id=env.ref("isp_field_service.project_field_jobs").id,
        )

    def lots_of(self, env, product_id, indexes, per):
        """The generated serials of `product_id` assigned to the technicians `indexes`."""
        prefix = prefix_of(env, product_id)
        names = [
            f"{prefix}{n:08X}" for index in indexes for n in range(index * per, (index + 1) * per)
        ]
        lots = (
            env["stock.lot"]
            .sudo()
            .search([("product_id", "=", product_id), ("name", "in", names)], order="name")
        )
        return lots.sudo(False)


def prefix_of(env, product_id):
    """The generator's serial prefix of a product (its code outside the bench's data)."""
    code = env["product.product"].sudo().browse(product_id).default_code
    return next((prefix for c, _n, _cost, prefix in SERIAL_PRODUCTS if c == code), code)


# ----------------------------------------------------------------------
# Per-run preparation (committed, not timed)
# ----------------------------------------------------------------------
@dataclass
class Bench:
    registry: Registry
    world: World
    size: Size
    plan: list = field(default_factory=list)  # technician of each repetition
    fx: dict = field(default_factory=dict)  # fixtures: op key -> list per repetition
    results: dict = field(default_factory=dict)  # op key -> list of (ms, queries)
    diag: dict = field(default_factory=dict)  # op key -> (QueryLog, profile text)
    reads: dict = field(default_factory=dict)

    @property
    def db(self):
        return self.registry.db_name


# serials each repetition takes from its technician's van, per serial product
# (ONT: install, native picking, job; router: swap, native picking, job)
VAN_SERIALS_PER_REP = (4, 4)
CONSUMABLES_PER_REP = 6  # 2 on the job, 2 on each native picking
REQUESTED_CORDS = 10


def prepare(bench, reps):
    """Everything the timed operations of this run need, committed beforehand."""
    world = bench.world
    rng = random.Random(SEED + 1)
    chosen = rng.sample(world.techs, ACTING_TECHNICIANS)
    bench.plan = [chosen[i % len(chosen)] for i in range(reps)]
    start = time.perf_counter()
    top_up(bench)
    with bench.registry.cursor() as cr:
        env = admin_env(cr)
        customers = (
            env["res.partner"]
            .create([{"name": f"Bench Walk-in {i}", "city": "Nairobi"} for i in range(3 * reps)])
            .ids
        )
        free = {t.id: [lots.ids for lots in free_van_lots(env, t, world)] for t in chosen}
        installed = {}
        for tech in chosen:
            installed[tech.id] = [
                [(lot.id, lot.isp_customer_id.id) for lot in lots]
                for lots in installed_lots(env, tech, world)
            ]
        # the native project picking's setting: analytic costs on the branches' deliveries
        branches = env["stock.warehouse"].browse({t.branch_id for t in chosen})
        branches.out_type_id.analytic_costs = True
    fx = {key: [] for key in ("install", "take_back", "swap", "job", "native", "native_project")}
    for i, tech in enumerate(bench.plan):
        ont, rtr = free[tech.id]
        fx["install"].append((tech, ont.pop(0), customers[3 * i]))
        fx["native"].append((tech, [ont.pop(0), rtr.pop(0)], customers[3 * i + 1]))
        fx["native_project"].append((tech, [ont.pop(0), rtr.pop(0)], customers[3 * i + 1]))
        fx["job"].append((tech, [ont.pop(0), rtr.pop(0)], customers[3 * i + 2]))
        old_ont, old_rtr = installed[tech.id]
        fx["take_back"].append((tech, *old_ont.pop(0)))
        fx["swap"].append((tech, *old_rtr.pop(0), rtr.pop(0)))
    bench.fx = fx
    make_jobs(bench)
    make_counts(bench)
    log(f"  [{bench.db}] prepared {reps} repetitions in {time.perf_counter() - start:.0f} s")


def housekeeping(bench):
    """What a live database gets every day: Odoo's scheduler drops the empty quants
    every transfer leaves behind (one per serial that passed through a location) and
    autovacuum keeps the planner statistics fresh after the bulk inserts."""
    with bench.registry.cursor() as cr:
        admin_env(cr)["stock.quant"].sudo()._quant_tasks()
    with bench.registry.cursor() as cr:
        cr.execute("ANALYZE")


def free_van_lots(env, tech, world):
    """Serials in the van, not reserved, per serial product (ONT, router)."""
    quants = env["stock.quant"].search(
        [
            ("location_id", "=", tech.van_id),
            ("product_id", "in", world.serial_product_ids),
            ("quantity", "=", 1),
            ("reserved_quantity", "=", 0),
        ],
        order="id",
    )
    return [
        quants.filtered(lambda q, p=p: q.product_id.id == p).lot_id
        for p in world.serial_product_ids
    ]


def installed_lots(env, tech, world):
    """(ONTs, routers) installed by the technician at customers, oldest first."""
    lots = env["stock.lot"].search(
        [
            ("isp_installed_by_id", "=", tech.id),
            ("isp_state", "=", "installed"),
            ("isp_customer_id", "!=", False),
        ],
        order="isp_installed_date, id",
    )
    return [
        lots.filtered(lambda lot, p=p: lot.product_id.id == p) for p in world.serial_product_ids
    ]


def top_up(bench):
    """Per branch of the chosen technicians: install more where a technician has too few
    units installed (take-back, swap), then receive and issue what their vans lack and
    what the requests will take from the store."""
    world = bench.world
    uses = {}
    for tech in bench.plan:
        uses[tech.id] = uses.get(tech.id, 0) + 1
    chosen = {t.id: t for t in bench.plan}
    for branch_id in sorted({t.branch_id for t in chosen.values()}):
        techs = [t for t in chosen.values() if t.branch_id == branch_id]
        with bench.registry.cursor() as cr:
            env = admin_env(cr)
            for tech in techs:
                ensure_installed(env, world, tech, uses[tech.id])
            top_up_branch(env, world, branch_id, {t.id: (t, uses[t.id]) for t in techs})


def top_up_branch(env, world, branch_id, techs):
    branch = env["stock.warehouse"].browse(branch_id)
    van_lines = {tech.id: van_needs(env, world, tech, uses) for tech, uses in techs.values()}
    requests = sum(uses for _tech, uses in techs.values())
    receipt = store_shortfall(env, world, branch.lot_stock_id, van_lines, requests)
    if receipt:
        receive(env, branch, receipt)
    for tech, _uses in techs.values():
        lines = []
        for product, qty, lot in van_lines[tech.id]:
            if product.tracking == "serial":
                lot = pick_store_serial(env, branch.lot_stock_id, product, lines)
            lines.append((product, qty, lot))
        if lines:
            issue(env, world, tech, lines)


def van_needs(env, world, tech, uses):
    """What the van lacks for `uses` repetitions: ``(product, qty, no lot)`` lines."""
    Lot = env["stock.lot"]
    van = env["stock.location"].browse(tech.van_id)
    free = free_van_lots(env, tech, world)
    lines = []
    for k, product in enumerate(env["product.product"].browse(world.serial_product_ids)):
        wanted = VAN_SERIALS_PER_REP[k] * uses + 1 - len(free[k])
        lines += [(product, 1.0, Lot)] * max(wanted, 0)
    for product in env["product.product"].browse(world.consumable_ids):
        available = env["stock.quant"]._get_available_quantity(product, van)
        if available < CONSUMABLES_PER_REP * uses + 1:
            lines.append((product, float(VAN_CONSUMABLES), Lot))
    return lines


def store_shortfall(env, world, store, van_lines, requests):
    """Receipt lines for what the store lacks to fill the vans and the requests."""
    receipt = []
    products = env["product.product"].browse(world.serial_product_ids + world.consumable_ids)
    for product in products:
        needed = sum(qty for lines in van_lines.values() for p, qty, _l in lines if p == product)
        if product.id == world.serial_product_ids[0]:
            needed += requests
        elif product.id == world.consumable_ids[0]:
            needed += REQUESTED_CORDS * requests
        shortfall = needed - env["stock.quant"]._get_available_quantity(product, store)
        if shortfall <= 0:
            continue
        if product.tracking == "serial":
            receipt += new_lots(env, product.id, int(shortfall))
        else:
            receipt.append((product, float(STORE_CONSUMABLES + needed), env["stock.lot"]))
    return receipt


def pick_store_serial(env, store, product, lines):
    """A free serial of `product` in the store, not yet in `lines`."""
    taken = [lot.id for _p, _q, lot in lines if lot]
    quant = env["stock.quant"].search(
        [
            ("location_id", "=", store.id),
            ("product_id", "=", product.id),
            ("quantity", "=", 1),
            ("reserved_quantity", "=", 0),
            ("lot_id", "not in", taken),
        ],
        limit=1,
        order="id desc",
    )
    return quant.lot_id


def new_lots(env, product_id, count):
    Lot = env["stock.lot"]
    prefix = prefix_of(env, product_id)
    base = Lot.search_count([("product_id", "=", product_id), ("name", "=like", f"{prefix}-R%")])
    lots = Lot.create(
        [{"name": f"{prefix}-R{base + n:07d}", "product_id": product_id} for n in range(count)]
    )
    return [(lot.product_id, 1.0, lot) for lot in lots]


def ensure_installed(env, world, tech, uses):
    """At least `uses` ONTs and routers installed by the technician (take-back, swap)."""
    onts, rtrs = installed_lots(env, tech, world)
    store = env(user=world.storekeeper_uid)
    free = free_van_lots(store, tech, world)
    missing = min(uses - min(len(onts), len(rtrs)), len(free[0]), len(free[1]))
    technician = store["isp.technician"].browse(tech.id)
    for k in range(missing):
        customer = env["res.partner"].create({"name": f"Bench Extra {tech.index}-{k}"})
        (free[0][-1 - k] | free[1][-1 - k])._isp_install(technician, customer.with_env(store))


def make_jobs(bench):
    """Open jobs: one at each customer a unit is taken back from or swapped at (a
    technician needs one), and the jobs to complete, started by their technician."""
    world = bench.world
    with bench.registry.cursor() as cr:
        store = admin_env(cr)(user=world.storekeeper_uid)
        Task = store["project.task"]
        service = {}
        for tech, _lot, customer_id in bench.fx["take_back"]:
            service.setdefault((tech.id, customer_id), tech)
        for tech, _old, customer_id, _new in bench.fx["swap"]:
            service.setdefault((tech.id, customer_id), tech)
        bench.fx["service_jobs"] = [
            (Task.create(job_vals(world, tech.id, customer_id, "Bench service call")).id, tech)
            for (_tech_id, customer_id), tech in service.items()
        ]
        completion = []
        for tech, lot_ids, customer_id in bench.fx["job"]:
            job = Task.create(job_vals(world, tech.id, customer_id, "Bench FTTH install"))
            job.with_user(tech.user_id).action_isp_start()
            completion.append((tech, job.id, lot_ids))
        bench.fx["job"] = completion


def job_vals(world, tech_id, partner_id, name):
    return {
        "name": name,
        "project_id": world.field_jobs_project_id,
        "isp_technician_id": tech_id,
        "partner_id": partner_id,
    }


def make_counts(bench):
    with bench.registry.cursor() as cr:
        store = admin_env(cr)(user=bench.world.storekeeper_uid)
        counts = store["isp.stock.count"].create(
            [{"technician_id": tech.id, "kind": "monthly"} for tech in bench.plan]
        )
        bench.fx["count"] = counts.ids


def finish_service_jobs(bench):
    """The service calls end like any job: completed by their technician (not timed)."""
    for job_id, tech in bench.fx["service_jobs"]:
        rpc(bench, tech.user_id, "project.task", "action_isp_complete", [[job_id], {"lines": []}])


# ----------------------------------------------------------------------
# Timing: one public RPC call = one transaction, committed
# ----------------------------------------------------------------------
class QueryLog:
    """A query hook of odoo.sql_db.Cursor.execute: count and time per query text."""

    def __init__(self):
        self.stats = {}

    def __call__(self, cr, query, params, start, delay):
        text = query.decode() if isinstance(query, bytes) else str(query)
        # one key per statement whatever the columns an UPDATE sets or a savepoint's name
        text = re.sub(r'^\s*UPDATE\s+("\w+")\s+SET\s.*', r"UPDATE \1 SET ...", text, flags=re.S)
        text = re.sub(r'(SAVEPOINT) "[^"]+"', r"\1 ...", text)
        entry = self.stats.setdefault(text, [0, 0.0, params])
        entry[0] += 1
        entry[1] += delay

    def top(self, limit=10):
        return sorted(self.stats.items(), key=lambda item: -item[1][1])[:limit]


class Timer:
    """Wall time and queries (every query of this thread) of a block."""

    def __init__(self, diagnose=False):
        self.diagnose = diagnose
        self.query_log = QueryLog() if diagnose else None
        self.profile = cProfile.Profile() if diagnose else None

    def __enter__(self):
        thread = threading.current_thread()
        thread.query_count = 0
        if self.diagnose:
            thread.query_hooks = (self.query_log,)
            self.profile.enable()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.ms = (time.perf_counter() - self.start) * 1000
        thread = threading.current_thread()
        if self.diagnose:
            self.profile.disable()
            thread.query_hooks = ()
        self.queries = thread.query_count
        return False

    def profile_text(self, limit=25):
        stream = io.StringIO()
        pstats.Stats(self.profile, stream=stream).sort_stats("cumulative").print_stats(limit)
        return stream.getvalue()


def rpc(bench, uid, model, method, args, kwargs=None):
    """Call a public method as `uid` the way XML-RPC does, in a new committed
    transaction; returns its result."""
    with bench.registry.cursor() as cr:
        return execute_cr(cr, uid, model, method, args, kwargs or {})


def timed_rpc(bench, key, i, uid, call, *args, **kwargs):
    """Time the public method `call` ("model.method") called as `uid` with `args`."""
    model, method = call.rsplit(".", 1)
    return timed(bench, key, i, lambda: rpc(bench, uid, model, method, list(args), kwargs))


def timed(bench, key, i, call):
    """Run `call` (which opens and commits its own transaction) and record it: the
    first repetitions warm up (one per acting technician: the server's caches of a
    user's rights fill on their first call), the last one is profiled."""
    last = i == len(bench.plan) - 1
    with Timer(diagnose=last) as timer:
        result = call()
    if last:
        bench.diag[key] = (timer.query_log, timer.profile_text())
    elif i >= ACTING_TECHNICIANS:
        bench.results.setdefault(key, []).append((timer.ms, timer.queries))
    return result


def op_install(bench, i):
    tech, lot_id, customer = bench.fx["install"][i]
    timed_rpc(
        bench, "install", i, tech.user_id, "stock.lot.action_isp_install",
        [lot_id], tech.id, customer,
        latitude=-1.2921, longitude=36.8219, rx_power_dbm=-19.5, olt_port="OLT-01 0/1/3",
    )  # fmt: skip


def op_take_back(bench, i):
    tech, lot_id, customer = bench.fx["take_back"][i]
    timed_rpc(
        bench, "take_back", i, tech.user_id, "stock.lot.action_isp_take_back",
        [lot_id], tech.id, customer, faulty=True, reason="No optical signal",
    )  # fmt: skip


def op_swap(bench, i):
    tech, old_id, _customer, new_id = bench.fx["swap"][i]
    timed_rpc(
        bench, "swap", i, tech.user_id, "stock.lot.action_isp_swap",
        [old_id], new_id, tech.id, reason="Router reboots", rx_power_dbm=-18.25,
    )  # fmt: skip


def op_request(bench, i):
    tech = bench.plan[i]
    ont, cord = bench.world.serial_product_ids[0], bench.world.consumable_ids[0]
    lines = [{"product_id": ont, "quantity": 1}, {"product_id": cord, "quantity": 10}]
    picking_id = timed_rpc(
        bench, "request", i, tech.user_id, "isp.technician.action_isp_request", [tech.id], lines
    )
    bench.fx.setdefault("requests", []).append(picking_id)


def op_approve(bench, i):
    picking_id = bench.fx["requests"][i]
    approver = bench.world.approver_uid
    timed_rpc(bench, "approve", i, approver, "stock.picking.action_isp_approve", [picking_id])


def op_validate(bench, i):
    picking_id = bench.fx["requests"][i]
    store = bench.world.storekeeper_uid
    timed_rpc(bench, "validate", i, store, "stock.picking.button_validate", [picking_id])
    state = rpc(bench, SUPERUSER_ID, "stock.picking", "read", [[picking_id], ["state"]])
    check(state[0]["state"] == "done", f"request {picking_id} not validated: {state}")


def op_count(bench, i):
    """Start a count of the technician's van and kit (timed), mark one serial lost
    (not timed) and apply it (timed): one after the other, as a storekeeper does."""
    count_id = bench.fx["count"][i]
    store = bench.world.storekeeper_uid
    timed_rpc(bench, "count_start", i, store, "isp.stock.count.action_start", [count_id])
    lines = rpc(
        bench,
        store,
        "isp.stock.count.line",
        "search_read",
        [[("count_id", "=", count_id), ("lot_id", "!=", False)]],
        {"fields": ["id"], "limit": 1},
    )
    check(lines, f"count {count_id} has no serial line")
    rpc(
        bench,
        store,
        "isp.stock.count.line",
        "write",
        [[lines[0]["id"]], {"counted_qty": 0, "reason": "lost", "note": "not in the van"}],
    )
    timed_rpc(bench, "count_apply", i, store, "isp.stock.count.action_apply", [count_id])


def op_job(bench, i):
    tech, job_id, lot_ids = bench.fx["job"][i]
    lines = [{"product_id": p, "qty_used": 2} for p in bench.world.consumable_ids]
    lines += [
        {"product_id": p, "lots": [lot]}
        for p, lot in zip(bench.world.serial_product_ids, lot_ids, strict=True)
    ]
    values = {"lines": lines, "leftover": "carry", "latitude": -1.29, "longitude": 36.82}
    timed_rpc(bench, "job", i, tech.user_id, "project.task.action_isp_complete", [job_id], values)


def op_native(bench, i, key="native", project=False):
    tech, lot_ids, customer_id = bench.fx[key][i]
    world = bench.world

    def native():
        with bench.registry.cursor() as cr:
            env = api.Environment(cr, world.storekeeper_uid, {})
            native_picking(env, world, tech, lot_ids, customer_id, project=project)

    timed(bench, key, i, native)


def op_native_project(bench, i):
    op_native(bench, i, key="native_project", project=True)


def native_picking(env, world, tech, lot_ids, customer_id, project=False):
    """Odoo's own delivery of the job's 10 lines van → customer, as a stock user.
    `project`: for the field jobs project, its cost on the project's analytic account
    (project_stock: the picking's project, a type with analytic costs), which a job's
    completion also posts."""
    branch = env["stock.warehouse"].browse(tech.branch_id)
    van = env["stock.location"].browse(tech.van_id)
    customer = env["res.partner"].browse(customer_id)
    destination = customer.property_stock_customer
    lots = env["stock.lot"].browse(lot_ids)
    products = env["product.product"].browse(world.consumable_ids) | lots.product_id
    picking = env["stock.picking"].create(
        {
            "project_id": world.field_jobs_project_id if project else False,
            "picking_type_id": branch.out_type_id.id,
            "partner_id": customer.id,
            "location_id": van.id,
            "location_dest_id": destination.id,
            "move_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 1 if product.tracking == "serial" else 2,
                        "product_uom": product.uom_id.id,
                        "location_id": van.id,
                        "location_dest_id": destination.id,
                    }
                )
                for product in products
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    for move in picking.move_ids.filtered(lambda m: m.product_id.tracking == "serial"):
        lot = lots.filtered(lambda lot, m=move: lot.product_id == m.product_id)
        move.move_line_ids.write({"lot_id": lot.id, "quantity": 1})
    picking.move_ids.picked = True
    picking.with_context(skip_sms=True).button_validate()
    check(picking.state == "done", f"native picking {picking.name} is {picking.state}")


def check(condition, message):
    if not condition:
        raise RuntimeError(message)


@dataclass
class Op:
    key: str
    label: str
    actor: str
    run: object
    target: bool = True


OPS = [
    Op("install", "install (1 serial)", "technician", op_install),
    Op("take_back", "take-back (faulty, quarantine)", "technician", op_take_back),
    Op("swap", "swap (faulty CPE)", "technician", op_swap),
    Op("request", "issue: request (ONT + cords)", "technician", op_request),
    Op("approve", "issue: approve", "approver", op_approve),
    Op("validate", "issue: validate", "storekeeper", op_validate),
    Op("job", "job completion (10 lines)", "technician", op_job),
    Op("native", "native picking (10 lines)", "storekeeper", op_native, target=False),
    Op(
        "native_project",
        "native picking for the project (10 lines, analytic)",
        "storekeeper",
        op_native_project,
        target=False,
    ),
    Op("count_start", "count: start (van + kit)", "storekeeper", op_count),
    Op("count_apply", "count: apply (1 serial lost)", "storekeeper", None),
]


def run_ops(benches, reps):
    for op in OPS:
        for i in range(reps):
            for bench in benches:
                if op.run:
                    op.run(bench, i)
        print_op(op, benches)


def stats(samples):
    times = [ms for ms, _q in samples]
    return (
        min(times),
        statistics.median(times),
        max(times),
        statistics.median(q for _ms, q in samples),
    )


def print_op(op, benches):
    for line in op_lines(op, benches):
        log(line)


def op_lines(op, benches):
    lines = []
    for bench in benches:
        samples = bench.results[op.key]
        lo, med, hi, queries = stats(samples)
        lines.append(
            f"{op.label:<32} {bench.size.label:<5} min {lo:7.1f}  median {med:7.1f}  "
            f"max {hi:7.1f} ms  queries {queries:5.0f}  (n={len(samples)}, as {op.actor})"
        )
    return lines


# ----------------------------------------------------------------------
# Reads: reports, KPIs, holdings (each a committed RPC call, as the administrator)
# ----------------------------------------------------------------------
HOLDINGS_ALL_MAX = 200  # technicians whose holdings are all read at once (one row each)


def reads(bench):
    world = bench.world
    branch = [("warehouse_id", "=", world.branch_ids[0])]
    calls = [
        (
            "technician holdings (one branch)",
            "isp.technician",
            "search_read",
            [branch, ["stock_value"]],
            {},
        ),
        (
            "technician holdings (all)",
            "isp.technician",
            "search_read",
            [[], ["stock_value"]],
            {},
        ),
        (
            "serials by lifecycle state",
            "stock.lot",
            "formatted_read_group",
            [[("product_id", "in", world.serial_product_ids)], ["isp_state"], ["__count"]],
            {},
        ),
    ]
    env_models = rpc(
        bench,
        world.admin_uid,
        "ir.model",
        "search_read",
        [[("model", "in", REPORT_MODELS + ["isp.kpi"])], ["model"]],
    )
    present = {m["model"] for m in env_models}
    if "isp.kpi" in present:
        calls.append(("KPIs (this month)", "isp.kpi", "get_kpis", [], {}))
    for model in REPORT_MODELS:
        if model in present:
            calls.append((f"report {model}", model, "search_read", [[], []], {}))
    for label, model, method, args, kwargs in calls:
        if label == "technician holdings (all)" and len(world.techs) > HOLDINGS_ALL_MAX:
            log(f"  [{bench.db}] {label}: skipped above {HOLDINGS_ALL_MAX} technicians")
            bench.reads[label] = None
            continue
        samples = []
        rows = None
        for _ in range(3):
            with Timer() as timer:
                result = rpc(bench, world.admin_uid, model, method, args, kwargs)
            samples.append((timer.ms, timer.queries))
            rows = len(result) if isinstance(result, list) else None
        bench.reads[label] = (samples, rows)


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def table(benches):
    small, large = benches
    rows = []
    for op in OPS:
        _, s_med, _, s_q = stats(small.results[op.key])
        _, l_med, _, l_q = stats(large.results[op.key])
        rows.append((op, s_med, l_med, l_med / s_med, s_q, l_q))
    return rows


def format_table(rows):
    lines = [
        "| operation | acting user | small median ms | large median ms | ratio | "
        "queries small | queries large |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for op, s_med, l_med, ratio, s_q, l_q in rows:
        flag = " ⚠" if op.target and ratio > TARGET else ""
        lines.append(
            f"| {op.label} | {op.actor} | {s_med:.1f} | {l_med:.1f} | {ratio:.2f}{flag} | "
            f"{s_q:.0f} | {l_q:.0f} |"
        )
    return lines


def native_lines(rows):
    by_key = {row[0].key: row for row in rows}
    job = by_key["job"]
    lines = []
    for key, what in (("native", "native picking"), ("native_project", "native project picking")):
        native = by_key[key]
        for label, col_ms, col_q in (("small", 1, 4), ("large", 2, 5)):
            lines.append(
                f"job completion vs {what}, 10 lines, {label}: time ISP/native = "
                f"{job[col_ms]:.1f}/{native[col_ms]:.1f} ms = "
                f"{job[col_ms] / native[col_ms]:.2f}, queries = "
                f"{job[col_q]:.0f}/{native[col_q]:.0f} = {job[col_q] / native[col_q]:.2f}"
            )
    return lines


def reads_lines(benches):
    small, large = benches
    lines = [
        "| read (administrator) | small ms | large ms | ratio | rows small | " "rows large |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, small_read in small.reads.items():
        if small_read is None or large.reads[label] is None:
            lines.append(f"| {label} | | | skipped (over {HOLDINGS_ALL_MAX} technicians) | | |")
            continue
        samples, rows = small_read
        l_samples, l_rows = large.reads[label]
        s_med = statistics.median(ms for ms, _q in samples)
        l_med = statistics.median(ms for ms, _q in l_samples)
        lines.append(
            f"| {label} | {s_med:.1f} | {l_med:.1f} | {l_med / s_med:.2f} | "
            f"{'' if rows is None else rows} | {'' if l_rows is None else l_rows} |"
        )
    return lines


def growth(benches):
    """{op key: grown queries} of every operation (see `grown_queries`)."""
    small, large = benches
    return {
        op.key: grown_queries(benches, small.diag[op.key][0], large.diag[op.key][0]) for op in OPS
    }


def grown_lines(grown, width=130):
    return [
        f"{s_blocks:>6} -> {l_blocks:>6} buffers {s_ms:6.2f} -> {l_ms:6.2f} ms  {shorten(t, width)}"
        for t, s_blocks, l_blocks, s_ms, l_ms in grown[:5]
    ]


def growth_lines(grown_by_op, width=130):
    """Per operation, the queries that read more at the large size."""
    out = []
    for op in OPS:
        if grown_by_op[op.key]:
            lines = grown_lines(grown_by_op[op.key], width)
            out += [f"{op.label}:", "```", *lines, "```", ""]
    return out


def diagnose(benches, rows, grown_by_op):
    """What grows in each operation above the target: the queries that run more often,
    those that read more (EXPLAIN ANALYZE buffers, a count that does not depend on the
    machine's load) with the plan of the one that grew most, the slowest queries and a
    cProfile summary of one profiled run at the large size."""
    small, large = benches
    out = []
    for op, _s, _l, ratio, _sq, _lq in rows:
        if not op.target or ratio <= TARGET:
            continue
        s_log, _s_prof = small.diag[op.key]
        l_log, l_prof = large.diag[op.key]
        out += [f"### {op.label}: ratio {ratio:.2f} > {TARGET}", ""]
        differ = count_diff_lines(s_log, l_log)
        grown = grown_by_op[op.key]
        if not differ and not grown:
            s_min, l_min = stats(small.results[op.key])[0], stats(large.results[op.key])[0]
            out += [
                "No query runs more often or reads more at the large size: the difference "
                "is the machine's load, not the data (fastest runs: small "
                f"{s_min:.1f} ms, large {l_min:.1f} ms, ratio {l_min / s_min:.2f}).",
                "",
            ]
        out += differ or ["Every query runs as often at both sizes."]
        out += ["", "Queries that read more at the large size (shared buffers per call):", ""]
        out += ["```", *(grown_lines(grown) or ["(none)"]), "```"]
        if grown:
            text = grown[0][0]
            out += ["", f"EXPLAIN ANALYZE of the one that grew most: `{shorten(text, 400)}`"]
            for bench, log_ in ((small, s_log), (large, l_log)):
                out += ["", f"{bench.size.label} ({bench.db}):", "```"]
                out += explain(bench, text, log_.stats[text][2])
                out += ["```"]
        out += ["", "Slowest queries of the profiled run (large, with the small one beside):"]
        out += ["", "```"]
        for text, (count, total, _params) in l_log.top(10):
            s_count, s_total, _ = s_log.stats.get(text, (0, 0.0, None))
            out.append(
                f"{total * 1000:7.1f} ms x{count:<3} (small {s_total * 1000:6.1f} ms "
                f"x{s_count:<3}) {shorten(text)}"
            )
        out += ["```", "", "cProfile (large, cumulative):", "```"]
        out += [line for line in l_prof.splitlines() if line.strip()][:32]
        out += ["```", ""]
    return out


def count_diff_lines(s_log, l_log):
    """The queries an operation runs a different number of times at the two sizes."""
    lines = []
    for text in sorted(set(s_log.stats) | set(l_log.stats)):
        s_count = s_log.stats.get(text, (0,))[0]
        l_count = l_log.stats.get(text, (0,))[0]
        if s_count != l_count:
            lines.append(f"x{s_count:<3} -> x{l_count:<3} {shorten(text)}")
    if not lines:
        return []
    return ["Queries run a different number of times (small -> large):", "", "```", *lines, "```"]


def query_count_diffs(benches):
    """For every operation: the queries whose number differs between the sizes."""
    small, large = benches
    out = []
    for op in OPS:
        lines = count_diff_lines(small.diag[op.key][0], large.diag[op.key][0])
        if lines:
            out += [f"{op.label}:", *lines[2:], ""]
    return out


def grown_queries(benches, s_log, l_log):
    """(query, small buffers, large buffers, small ms, large ms) of the SELECTs that
    read at least 1.5 times (and 20 buffers) more at the large size, most grown first."""
    small, large = benches
    grown = []
    for text, (_count, _total, l_params) in l_log.stats.items():
        if text not in s_log.stats or not is_select(text):
            continue
        s_work = plan_work(small, text, s_log.stats[text][2])
        l_work = plan_work(large, text, l_params)
        if s_work and l_work and l_work[0] >= 1.5 * s_work[0] and l_work[0] - s_work[0] >= 20:
            grown.append((text, s_work[0], l_work[0], s_work[1], l_work[1]))
    return sorted(grown, key=lambda g: g[1] - g[2])


def is_select(text):
    return text.lstrip().upper().startswith(("SELECT", "WITH"))


def plan_work(bench, text, params):
    """(shared buffers, execution ms) of EXPLAIN ANALYZE of a query, rolled back."""
    with bench.registry.cursor() as cr:
        try:
            cr.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + text, params)
            plan = cr.fetchone()[0][0]
        except Exception:  # noqa: BLE001 - a query that cannot be re-run is skipped
            return None
        finally:
            cr.rollback()
    top = plan["Plan"]
    return top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0), plan.get(
        "Execution Time", 0.0
    )


def shorten(text, limit=160):
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def explain(bench, text, params):
    with bench.registry.cursor() as cr:
        try:
            cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + text, params)
            return [row[0] for row in cr.fetchall()]
        except Exception as error:  # noqa: BLE001 - the plan is informative only
            return [f"(no plan: {error})"]
        finally:
            cr.rollback()


def data_sizes(bench):
    with bench.registry.cursor() as cr:
        cr.execute(
            """SELECT (SELECT count(*) FROM stock_warehouse),
                      (SELECT count(*) FROM isp_technician),
                      (SELECT count(*) FROM stock_lot),
                      (SELECT count(*) FROM stock_lot WHERE isp_state = 'installed'),
                      (SELECT count(*) FROM res_partner),
                      (SELECT count(*) FROM stock_move),
                      (SELECT count(*) FROM stock_picking),
                      (SELECT count(*) FROM mail_message)"""
        )
        names = (
            "warehouses",
            "technicians",
            "serials",
            "installed",
            "partners",
            "moves",
            "transfers",
            "messages",
        )
        return dict(zip(names, cr.fetchone(), strict=True))


def machine():
    def meminfo():
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        return "?"

    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{len(os.sched_getaffinity(0))} cores (nproc), {meminfo()} RAM, {cpu}"


def pg_version(bench):
    with bench.registry.cursor() as cr:
        cr.execute("SHOW server_version")
        return cr.fetchone()[0]


def write_docs(benches, rows, diagnosis, grown, differing, header):
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py); do not edit by hand. Each operation runs",
        "as the user who does it, through its public RPC method, in its own committed",
        f"transaction with a fresh environment; the median of {REPEAT} runs is shown (three",
        "technicians in turn, each after one untimed warm-up call), alternating between the",
        f"two databases. Target: ratio large/small <= {TARGET}.",
        "",
        *header,
        "",
        "## Operations",
        "",
        *format_table(rows),
        "",
        '"issue" is timed as its three calls: the technician\'s request, the approval, and',
        "the storekeeper's validation of the prepared transfer. The native picking (Odoo's own",
        "delivery van → customer of the same 10 lines: create with moves, confirm, reserve, set",
        "the serials, pick, validate, in one transaction as the storekeeper) is the reference",
        "for the job completion and has no target of its own. The native project picking is",
        "the same delivery made for the field jobs project, as Odoo's project_stock does it",
        "(the picking's project set, analytic costs on its type): Odoo then posts each",
        "move's cost to the project's analytic account, which the job completion does too.",
        "",
        *native_lines(rows),
        "",
        "Each run (min / median / max):",
        "",
        "```",
        *[line for op in OPS for line in op_lines(op, benches)],
        "```",
        "",
        "## Reads",
        "",
        "Reads as the administrator (one committed call each, median of 3). Except the",
        "holdings of one branch's technicians (20 at both sizes), they return every row, so",
        "they grow with the data by nature: no target. The holdings of all technicians are",
        f"read up to {HOLDINGS_ALL_MAX} technicians (one row per technician: their cost grows",
        "with their number).",
        "",
        *reads_lines(benches),
        "",
    ]
    if diagnosis:
        lines += ["## Operations above the target", "", *diagnosis]
    else:
        lines += [f"Every operation is within the target (ratio <= {TARGET}).", ""]
    if grown:
        lines += [
            "## Queries that read more at the large size",
            "",
            "Every SELECT of one run of each operation, re-run with EXPLAIN (ANALYZE, BUFFERS)",
            "in both databases: those reading at least 1.5 times (and 20 buffers) more at the",
            "large size (buffers small -> large, execution ms small -> large). Buffers do not",
            "depend on the machine's load: they show what grows with the data.",
            "",
            *grown,
        ]
    lines += differing_section(differing)
    path = ROOT / "docs" / "benchmarks.md"
    text = "\n".join(lines)
    # the `## Seed` section is written by `make seed` (scripts/seed/docs.py): kept
    seed_section = split_seed_section(path.read_text())[1] if path.exists() else ""
    if seed_section:
        text = text.rstrip() + "\n\n" + seed_section
    path.write_text(text)
    log(f"==> figures written to {ROOT / 'docs' / 'benchmarks.md'}")


def differing_section(differing):
    if not differing:
        return []
    return [
        "## Queries that run a different number of times at the two sizes",
        "",
        "From the profiled run of each operation (small -> large):",
        "",
        *differing,
    ]


# ----------------------------------------------------------------------
def check_data(registry, size):
    with registry.cursor() as cr:
        marker = admin_env(cr)["ir.config_parameter"].sudo().get_param(MARKER_KEY)
    if marker != size.marker:
        raise SystemExit(
            f"{registry.db_name} holds {marker!r}, not the bench data {size.marker!r}: "
            "run `make bench` (scripts/bench.sh generates or restores it)"
        )


def main():
    command, *args = sys.argv[1:]
    if command == "marker":  # marker <size>: what the data of that size is marked with
        print(SIZES[args[0]].marker)
        return
    config.parse_config(["-c", os.environ["ISP_ODOO_CONF"], "-d", args[0], "--log-level=warn"])
    if command == "generate":  # generate <db> <size>: fill a database without bench data
        registry, size = Registry(args[0]), SIZES[args[1]]
        with registry.cursor() as cr:
            marker = admin_env(cr)["ir.config_parameter"].sudo().get_param(MARKER_KEY)
        if marker:
            raise SystemExit(f"{args[0]} already holds bench data ({marker!r})")
        generate(registry, size)
        return
    small_db, large_db = args  # run <small db> <large db>
    started = time.perf_counter()
    reps = ACTING_TECHNICIANS + REPEAT + 1  # warm-ups, REPEAT timed, one profiled
    benches = []
    for db, size in ((small_db, SIZES["small"]), (large_db, SIZES["large"])):
        registry = Registry(db)
        check_data(registry, size)
        benches.append(Bench(registry, World.load(registry), size))
    for bench in benches:
        prepare(bench, reps)
        housekeeping(bench)
    log(f"==> timing {len(OPS)} operations x {REPEAT} (+ warm-ups, + profiled) on both sizes")
    run_ops(benches, reps)
    for bench in benches:
        finish_service_jobs(bench)
        reads(bench)
    report(benches, started)


def report(benches, started):
    rows = table(benches)
    sizes = {bench.size.label: data_sizes(bench) for bench in benches}
    header = [
        f"- date: {datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {machine()}; PostgreSQL {pg_version(benches[0])}; load average "
        + " / ".join(f"{load:.1f}" for load in os.getloadavg())
        + " (1 / 5 / 15 min) at the end of the run",
    ]
    for bench in benches:
        header.append(
            f"- {bench.size.label} ({bench.db}): generated {bench.size.technicians} technicians "
            f"in {bench.size.branches} branch(es), {bench.size.serials} serials; now "
            + ", ".join(f"{v} {k}" for k, v in sizes[bench.size.label].items())
        )
    grown_by_op = growth(benches)
    diagnosis = diagnose(benches, rows, grown_by_op)
    differing = query_count_diffs(benches)
    grown = growth_lines(grown_by_op)
    grown_full = growth_lines(grown_by_op, width=1000)
    log("")
    for line in header + [""] + format_table(rows) + [""] + native_lines(rows) + [""]:
        log(line)
    for line in reads_lines(benches):
        log(line)
    misses = [row[0].label for row in rows if row[0].target and row[3] > TARGET]
    log("")
    if diagnosis:
        log(f"==> above the target ({TARGET}): {', '.join(misses)}")
        for line in diagnosis:
            log(line)
    else:
        log(f"==> every operation within the target (ratio <= {TARGET})")
    if grown:
        log("")
        log("==> queries that read more at the large size (EXPLAIN ANALYZE shared buffers):")
        for line in grown:
            log(line)
    if differing:
        log("")
        log("==> queries run a different number of times at the two sizes (small -> large):")
        for line in differing:
            log(line)
    if WRITE_DOCS:
        write_docs(benches, rows, diagnosis, grown_full, differing, header)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log(f"total {time.perf_counter() - started:.0f} s, peak memory (RSS) {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
