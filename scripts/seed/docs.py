"""The `## Seed` section of docs/benchmarks.md (scripts/bench.py keeps it when it
rewrites the rest of the file)."""

import os
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Seed"


def split_seed_section(text):
    """(text without the seed section, the seed section or '')."""
    lines = text.split("\n")
    try:
        start = lines.index(HEADING)
    except ValueError:
        return text, ""
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    section = "\n".join(lines[start:end]).rstrip() + "\n"
    rest = "\n".join(lines[:start] + lines[end:]).rstrip() + "\n"
    return rest, section


def section(db, plan, timings, counts, violations):
    total = sum(seconds for seconds, _rows, _params in timings.values())
    out = [
        HEADING,
        "",
        f"Written by `make seed` (scripts/seed.py) on {datetime.now():%Y-%m-%d %H:%M}: "
        f"database {db}, {plan.params()}.",
        "Structure by batched ORM creates, the history by COPY into Odoo's tables, quants",
        "and serial fields by SQL from the done move lines (see scripts/seed/common.py).",
        "",
        f"Total {total / 60:.1f} min (sum of the phases; creating the database with the",
        f"addons comes before) on {os.cpu_count()} cores; load average "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (1 / 5 / 15 min) when the figures were written. The phases of one database",
        "may come from several runs (a resumed run keeps the timings of the phases done).",
        "",
        "| phase | seconds | rows |",
        "|---|---:|---:|",
    ]
    out += [f"| {name} | {s:.0f} | {rows:,} |" for name, (s, rows, _p) in timings.items()]
    out += ["", "| data | count |", "|---|---:|"]
    out += [f"| {name} | {value:,} |" for name, value in counts.items()]
    out += ["", "Invariants (violations):", ""]
    out += [f"- {name}: {value}" for name, value in violations.items()]
    return "\n".join(out) + "\n"


def write_docs(db, plan, timings, counts, violations):
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    rest, _old = split_seed_section(text)
    DOC.write_text(rest + "\n" + section(db, plan, timings, counts, violations))
