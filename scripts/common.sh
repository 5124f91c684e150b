# Shared by scripts/run.sh and scripts/test.sh (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
CONF="$ROOT/.local/odoo.conf"
ODOO_BIN="$ROOT/.cache/odoo/usr/bin/odoo"
ISP_ADDONS="isp_inventory,isp_field_service,isp_reports"

odoo() { "$VENV/bin/python" "$ODOO_BIN" -c "$CONF" "$@"; }

db_exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" 2>/dev/null | grep -q 1; }

ensure_setup() {
    # Setup is idempotent and fast when done; always run it so a changed
    # requirements file or a stopped PostgreSQL is picked up.
    bash "$ROOT/scripts/setup.sh"
}

ensure_addons_db() {
    # A database with the three addons and no demo data (benchmark, translation
    # templates): created on first use, the addons updated afterwards.
    if db_exists "$1"; then
        odoo -d "$1" -u "$ISP_ADDONS" --stop-after-init --log-level=warn
    else
        printf '==> creating database %s (the ISP addons, no demo data)\n' "$1"
        odoo -d "$1" -i "$ISP_ADDONS" --stop-after-init --log-level=warn
    fi
}
