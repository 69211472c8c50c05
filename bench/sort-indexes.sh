#!/usr/bin/env bash
# The sort indexes of migration 0006, weighed (docs/search.md). With them a page of a product's reviews reads its
# own rows in order and stops; without them (one index on product_id, as before) every page reads and sorts all the
# product's reviews, but a helpful vote rewrites its row in place (HOT: helpfulness is then in no index).
# On one data set, through one uncached instance at 64 connections, ROUNDS alternating rounds without and with
# them: the most reviewed product's pages (the three sorts, two pages) and searches (for words some of its reviews
# hold, and for one none does), searches over the hot products, and helpful votes (with the share of HOT updates);
# then the medians side by side, and what the indexes take to build and on disk.
#   bench/sort-indexes.sh                  the full legacy set in /var/tmp/reviews-full (generated the first time)
#   PRODUCTS=20000 bench/sort-indexes.sh   a quick run
# Traffic goes to 127.0.0.1 only; what it starts is stopped by process id.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export Reviews__Traffic__PermitsPerSecond=0
seconds="${SECONDS_EACH:-10}" rounds="${ROUNDS:-2}" connections="${CONNECTIONS:-64}"
bench_start sort-indexes
need_wrk
data="${DATA:-/var/tmp/reviews-full}"
[[ -n "${PRODUCTS:-}" ]] && data="$work/data"
legacy_set "$data"
start_cluster reviews
"$reviews" import "$data" --rejects "$work/rejects.csv" > "$work/import.log" 2>&1 || [[ $? -le 2 ]]
psql_run -d reviews -c "VACUUM (ANALYZE)" >/dev/null
psql_run -d reviews -c "CHECKPOINT" >/dev/null
read -r products reviews_max < <(psql_run -d reviews -F ' ' -c "SELECT max(product_id), max(id) FROM reviews.reviews")
read -r top top_reviews < <(psql_run -d reviews -F ' ' -c "SELECT product_id, count(*) FROM reviews.reviews GROUP BY product_id ORDER BY count(*) DESC LIMIT 1")
echo "$reviews_max reviews; the most reviewed product: $top ($top_reviews reviews); import phases:"
sed -n 's/^phases: //p' "$work/import.log" | tr ',' '\n' | sed 's/^ */  /'

p=$((port + 1))
"$reviews" serve --no-cache --urls "http://127.0.0.1:$p" > "$work/api.log" 2>&1 & pids+=("$!")
wait_http "http://127.0.0.1:$p/health"
wrk -t 2 -c "$connections" -d 30s -s "$LOAD_DIR/reviews-sorted.lua" "http://127.0.0.1:$p" -- "$products" "$reviews_max" >/dev/null 2>&1 # the JIT's steady state

hot_updates() { psql_run -d reviews -F ' ' -c "SELECT n_tup_hot_upd, n_tup_upd FROM pg_stat_user_tables WHERE relid = 'reviews.reviews'::regclass"; }
timed() { local t0; t0=$(date +%s.%N); psql_run -d reviews -c "SET maintenance_work_mem = '1GB'; $1; ANALYZE reviews.reviews; CHECKPOINT"; printf %.1f "$(echo "$(date +%s.%N) - $t0" | bc)"; }
without() { echo "  (indexes dropped, product_id's built: $(timed "CREATE INDEX reviews_product_id ON reviews.reviews (product_id); DROP INDEX reviews.reviews_by_helpfulness, reviews.reviews_by_date") s)"; }
# (the sort indexes as migration 0006 writes them, in the reviews schema)
sort_indexes=$(sed -n 's/^CREATE INDEX \(.*\) ON reviews /CREATE INDEX \1 ON reviews.reviews /p' "$root/src/Reviews/Store/Migrations/0006_sort_indexes.sql" | tr '\n' ' ')
with() { echo "  (indexes built: $(timed "$sort_indexes DROP INDEX reviews.reviews_product_id") s)"; }
run() { # SETUP NAME SCRIPT [ENV…]: a 3 s warm-up, then one measured run, appended to results.jsonl
  local setup=$1 name=$2 script=$3; shift 3
  env "$@" wrk -t 2 -c "$connections" -d 3s -s "$LOAD_DIR/$script" "http://127.0.0.1:$p" -- "$products" "$reviews_max" >/dev/null 2>&1
  local h0 h1; h0=$(hot_updates)
  local result; result=$(env "$@" wrk -t 2 -c "$connections" -d "${seconds}s" -s "$LOAD_DIR/$script" "http://127.0.0.1:$p" -- "$products" "$reviews_max" 2>&1 | sed -n 's/^RESULT //p')
  sleep 1; h1=$(hot_updates)   # a backend reports its counts within a second
  python3 "$root/bench/sort_indexes_result.py" "$setup" "$name" "$result" "$h0" "$h1" "$work/results.jsonl"
}
measure() { # SETUP
  run "$1" "top product, 3 sorts × 2 pages" reviews-sorted.lua TOP_PRODUCT="$top"
  run "$1" "top product, searched" search.lua TOP_PRODUCT="$top"
  run "$1" "top product, a word none has" search.lua TOP_PRODUCT="$top" WORDS=zyzzyva   # the index's worst case: every row read
  run "$1" "hot products, searched" search.lua
  run "$1" "hot products, listed" reviews.lua
  run "$1" "helpful votes" votes.lua
}
# As migrated (with), then alternating which goes first (without, with; with, without; …), so that neither always
# follows the other's votes, and the indexes are built or dropped only between setups.
state=with
for round in $(seq "$rounds"); do
  if (( round % 2 )); then order=(with without); else order=(without with); fi
  for setup in "${order[@]}"; do
    echo "== round $round, $setup the sort indexes"
    [[ $setup != "$state" ]] && { [[ $setup == without ]] && without || with; state=$setup; }
    measure "$setup"
  done
done
[[ $state == without ]] && with
sizes=$(psql_run -d reviews -c "SELECT string_agg(relname || ' ' || pg_size_pretty(pg_relation_size(oid)), ', ' ORDER BY relname) FROM pg_class WHERE relname IN ('reviews_by_helpfulness', 'reviews_by_date')")
psql_run -d reviews -c "CREATE INDEX reviews_product_id ON reviews.reviews (product_id)"
echo "on disk: $sizes; the product_id index they replace: $(psql_run -d reviews -c "SELECT pg_size_pretty(pg_relation_size('reviews.reviews_product_id'))")"
python3 "$root/bench/sort_indexes_result.py" --report "$work/results.jsonl"
