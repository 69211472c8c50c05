#!/usr/bin/env bash
# Two builds of the service side by side, cache off, on one generated set: each warmed 25 s (the JIT's steady state),
# then ROUNDS alternating rounds of ROUND_SECONDS; prints each round and the medians of req/s, p99 and CPU per request
# (service, PostgreSQL). The A/B pairs of docs/read-path.md ("Round two").
#   dotnet publish src/Reviews -c Release -o /tmp/a     (in each checkout to compare; then:)
#   bench/ab.sh reviews /tmp/a/reviews /tmp/b/reviews          SCRIPT: a bench/load/*.lua name (reviews, meta)
#   PRODUCTS=100000 ROUNDS=6 ROUND_SECONDS=6 by default.
# Traffic goes to 127.0.0.1 only; what it starts is stopped by process id at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reviews="$root/reviews"
export LOAD_DIR="$root/bench/load" Reviews__Traffic__PermitsPerSecond=0
script=$1 a=$2 b=$3 products="${PRODUCTS:-100000}" rounds="${ROUNDS:-6}" seconds="${ROUND_SECONDS:-6}"
work="$(mktemp -d /var/tmp/reviews-ab.XXXXXX)"; chmod 755 "$work"
pids=()
cleanup() { stop_started; stop_cluster; rm -rf "$work"; }
trap cleanup EXIT
source "$root/bench/cluster.sh"

"$reviews" generate --out "$work/data" --products "$products" >/dev/null
start_cluster reviews
psql_run() { as_pg "$pgbin/psql" -X -q -t -A -h 127.0.0.1 -p "$port" -U postgres "$@"; }
"$reviews" import "$work/data" --rejects "$work/rejects.csv" > "$work/import.log" 2>&1 || [[ $? -le 2 ]]
psql_run -d reviews -c "VACUUM (ANALYZE)" >/dev/null
reviews_max=$(psql_run -d reviews -c "SELECT max(id) FROM reviews.reviews")
postgres_cpu() { local t=0; for f in /proc/[0-9]*/stat; do [[ "$(cat "${f%/stat}/comm" 2>/dev/null)" == postgres ]] && t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "$f" 2>/dev/null || echo 0))); done; echo $t; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }

declare -A pid_of
for build in A B; do
  bin=$a; [[ $build == B ]] && bin=$b
  p=$((port + 1)); [[ $build == B ]] && p=$((port + 2))
  "$bin" serve --no-cache --urls "http://127.0.0.1:$p" > "$work/$build.log" 2>&1 & pid_of[$build]=$!; pids+=("$!")
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$p/health" >/dev/null && break; sleep 0.2; done
  wrk -t 2 -c 64 -d 25s -s "$LOAD_DIR/$script.lua" "http://127.0.0.1:$p" -- "$products" "$reviews_max" >/dev/null 2>&1
done
: > "$work/rounds"
for _ in $(seq "$rounds"); do
  for build in A B; do
    p=$((port + 1)); [[ $build == B ]] && p=$((port + 2))
    s0=$(cpu_of "${pid_of[$build]}"); p0=$(postgres_cpu)
    r=$(wrk -t 2 -c 64 -d "${seconds}s" -s "$LOAD_DIR/$script.lua" "http://127.0.0.1:$p" -- "$products" "$reviews_max" 2 2>&1 | sed -n 's/^RESULT //p')
    echo "$build $(( $(cpu_of "${pid_of[$build]}") - s0 )) $(( $(postgres_cpu) - p0 )) $r" | tee -a "$work/rounds"
  done
done
python3 - "$work/rounds" "$(getconf CLK_TCK)" <<'PY'
import json, statistics, sys
hz, rows = int(sys.argv[2]), {}
for line in open(sys.argv[1]):
    build, service, postgres, result = line.split(" ", 3)
    r = json.loads(result); n = r["requests"]
    rows.setdefault(build, []).append((n / r["duration_us"] * 1e6, r["p99_us"] / 1000, int(service) / hz / n * 1000, int(postgres) / hz / n * 1000))
for build, v in rows.items():
    m = [statistics.median(x[i] for x in v) for i in range(4)]
    print(f"{build}: median {m[0]:,.0f} req/s, p99 {m[1]:.1f} ms, service {m[2]:.3f} ms and PostgreSQL {m[3]:.3f} ms of CPU per request")
PY
