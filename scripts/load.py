"""Many technicians at once on a multi-process server: `make load` (scripts/load.sh).

Run inside the Odoo environment on a copy of the large benchmark database or of the
`make seed` database (isp_load):

- ``prepare <db> <clients>[,<clients>...] <jobs>``: for each round, `clients`
  technicians of different branches, a password (= login), vans topped up (received and
  issued the ISP way) and about `jobs` started jobs shared between them, with the ONT
  each will install (ORM, committed, not timed); written to ISP_LOAD_FIXTURES (default
  .local/load-fixtures.json). The technicians, the ONT and the consumables are the
  bench generator's, or in another database (the seed's) its isp.technician records and
  products of the consumable and CPE item classes (bench.World.load);
- ``run <db> <url>[,<url>...] <round> <seconds> [<via>]``: one thread per technician of
  the round calls the public methods over JSON-RPC for `seconds`, alternating a job
  completion (2 consumables and the job's ONT) and a stock request (a patch cord);
  several URLs split the clients between servers; `via` names the servers' way to the
  database in the report (default "direct"). Prints the throughput, p50/p95 latency and
  the errors that reached a client (serialization failures that Odoo's retries did not
  absorb apart);
- ``cron <db>``: a cron due now and then tomorrow, counting its runs (before several
  servers start: it must run once);
- ``check <db> [<after>]``: the invariants (scripts/invariants.py, SQL): no negative
  quant in a store or a van, every product's quants sum to zero over all locations (what
  left one location reached another), each quant what its done moves made it, no serial
  in two places, every install record where its serial is; and the cron ran once;
  `after` names the rounds checked in the report;
- ``prefork-options <workers> [<cron workers>]``: the options of a server like
  production's;
- ``report <db> <results> <out> <data>``: docs/load.md from the rounds and checks;
  `data` says which database was copied.

tests/test_load_invariants.py runs the same functions at a small scale on a copy of
the test database (two servers, a few technicians, a few seconds).
"""

import configparser
import json
import os
import statistics
import sys
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import World, admin_env, job_vals, machine, top_up_branch  # noqa: E402
from invariants import SERIALS, violations  # noqa: E402

from odoo import fields  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.sql_db import db_connect  # noqa: E402
from odoo.tools import SQL, config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(os.environ.get("ISP_LOAD_FIXTURES") or ROOT / ".local" / "load-fixtures.json")
CRON_COUNTER = "isp_load.cron_runs"
CRON_INVARIANT = "a cron due once ran once"


LIMITS = ("limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real")


def prefork_options(workers, cron_workers=1):
    """The options of a prefork server like production's: `workers` HTTP workers and
    `cron_workers` cron workers, with the limits of the repository's odoo.conf (each
    worker recycled past 1 GiB, killed past 2.5 GiB of address space, which the PDF
    printer needs, 600 s of CPU or 1200 s for a request)."""
    conf = configparser.ConfigParser()
    conf.read(ROOT / "odoo.conf")
    limits = [(f"--{key.replace('_', '-')}", conf["options"][key]) for key in LIMITS]
    return ["--workers", str(workers), "--max-cron-threads", str(cron_workers),
            *(part for option in limits for part in option)]  # fmt: skip


