#!/usr/bin/env bash
# Cost across the wire: the same wrk scenarios as bench/scale.sh through the swarm lab's balancer (HTTPS, three
# hosts, TLS to PostgreSQL) and through the compose stack's nginx (plain HTTP, one host), alternating, with the CPU
# seconds of every tier from the containers' cgroups. Writes docs/scale-swarm.md (or $OUT/scale-swarm.md).
#   REVIEWS_PERMITS_PER_SECOND=0 deploy/swarm/lab.sh up && REVIEWS_PERMITS_PER_SECOND=0 deploy/up.sh && bench/swarm-scale.sh
#   DURATION=15 CONNECTIONS=64 ROUNDS=2 by default. Traffic: from namespace reviews-client to the lab, and to 127.0.0.1.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"   # (not "root": the lab's lib.sh has one)
export LOAD_DIR="$repo/bench/load"
duration="${DURATION:-15}" connections="${CONNECTIONS:-64}" threads="${THREADS:-2}" rounds="${ROUNDS:-2}"
source "$repo/deploy/lib/stack.sh"
source "$repo/deploy/swarm/lib.sh"
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The tiers of each stack as "name pid" lines: the balancer(s), the instances, the primary, the standbys, etcd.
lab_tiers() {
  local n svc primary; primary=$(leader)
  for n in 1 2 3; do
    for svc in lb app db1 db2 db3 etcd1 etcd2 etcd3; do
      local id; id=$(task_of $n $svc); [[ -n "$id" ]] || continue
      local tier=$svc
      case $svc in db*) [[ $svc == "$primary" ]] && tier=primary || tier=standbys ;; etcd*) tier=etcd ;; app) tier=instances ;; lb) tier=nginx ;; esac
      echo "$tier $(d $n inspect -f '{{.State.Pid}}' "$id")"
    done
  done
}
compose_tiers() {
  local primary s; primary=$(source "$repo/deploy/lib/stack.sh"; leader)   # (the compose stack's leader, in a subshell)
  for s in lb app1 app2 app3 db db-replica db-replica2 etcd; do
    local tier=$s
    case $s in lb) tier=nginx ;; app*) tier=instances ;; db*) [[ $s == "$primary" ]] && tier=primary || tier=standbys ;; esac
    echo "$tier $($engine inspect -f '{{.State.Pid}}' "$(container $s)")"
  done
}
cpu() { while read -r tier pid; do echo "$tier $(cgroup_ns "$pid")"; done < "$1"; }

# run STACK SCENARIO URL PREFIX…: wrk (3 s warm-up, then $duration s), the tiers' CPU before and after, one JSON line
run() {
  local stack=$1 scenario=$2 url=$3; shift 3
  local products=${stack}_products reviews_max=${stack}_reviews
  products=${!products} reviews_max=${!reviews_max}
  "$@" wrk -t "$threads" -c "$connections" -d 3s -s "$LOAD_DIR/$scenario.lua" "$url" -- "$products" "$reviews_max" >/dev/null 2>&1
  "${stack}_tiers" > "$work/tiers"
  cpu "$work/tiers" > "$work/before"
  /usr/bin/time -f "WRKCPU %U %S" -o "$work/wrk-time" "$@" wrk -t "$threads" -c "$connections" -d "${duration}s" --timeout 5s \
    -s "$LOAD_DIR/$scenario.lua" "$url" -- "$products" "$reviews_max" "$threads" > "$work/wrk.out" 2>&1
  cpu "$work/tiers" > "$work/after"
  python3 - "$stack" "$scenario" "$work" >> "$work/results.jsonl" <<'PY'
import json, sys
stack, scenario, work = sys.argv[1:]
result = json.loads(next(l[7:] for l in open(f"{work}/wrk.out") if l.startswith("RESULT ")))
cpu = {}
for (tier, before), (_, after) in zip((l.split() for l in open(f"{work}/before")), (l.split() for l in open(f"{work}/after"))):
    cpu[tier] = cpu.get(tier, 0) + (int(after) - int(before)) / 1e9
cpu["wrk"] = sum(float(x) for x in open(f"{work}/wrk-time").read().split()[1:3])
result.update(stack=stack, scenario=scenario, rps=result["requests"] / (result["duration_us"] / 1e6), cpu=cpu)
print(json.dumps(result))
PY
  tail -1 "$work/results.jsonl" | python3 -c "import json,sys; r=json.load(sys.stdin); print(f\"{r['stack']:8} {r['scenario']:8} {r['rps']:8.0f} req/s  p99 {r['p99_us']/1000:6.1f} ms  non-2xx {r['non_2xx']}  errors {r['socket_errors']}\")"
}

# Each stack's own highest product and review id (the lab's tests add reviews of their own).
read -r lab_products lab_reviews < <(sql "$(leader)" "SELECT max(product_id) || ' ' || max(id) FROM reviews.reviews")
read -r compose_products compose_reviews < <(source "$repo/deploy/lib/stack.sh"; sql "$(leader)" "SELECT max(product_id) || ' ' || max(id) FROM reviews.reviews")
echo "lab and compose stack, $lab_products and $compose_products products, $connections connections, ${duration}s per scenario, $rounds rounds"
: > "$work/results.jsonl"
for round in $(seq "$rounds"); do
  for scenario in reviews mixed; do
    run lab "$scenario" https://10.231.0.11:8443 ip netns exec reviews-client
    run compose "$scenario" "http://127.0.0.1:${REVIEWS_PORT:-8080}" env
  done
done
out="${OUT:-$repo/docs}"
python3 "$repo/bench/swarm_scale_report.py" "$work/results.jsonl" "$out/scale-swarm.md" \
  "bench/swarm-scale.sh on $(date -u +%Y-%m-%d) ($(nproc) cores; DURATION=$duration CONNECTIONS=$connections ROUNDS=$rounds)"
echo "wrote $out/scale-swarm.md"
