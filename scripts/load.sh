#!/usr/bin/env bash
# `make load`: technicians at once on multi-process servers over one PostgreSQL
# (scripts/load.py), on a copy of the large benchmark data (`make bench` generates and
# keeps it in .local/bench/; run it once first). Writes docs/load.md.
#
# 1. isp_load is restored from the large benchmark dump and the addons updated; each
#    round gets its own technicians with topped-up vans and about LOAD_JOBS started jobs
#    shared between them (at least 10 each; not timed).
# 2. One prefork server (LOAD_WORKERS HTTP workers, one cron worker, the memory limits
#    of odoo.conf): 1, 4 and LOAD_CLIENTS clients for LOAD_SECONDS each.
# 3. A cron due once is armed, then two such servers on two ports share
#    LOAD_CLIENTS clients for LOAD_SECONDS; both keep running until the cron has run
#    and a minute more (each server's cron worker has polled).
# 4. The invariants are checked (no negative store/van quant, quants conserved, no
#    serial in two places, install records where their serials are, the cron ran once).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${ISP_LOAD_DB:-isp_load}"
CLIENTS="${LOAD_CLIENTS:-8}"
JOBS="${LOAD_JOBS:-200}"
SECONDS_PER_ROUND="${LOAD_SECONDS:-30}"
WORKERS="${LOAD_WORKERS:-4}"
LOAD=("$VENV/bin/python" "$ROOT/scripts/load.py")
RESULTS="$ROOT/.local/load-results.jsonl"
export ISP_ODOO_CONF="$CONF"

ensure_setup >/dev/null
marker="$("$VENV/bin/python" "$ROOT/scripts/bench.py" marker large)"
dump="$ROOT/.local/bench/isp_bench_large-$(printf '%s' "$marker" | sha1sum | cut -c1-12).dump"
[ -f "$dump" ] || { echo "ERROR: no large benchmark data ($dump): run make bench once" >&2; exit 1; }

printf '==> restoring %s from %s\n' "$DB" "$dump"
if db_exists "$DB"; then dropdb --force "$DB"; fi
createdb "$DB"
pg_restore --no-owner -d "$DB" "$dump"
odoo -d "$DB" -u "$ISP_ADDONS" --stop-after-init --log-level=warn
printf '==> preparing the technicians of each round (about %s started jobs a round)\n' "$JOBS"
"${LOAD[@]}" prepare "$DB" "1,4,$CLIENTS,$CLIENTS" "$JOBS"

free_port() { "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# the options of a prefork server like production's (shared with the CI test)
prefork="$("${LOAD[@]}" prefork-options "$WORKERS")"
read -ra PREFORK <<<"$prefork"
PIDS=()
start_server() {  # start_server <port> <log>: a prefork server like production's
    "$VENV/bin/python" "$ODOO_BIN" -c "$CONF" -d "$DB" --db-filter "^$DB\$" \
        --http-interface 127.0.0.1 --http-port "$1" \
        --gevent-port "$(free_port)" "${PREFORK[@]}" --log-level=warn >"$2" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 300); do
        curl -fs -o /dev/null "http://127.0.0.1:$1/web/login" && return 0
        sleep 1
    done
    echo "ERROR: the server on port $1 did not answer (see $2)" >&2
    exit 1
}
stop_servers() {  # the prefork master stops its workers on SIGTERM
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
trap stop_servers EXIT
mkdir -p "$ROOT/test-output"
: >"$RESULTS"

PORT_A="$(free_port)"
printf '==> one server, %s workers (port %s)\n' "$WORKERS" "$PORT_A"
start_server "$PORT_A" "$ROOT/test-output/load-server-a.log"
for round in 0 1 2; do  # 1, 4 and LOAD_CLIENTS clients, each round its own technicians
    "${LOAD[@]}" run "$DB" "http://127.0.0.1:$PORT_A" "$round" "$SECONDS_PER_ROUND" | tee -a "$RESULTS"
done
stop_servers

"${LOAD[@]}" cron "$DB"
PORT_B="$(free_port)"
printf '==> two servers, %s workers each (ports %s, %s)\n' "$WORKERS" "$PORT_A" "$PORT_B"
started=$(date +%s)
start_server "$PORT_A" "$ROOT/test-output/load-server-a2.log"
start_server "$PORT_B" "$ROOT/test-output/load-server-b.log"
"${LOAD[@]}" run "$DB" "http://127.0.0.1:$PORT_A,http://127.0.0.1:$PORT_B" 3 \
    "$SECONDS_PER_ROUND" | tee -a "$RESULTS"
# the cron: wait until it has run (cron workers poll about once a minute), then give
# the other server's cron worker another minute to run it a second time (it must not)
cron_runs() { psql -d "$DB" -tAc "SELECT value FROM ir_config_parameter WHERE key = 'isp_load.cron_runs'"; }
while [ "$(cron_runs)" = "0" ] && [ $(($(date +%s) - started)) -lt 180 ]; do sleep 5; done
sleep 65
stop_servers

printf '==> invariants\n'
status=0
"${LOAD[@]}" check "$DB" | tee -a "$RESULTS" || status=1
"${LOAD[@]}" report "$DB" "$RESULTS" "$ROOT/docs/load.md"
exit $status
