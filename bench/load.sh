#!/usr/bin/env bash
# Load test: one command that builds Release, starts its own PostgreSQL and the service (cache on, and a
# second instance with --no-cache for the cold scenarios), loads a data set, runs wrk scenarios beside two
# baselines measured in the same run, and writes docs/benchmarks.md and docs/benchmarks.svg.
#
#   bench/load.sh                      the full legacy set if /var/tmp/reviews-full holds it, else 100,000 products
#   DURATION=20 CONNECTIONS=64 bench/load.sh
#   PRODUCTS=20000 DURATION=5 OUT=/tmp/quick bench/load.sh     a quick run, its report kept out of docs/
#
# Traffic goes to 127.0.0.1 only. Everything started here is stopped by process id at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration="${DURATION:-15}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
bench_start load
need_wrk

# --- PostgreSQL and data -------------------------------------------------------------------------
data="${DATA:-/var/tmp/reviews-full}"
if [[ -z "${PRODUCTS:-}" && -f "$data/characteristic_reviews.csv" ]]; then
  dataset="the full legacy-size set ($data)"
else
  data="$work/data"; "$reviews" generate --out "$data" --products "${PRODUCTS:-100000}" >/dev/null
  dataset="a generated set of ${PRODUCTS:-100000} products"
fi
start_cluster reviews
echo "loading $dataset…"
"$reviews" import "$data" --rejects "$work/rejects.csv" > "$work/import.log" 2>&1 || [[ $? -le 2 ]]
read -r products reviews_max < <(psql_run -d reviews -F ' ' -c "SELECT max(product_id), max(id) FROM reviews.reviews")
# Steady state, as a database in service would be: hint bits and visibility map set after the bulk load
# (else the first read of every page pays for it, and autovacuum runs during the measurements).
echo "vacuuming after the load…"
psql_run -d reviews -c "VACUUM (ANALYZE)" >/dev/null
psql_run -d reviews -c "CHECKPOINT" >/dev/null   # so that no scenario runs beside the checkpoint the vacuum calls for

# --- the service: cached on one port, uncached on another ----------------------------------------
api_port=$((port + 1)); cold_port=$((port + 2)); plain_port=$((port + 3))
# wrk is one client sending tens of thousands of requests a second: no per-client rate limit here.
export Reviews__Traffic__PermitsPerSecond=0
"$reviews" serve --urls "http://127.0.0.1:$api_port" > "$work/api.log" 2>&1 & api_pid=$!; pids+=("$api_pid")
"$reviews" serve --no-cache --urls "http://127.0.0.1:$cold_port" > "$work/cold.log" 2>&1 & cold_pid=$!; pids+=("$cold_pid")
# The same service with its metrics off: the instrumentation's cost, measured beside it (docs/observability.md).
Reviews__Telemetry__Metrics=false "$reviews" serve --urls "http://127.0.0.1:$plain_port" > "$work/plain.log" 2>&1 & plain_pid=$!; pids+=("$plain_pid")
for p in $api_port $cold_port $plain_port; do wait_http "http://127.0.0.1:$p/health"; done

# Runs one wrk scenario; appends a JSON line to results.jsonl.
scenario() {
  local name=$1 script=$2 url=$3
  # A short warm-up (JIT, connection pools, cache). Mixed counts its writes from the end of it (warm_hook).
  wrk -t "$threads" -c "$connections" -d 3s -s "$LOAD_DIR/$script" "$url" -- "$products" "$reviews_max" >/dev/null 2>&1
  [[ -z "${warm_hook:-}" ]] || $warm_hook
  local service_pid=$api_pid; [[ $url == *":$cold_port" ]] && service_pid=$cold_pid; [[ $url == *":$plain_port" ]] && service_pid=$plain_pid
  # The service's own numbers (its /metrics) around the run; the instance with its metrics off has none.
  local m0='{}' m1='{}'
  [[ $url == *":$plain_port" ]] || m0=$(python3 "$root/bench/metrics.py" "$url/metrics")
  local s0 p0; s0=$(cpu_of "$service_pid"); p0=$(postgres_cpu)
  /usr/bin/time -f "WRKCPU %U %S" -o "$work/wrk-time" \
    wrk -t "$threads" -c "$connections" -d "${duration}s" --timeout 5s -s "$LOAD_DIR/$script" "$url" -- "$products" "$reviews_max" "$threads" > "$work/wrk.out" 2>&1
  local s1 p1; s1=$(cpu_of "$service_pid"); p1=$(postgres_cpu)
  [[ $url == *":$plain_port" ]] || m1=$(python3 "$root/bench/metrics.py" "$url/metrics")
  local wrk_cpu; wrk_cpu=$(awk '/WRKCPU/{print $2 + $3}' "$work/wrk-time")
  local result; result=$(sed -n 's/^RESULT //p' "$work/wrk.out")
  python3 "$root/bench/wrk_result.py" "$name" "$result" "$(( s1 - s0 ))" "$(( p1 - p0 ))" "$wrk_cpu" "$hz" "$m0" "$m1" "$work/results.jsonl"
}

