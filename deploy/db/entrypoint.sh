#!/usr/bin/env bash
# On an empty data folder: a primary is made with initdb and its roles, a replica (PRIMARY_HOST set) is copied from
# its primary with pg_basebackup. Then PostgreSQL runs in the foreground. Passwords come from the environment (the
# compose file's, from deploy/.env), are written to psql's standard input, never a command line, never logged.
set -euo pipefail
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -n "${PRIMARY_HOST:-}" ]]; then
    echo "replica: copying $PRIMARY_HOST"
    export PGPASSWORD="$REPLICATION_PASSWORD"
    # Named (application_name in the primary_conninfo -R writes): each standby is its own row in pg_stat_replication.
    until pg_basebackup -d "application_name=${STANDBY_NAME:-standby}" -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream -c fast; do
      echo "replica: primary not ready, retrying"; rm -rf "${PGDATA:?}"/*; sleep 2
    done
    unset PGPASSWORD
  else
    echo "primary: initdb"
    pwfile=$(mktemp); printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb -D "$PGDATA" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=peer --encoding=UTF8 --locale=C >/dev/null
    rm -f "$pwfile"
    cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = '*'
unix_socket_directories = '/tmp'
wal_level = replica
max_wal_senders = 5
hot_standby = on
shared_buffers = 256MB
# An old primary can be rewound and follow the promoted standby (rejoin.sh: pg_rewind needs it, or checksums).
wal_log_hints = on
CONF
    # Every other host on the stack's network needs a password; replication only as the replicator role.
    printf 'host replication replicator all scram-sha-256\nhost all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    # The owner changes the schema (migrate, import); the service's role reads and writes rows only.
    psql -X -q -v ON_ERROR_STOP=1 -h /tmp -d postgres <<SQL
CREATE ROLE reviews_owner LOGIN PASSWORD '$OWNER_PASSWORD';
CREATE ROLE reviews_app LOGIN PASSWORD '$APP_PASSWORD';
CREATE ROLE replicator LOGIN REPLICATION PASSWORD '$REPLICATION_PASSWORD';
CREATE ROLE monitor LOGIN PASSWORD '$MONITOR_PASSWORD' IN ROLE pg_monitor;
CREATE DATABASE reviews OWNER reviews_owner;
\\c reviews
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE reviews_owner GRANT USAGE ON SCHEMAS TO reviews_app;
ALTER DEFAULT PRIVILEGES FOR ROLE reviews_owner GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO reviews_app;
ALTER DEFAULT PRIVILEGES FOR ROLE reviews_owner GRANT USAGE, SELECT ON SEQUENCES TO reviews_app;
SQL
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    # Synchronous replication (after the roles: until a standby connects, a commit would wait): a commit is
    # acknowledged once either standby has it on disk too, so promoting one loses no acknowledged write. One standby
    # down: the other acknowledges. Both down: commits wait (statement_timeout ends the wait after 10 s: committed
    # here, not yet on a standby). Its cost, measured: bench/sync.sh, docs/deployment.md.
    echo "synchronous_standby_names = 'ANY 1 (\"db-replica\", \"db-replica2\")'" >> "$PGDATA/postgresql.conf"
  fi
fi
exec postgres
