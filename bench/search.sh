#!/usr/bin/env bash
# Search within a product's reviews at the legacy size (issue #24): does a stored tsvector (and a GIN index) pay
# for its import time and size, or does matching each of a product's reviews as it is read suffice?
#   bench/search.sh                 the full legacy set in /var/tmp/reviews-full (generated the first time, 2.7 GB)
#   PRODUCTS=20000 bench/search.sh  a quick run on a smaller set
# Prints: the import's time (the search vectors filled after its swap, live); the most reviewed product; through the
# service, uncached, the p50/p99 of searches of that product (the issue's target: p99 ≤ 50 ms) and of filters and
# searches over the hot products; then, with pgbench on the same query, the search computed as read beside the kept
# vectors; and what the vectors and a GIN index take. Traffic goes to 127.0.0.1 only; what it starts is stopped by process id.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export Reviews__Traffic__PermitsPerSecond=0
seconds="${SECONDS_EACH:-15}"
bench_start search
need_wrk
data="${DATA:-/var/tmp/reviews-full}"
[[ -n "${PRODUCTS:-}" ]] && data="$work/data"
legacy_set "$data"
start_cluster reviews
t0=$(date +%s.%N)
"$reviews" import "$data" --rejects "$work/rejects.csv" > "$work/import.log" 2>&1 || [[ $? -le 2 ]]
import_s=$(echo "$(date +%s.%N) - $t0" | bc)
psql_run -d reviews -c "VACUUM (ANALYZE)" >/dev/null
read -r products reviews_max < <(psql_run -d reviews -F ' ' -c "SELECT max(product_id), max(id) FROM reviews.reviews")
read -r top top_reviews < <(psql_run -d reviews -F ' ' -c "SELECT product_id, count(*) FROM reviews.reviews GROUP BY product_id ORDER BY count(*) DESC LIMIT 1")
echo "import: $(printf %.0f "$import_s") s; $reviews_max reviews; the most reviewed product: $top ($top_reviews reviews)"

p=$((port + 1))
"$reviews" serve --no-cache --urls "http://127.0.0.1:$p" > "$work/api.log" 2>&1 & pids+=("$!")
wait_http "http://127.0.0.1:$p/health"
run() { # NAME SCRIPT [ENV…]: one uncached wrk run after a warm-up; prints its req/s, p50 and p99
  local name=$1 script=$2; shift 2
  env "$@" wrk -t 2 -c 16 -d 10s -s "$LOAD_DIR/$script" "http://127.0.0.1:$p" -- "$products" "$reviews_max" >/dev/null 2>&1
  env "$@" wrk -t 2 -c 16 -d "${seconds}s" -s "$LOAD_DIR/$script" "http://127.0.0.1:$p" -- "$products" "$reviews_max" 2 2>&1 |
    sed -n 's/^RESULT //p' | python3 -c "import json,sys; r=json.load(sys.stdin); print(f'$name: {r[\"requests\"]/r[\"duration_us\"]*1e6:,.0f} req/s, p50 {r[\"p50_us\"]/1000:.1f} ms, p99 {r[\"p99_us\"]/1000:.1f} ms, errors {r[\"non_2xx\"] + r[\"socket_errors\"]}')"
}
echo "== through the service, uncached (16 connections)"
run "list (baseline)" reviews.lua
run "filtered (rating=…)" filtered.lua
run "search (q=…, hot products)" search.lua
run "search of product $top ($top_reviews reviews)" search.lua TOP_PRODUCT="$top"

echo "== the query alone (pgbench, 8 clients, ${seconds} s, product $top, word 'comfortable')"
expression="to_tsvector('english', coalesce(summary, '') || ' ' || body || ' ' || coalesce(response, ''))"
query() { echo "SELECT id FROM reviews.reviews WHERE product_id = $top AND NOT reported AND $1 @@ websearch_to_tsquery('english', 'comfortable') ORDER BY helpfulness DESC, date DESC, id DESC LIMIT 5;"; }
bench_query() { query "$1" > "$work/q.sql"; chmod 644 "$work/q.sql"
  as_pg "$pgbin/pgbench" -n -M prepared -c 8 -j 2 -T "$seconds" -f "$work/q.sql" -h 127.0.0.1 -p "$port" -U postgres reviews 2>/dev/null |
    awk '/latency average/ {l=$4} /^tps/ {t=$3} END {printf "%s ms average, %.0f queries/s\n", l, t}'; }
echo "computed as read: $(bench_query "$expression")"
echo "kept (reviews.search): $(bench_query search)"
size=$(psql_run -d reviews -c "SELECT pg_total_relation_size('reviews.reviews') / 1048576")
vectors=$(psql_run -d reviews -c "SELECT sum(pg_column_size(search)) / 1048576 FROM reviews.reviews")
t0=$(date +%s.%N)
psql_run -d reviews -c "SET maintenance_work_mem = '1GB'; CREATE INDEX reviews_search ON reviews.reviews USING gin (search)"
index_s=$(echo "$(date +%s.%N) - $t0" | bc)
index_mb=$(psql_run -d reviews -c "SELECT pg_relation_size('reviews.reviews_search') / 1048576")
echo "== what the kept vectors cost: the import's phases (s):"
sed -n 's/^phases: //p; s/^total/total/p' "$work/import.log" | tr ',' '\n' | sed 's/^ */  /'

echo "vectors: $vectors MB of the reviews table's $size MB; a GIN index over them (not used: a search reads one product) would take $(printf %.0f "$index_s") s and $index_mb MB"
