#!/usr/bin/env bash
# `make seed SCALE=x`: an ISP-size database for `make bench-scale` (scripts/seed.py).
# SEED_DB (default isp_seed) is created with the three ISP addons and no demo data when
# missing; SCALE (default 1), SEED (default 42) and SEED_END_DATE (default today) choose
# the data. Re-running resumes: the phases already done are skipped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${SEED_DB:-isp_seed}"
ensure_setup >/dev/null
if ! db_exists "$DB"; then
    printf '==> creating database %s (the ISP addons, no demo data)\n' "$DB"
    odoo -d "$DB" -i "$ISP_ADDONS" --stop-after-init --log-level=warn
fi
export ISP_ODOO_CONF="$CONF"
exec "$VENV/bin/python" "$ROOT/scripts/seed.py" "$DB"
