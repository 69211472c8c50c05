#!/usr/bin/env bash
# Two builds of the service side by side, cache off (CACHE=on: on), on one generated set: each warmed 25 s (the JIT's steady state),
# then ROUNDS alternating rounds of ROUND_SECONDS (A B, B A, …); prints each round and the medians of req/s, p99 and CPU per request
# (service, PostgreSQL). The A/B pairs of docs/read-path.md ("Round two").
#   dotnet publish src/Reviews -c Release -o /tmp/a     (in each checkout to compare; then:)
#   bench/ab.sh reviews /tmp/a/reviews /tmp/b/reviews          SCRIPT: a bench/load/*.lua name (reviews, meta)
#   PRODUCTS=100000 ROUNDS=6 ROUND_SECONDS=6 by default; CACHE=on keeps the response cache on (the cached path);
#   HOSTS=2 names the one server twice in the services' connection string, so reads take the path they take with
#   standbys (prefer-standby, the replay check, the per-server time limit) on one machine.
# Traffic goes to 127.0.0.1 only; what it starts is stopped by process id at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export Reviews__Traffic__PermitsPerSecond=0
script=$1 a=$2 b=$3 products="${PRODUCTS:-100000}" rounds="${ROUNDS:-6}" seconds="${ROUND_SECONDS:-6}"
cache=(--no-cache); [[ "${CACHE:-off}" == on ]] && cache=()
bench_start ab
need_wrk

"$reviews" generate --out "$work/data" --products "$products" >/dev/null
start_cluster reviews
"$reviews" import "$work/data" --rejects "$work/rejects.csv" > "$work/import.log" 2>&1 || [[ $? -le 2 ]]
psql_run -d reviews -c "VACUUM (ANALYZE)" >/dev/null
reviews_max=$(psql_run -d reviews -c "SELECT max(id) FROM reviews.reviews")

[[ "${HOSTS:-1}" == 2 ]] && export ConnectionStrings__Reviews="${ConnectionStrings__Reviews/Host=127.0.0.1;/Host=127.0.0.1:$port,127.0.0.1:$port;}"
declare -A pid_of
for build in A B; do
  bin=$a; [[ $build == B ]] && bin=$b
  p=$((port + 1)); [[ $build == B ]] && p=$((port + 2))
  "$bin" serve "${cache[@]}" --urls "http://127.0.0.1:$p" > "$work/$build.log" 2>&1 & pid_of[$build]=$!; pids+=("$!")
  wait_http "http://127.0.0.1:$p/health"
  wrk -t 2 -c 64 -d 25s -s "$LOAD_DIR/$script.lua" "http://127.0.0.1:$p" -- "$products" "$reviews_max" >/dev/null 2>&1
done
: > "$work/rounds"
for round in $(seq "$rounds"); do
  order="A B"; (( round % 2 == 0 )) && order="B A"   # ABBA: neither build always runs right after the other
  for build in $order; do
    p=$((port + 1)); [[ $build == B ]] && p=$((port + 2))
    s0=$(cpu_of "${pid_of[$build]}"); p0=$(postgres_cpu)
    r=$(wrk -t 2 -c 64 -d "${seconds}s" -s "$LOAD_DIR/$script.lua" "http://127.0.0.1:$p" -- "$products" "$reviews_max" 2 2>&1 | sed -n 's/^RESULT //p')
    echo "$build $(( $(cpu_of "${pid_of[$build]}") - s0 )) $(( $(postgres_cpu) - p0 )) $r" | tee -a "$work/rounds"
  done
done
python3 "$root/bench/ab_report.py" "$work/rounds" "$hz"
