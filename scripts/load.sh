#!/usr/bin/env bash
# `make load`: technicians at once on multi-process servers over one PostgreSQL
# (scripts/load.py), on a copy of the large benchmark data (`make bench` generates and
# keeps it in .local/bench/; run it once first) or, with LOAD_SOURCE=seed, of the
# `make seed` database (SEED_DB, default isp_seed: SCALE=1 is 500 technicians, 200k
# serials, 1.17M done move lines). Writes docs/load.md.
#
# 1. isp_load (ISP_LOAD_DB) is restored from the large benchmark dump, or copied from
#    SEED_DB with `createdb -T` (nobody may be connected to SEED_DB meanwhile), and the
#    addons updated; each round gets its own technicians of different branches with
#    topped-up vans and about LOAD_JOBS started jobs shared between them (at least 10
#    each; not timed).
# 2. One prefork server (LOAD_WORKERS HTTP workers, one cron worker, the limits of
#    odoo.conf): 1, 4 and LOAD_CLIENTS clients for LOAD_SECONDS each.
# 3. A cron due once is armed, then two such servers on two ports share
#    LOAD_CLIENTS clients for LOAD_SECONDS; both keep running until the cron has run
#    and a minute more (each server's cron worker has polled). The invariants are
#    checked (no negative store/van quant, quants conserved, no serial in two places,
#    install records where their serials are, the cron ran once).
# 4. Unless LOAD_PGBOUNCER=0: a PgBouncer in transaction mode (started here on
#    LOAD_PGBOUNCER_PORT, config in .local/pgbouncer/, stopped at the end) in front of
#    two servers without cron workers that share LOAD_CLIENTS clients; crons (which
#    LISTEN for their trigger, impossible through transaction pooling) run on a third
#    server connected directly, serving no client. Another cron due once is armed
#    first; the invariants are checked again.
#
# LOAD_PORTS (e.g. 8400-8499) keeps the servers' HTTP and websocket ports in a range.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${ISP_LOAD_DB:-isp_load}"
CLIENTS="${LOAD_CLIENTS:-8}"
JOBS="${LOAD_JOBS:-200}"
SECONDS_PER_ROUND="${LOAD_SECONDS:-30}"
WORKERS="${LOAD_WORKERS:-4}"
SOURCE="${LOAD_SOURCE:-bench}"
SEED_DB="${SEED_DB:-isp_seed}"
PGBOUNCER="${LOAD_PGBOUNCER:-1}"
PGBOUNCER_PORT="${LOAD_PGBOUNCER_PORT:-6433}"  # 6432: the Debian service's
LOAD=("$VENV/bin/python" "$ROOT/scripts/load.py")
RESULTS="$ROOT/.local/load-results.jsonl"
export ISP_ODOO_CONF="$CONF"

ensure_setup >/dev/null
began=$(date +%s)
if db_exists "$DB"; then dropdb --force "$DB"; fi
if [ "$SOURCE" = seed ]; then
    data="$SEED_DB (\`make seed\`)"
    printf '==> copying %s to %s (createdb -T)\n' "$SEED_DB" "$DB"
    createdb -T "$SEED_DB" "$DB"
else
    marker="$("$VENV/bin/python" "$ROOT/scripts/bench.py" marker large)"
    dump="$ROOT/.local/bench/isp_bench_large-$(printf '%s' "$marker" | sha1sum | cut -c1-12).dump"
    [ -f "$dump" ] || { echo "ERROR: no large benchmark data ($dump): run make bench once" >&2; exit 1; }
    data="the large benchmark database (\`make bench\`)"
    printf '==> restoring %s from %s\n' "$DB" "$dump"
    createdb "$DB"
    pg_restore --no-owner -d "$DB" "$dump"
fi
odoo -d "$DB" -u "$ISP_ADDONS" --stop-after-init --log-level=warn
printf '==> preparing the technicians of each round (about %s started jobs a round)\n' "$JOBS"
rounds="1,4,$CLIENTS,$CLIENTS"
[ "$PGBOUNCER" = 0 ] || rounds="$rounds,$CLIENTS"
"${LOAD[@]}" prepare "$DB" "$rounds" "$JOBS"
printf '==> prepared in %s s\n' $(($(date +%s) - began))

