#!/usr/bin/env bash
# One node of the PostgreSQL cluster, run by Patroni: NODE_NAME names it (its replication application_name, so the
# name in synchronous_standby_names); the cluster's state lives in etcd. Passwords come from the environment (an env
# file), reach Patroni as its own PATRONI_* variables and libpq through a file: never a command line, never logged.
set -euo pipefail
: "${NODE_NAME:?}"
export PATRONI_SUPERUSER_USERNAME=postgres PATRONI_SUPERUSER_PASSWORD="$POSTGRES_PASSWORD"
export PATRONI_REPLICATION_USERNAME=replicator PATRONI_REPLICATION_PASSWORD="$REPLICATION_PASSWORD"
# Only the first node may make the cluster: the others wait until it leads, so that `db` starts as the primary.
if [[ -n "${WAIT_FOR_LEADER:-}" ]]; then
  for _ in $(seq 120); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://$WAIT_FOR_LEADER:8008/primary', timeout=2)" 2>/dev/null && break
    sleep 1
  done
fi
# This node's name and addresses over deploy/db/patroni.yml (the same file on every node).
export PATRONI_NAME="$NODE_NAME" PATRONI_RESTAPI_CONNECT_ADDRESS="$NODE_NAME:8008"
export PATRONI_POSTGRESQL_CONNECT_ADDRESS="$NODE_NAME:5432" PATRONI_POSTGRESQL_DATA_DIR="$PGDATA"
exec patroni /etc/patroni/patroni.yml
