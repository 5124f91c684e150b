#!/usr/bin/env bash
# `make bench`: time the ISP flows and report queries on a generated branch and print
# the figures (scripts/bench.py). Uses the database isp_bench (the three addons without
# demo data), created on first run and updated afterwards; the benchmark's own records
# are rolled back. Sizes: BENCH_TECHNICIANS, BENCH_SERIALS, BENCH_INSTALLS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${ISP_BENCH_DB:-isp_bench}"

ensure_setup >/dev/null
ensure_addons_db "$DB"
ISP_ODOO_CONF="$CONF" exec "$VENV/bin/python" "$ROOT/scripts/bench.py" "$DB"
