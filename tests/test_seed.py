"""`make seed` at SCALE=0.01 into a database of its own (<test db>_seed, created by
scripts/seed.sh from the three addons without demo data, dropped afterwards).

Checks the generated data's invariants (scripts/invariants.py: quants equal the
done moves, no serial in two places, install records match the serials' locations, no
negative stock in a store or van), that the counts follow the scale, that the data is
usable by the ISP operations (a technician takes a seeded installed serial back through
the ORM, and the invariants still hold), and that a re-run is safe: finished phases are
skipped, a lost phase is redone, other parameters are refused with nothing changed.
About 3 minutes on a quiet 2-core machine, most of it installing the addons.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from odoo.sql_db import close_db, db_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import invariants  # noqa: E402
from seed import counts as seed_counts  # noqa: E402

SCALE = "0.01"
END = "2026-06-30"


@pytest.fixture(scope="module")
def seed_db(request, odoo_db):
    db = f"{odoo_db}_seed"
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    yield db
    close_db(db)
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)


def seed(db, scale=SCALE):
    env = dict(
        os.environ, SEED_DB=db, SCALE=scale, SEED="42", SEED_END_DATE=END, SEED_WRITE_DOCS="0"
    )
    return subprocess.run(
        ["bash", str(ROOT / "scripts/seed.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def query(db, sql, params=None):
    with db_connect(db).cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def state(db):
    with db_connect(db).cursor() as cr:
        return seed_counts.counts(cr), invariants.check(cr)


def test_seed_small_scale(seed_db):
    run = seed(seed_db)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "invariant: serials in two places: 0 ok" in run.stderr
    counts, violations = state(seed_db)
    assert violations == dict.fromkeys(invariants.INVARIANTS, 0)
    # scale 0.01 of 200k serials / 150k installed / 500 technicians / 25 branches
    assert counts["serials"] == 2000
    assert counts["installed serials"] == 1500
    assert counts["technicians"] == 5
    assert counts["branches"] >= 2
    # ~1M done move lines at scale 1.0: about 10k at 0.01
    assert 7000 <= counts["done move lines"] <= 15000, counts
    assert counts["job cards"] > 780
    # every installed serial's install record: customer, technician, job, date
    (incomplete,) = query(
        seed_db,
        """SELECT COUNT(*) FROM stock_lot WHERE isp_state = 'installed'
           AND (isp_installed_by_id IS NULL OR isp_task_id IS NULL
                OR isp_installed_date IS NULL)""",
    )[0]
    assert incomplete == 0
    # 24 months of history, with seasons: August-December above January
    months = dict(
        query(
            seed_db,
            """SELECT to_char(isp_completed_date, 'MM'), COUNT(*) FROM project_task
               WHERE isp_job_state = 'done' GROUP BY 1""",
        )
    )
    assert len(months) == 12
    (span,) = query(
        seed_db,
        "SELECT MAX(date) - MIN(date) FROM stock_move_line WHERE state = 'done'",
    )[0]
    assert span.days >= 700
    # the last phase summed the history into the monthly stock flows' summary
    ((until, months_summarised),) = query(
        seed_db,
        """SELECT state.until, (SELECT COUNT(DISTINCT month) FROM isp_stock_flow_summary)
             FROM isp_stock_flow_summary_state state""",
    )
    assert until is not None
    assert months_summarised >= 24

    # re-run after an interruption: the phases done are skipped, the lost one redone
    # (as if the run had stopped before committing it), and the data is the same
    with db_connect(seed_db).cursor() as cr:
        cr.execute("DELETE FROM isp_seed_phase_done WHERE phase = 'serial fields'")
        cr.execute("UPDATE stock_lot SET isp_state = NULL")
        cr.commit()
    again = seed(seed_db)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stderr.count("skipped") == 7
    assert state(seed_db) == (counts, violations)

    # other parameters on the same database: refused, nothing changed
    other = seed(seed_db, scale="0.02")
    assert other.returncode != 0
    assert "was seeded with scale=0.01" in other.stderr
    assert state(seed_db) == (counts, violations)


SNIPPET = """
import sys
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config
config.parse_config(["-c", sys.argv[1], "-d", sys.argv[2], "--log-level=warn"])
with Registry(sys.argv[2]).cursor() as cr:
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    # the serial fields written by SQL are what Odoo's compute methods give
    Lot = env["stock.lot"]
    names = ("isp_state", "location_id", "isp_receipt_date", "isp_warranty_end")
    lots = Lot.search([])
    stored = {lot.id: [lot[name] for name in names] for lot in lots}
    env.invalidate_all()
    for name in names:
        env.add_to_compute(Lot._fields[name], lots)
    lots._recompute_recordset(list(names))
    differing = sum(stored[lot.id] != [lot[name] for name in names] for lot in lots)
    # and Odoo's quant clean-up (the daily scheduler's) finds nothing to merge or drop
    quants = env["stock.quant"].search_count([])
    env["stock.quant"]._quant_tasks()
    env.flush_all()
    print(differing, quants - env["stock.quant"].search_count([]))
    cr.rollback()
with Registry(sys.argv[2]).cursor() as cr:
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    lot = env["stock.lot"].search([("isp_state", "=", "installed")], order="id", limit=1)
    tech = lot.isp_installed_by_id
    env["project.task"].create({
        "name": "Seed test: collect the router",
        "project_id": env.ref("isp_field_service.project_field_jobs").id,
        "stage_id": env.ref("isp_field_service.task_type_scheduled").id,
        "isp_technician_id": tech.id,
        "partner_id": lot.isp_customer_id.id,
        "isp_job_type_id": env.ref("isp_field_service.job_type_disconnection").id,
    })
    me = env(user=tech.user_id.id)
    me["stock.lot"].browse(lot.id).action_isp_take_back(tech.id, lot.isp_customer_id.id)
    print(lot.id, tech.vehicle_location_id.id)
"""


def test_seeded_serial_taken_back_by_its_technician(request, seed_db):
    """The seeded data is what Odoo would have written: recomputing the serials'
    stored fields by the ORM changes none, Odoo's quant clean-up changes no quant. And
    it works with the ISP operations: the office schedules a job at the customer of a
    seeded installed serial, and the technician who installed it takes it
    back (ORM, as that user); it is then in the van, its install record cleared, and
    the invariants still hold."""
    if not query(seed_db, "SELECT 1 FROM pg_class WHERE relname = 'isp_seed_phase_done'"):
        run = seed(seed_db)
        assert run.returncode == 0, run.stderr[-3000:]
    before = state(seed_db)[0]
    run = subprocess.run(
        [sys.executable, "-c", SNIPPET, request.config.getoption("--odoo-config"), seed_db],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    differing, quants_dropped, lot_id, van_id = map(int, run.stdout.split()[-4:])
    assert (differing, quants_dropped) == (0, 0)
    rows = query(
        seed_db,
        """SELECT l.isp_state, l.isp_customer_id, q.location_id FROM stock_lot l
           JOIN stock_quant q ON q.lot_id = l.id AND q.quantity > 0 WHERE l.id = %s""",
        [lot_id],
    )
    assert rows == [("with_technician", None, van_id)]
    counts, violations = state(seed_db)
    assert violations == dict.fromkeys(invariants.INVARIANTS, 0)
    assert counts["installed serials"] == before["installed serials"] - 1
    assert counts["done move lines"] == before["done move lines"] + 1
