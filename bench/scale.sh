#!/usr/bin/env bash
# Scale, measured: the deployed stack (deploy/compose.yaml) under wrk through nginx with 1, 2 and 3 instances,
# beside one instance addressed directly, and 3 instances with their reads on the primary only (the standbys
# unused), in one run, with the CPU seconds of every tier (nginx, each instance, the PostgreSQL primary and standbys,
# wrk) from the containers' cgroups. Writes docs/scale.md (or $OUT/scale.md).
#   REVIEWS_PERMITS_PER_SECOND=0 deploy/up.sh && bench/scale.sh          DURATION=15 CONNECTIONS=64 by default
# Fewer instances: the others are stopped (lb takes them out within a second) and started again at the end.
# Traffic goes to 127.0.0.1 (nginx) and the stack's own network only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LOAD_DIR="$root/bench/load"
duration="${DURATION:-15}" connections="${CONNECTIONS:-64}" threads="${THREADS:-2}"
port="${REVIEWS_PORT:-8080}"
# The instances it makes again (recreate_apps) must not rate-limit wrk, one client, either: compose reads this when
# they are made, and the caller's `REVIEWS_PERMITS_PER_SECOND=0 deploy/up.sh` set it for up.sh's run only.
export REVIEWS_PERMITS_PER_SECOND=0
source "$root/deploy/lib/stack.sh"
command -v wrk >/dev/null || { apt-get install -y -q wrk >/dev/null; }
work="$(mktemp -d)"
secrets="$root/deploy/.secrets"
cp "$secrets/app.env" "$work/app.env"
# The instances made again from the compose file with the connection string in $secrets/app.env.
recreate_apps() {
  $engine rm -f -t 30 "$(container app1)" "$(container app2)" "$(container app3)" >/dev/null
  "${compose[@]}" up -d --no-deps app1 app2 app3 >/dev/null 2>&1
  local app; for app in app1 app2 app3; do
    for _ in $(seq 60); do curl -sf -o /dev/null "http://$(address $app):8080/health/ready" && break; sleep 1; done
  done
}
restore() {
  if ! cmp -s "$work/app.env" "$secrets/app.env"; then cp "$work/app.env" "$secrets/app.env"; recreate_apps; fi
  for app in app2 app3; do $engine start "$(container $app)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap restore EXIT

# CPU time of a container, in ns (cgroup_ns: deploy/lib/stack.sh).
cpu_ns() {
  local pid; pid=$($engine inspect -f '{{.State.Pid}}' "$(container "$1")")
  [[ "$pid" != 0 ]] || { echo 0; return; }
  cgroup_ns "$pid"
}
tiers=(lb app1 app2 app3 db db-replica db-replica2)
# Each running instance's own numbers (its /metrics, on the stack's network), as one JSON object by instance.
instance_metrics() {
  local app sep="" out="{"
  for app in app1 app2 app3; do
    [[ "$($engine inspect -f '{{.State.Running}}' "$(container $app)")" == true ]] || continue
    out+="$sep\"$app\": $(python3 "$root/bench/metrics.py" "http://$(address $app):8080/metrics")"; sep=", "
  done
  echo "$out}"
}
cpu_all() { for tier in "${tiers[@]}"; do printf '%s ' "$(cpu_ns "$tier")"; done; }
wait_upstreams() { # until lb lists $1 servers, none down
  for _ in $(seq 100); do
    [[ "$($engine exec "$(container lb)" grep -vc ' down' /etc/nginx/upstreams.conf)" == "$1" ]] && sleep 1 && return 0
    sleep 0.2
  done
  echo "lb did not come to $1 instances" >&2; exit 1
}

read -r products reviews_max < <(sql db "SELECT max(product_id) || ' ' || max(id) FROM reviews.reviews")
: > "$work/results.jsonl"
# scenario NAME SCRIPT URL CONFIG
scenario() {
  wrk -t "$threads" -c "$connections" -d 3s -s "$LOAD_DIR/$2" "$3" -- "$products" "$reviews_max" >/dev/null 2>&1
  local before; before=$(cpu_all)
  local m0; m0=$(instance_metrics)
  /usr/bin/time -f "WRKCPU %U %S" -o "$work/wrk-time" \
    wrk -t "$threads" -c "$connections" -d "${duration}s" --timeout 5s -s "$LOAD_DIR/$2" "$3" -- "$products" "$reviews_max" "$threads" > "$work/wrk.out" 2>&1
  local after; after=$(cpu_all)
  local m1; m1=$(instance_metrics)
  python3 "$root/bench/scale_result.py" "$4" "$1" "$(sed -n 's/^RESULT //p' "$work/wrk.out")" "$before" "$after" \
    "$(awk '/WRKCPU/ { print $2 + $3 }' "$work/wrk-time")" "${tiers[*]}" "$m0" "$m1" "$work/results.jsonl"
}

run_config() { # CONFIG URL
  local app; for app in app1 app2 app3; do
    [[ "$($engine inspect -f '{{.State.Running}}' "$(container $app)")" == true ]] && python3 "$root/bench/warm.py" 8080 "$products" "$(address $app)" >/dev/null
  done
  scenario reviews reviews.lua "$2" "$1"
  scenario mixed mixed.lua "$2" "$1"
}

echo "data: $products products, $reviews_max reviews; $connections connections, ${duration}s per scenario"
run_config "app1 directly" "http://$(address app1):8080"
$engine stop -t 30 "$(container app2)" "$(container app3)" >/dev/null
wait_upstreams 1
run_config "nginx, 1 instance" "http://127.0.0.1:$port"
$engine start "$(container app2)" >/dev/null; wait_upstreams 2
run_config "nginx, 2 instances" "http://127.0.0.1:$port"
$engine start "$(container app3)" >/dev/null; wait_upstreams 3
run_config "nginx, 3 instances" "http://127.0.0.1:$port"
# The same with every read on the primary: one host in the instances' connection string.
sed -i 's/Host=[^;]*;/Host=db;/' "$secrets/app.env"
recreate_apps; wait_upstreams 3
run_config "nginx, 3, primary only" "http://127.0.0.1:$port"

out="${OUT:-$root/docs}"
mkdir -p "$out"
python3 "$root/bench/scale_report.py" "$work/results.jsonl" "$out/scale.md" <<JSON
{"duration": $duration, "connections": $connections, "threads": $threads, "products": $products, "reviews": $reviews_max,
 "machine": "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB", "engine": "$($engine --version)", "date": "$(date -u +%Y-%m-%d)",
 "command": "bench/scale.sh"}
JSON
echo "wrote $out/scale.md"
