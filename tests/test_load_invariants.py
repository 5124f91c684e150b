"""`make load` at a small scale: two prefork servers on one database, technicians
calling the public methods over JSON-RPC at once, then the invariants of
scripts/load.py.

The load commits jobs, transfers and a cron run, and each server's cron worker runs
every cron that is due: it works on a copy of the test database (<test db>_load, with
its filestore; dropped afterwards) so that the other tests see the demo as it was. On
that copy, scripts/bench.py generates a small world (four technicians in two branches,
40 serials) and scripts/load.py prepares it (vans topped up, ten started jobs each) and
arms a cron due once; then two servers (`load.prefork_options`: two HTTP workers and one
cron worker each, the memory limits of `make load`) serve four technicians, split
between them, for a few seconds (`load.run`, the client loop of `make load`). Asserted:

- no error reached a client (the load has no business refusal to expect: each
  technician completes his own started jobs with stock in his own van, and asks his
  branch, which holds enough, for patch cords);
- every call is counted once, in the clients and in the database: the jobs the clients
  completed are the jobs done, the requests they made are the new request transfers;
- the invariants of scripts/invariants.py (no negative quant in a store or a van, every
  product's quants sum to zero, each quant what its done moves made it, no serial in two
  places, install records where their serials are) before the load (on what the
  earlier tests left) and after it, with the rows that break them;
- the cron ran once, although both servers' cron workers were woken while it was due
  and passed over the database again after it ran.

About two minutes on 2 cores shared with other runs (110-125 s; copying the database,
generating the world and preparing it take about one minute of that).
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import OUTPUT, ROOT, _free_port, _serve

from odoo.sql_db import close_db, db_connect
from odoo.tools import config

sys.path.insert(0, str(ROOT / "scripts"))
import invariants  # noqa: E402
import load  # noqa: E402

CLIENTS = 4
SECONDS = 8
WORKERS = 2
# bench.py's generator: four technicians in two branches, 40 serials
WORLD = {"BENCH_SMOKE": "1", "BENCH_FACTOR": "2", "BENCH_TECHS_PER_BRANCH": "2"}


def script(request, name, *args, **env):
    """Run scripts/<name> (inside the Odoo environment) as `make load` does."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / name), *args],
        env=dict(os.environ, ISP_ODOO_CONF=request.config.getoption("--odoo-config"), **env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{name} {args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"


def query(db, sql, params=None):
    with db_connect(db).cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


@pytest.fixture(scope="module")
def load_db(request, odoo_db, tmp_path_factory):
    """A copy of the test database with the load test's world prepared: yields (db,
    the fixtures of `load.run`)."""
    db = f"{odoo_db}_load"
    fixtures = tmp_path_factory.mktemp("load") / "fixtures.json"
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    shutil.rmtree(config.filestore(db), ignore_errors=True)
    try:
        # pg_dump, not `createdb -T`: the other tests' servers are connected to the
        # test database, and PostgreSQL copies a template nobody is connected to
        subprocess.run(["createdb", db], check=True)
        dump = subprocess.Popen(["pg_dump", "-Fc", odoo_db], stdout=subprocess.PIPE)
        subprocess.run(["pg_restore", "--no-owner", "-d", db], stdin=dump.stdout, check=True)
        assert dump.wait() == 0, "pg_dump failed"
        if os.path.isdir(config.filestore(odoo_db)):
            shutil.copytree(config.filestore(odoo_db), config.filestore(db))
        script(request, "bench.py", "generate", db, "large", **WORLD)
        script(
            request, "load.py", "prepare", db, str(CLIENTS), "0", ISP_LOAD_FIXTURES=str(fixtures)
        )
        script(request, "load.py", "cron", db)
        yield db, json.loads(fixtures.read_text())
    finally:
        close_db(db)
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
        shutil.rmtree(config.filestore(db), ignore_errors=True)


@pytest.fixture(scope="module")
def servers(request, load_db):
    """Two prefork servers on the copy (the cron workers log each pass over the
    database): yields [(url, log path)]."""
    options = [*load.prefork_options(WORKERS), "--log-handler", "odoo.service.server:DEBUG"]
    with contextlib.ExitStack() as stack:
        started = []
        for name in ("a", "b"):
            log = f"load-server-{name}.log"
            serve = contextlib.contextmanager(_serve)(
                request, load_db[0], log, *options, "--gevent-port", str(_free_port())
            )
            started.append((stack.enter_context(serve), OUTPUT / log))
        yield started


def cron_passes(logs):
    """How many times each server's cron worker has passed over the database."""
    return [path.read_text().count("polling for jobs") for path in logs]


def passed(logs, before):
    """Each cron worker has passed over the database since `before` (cron_passes)."""
    return all(now > then for now, then in zip(cron_passes(logs), before, strict=True))


def broken(db):
    """{invariant: the rows that break it} of the invariants that do not hold."""
    with db_connect(db).cursor() as cr:
        return {label: rows for label, rows in invariants.violations(cr).items() if rows}


def ran(db):
    with db_connect(db).cursor() as cr:
        return load.cron_runs(cr)


def wake_cron_workers(db):
    """What Odoo does when a cron is triggered (ir.cron._notifydb): every cron worker
    listening wakes up and processes the database now."""
    with db_connect("postgres").cursor() as cr:
        cr.execute("SELECT pg_notify('cron_trigger', %s)", [db])


def wait_for(condition, what, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.5)


def test_two_servers_under_load_keep_the_invariants(load_db, servers):
    db, fixtures = load_db
    urls, logs = [url for url, _log in servers], [log for _url, log in servers]
    techs = fixtures["rounds"][0]
    started_jobs = [job for tech in techs for job, _ont in tech["jobs"]]
    (last_picking,) = query(db, "SELECT coalesce(max(id), 0) FROM stock_picking")[0]
    assert broken(db) == {}, "the database before the load"

    row, clients = load.run(urls, fixtures, 0, SECONDS)

    messages = {
        (client.fx["login"], op, kind): message
        for client in clients
        for (op, kind), message in client.messages.items()
    }
    assert row["errors"] == {} and messages == {}, messages
    assert row["clients"] == CLIENTS and row["servers"] == 2
    assert row["completions"] > 0 and row["requests"] > 0, row
    assert row["ok"] == row["calls"] == row["completions"] + row["requests"], row
    # what the clients counted is what the database holds, once each
    completed = sorted(job for client in clients for job in client.done["complete"])
    requested = sorted(picking for client in clients for picking in client.done["request"])
    assert len(completed) == row["completions"] and len(requested) == row["requests"]
    done_jobs = query(
        db,
        "SELECT id FROM project_task WHERE id = ANY(%s) AND isp_job_state = 'done' ORDER BY id",
        [started_jobs],
    )
    assert [job for (job,) in done_jobs] == completed
    vans = query(
        db,
        "SELECT vehicle_location_id FROM isp_technician WHERE id = ANY(%s)",
        [[tech["tech"] for tech in techs]],
    )
    new_requests = query(
        db,
        """SELECT id FROM stock_picking WHERE id > %s AND location_dest_id = ANY(%s)
           ORDER BY id""",
        [last_picking, [van for (van,) in vans]],
    )
    assert [picking for (picking,) in new_requests] == requested

    # the cron due once: both cron workers woken while it is due (they race for it),
    # then once more after it ran: it must have run once
    passes = cron_passes(logs)
    wake_cron_workers(db)
    wait_for(lambda: passed(logs, passes) and ran(db), "both cron workers and the cron to run")
    passes = cron_passes(logs)
    wake_cron_workers(db)
    wait_for(lambda: passed(logs, passes), "both cron workers to pass again")
    time.sleep(2)  # the second pass reads the due jobs just after logging it

    assert broken(db) == {}, "the database after the load"
    assert ran(db) == 1
