#!/usr/bin/env bash
# The test command: a throw-away database with the three ISP addons (and their demo
# data) installed, then one pytest run (pytest-odoo) over every addon's tests and the
# top-level tests/ (external API, browser, cross-addon). Extra arguments go to pytest,
# e.g. `make test ARGS=isp_inventory` or `scripts/test.sh tests/test_platform.py -k browser`.
# ISP_TEST_REUSE_DB=1 keeps an existing test database and only updates the ISP addons
# (fast iteration while developing; CI always starts from a fresh database).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${ISP_TEST_DB:-isp_test}"

ensure_setup
if [ "${ISP_TEST_REUSE_DB:-0}" = "1" ] && db_exists "$DB"; then
    printf '\n==> reusing test database %s: updating the ISP addons\n' "$DB"
    mode=(-u "$ISP_ADDONS")
else
    printf '\n==> fresh test database %s\n' "$DB"
    dropdb --if-exists --force "$DB"
    mode=(-i "$ISP_ADDONS" --with-demo)
fi
odoo -d "$DB" "${mode[@]}" --stop-after-init --log-level=warn \
    || { echo "ERROR: installing the ISP addons failed (see the log above)" >&2; exit 1; }
# Odoo installs a module whose demo data fails "without demo data" and exits 0: the
# demo is part of what is tested, so that is a failure here.
no_demo="$(psql -d "$DB" -tAc "SELECT string_agg(name, ', ') FROM ir_module_module
    WHERE name = ANY(string_to_array('$ISP_ADDONS', ',')) AND state = 'installed' AND NOT demo")"
if [ "${mode[0]}" = "-i" ] && [ -n "$no_demo" ]; then
    echo "ERROR: the demo data of $no_demo failed to load (see the log above)" >&2
    exit 1
fi

printf '\n==> pytest\n'
cd "$ROOT"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(isp_inventory isp_field_service isp_reports tests)
exec "$VENV/bin/pytest" --odoo-config="$CONF" --odoo-database="$DB" "${targets[@]}"
