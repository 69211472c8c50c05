#!/usr/bin/env bash
# The backup service (this image, another entrypoint): pgBackRest's repository in /var/lib/pgbackrest (a volume on a
# host of its own), its TLS server for the database nodes' WAL, the stanza made once the primary answers, a full
# backup as soon as there is none, then on schedule; and its metrics for Prometheus (backup-metrics.py, port 9854). An operator's commands: deploy/backup.sh.
#   BACKUP_NODES         the database nodes by name (compose: "db db-replica db-replica2"; swarm: "db1 db2 db3")
#   BACKUP_TLS_DIR       ca.crt, pgbackrest.crt, pgbackrest.key (the certificate the nodes also use)
#   BACKUP_FULL_EVERY / BACKUP_DIFF_EVERY   seconds between full / differential backups (default a week / a day)
set -euo pipefail
: "${BACKUP_NODES:?}" "${BACKUP_TLS_DIR:?}"
full_every=${BACKUP_FULL_EVERY:-604800} diff_every=${BACKUP_DIFF_EVERY:-86400}
mkdir -p -m 700 /tmp/pgbackrest-tls
cp "$BACKUP_TLS_DIR/ca.crt" "$BACKUP_TLS_DIR/pgbackrest.crt" "$BACKUP_TLS_DIR/pgbackrest.key" /tmp/pgbackrest-tls/
chmod 600 /tmp/pgbackrest-tls/pgbackrest.key
export PGBACKREST_CONFIG=${PGBACKREST_CONFIG:-/tmp/pgbackrest.conf}   # (set in the service, for `exec`)
trap 'exit 0' TERM
{
  cat /etc/pgbackrest/pgbackrest-repo.conf
  echo "[reviews]"
  i=1
  for node in $BACKUP_NODES; do
    for option in "host=$node" host-type=tls host-ca-file=/tmp/pgbackrest-tls/ca.crt \
      host-cert-file=/tmp/pgbackrest-tls/pgbackrest.crt host-key-file=/tmp/pgbackrest-tls/pgbackrest.key \
      path=/var/lib/postgresql/data socket-path=/tmp; do
      echo "pg$i-$option"
    done
    i=$((i + 1))
  done
} > "$PGBACKREST_CONFIG"
pgbackrest server &
backup-metrics.py &
log() { echo "backup: $*"; }
# The stanza (the repository's record of this cluster): made once a primary answers; again is harmless.
until pgbackrest --stanza=reviews stanza-create >/tmp/stanza.log 2>&1; do sleep 5; done
log "stanza reviews ready"
# Seconds since the last backup of a type (full: "full"; any: "full|diff|incr"), or a large number if none.
age() {
  pgbackrest --stanza=reviews info --output=json | python3 -c '
import json, sys, time
backups = [b for s in json.load(sys.stdin) for b in s["backup"] if b["type"] in sys.argv[1].split("|")]
print(int(time.time() - max(b["timestamp"]["stop"] for b in backups)) if backups else 10**9)' "$1"
}
take() {
  log "$1 backup starting"
  if pgbackrest --stanza=reviews backup --type="$1"; then log "$1 backup done"; else log "$1 backup FAILED (retried in a minute)"; fi
}
# The schedule: a minute's loop, so that a failed backup is tried again soon and a changed interval applies at once.
while true; do
  if (($(age full) >= full_every)); then take full
  elif (($(age 'full|diff|incr') >= diff_every)); then take diff
  fi
  sleep 60 & wait $!
done
