#!/usr/bin/env bash
# `make bench`: time what a user waits for at two data sizes (scripts/bench.py) and write
# docs/benchmarks.md. Two databases with the three addons and no demo data:
# isp_bench_small and isp_bench_large (ISP_BENCH_DB_SMALL / ISP_BENCH_DB_LARGE).
#
# The generated data is kept as a dump in .local/bench/ (one per size and data marker:
# sizes, BENCH_FACTOR, generator version). Every run starts from it: the database is
# restored and the addons updated, so each run times the same data, not what earlier
# runs added. No dump yet: the database is created and the data generated (minutes),
# then dumped. Remove .local/bench/ to generate again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SMALL="${ISP_BENCH_DB_SMALL:-isp_bench_small}"
LARGE="${ISP_BENCH_DB_LARGE:-isp_bench_large}"
DUMPS="$ROOT/.local/bench"
BENCH=("$VENV/bin/python" "$ROOT/scripts/bench.py")
export ISP_ODOO_CONF="$CONF"

dump_of() {  # dump_of <db> <marker>: the dump file of that data
    printf '%s/%s-%s.dump' "$DUMPS" "$1" "$(printf '%s' "$2" | sha1sum | cut -c1-12)"
}

ensure_setup >/dev/null
mkdir -p "$DUMPS"
declare -A WANT
generated=()
for size in small large; do
    if [ "$size" = small ]; then db="$SMALL"; else db="$LARGE"; fi
    WANT[$db]="$("${BENCH[@]}" marker "$size")"
    dump="$(dump_of "$db" "${WANT[$db]}")"
    if db_exists "$db"; then dropdb --force "$db"; fi
    if [ -f "$dump" ]; then
        printf '==> restoring %s (%s)\n' "$db" "${WANT[$db]}"
        createdb "$db"
        pg_restore --no-owner -d "$db" "$dump"
        ensure_addons_db "$db"
    elif [ "$size" = large ] && [ ${#generated[@]} -eq 1 ]; then
        # the small database has just been created empty: copy it (faster than
        # installing the addons a second time)
        printf '==> creating database %s as a copy of %s\n' "$db" "$SMALL"
        createdb -T "$SMALL" "$db"
        generated+=("$size")
    else
        ensure_addons_db "$db"
        generated+=("$size")
    fi
done
for size in "${generated[@]}"; do
    if [ "$size" = small ]; then db="$SMALL"; else db="$LARGE"; fi
    "${BENCH[@]}" generate "$db" "$size"
    pg_dump -Fc -f "$(dump_of "$db" "${WANT[$db]}")" "$db"
    printf '==> %s dumped to %s\n' "$db" "$(dump_of "$db" "${WANT[$db]}")"
done
exec "${BENCH[@]}" run "$SMALL" "$LARGE"
