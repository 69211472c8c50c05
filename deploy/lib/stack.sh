# Sourced by the scripts that work on the running stack (faults.sh, test.sh, import.sh, bench/scale.sh): the
# container engine, and each service's container, address and database by its compose service name.
if command -v podman >/dev/null; then engine=podman; else engine=docker; fi
container() { $engine ps -aq --filter label=com.docker.compose.project=reviews --filter "label=com.docker.compose.service=$1" | head -1; }
address() { $engine inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(container "$1")"; }
# sql SERVICE STATEMENT: psql as postgres over the server's local socket, unaligned, no header.
sql() { $engine exec -u postgres "$(container "$1")" psql -d reviews -XAtc "$2"; }
# The PostgreSQL node that leads now (Patroni may have promoted another), and the others.
nodes=(db db-replica db-replica2)
leader() { local n; for n in "${nodes[@]}"; do [[ "$(sql "$n" "SELECT NOT pg_is_in_recovery()" 2>/dev/null)" == t ]] && { echo "$n"; return 0; }; done; return 1; }
followers() { local n l; l=$(leader); for n in "${nodes[@]}"; do [[ "$n" == "$l" ]] || echo "$n"; done; }
# patronictl on the leader: the cluster's dynamic configuration (edit-config), its members (list).
patroni() { $engine exec "$(container "$(leader)")" patronictl -c /tmp/patroni.yml "$@"; }
