#!/usr/bin/env bash
# Makes this server (stopped; an old primary) a standby of PRIMARY_HOST: pg_rewind takes back what it wrote after
# the promoted standby's timeline forked (the cluster keeps wal_log_hints for it), then it follows PRIMARY_HOST.
# What an HA tool (Patroni, pg_auto_failover) does for an old primary; run as a one-off container on its volume:
#   podman run --rm --network reviews_default --env-file deploy/.secrets/db.env -e STANDBY_NAME=db \
#     -v reviews_dbdata:/var/lib/postgresql/data --entrypoint rejoin.sh reviews-db db-replica
set -euo pipefail
primary=${1:?usage: rejoin.sh PRIMARY_HOST}
# The server is stopped (its container is): a killed one leaves its pid file, naming PID 1, which here is this script.
rm -f "$PGDATA/postmaster.pid"
export PGPASSWORD="$POSTGRES_PASSWORD"
# A standby promoted moments ago shows its new timeline in its control file only after a checkpoint; without one,
# pg_rewind finds "the same timeline" and rewinds nothing.
psql -X -q -h "$primary" -U postgres -d postgres -c CHECKPOINT
if ! pg_rewind --target-pgdata="$PGDATA" --source-server="host=$primary user=postgres dbname=postgres"; then
  # (the WAL it needs from before the fork is gone, say): a fresh copy instead, as a new standby is made
  echo "rejoin: no rewind possible; copying $primary afresh"
  rm -rf "${PGDATA:?}"/*
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -d "application_name=${STANDBY_NAME:-db}" -h "$primary" -U replicator \
    -D "$PGDATA" -R -X stream -c fast
  echo "rejoin: $(hostname) copied; it follows $primary when started"
  exit 0
fi
unset PGPASSWORD
touch "$PGDATA/standby.signal"
# pg_rewind copied the new primary's settings: this one follows it, as the replicator, under its own name (the
# password from the environment into a file only postgres reads; never an argument).
cat >> "$PGDATA/postgresql.auto.conf" <<CONF
primary_conninfo = 'host=$primary user=replicator password=$REPLICATION_PASSWORD application_name=${STANDBY_NAME:-db}'
CONF
echo "rejoin: $(hostname) rewound; it follows $primary when started"
