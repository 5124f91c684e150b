#!/usr/bin/env bash
# `make bench-scale`: reports and screens timed on the database `make seed` filled
# (SEED_DB, default isp_seed), as their users; writes docs/benchmarks-scale.md.
# It changes the data a little (one monthly count of 100 technicians is applied):
# re-seed or restore a copy for identical re-runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${SEED_DB:-isp_seed}"
ensure_setup >/dev/null
db_exists "$DB" || { echo "ERROR: no database $DB: run \`make seed\` first" >&2; exit 1; }
export ISP_ODOO_CONF="$CONF"
exec "$VENV/bin/python" "$ROOT/scripts/bench_scale.py" "$DB"
