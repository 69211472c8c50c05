#!/usr/bin/env bash
# Brings the stack up (deploy/compose.yaml) and waits until nginx answers through to an instance and the database,
# and a write can commit (a synchronous standby streams).
# The first time it makes random passwords in deploy/.secrets/ (readable by you only; not committed); each time it
# writes from them the env files compose hands to each container (env_file: never a command line, never printed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/stack.sh"
secrets="$here/.secrets"
umask 077
mkdir -p "$secrets"
if [[ ! -f "$secrets/passwords.env" ]]; then
  for name in POSTGRES_PASSWORD OWNER_PASSWORD APP_PASSWORD REPLICATION_PASSWORD MONITOR_PASSWORD; do
    echo "$name=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
  done > "$secrets/passwords.env"
fi
# (a passwords file from before the monitor role gets its password added)
grep -q '^MONITOR_PASSWORD=' "$secrets/passwords.env" || echo "MONITOR_PASSWORD=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >> "$secrets/passwords.env"
# The staff's keys (README, "Staff"): the one tokens are signed with (deploy/token.sh prints one), and the one
# erased addresses are hashed with in the audit trail. 256 bits each, base64; made once, like the passwords.
for name in STAFF_SIGNING_KEY PRIVACY_HASH_KEY; do
  grep -q "^$name=" "$secrets/passwords.env" || echo "$name=$(head -c 32 /dev/urandom | base64 -w0)" >> "$secrets/passwords.env"
done
source "$secrets/passwords.env"
# (the database nodes get the passwords, not the staff keys)
grep -v -e "^STAFF_SIGNING_KEY=" -e "^PRIVACY_HASH_KEY=" "$secrets/passwords.env" > "$secrets/db.env"
# The instances: writes to whichever host is the primary (read-write), reads spread over the standbys (prefer-standby,
# src/Reviews/Store/Database.cs); a host found down is tried again after 2 s (Npgsql's default: 10); a server that
# stops answering is given up in seconds (lib/npgsql.sh).
source "$here/lib/npgsql.sh"
{
  echo "ConnectionStrings__Reviews=Host=db,db-replica,db-replica2;Load Balance Hosts=true;Host Recheck Seconds=2;$npgsql_failover;Username=reviews_app;Password=$APP_PASSWORD;Database=reviews"
  echo "Reviews__Auth__SigningKey=$STAFF_SIGNING_KEY"
  echo "Reviews__Privacy__HashKey=$PRIVACY_HASH_KEY"
} > "$secrets/app.env"
# The owner (migrations, imports): on whichever node is the primary.
echo "ConnectionStrings__Reviews=Host=db,db-replica,db-replica2;Target Session Attributes=read-write;Username=reviews_owner;Password=$OWNER_PASSWORD;Database=reviews" > "$secrets/seed.env"
echo "DATA_SOURCE_NAME=postgresql://monitor:$MONITOR_PASSWORD@db:5432/reviews?sslmode=disable" > "$secrets/monitor-db.env"
echo "DATA_SOURCE_NAME=postgresql://monitor:$MONITOR_PASSWORD@db-replica:5432/reviews?sslmode=disable" > "$secrets/monitor-replica.env"
echo "DATA_SOURCE_NAME=postgresql://monitor:$MONITOR_PASSWORD@db-replica2:5432/reviews?sslmode=disable" > "$secrets/monitor-replica2.env"
# pgBackRest's TLS between the database nodes and the backup service: the stack's private CA and one certificate
# (certs.sh), copied where the containers read them. Readable by their postgres user (uid unknown here), so 644 in a
# 755 folder: only inside deploy/.secrets, which is yours alone (700).
"$here/lib/certs.sh" "$secrets/tls"
umask 022
mkdir -p "$secrets/backup-tls"
cp "$secrets/tls/ca.crt" "$secrets/tls/pgbackrest.crt" "$secrets/tls/pgbackrest.key" "$secrets/backup-tls/"
chmod 644 "$secrets/backup-tls/"*
umask 077
export BUILDAH_FORMAT=docker   # podman keeps the images' HEALTHCHECKs
# The edge network (compose.yaml): its subnet is the one the instances believe X-Forwarded-For from.
$engine network exists reviews_edge 2>/dev/null || $engine network inspect reviews_edge >/dev/null 2>&1 ||
  $engine network create --subnet "${REVIEWS_EDGE_SUBNET:-10.230.1.0/24}" reviews_edge >/dev/null
cd "$here"
"${compose[@]}" up -d --build
port="${REVIEWS_PORT:-8080}"
# Up when nginx answers through to an instance and the database, and a write can commit: in synchronous mode a
# commit waits until Patroni names a synchronous standby (a POST sent at the first answer once waited for it past
# nginx's 15 s and got a 504).
for _ in $(seq 120); do
  if curl -sf "http://127.0.0.1:$port/reviews/meta?product_id=1" >/dev/null && synchronous; then
    echo "The stack answers on http://127.0.0.1:$port (API docs: /docs)."; exit 0
  fi
  sleep 1
done
echo "The stack did not answer on port $port within 2 minutes; see: ${compose[*]} logs" >&2
exit 1
