#!/usr/bin/env bash
# Serve Odoo with the ISP addons and demo data on http://127.0.0.1:8069 (admin/admin).
# Creates the isp_demo database on first run and reuses it afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${ISP_DB:-isp_demo}"
PORT="${ISP_PORT:-8069}"

ensure_setup
if db_exists "$DB"; then
    printf '\n==> database %s exists: updating the ISP addons\n' "$DB"
    odoo -d "$DB" -u "$ISP_ADDONS" --stop-after-init --log-level=warn
else
    printf '\n==> creating database %s with the ISP addons and demo data (a few minutes)\n' "$DB"
    odoo -d "$DB" -i "$ISP_ADDONS" --with-demo --stop-after-init --log-level=warn
fi
printf '\n==> Odoo is starting on http://127.0.0.1:%s  (login admin / password admin, database %s)\n\n' "$PORT" "$DB"
exec "$VENV/bin/python" "$ODOO_BIN" -c "$CONF" -d "$DB" --http-port "$PORT" --db-filter "^$DB\$"
