#!/usr/bin/env bash
# `make pot`: regenerate each addon's translation template (i18n/<addon>.pot) from a
# database with the addons installed (isp_bench, shared with the benchmark).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${ISP_BENCH_DB:-isp_bench}"

ensure_setup >/dev/null
ensure_addons_db "$DB"
"$VENV/bin/python" "$ODOO_BIN" i18n export -c "$CONF" -d "$DB" ${ISP_ADDONS//,/ }