GIVEN=()
next_port() {  # PORT=a free port on 127.0.0.1: the system's choice, or one of LOAD_PORTS
    PORT="$("$VENV/bin/python" - "${LOAD_PORTS:-0-0}" "${GIVEN[@]}" <<'PY'
import socket
import sys

low, high = map(int, sys.argv[1].split("-"))
for candidate in range(low, high + 1):
    if str(candidate) in sys.argv[2:]:
        continue
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(sock.getsockname()[1])
        break
else:
    sys.exit(f"no free port in LOAD_PORTS={sys.argv[1]}")
PY
)"
    GIVEN+=("$PORT")
}
# the options of a prefork server like production's (shared with the CI test)
read -ra PREFORK <<<"$("${LOAD[@]}" prefork-options "$WORKERS")"
PIDS=()
URLS=()
start_server() {  # start_server <log> <options...>: a prefork server on a free port
    local log="$1" port
    shift
    next_port
    port="$PORT"
    next_port
    "$VENV/bin/python" "$ODOO_BIN" -c "$CONF" -d "$DB" --db-filter "^$DB\$" \
        --http-interface 127.0.0.1 --http-port "$port" --gevent-port "$PORT" "$@" \
        --log-level=warn >"$log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 300); do
        if curl -fs -o /dev/null "http://127.0.0.1:$port/web/login"; then
            URLS+=("http://127.0.0.1:$port")
            printf '    server on port %s (%s)\n' "$port" "$*"
            return 0
        fi
        sleep 1
    done
    echo "ERROR: the server on port $port did not answer (see $log)" >&2
    exit 1
}
PGB_PID=""
stop_servers() {  # the prefork master stops its workers on SIGTERM
    for pid in "${PIDS[@]}" $PGB_PID; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}" $PGB_PID; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
    URLS=()
    PGB_PID=""
}
trap stop_servers EXIT
mkdir -p "$ROOT/test-output"
: >"$RESULTS"
urls() { local IFS=,; echo "${URLS[*]}"; }
cron_runs() { psql -d "$DB" -tAc "SELECT value FROM ir_config_parameter WHERE key = 'isp_load.cron_runs'"; }
wait_for_cron() {  # until the cron has run (cron workers poll about once a minute), then
    # another minute for every cron worker to pass again (it must not run it twice)
    while [ "$(cron_runs)" = "0" ] && [ $(($(date +%s) - $1)) -lt 180 ]; do sleep 5; done
    sleep 65
}
status=0

printf '==> one server, %s workers\n' "$WORKERS"
start_server "$ROOT/test-output/load-server-a.log" "${PREFORK[@]}"
for round in 0 1 2; do  # 1, 4 and LOAD_CLIENTS clients, each round its own technicians
    "${LOAD[@]}" run "$DB" "$(urls)" "$round" "$SECONDS_PER_ROUND" | tee -a "$RESULTS"
done
stop_servers

"${LOAD[@]}" cron "$DB"
printf '==> two servers, %s workers each\n' "$WORKERS"
started=$(date +%s)
start_server "$ROOT/test-output/load-server-a2.log" "${PREFORK[@]}"
start_server "$ROOT/test-output/load-server-b.log" "${PREFORK[@]}"
"${LOAD[@]}" run "$DB" "$(urls)" 3 "$SECONDS_PER_ROUND" | tee -a "$RESULTS"
wait_for_cron "$started"
stop_servers
printf '==> invariants\n'
"${LOAD[@]}" check "$DB" "the two servers" | tee -a "$RESULTS" || status=1

if [ "$PGBOUNCER" != 0 ]; then
    # PgBouncer refuses to run as root: then it runs as postgres and logs in as postgres
    # (peer authentication on the Unix socket); clients log in as this user (trust, local)
    pgb_dir="$ROOT/.local/pgbouncer"
    pgb_bin="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
    [ -x "$pgb_bin" ] || { echo "ERROR: no pgbouncer: run make setup (apt package)" >&2; exit 1; }
    as=() server_user="$(id -un)"
    if [ "$(id -u)" = 0 ]; then as=(-u postgres); server_user=postgres; fi
    mkdir -p "$pgb_dir"
    chmod 755 "$pgb_dir"
    cat >"$pgb_dir/pgbouncer.ini" <<INI
[databases]
* = host=$(psql -d postgres -tAc 'SHOW unix_socket_directories' | cut -d, -f1) port=$(psql -d postgres -tAc 'SHOW port') user=$server_user
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $pgb_dir/users.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
INI
    printf '"%s" ""\n' "$(id -un)" >"$pgb_dir/users.txt"
    chmod 644 "$pgb_dir/pgbouncer.ini" "$pgb_dir/users.txt"
    "$pgb_bin" "${as[@]}" "$pgb_dir/pgbouncer.ini" >"$ROOT/test-output/load-pgbouncer.log" 2>&1 &
    PGB_PID=$!
    for _ in $(seq 30); do
        psql -h 127.0.0.1 -p "$PGBOUNCER_PORT" -d "$DB" -tAc 'SELECT 1' >/dev/null 2>&1 && break
        sleep 1
    done
    "${LOAD[@]}" cron "$DB"
    printf '==> PgBouncer (transaction mode, port %s): two servers without cron workers, crons on a third, direct\n' "$PGBOUNCER_PORT"
    started=$(date +%s)
    read -ra CRON_ONLY <<<"$("${LOAD[@]}" prefork-options 1 1)"
    read -ra NO_CRON <<<"$("${LOAD[@]}" prefork-options "$WORKERS" 0)"
    start_server "$ROOT/test-output/load-server-cron.log" "${CRON_ONLY[@]}"
    URLS=()  # the cron server serves no client
    bouncer=(--db_host 127.0.0.1 --db_port "$PGBOUNCER_PORT")
    start_server "$ROOT/test-output/load-server-pgb-a.log" "${NO_CRON[@]}" "${bouncer[@]}"
    start_server "$ROOT/test-output/load-server-pgb-b.log" "${NO_CRON[@]}" "${bouncer[@]}"
    "${LOAD[@]}" run "$DB" "$(urls)" 4 "$SECONDS_PER_ROUND" "PgBouncer (transaction)" \
        | tee -a "$RESULTS"
    wait_for_cron "$started"
    stop_servers
    printf '==> invariants\n'
    "${LOAD[@]}" check "$DB" "the PgBouncer round" | tee -a "$RESULTS" || status=1
fi

"${LOAD[@]}" report "$DB" "$RESULTS" "$ROOT/docs/load.md" "$data"
printf '==> make load took %s s\n' $(($(date +%s) - began))
exit $status
