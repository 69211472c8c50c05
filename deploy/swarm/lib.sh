# Sourced by lab.sh and the lab's tests: where the lab lives and how to reach its parts.
deploy="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root=/run/reviews-lab                        # sockets, pid files, logs
secrets="$deploy/swarm/.secrets"
d() { local n=$1; shift; docker -H "unix://$root/h$n.sock" "$@"; }   # d N ARGS…: docker on host hN
client() { ip netns exec reviews-client "$@"; }                       # a command in the clients' namespace
wait_for() { # wait_for WHAT SECONDS COMMAND…: until the command succeeds, or fail saying what did not come
  local what=$1 seconds=$2 i; shift 2
  for ((i = 0; i < seconds; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "lab: $what did not come within $seconds s" >&2; return 1
}
ca="$secrets/tls/ca.crt"
# The host (1–3) running service SVC's task now, and a command in that task's container.
host_of() { local n; for n in 1 2 3; do [[ -n "$(task_of $n "$1")" ]] && { echo $n; return 0; }; done; return 1; }
task_of() { d "$1" ps -q -f "label=com.docker.swarm.service.name=reviews_$2" -f status=running 2>/dev/null | head -1; }
in_task() { local svc=$1 n; shift; n=$(host_of "$svc") || return 1; d $n exec -i "$(task_of $n "$svc")" "$@"; }
# sql dbN STATEMENT: psql as postgres over the node's local socket, unaligned, no header.
sql() { in_task "$1" psql -d reviews -XAtc "$2"; }
# The PostgreSQL node that leads now, and which host it is on.
leader() { local n; for n in db1 db2 db3; do [[ "$(sql $n "SELECT NOT pg_is_in_recovery()" 2>/dev/null)" == t ]] && { echo $n; return 0; }; done; return 1; }
