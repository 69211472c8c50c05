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
cat > /tmp/patroni.yml <<YAML
scope: reviews
name: $NODE_NAME
restapi: { listen: "0.0.0.0:8008", connect_address: "$NODE_NAME:8008" }
etcd3: { hosts: "etcd:2379" }
bootstrap:
  dcs:
    # The leader's key lives 10 s unless renewed (every 2 s): a primary that stops renewing it is replaced after
    # 10 s at most. (loop_wait + 2 × retry_timeout must not exceed ttl.)
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    # A commit waits for one named standby to have it on disk (Patroni names it in synchronous_standby_names and
    # promotes only it, or another that is as far along): no acknowledged write is lost in a failover.
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      # An old primary that cannot be rewound is copied afresh instead of staying out.
      remove_data_directory_on_rewind_failure: true
      remove_data_directory_on_diverged_timelines: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_log_hints: "on"
        shared_buffers: 256MB
  initdb: [{ encoding: UTF8 }, { locale: C }]
  post_bootstrap: /usr/local/bin/roles.sh
postgresql:
  listen: "0.0.0.0:5432"
  connect_address: "$NODE_NAME:5432"
  data_dir: $PGDATA
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: /tmp/pgpass
  # A new standby's copy starts at once (a fast checkpoint), not after a spread one (minutes).
  basebackup: [{ checkpoint: fast }]
  parameters: { unix_socket_directories: /tmp }
  # Every other host on the stack's network needs a password; replication only as the replicator role.
  pg_hba:
    - local all all peer
    - host replication replicator all scram-sha-256
    - host all all all scram-sha-256
  authentication:
    superuser: { username: postgres }
    replication: { username: replicator }
YAML
exec patroni /tmp/patroni.yml