: > "$work/results.jsonl"
api="http://127.0.0.1:$api_port"; cold="http://127.0.0.1:$cold_port"
echo "== baselines"
scenario trivial health.lua "$api"
psql_run -d postgres -c "CREATE DATABASE pgbench" >/dev/null
as_pg "$pgbin/pgbench" -q -i -s 10 -h 127.0.0.1 -p "$port" -U postgres pgbench > /dev/null 2>&1
pgbench() { as_pg "$pgbin/pgbench" -S -M prepared -c "$1" -j "$2" -T "$duration" -h 127.0.0.1 -p "$port" -U postgres pgbench 2>/dev/null \
  | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p'; }
p0=$(postgres_cpu)
pgbench_tps=$(pgbench "$connections" "$threads")
pgbench_pg_cpu=$(( $(postgres_cpu) - p0 ))
echo "pgbench -S -M prepared, $connections clients: $pgbench_tps tps"
# The fair baseline for the cold scenarios: as many clients as the service has pooled connections (Npgsql's
# Maximum Pool Size, 4 per core: src/Reviews/Store/Database.cs), over TCP as the service connects. 64 clients
# crowd PostgreSQL on 2 cores; the service never sends it more than its pool at once.
pool=$((4 * $(nproc)))
pgbench_pool_tps=$(pgbench "$pool" 1)
echo "pgbench -S -M prepared, $pool clients (the service's pool): $pgbench_pool_tps tps"

echo "== scenarios (cache on; first every hot product's list and meta requested once, to fill the cache)"
warm_start=$(date +%s)
warm_requests=$(python3 "$root/bench/warm.py" "$api_port" "$products")
python3 "$root/bench/warm.py" "$plain_port" "$products" >/dev/null
warm_seconds=$(( $(date +%s) - warm_start ))
echo "warm-up: $warm_requests requests in $warm_seconds s"
# Cached answers expire 5 minutes after they were read (src/Reviews/Cache/ResponseCache.cs): the scenarios on the
# answers of this warm-up run within that (mixed included), the sorted ones after their own warm-up below.
scenario reviews reviews.lua "$api"
scenario reviews-plain reviews.lua "http://127.0.0.1:$plain_port"
scenario meta meta.lua "$api"
scenario meta-plain meta.lua "http://127.0.0.1:$plain_port"
# The instrumentation's cost: cached lists on the instrumented and the plain instance, alternating, five rounds of
# 5 s each (one pair of runs moves by ±10% on this machine); the report takes the medians.
overhead_rounds=()
for round in 1 2 3 4 5; do
  for target in "$api" "http://127.0.0.1:$plain_port"; do
    overhead_rounds+=("$(wrk -t "$threads" -c "$connections" -d 5s -s "$LOAD_DIR/reviews.lua" "$target" -- "$products" "$reviews_max" 2>&1 \
      | sed -n 's/^Requests\/sec: *//p')")
  done
done
echo "instrumented vs plain, alternating: ${overhead_rounds[*]}"
count_writes() { sleep 1; read -r helpful0 count0 < <(psql_run -d reviews -F ' ' -c "SELECT sum(helpfulness), count(*) FROM reviews.reviews"); }
warm_hook=count_writes scenario mixed mixed.lua "$api"
read -r helpful1 count1 < <(psql_run -d reviews -F ' ' -c "SELECT sum(helpfulness), count(*) FROM reviews.reviews")
psql_run -d reviews -c "CHECKPOINT" >/dev/null   # the pages mixed dirtied are written now, not during the next scenarios
# reviews-sorted asks for any of 6 answers per hot product (3 sorts, 2 pages): each asked once first, as the warm-up
# above does for the default list (600,000 on the full set; misses run at ~5,000/s here, hence the duration).
sorted_keys=$(( (products / 10) * 6 ))
wrk -t "$threads" -c "$connections" -d "$(( sorted_keys / 5000 + 5 ))s" -s "$LOAD_DIR/warm-sorted.lua" "$api" -- "$products" "$reviews_max" "$threads" >/dev/null 2>&1
echo "sorted warm-up: $sorted_keys answers"
scenario reviews-sorted reviews-sorted.lua "$api"
# Filtered and searched lists (4 star filters, 7 words per hot product), cached: each run once before, to fill the cache.
wrk -t "$threads" -c "$connections" -d 10s -s "$LOAD_DIR/filtered.lua" "$api" -- "$products" "$reviews_max" >/dev/null 2>&1
wrk -t "$threads" -c "$connections" -d 10s -s "$LOAD_DIR/search.lua" "$api" -- "$products" "$reviews_max" >/dev/null 2>&1
scenario filtered filtered.lua "$api"
scenario search search.lua "$api"
echo "== scenarios (cache off)"
# The uncached instance has served nothing yet: its read path is still being compiled (.NET's tiered JIT and its
# profile-guided recompilation). Measured on it: 0.50-0.77 ms of service CPU per list in the first 10 s of load,
# 0.13 ms from about 25 s on (docs/read-path.md). A production instance runs for hours: measure that one.
wrk -t "$threads" -c "$connections" -d 25s -s "$LOAD_DIR/reviews.lua" "$cold" -- "$products" "$reviews_max" >/dev/null 2>&1
wrk -t "$threads" -c "$connections" -d 10s -s "$LOAD_DIR/meta.lua" "$cold" -- "$products" "$reviews_max" >/dev/null 2>&1
scenario reviews-cold reviews.lua "$cold"
scenario meta-cold meta.lua "$cold"
scenario filtered-cold filtered.lua "$cold"
scenario search-cold search.lua "$cold"
# The product with the most reviews, searched (7 words in turn, the uncached instance): the search's worst case.
top_product=$(psql_run -d reviews -c "SELECT product_id FROM reviews.reviews GROUP BY product_id ORDER BY count(*) DESC LIMIT 1")
top_reviews=$(psql_run -d reviews -c "SELECT count(*) FROM reviews.reviews WHERE product_id = $top_product")
echo "most reviewed product: $top_product ($top_reviews reviews)"
TOP_PRODUCT=$top_product scenario search-top-cold search.lua "$cold"

api_rss=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$api_pid/status")
cold_rss=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$cold_pid/status")

command="bench/load.sh"   # as run, with the settings that change what it measures
for v in DURATION CONNECTIONS THREADS PRODUCTS DATA; do [[ -n "${!v:-}" ]] && command="$v=${!v} $command"; done
mkdir -p "${OUT:-$root/docs}"
python3 "$root/bench/report.py" "$work/results.jsonl" "${OUT:-$root/docs}" <<JSON
{"pgbench_tps": $pgbench_tps, "pgbench_pool_tps": $pgbench_pool_tps, "pool": $pool, "warm_requests": $warm_requests, "warm_seconds": $warm_seconds, "pgbench_postgres_cpu_s": $(printf "%.2f" "$(echo "$pgbench_pg_cpu / $hz" | bc -l)"), "duration": $duration,
 "connections": $connections, "threads": $threads, "dataset": "$dataset", "products": $products, "reviews": $reviews_max,
 "mixed_votes_in_db": $((helpful1 - helpful0)), "mixed_reviews_in_db": $((count1 - count0)),
 "overhead_rounds": [$(IFS=,; echo "${overhead_rounds[*]}")], "api_rss_mb": $api_rss, "cold_rss_mb": $cold_rss, "cache_mb": $(sed -n 's/.*response cache \([0-9]*\) MiB.*/\1/p' "$work/api.log" | head -1),
 "machine": "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)",
 "postgres": "$("$pgbin/postgres" --version | awk '{print $3}')", "dotnet": "$(dotnet --version)", "wrk": "$(wrk -v 2>&1 | head -1 | awk '{print $2}')",
 "top_product": $top_product, "top_reviews": $top_reviews,
 "command": "$command", "date": "$(date -u +%Y-%m-%d)"}
JSON
