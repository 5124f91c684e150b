"""`make seed`: an ISP-size database, generated deterministically (scripts/seed.sh).

Usage: seed.py <db>. Environment: SCALE (1 = 5 regions, 25 branches, 500 technicians,
~300 products, 200k serials of which 150k installed, ~1M done move lines over 24
months), SEED (42), SEED_END_DATE (today, YYYY-MM-DD), SEED_WRITE_DOCS (1 at SCALE=1:
the `## Seed` section of docs/benchmarks.md).

Phases run in order, each in its own transaction, recorded in the table
isp_seed_phase_done when committed: a re-run skips the phases done and refuses a
database seeded with other parameters. Which phases use the ORM and which COPY: see
scripts/seed/common.py. Progress (phase, count, rate, time left) goes to stderr; at
the end the counts (scripts/seed/counts.py) and the invariants (scripts/invariants.py)
are printed, and the exit status is 1 if an invariant is violated.
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import invariants  # noqa: E402
from seed import counts as seed_counts  # noqa: E402
from seed import finish, structure  # noqa: E402
from seed.common import ensure_phase_table, log, mark_phase, phases_done  # noqa: E402
from seed.docs import write_docs  # noqa: E402
from seed.history import write_history  # noqa: E402
from seed.plan import Plan  # noqa: E402
from seed.world import World  # noqa: E402

from odoo import api  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.tools import config  # noqa: E402


def phase_history(env, plan):
    world = World.load(env)
    lines, written, _stories = write_history(env, plan, world)
    log("  [history] " + ", ".join(f"{n:,} {t}" for t, n in written.items()))
    return lines


PHASES = [
    ("branches", structure.phase_branches),
    ("products", structure.phase_products),
    ("technicians", structure.phase_technicians),
    ("customers", structure.phase_customers),
    ("history", phase_history),
    ("quants", finish.phase_quants),
    ("serial fields", finish.phase_serial_fields),
    ("flow summary", finish.phase_flow_summary),
]


def run(db, plan):
    registry = Registry(db)
    with registry.cursor() as cr:
        ensure_phase_table(cr)
        done = phases_done(cr)
    other = {params for _s, _r, params in done.values() if params != plan.params()}
    if other:
        raise SystemExit(
            f"{db} was seeded with {', '.join(sorted(other))}, not {plan.params()}: "
            "drop it or choose another SEED_DB"
        )
    log(f"==> seeding {db}: {plan.params()}")
    started = time.perf_counter()
    for name, phase in PHASES:
        if name in done:
            log(f"==> {name}: done earlier ({done[name][0]:.0f} s), skipped")
            continue
        log(f"==> {name}")
        t0 = time.perf_counter()
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            rows = phase(env, plan)
            seconds = time.perf_counter() - t0
            mark_phase(cr, name, seconds, rows or 0, plan.params())
        log(f"  [{name}] {rows or 0:,} rows in {seconds:.0f} s")
    with registry.cursor() as cr:
        timings = phases_done(cr)
        counts = seed_counts.counts(cr)
        violations = invariants.check(cr)
    log(f"==> seeded {db} in {time.perf_counter() - started:.0f} s (this run)")
    for name, (seconds, rows, _params) in timings.items():
        log(f"  phase {name}: {seconds:.0f} s, {rows:,} rows")
    for name, value in counts.items():
        log(f"  {name}: {value:,}")
    for name, value in violations.items():
        log(f"  invariant: {name}: {value} {'ok' if not value else 'VIOLATED'}")
    return timings, counts, violations


def main():
    db = sys.argv[1]
    config.parse_config(["-c", os.environ["ISP_ODOO_CONF"], "-d", db, "--log-level=warn"])
    scale = float(os.environ.get("SCALE") or 1)
    end = os.environ.get("SEED_END_DATE") or date.today().isoformat()
    plan = Plan(scale=scale, seed=int(os.environ.get("SEED") or 42), end=date.fromisoformat(end))
    timings, counts, violations = run(db, plan)
    default_docs = "1" if scale == 1 else "0"
    if os.environ.get("SEED_WRITE_DOCS", default_docs) == "1":
        write_docs(db, plan, timings, counts, violations)
    if any(violations.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