# ----------------------------------------------------------------------
# prepare (ORM, committed)
# ----------------------------------------------------------------------
def prepare(registry, rounds, jobs):
    """Each round gets its own technicians (`rounds`: its number of clients), so that
    every round starts with topped-up vans and started jobs: about `jobs` completions
    per round, shared by its technicians (at least 10 each). Returns the fixtures of
    `run` (also written to FIXTURES)."""
    world = World.load(registry)
    by_branch = {}
    for tech in world.techs:
        by_branch.setdefault(tech.branch_id, []).append(tech)
    # one technician per branch first, then a second one of each branch, ...
    order = [t for rank in range(max(map(len, by_branch.values()))) for t in
             (techs[rank] for techs in by_branch.values() if rank < len(techs))]  # fmt: skip
    fixtures, taken = [], 0
    for clients in rounds:
        chosen, taken = order[taken : taken + clients], taken + clients
        per_tech = max(10, -(-jobs // clients))
        fixtures.append([prepare_technician(registry, world, tech, per_tech) for tech in chosen])
    fixtures = {"db": registry.db_name, "world": {
        "consumables": world.consumable_ids, "ont": world.serial_product_ids[0]},
        "rounds": fixtures}  # fmt: skip
    FIXTURES.parent.mkdir(parents=True, exist_ok=True)
    FIXTURES.write_text(json.dumps(fixtures))
    return fixtures


def prepare_technician(registry, world, tech, jobs):
    """A password (= login), the van topped up and `jobs` started jobs, each with the
    ONT it will install."""
    with registry.cursor() as cr:
        env = admin_env(cr)
        user = env["res.users"].browse(tech.user_id)
        user.password = user.login
        # the bench tops up 4 ONTs and 6 of each consumable per repetition
        top_up_branch(env, world, tech.branch_id, {tech.id: (tech, -(-jobs // 4))})
        onts = free_onts(env, world, tech)[:jobs]
        store = env(user=world.storekeeper_uid)
        customers = env["res.partner"].create(
            [
                {"name": f"Load customer {tech.index}-{k}", "city": "Nairobi"}
                for k in range(len(onts))
            ]  # fmt: skip
        )
        job_list = []
        for ont, customer in zip(onts, customers, strict=True):
            job = store["project.task"].create(
                job_vals(world, tech.id, customer.id, "Load FTTH install")
            )
            job.with_user(tech.user_id).action_isp_start()
            job_list.append((job.id, ont.id))
        print(f"  {user.login}: {len(job_list)} started jobs", flush=True)
        return {"login": user.login, "tech": tech.id, "jobs": job_list}


def arm_cron(registry):
    """A cron due now, then not before tomorrow: however many servers run crons, it
    must run once. It comes first among the jobs due (priority 0)."""
    with registry.cursor() as cr:
        env = admin_env(cr)
        env["ir.config_parameter"].set_param(CRON_COUNTER, "0")
        env["ir.cron"].create(
            {
                "name": "Load test: runs once",
                "model_id": env.ref("base.model_ir_config_parameter").id,
                "state": "code",
                "code": (
                    f"p = env['ir.config_parameter'].sudo()\n"
                    f"n = int(p.get_param('{CRON_COUNTER}') or 0)\n"
                    f"p.set_param('{CRON_COUNTER}', str(n + 1))"
                ),
                "interval_number": 1,
                "interval_type": "days",
                "priority": 0,
                "nextcall": fields.Datetime.now(),
            }
        )


def free_onts(env, world, tech):
    quants = env["stock.quant"].search(
        [
            ("location_id", "=", tech.van_id),
            ("product_id", "=", world.serial_product_ids[0]),
            ("quantity", "=", 1),
            ("reserved_quantity", "=", 0),
        ],
        order="id",
    )
    return quants.lot_id


# ----------------------------------------------------------------------
# run (JSON-RPC clients)
# ----------------------------------------------------------------------
class Client(threading.Thread):
    def __init__(self, url, db, fixture, world, seconds, barrier, results):
        super().__init__(daemon=True)
        self.url, self.db, self.fx, self.world = url, db, fixture, world
        self.seconds, self.barrier, self.results = seconds, barrier, results
        self.messages = {}
        # what succeeded: the jobs completed and the transfers the requests created
        self.done = {"complete": [], "request": []}

    def call(self, service, method, *args):
        params = {"service": service, "method": method, "args": args}
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        request = urllib.request.Request(
            f"{self.url}/jsonrpc", body.encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read())

    def execute(self, uid, model, method, *args):
        password = self.fx["login"]
        return self.call("object", "execute_kw", self.db, uid, password, model, method, list(args))

    def run(self):
        uid = self.call("common", "login", self.db, self.fx["login"], self.fx["login"])["result"]
        jobs = self.fx["jobs"]
        # warm-up, not counted: the workers load the registry and the user's rights
        for _ in range(3):
            self.execute(uid, "isp.technician", "read", [self.fx["tech"]], ["stock_value"])
        self.barrier.wait()
        deadline = time.monotonic() + self.seconds
        cord = self.world["consumables"][0]
        turn = 0
        while time.monotonic() < deadline:
            if turn % 2 == 0 and jobs:
                job_id, ont_id = jobs.pop(0)
                used = [{"product_id": p, "qty_used": 1} for p in self.world["consumables"][:2]]
                values = {
                    "lines": [*used, {"product_id": self.world["ont"], "lots": [ont_id]}],
                    "leftover": "carry",
                    "latitude": -1.29,
                    "longitude": 36.82,
                }
                op, args = "complete", ("project.task", "action_isp_complete", [job_id], values)
            else:
                op = "request"
                args = ("isp.technician", "action_isp_request", [self.fx["tech"]],
                        [{"product_id": cord, "quantity": 2}])  # fmt: skip
            turn += 1
            start = time.perf_counter()
            try:
                answer = self.execute(uid, *args)
                error = answer.get("error")
            except Exception as exc:  # a refused connection or a timeout is a result too
                error = {"data": {"name": type(exc).__name__, "message": str(exc)}}
            ms = (time.perf_counter() - start) * 1000
            self.results.append((op, ms, error_kind(error)))
            if error:
                message = (error.get("data") or {}).get("message", "")
                self.messages.setdefault((op, error_kind(error)), message[:200])
            else:  # the job completed, or the transfer the request created
                self.done[op].append(job_id if op == "complete" else answer["result"])


def error_kind(error):
    if not error:
        return None
    data = error.get("data") or {}
    text = f"{data.get('name', '')} {data.get('message', '')}"
    if "serializ" in text.lower() or "concurrent update" in text.lower():
        return "serialization"
    return data.get("name") or "error"


def run(urls, fixtures, round_index, seconds, via="direct"):
    """The technicians of round `round_index` of `fixtures` (see `prepare`) at once for
    `seconds`, split between the servers `urls` (whose way to the database is `via`).
    Returns the round's figures and the clients (their `done` calls and error
    `messages`)."""
    results = []
    chosen = fixtures["rounds"][round_index]
    # a client that cannot log in or warm up breaks the barrier instead of hanging the run
    barrier = threading.Barrier(len(chosen) + 1, timeout=300)
    db, world = fixtures["db"], fixtures["world"]
    threads = [
        Client(urls[k % len(urls)], db, fx, world, seconds, barrier, results)
        for k, fx in enumerate(chosen)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    ok = [ms for _op, ms, err in results if not err]
    errors = {}
    for _op, _ms, err in results:
        if err:
            errors[err] = errors.get(err, 0) + 1
    p50 = statistics.median(ok) if ok else 0.0
    p95 = statistics.quantiles(ok, n=20)[-1] if len(ok) >= 20 else max(ok or [0.0])
    row = {
        "servers": len(urls),
        "via": via,
        "clients": len(threads),
        "seconds": round(elapsed, 1),
        "calls": len(results),
        "ok": len(ok),
        "throughput": round(len(ok) / elapsed, 2),
        "p50_ms": round(p50),
        "p95_ms": round(p95),
        "completions": sum(1 for op, _ms, err in results if op == "complete" and not err),
        "requests": sum(1 for op, _ms, err in results if op == "request" and not err),
        # clients whose started jobs ran out before the end (then requests only)
        "ran_out": sum(1 for thread in threads if not thread.fx["jobs"]),
        "errors": errors,
    }
    return row, threads


# ----------------------------------------------------------------------
# check (SQL)
# ----------------------------------------------------------------------
def cron_runs(cr):
    """How many times the cron armed by `arm_cron` ran (None: it was not armed)."""
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [CRON_COUNTER])
    row = cr.fetchone()
    return int(row[0]) if row else None


def check(cr, after="the rounds"):
    """Print the invariants (the violating rows on stderr); the number of failures."""
    failed = 0
    for label, rows in violations(cr).items():
        failed += len(rows)
        print(json.dumps({"invariant": label, "violations": len(rows), "after": after}))
        for row in rows[:20]:
            print(f"  {label}: {row}", file=sys.stderr)
    runs = cron_runs(cr)
    print(json.dumps({"invariant": CRON_INVARIANT, "runs": runs, "after": after}), flush=True)
    return failed + (runs != 1)


def report(registry, results_path, out_path, data):
    """docs/load.md from the rounds and checks of `results_path`; `data`: which
    database the load ran on (a copy of it)."""
    rows = [json.loads(line) for line in Path(results_path).read_text().splitlines() if line]
    runs = [row for row in rows if "clients" in row]
    checks = {}
    for row in rows:
        if "invariant" in row:
            checks.setdefault(row.get("after", "the rounds"), []).append(row)
    with registry.cursor() as cr:
        cr.execute("SHOW server_version")
        pg = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM stock_move_line WHERE state = 'done'")
        move_lines = cr.fetchone()[0]
        cr.execute(SQL("SELECT count(*) FROM (%s) serials", SERIALS))
        serials = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM isp_technician")
        technicians = cr.fetchone()[0]
    one = {row["clients"]: row for row in runs if row["servers"] == 1}
    base = one.get(1, {}).get("throughput") or 0
    lines = [
        "# Load test",
        "",
        "Written by `make load` (scripts/load.sh, scripts/load.py); do not edit by hand.",
        "Technicians call the public methods over JSON-RPC at the same time, each as",
        "himself, on prefork servers over one PostgreSQL: a job completion (two consumables",
        "and the ONT installed) and a stock request (a patch cord), in turn, for the length",
        "of a round. Throughput counts the calls that succeeded; the latency is the call's",
        "round trip as the client sees it. Errors are those that reached the client (Odoo",
        "retries a serialization failure itself before giving up).",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {machine()}; PostgreSQL {pg}; load average "
        + " / ".join(f"{load:.1f}" for load in os.getloadavg())
        + " (1 / 5 / 15 min) at the end",
        f"- data: a copy of {data}: {technicians} technicians, {serials} serials, "
        f"{move_lines} done move lines at the end",
        "",
        "| servers | to the database | workers each | clients | seconds | calls | ok "
        "| completions | requests | calls/s | vs 1 client | p50 ms | p95 ms | errors |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    workers = os.environ.get("LOAD_WORKERS", "4")
    for row in runs:
        ratio = f"{row['throughput'] / base:.2f}" if base else "-"
        errors = ", ".join(f"{k}: {v}" for k, v in row["errors"].items()) or "none"
        lines.append(
            f"| {row['servers']} | {row.get('via', 'direct')} | {workers} | {row['clients']} | "
            f"{row['seconds']} | {row['calls']} | {row['ok']} | {row['completions']} | "
            f"{row['requests']} | {row['throughput']} | {ratio} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {errors} |"
        )
    ran_out = sum(row["ran_out"] for row in runs)
    if ran_out:
        lines += ["", f"In {ran_out} client(s) the started jobs ran out before the end of "
                  "the round; their later calls were requests only."]  # fmt: skip
    for after, rows in checks.items():
        lines += ["", f"Invariants after {after}:", ""]
        for row in rows:
            value = row.get("violations", row.get("runs"))
            unit = "violations" if "violations" in row else "runs"
            lines.append(f"- {row['invariant']}: {value} {unit}")
    Path(out_path).write_text("\n".join(lines) + "\n")
    print(f"==> {out_path} written", flush=True)


def main():
    command, *args = sys.argv[1:]
    if command == "prefork-options":
        print(" ".join(prefork_options(*map(int, args))))
        return
    db, *args = args
    config.parse_config(["-c", os.environ["ISP_ODOO_CONF"], "-d", db, "--log-level=warn"])
    if command == "prepare":
        prepare(Registry(db), [int(n) for n in args[0].split(",")], int(args[1]))
    elif command == "cron":
        arm_cron(Registry(db))
    elif command == "run":
        fixtures = json.loads(FIXTURES.read_text())
        row, clients = run(args[0].split(","), fixtures, int(args[1]), float(args[2]), *args[3:])
        for client in clients:
            for (op, kind), message in client.messages.items():
                print(f"  {client.fx['login']} {op}: {kind}: {message}", file=sys.stderr)
        print(json.dumps(row), flush=True)
    elif command == "report":
        report(Registry(db), *args)
    elif command == "check":
        with db_connect(db).cursor() as cr:
            sys.exit(1 if check(cr, *args) else 0)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
