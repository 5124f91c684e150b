"""Shared helpers of the seed generator: progress lines, the phase table, COPY, ids.

Which parts use the ORM and which use COPY (and why):
- ORM (batched `create`): everything Odoo builds around a record on creation, where
  a hand-written row would miss something: regions, branches (a warehouse creates its
  locations, picking types, routes and sequences), technicians (users in the ISP group,
  the van and kit locations, the van route and rule), products (templates, variants,
  item-class defaults such as tracking), vendors and their supplier prices. Hundreds of
  records: minutes at most. Customers: the first by the ORM, the other tens of
  thousands COPY'd as copies of its row (see structure.phase_customers).
- COPY (PostgreSQL `COPY ... FROM STDIN` into Odoo's own tables): the history, which
  is millions of rows and would take hours through the ORM: serials (stock_lot),
  transfers (stock_picking), moves (stock_move), done move lines (stock_move_line),
  job cards (project_task) and purchase orders (purchase_order, purchase_order_line).
  Ids come from the tables' own id sequences (nextval), the transfer and purchase
  order names from their ir.sequence (its PostgreSQL sequence), so Odoo continues both
  after the seed as after real use. As a superuser the COPY skips PostgreSQL's per-row
  foreign-key triggers and checks every key once afterwards (history.fast_copy).
- SQL at the end: quants computed from the done move lines (so quants equal the sum
  of done moves exactly), then the serials' stored fields that follow their quants
  (location, lifecycle state, receipt date, warranty end).
"""

import io
import json
import sys
import time
from datetime import date, datetime

from psycopg2 import sql as pgsql

PHASE_TABLE = "isp_seed_phase_done"


def log(message):
    print(message, file=sys.stderr, flush=True)


class Progress:
    """Phase, count, rate and time left on stderr, at most every 5 s (and at the end)."""

    def __init__(self, phase, total):
        self.phase, self.total = phase, max(total, 1)
        self.start = self.last = time.perf_counter()
        self.done = 0

    def add(self, count):
        self.tick(self.done + count)

    def tick(self, done):
        self.done = done
        now = time.perf_counter()
        if done < self.total and now - self.last < 5:
            return
        self.last = now
        spent = max(now - self.start, 1e-6)
        rate = done / spent
        left = (self.total - done) / rate if rate and done < self.total else 0
        log(
            f"  [{self.phase}] {done:,}/{self.total:,} ({rate:,.0f}/s, {spent:.0f} s"
            + (f", ~{left:.0f} s left)" if done < self.total else ")")
        )


# ----------------------------------------------------------------------
# Phases: recorded when done, skipped on a re-run
# ----------------------------------------------------------------------
def ensure_phase_table(cr):
    cr.execute(
        pgsql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (phase varchar PRIMARY KEY, seconds float, "
            "rows_written bigint, params varchar, done_at timestamp DEFAULT now())"
        ).format(pgsql.Identifier(PHASE_TABLE))
    )


def phases_done(cr):
    cr.execute(
        pgsql.SQL("SELECT phase, seconds, rows_written, params FROM {} ORDER BY done_at").format(
            pgsql.Identifier(PHASE_TABLE)
        )
    )
    return {phase: (seconds, rows, params) for phase, seconds, rows, params in cr.fetchall()}


def mark_phase(cr, phase, seconds, rows, params):
    cr.execute(
        pgsql.SQL(
            "INSERT INTO {} (phase, seconds, rows_written, params) VALUES (%s, %s, %s, %s)"
        ).format(pgsql.Identifier(PHASE_TABLE)),
        [phase, seconds, rows, params],
    )


# ----------------------------------------------------------------------
# COPY and ids
# ----------------------------------------------------------------------
def _text(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        value = json.dumps(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def copy_rows(cr, table, columns, rows):
    """COPY `rows` (tuples in the order of `columns`) into `table`; returns the count."""
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(_text(v) for v in row))
        buffer.write("\n")
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    query = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
        pgsql.Identifier(table), pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
    )
    cr.flush()
    cr._obj.copy_expert(query.as_string(cr._obj), buffer)
    return count


class Ids:
    """Ids taken from a table's own id sequence, in blocks."""

    def __init__(self, cr, table, block=20000):
        self.cr, self.table, self.block = cr, table, block
        cr.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        self.sequence = cr.fetchone()[0]
        self.free = []

    def next(self):
        if not self.free:
            self.cr.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, self.block]
            )
            self.free = [row[0] for row in self.cr.fetchall()][::-1]
        return self.free.pop()


class Names:
    """Names from an ir.sequence (prefix, padding, its PostgreSQL sequence when the
    implementation is 'standard', else its number_next row), taken in blocks."""

    def __init__(self, env, sequence):
        self.env, self.sequence = env, sequence
        self.free = []

    def next(self):
        if not self.free:
            self.free = self._take(500)[::-1]
        return self.free.pop()

    def _take(self, count):
        seq = self.sequence
        prefix, suffix = seq._get_prefix_suffix()
        cr = self.env.cr
        if seq.implementation == "standard":
            cr.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                [f"ir_sequence_{seq.id:03d}", count],
            )
            numbers = [row[0] for row in cr.fetchall()]
        else:
            cr.execute(
                "UPDATE ir_sequence SET number_next = number_next + %s * number_increment "
                "WHERE id = %s RETURNING number_next - %s * number_increment, number_increment",
                [count, seq.id, count],
            )
            first, step = cr.fetchone()
            numbers = [first + i * step for i in range(count)]
        return [f"{prefix}{n:0{seq.padding}d}{suffix}" for n in numbers]
