# Sourced by every script that works on the stack (up.sh, down.sh, import.sh, tests/, bench/scale.sh, bench/sync.sh,
# bench/swarm-scale.sh): the container engine and its compose, each service's container, address and database by its
# compose name, and a container's CPU time.
deploy="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if command -v podman >/dev/null; then engine=podman; else engine=docker; fi
if command -v podman-compose >/dev/null; then compose=(podman-compose); elif docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
compose+=(-p reviews -f "$deploy/compose.yaml")
container() { $engine ps -aq --filter label=com.docker.compose.project=reviews --filter "label=com.docker.compose.service=$1" | head -1; }
# address SERVICE [NETWORK]: its address on that network (default: reviews_default, the database's side; the
# instances are also on reviews_edge, where lb sees them), or its first if it is not on that one (lb: edge only).
address() {
  $engine inspect -f '{{range $name, $net := .NetworkSettings.Networks}}{{$name}} {{$net.IPAddress}}{{"\n"}}{{end}}' "$(container "$1")" |
    awk -v net="${2:-reviews_default}" '$1 == net { print $2; found = 1; exit } NF == 2 && !first { first = $2 } END { if (!found && first) print first }'
}
# cgroup_ns PID: the CPU time of a process's cgroup (its container's), in ns: v1 cpuacct, else v2 cpu.stat.
cgroup_ns() {
  local v1; v1=$(sed -n 's/^[0-9]*:[^:]*cpuacct[^:]*://p' "/proc/$1/cgroup" 2>/dev/null)
  if [[ -n "$v1" && -f "/sys/fs/cgroup/cpuacct$v1/cpuacct.usage" ]]; then cat "/sys/fs/cgroup/cpuacct$v1/cpuacct.usage"
  else
    local v2 stat; v2=$(sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null)
    for stat in "/sys/fs/cgroup$v2/cpu.stat" "/sys/fs/cgroup/unified$v2/cpu.stat"; do
      [[ -f "$stat" ]] && { awk '/usage_usec/ { print $2 * 1000 }' "$stat"; return; }
    done
    echo 0
  fi
}
# sql SERVICE STATEMENT: psql as postgres over the server's local socket, unaligned, no header.
sql() { $engine exec -u postgres "$(container "$1")" psql -d reviews -XAtc "$2"; }
# The PostgreSQL node that leads now (Patroni may have promoted another), and the others.
nodes=(db db-replica db-replica2)
leader() { local n; for n in "${nodes[@]}"; do [[ "$(sql "$n" "SELECT NOT pg_is_in_recovery()" 2>/dev/null)" == t ]] && { echo "$n"; return 0; }; done; return 1; }
# A commit can be acknowledged: in synchronous mode, once Patroni names a synchronous standby that streams.
synchronous() { [[ "$(sql "$(leader)" "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'" 2>/dev/null)" == 1 ]]; }
followers() { local n l; l=$(leader); for n in "${nodes[@]}"; do [[ "$n" == "$l" ]] || echo "$n"; done; }
# patronictl on the leader: the cluster's dynamic configuration (edit-config), its members (list).
patroni() { $engine exec "$(container "$(leader)")" patronictl -c /etc/patroni/patroni.yml "$@"; }
# stack_log SINCE: what the instances warned of and what the database nodes did since then (tests/step_log.py), for a
# test that failed.
stack_log() {
  local service
  for service in app1 app2 app3 "${nodes[@]}"; do
    $engine logs -t --since "$1" "$(container $service)" 2>&1 | python3 "$deploy/tests/step_log.py" "$service"
  done
}
