#!/usr/bin/env bash
# One node of the PostgreSQL cluster, run by Patroni: NODE_NAME names it (its replication application_name, so the
# name in synchronous_standby_names); the cluster's state lives in etcd. Passwords come from the environment (an env
# file) or from files in /run/secrets named like the variables (Docker secrets), reach Patroni as its own PATRONI_*
# variables and libpq through a file: never a command line, never logged. With TLS_DIR set, the node speaks TLS
# only (patroni-tls.yml); PATRONI_OVERLAYS names more files laid over patroni.yml (the swarm's timings); with
# PGBACKREST_REPO1_HOST, WAL goes to the backup service (patroni-backup.yml).
set -euo pipefail
: "${NODE_NAME:?}"
for file in /run/secrets/*_PASSWORD; do
  [[ -f "$file" ]] && export "$(basename "$file")=$(cat "$file")"
done
export PATRONI_SUPERUSER_USERNAME=postgres PATRONI_SUPERUSER_PASSWORD="$POSTGRES_PASSWORD"
export PATRONI_REPLICATION_USERNAME=replicator PATRONI_REPLICATION_PASSWORD="$REPLICATION_PASSWORD"
[[ -z "${PATRONI_API_PASSWORD:-}" ]] || export PATRONI_RESTAPI_USERNAME=patroni PATRONI_RESTAPI_PASSWORD="$PATRONI_API_PASSWORD"
config=/etc/patroni/patroni.yml scheme=http
read -ra overlays <<<"${PATRONI_OVERLAYS:-}"
if [[ -n "${TLS_DIR:-}" ]]; then
  mkdir -p -m 700 /tmp/tls
  cp "$TLS_DIR/ca.crt" "$TLS_DIR/db.crt" "$TLS_DIR/db.key" /tmp/tls/ && chmod 600 /tmp/tls/db.key
  scheme=https overlays=(/etc/patroni/patroni-tls.yml "${overlays[@]}")
fi
# With a backup service (PGBACKREST_REPO1_HOST; its TLS material in BACKUP_TLS_DIR: ca.crt, pgbackrest.crt/.key):
# WAL archived there, standbys made from it, and this node's pgBackRest TLS server for its backups and checks.
if [[ -n "${PGBACKREST_REPO1_HOST:-}" ]]; then
  mkdir -p -m 700 /tmp/pgbackrest-tls
  cp "$BACKUP_TLS_DIR/ca.crt" "$BACKUP_TLS_DIR/pgbackrest.crt" "$BACKUP_TLS_DIR/pgbackrest.key" /tmp/pgbackrest-tls/
  chmod 600 /tmp/pgbackrest-tls/pgbackrest.key
  overlays+=(/etc/patroni/patroni-backup.yml)
  # RESTORE_TARGET (deploy/restore.sh): a new cluster is made from the repository, not by initdb: as of that time
  # ("YYYY-MM-DD HH:MM:SS+00"), or "latest" (every archived segment). Only a node that bootstraps a cluster reads
  # its bootstrap (no cluster in etcd, no data here): anywhere else that changes nothing.
  if [[ -n "${RESTORE_TARGET:-}" && $RESTORE_TARGET != none ]]; then
    overlays+=(/tmp/patroni-restore.yml)
    python3 - /tmp/patroni-restore.yml "$RESTORE_TARGET" <<'PY'
import sys, yaml
target = sys.argv[2]
restore = {"command": "pgbackrest --stanza=reviews --delta restore", "no_params": True,
           "keep_existing_recovery_conf": False,
           "recovery_conf": {"restore_command": 'pgbackrest --stanza=reviews archive-get %f "%p"',
                             "recovery_target_timeline": "latest", "recovery_target_action": "promote"}}
if target != "latest":
    # (pgBackRest picks the last backup before the target; PostgreSQL replays WAL up to it, then promotes)
    restore["command"] += f" --type=time '--target={target}'"
    restore["recovery_conf"]["recovery_target_time"] = target
# Local connections only, until restore.sh has read the restored data and starts the node again without this
# file: the instances' writes wait (503) instead of landing between the target and that reading.
yaml.safe_dump({"bootstrap": {"method": "restore", "restore": restore},
                "postgresql": {"pg_hba": ["local all all peer"]}}, open(sys.argv[1], "w"))
PY
  fi
  pgbackrest server &
fi
if ((${#overlays[@]})); then
  config=/tmp/patroni.yml
  python3 - "$config" /etc/patroni/patroni.yml "${overlays[@]}" <<'PY'
import sys, yaml
def merge(base, over):   # mappings merged, anything else (lists too) replaced
    for key, value in over.items():
        base[key] = merge(base.get(key) or {}, value) if isinstance(value, dict) else value
    return base
config = {}
for path in sys.argv[2:]:
    config = merge(config, yaml.safe_load(open(path)))
yaml.safe_dump(config, open(sys.argv[1], "w"))
PY
fi
# Only the first node may make the cluster: the others, on their first start (no data yet), wait until it leads, so
# that it starts as the primary. A node with data joins at once, whoever leads.
if [[ -n "${WAIT_FOR_LEADER:-}" && -z "$(ls -A "$PGDATA")" ]]; then
  for _ in $(seq 120); do
    python3 -c "import ssl, urllib.request; urllib.request.urlopen('$scheme://$WAIT_FOR_LEADER:8008/primary', timeout=2,
      context=ssl.create_default_context(cafile='/tmp/tls/ca.crt') if '$scheme' == 'https' else None)" 2>/dev/null && break
    sleep 1
  done
fi
# This node's name and addresses over the configuration (the same file on every node).
export PATRONI_NAME="$NODE_NAME" PATRONI_RESTAPI_CONNECT_ADDRESS="$NODE_NAME:8008"
export PATRONI_POSTGRESQL_CONNECT_ADDRESS="$NODE_NAME:5432" PATRONI_POSTGRESQL_DATA_DIR="$PGDATA"
# (patronictl in this container: `patronictl -c /tmp/patroni-current.yml …`, the configuration in use)
ln -sf "$config" /tmp/patroni-current.yml
exec patroni "$config"
