#!/usr/bin/env bash
# Restores the compose stack's PostgreSQL cluster from the backup service's repository (docs/backup.md):
#   deploy/restore.sh --time 'YYYY-MM-DD HH:MM:SS[.ffffff]+00' --yes   as it was at that moment (an operator's mistake)
#   deploy/restore.sh --latest --yes                                   up to the last archived segment (every node lost)
# Every node's data is replaced: the first node is made from the last backup before the target plus the archived
# WAL up to it, and promoted on a new timeline (taking local connections only, until what the restore undid is
# read); then it opens, a backup of it is taken, and the other nodes are made from that backup and stream again. The API instances keep running: while no node answers, writes get 503 with Retry-After; they
# reconnect by themselves and clear their caches when the database's change notices come back.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/stack.sh"
target="" yes=""
while (($#)); do
  case "$1" in
    --time) target=${2:-}; shift 2 || { echo "restore.sh: --time needs a time" >&2; exit 2; } ;;
    --latest) target=latest; shift ;;
    --yes) yes=1; shift ;;
    *) echo "usage: deploy/restore.sh (--time 'YYYY-MM-DD HH:MM:SS+00' | --latest) --yes" >&2; exit 2 ;;
  esac
done
[[ -n "$target" ]] || { echo "restore.sh: say --time '…' or --latest" >&2; exit 2; }
# (a time with its zone, as PostgreSQL's recovery_target_time takes it; nothing else reaches a command line)
if [[ $target != latest && ! $target =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?[+-][0-9]{2}(:?[0-9]{2})?$ ]]; then
  echo "restore.sh: '$target' is not a time like '2026-12-07 09:30:00+00' (with its zone)" >&2; exit 2
fi
[[ -n "$yes" ]] || { echo "restore.sh: this replaces every database node's data with the restored one; add --yes" >&2; exit 2; }
start=$SECONDS
step() { echo "restore: $* ($((SECONDS - start)) s)"; }
db_nodes=(db db-replica db-replica2)
volumes=(reviews_dbdata reviews_replicadata reviews_replica2data)
primary() { [[ "$(sql db "SELECT NOT pg_is_in_recovery()" 2>/dev/null)" == t ]]; }

# A restore to a point in time first keeps what it will undo, in a report an operator can replay or act on: the
# reviews written after the target (with their Idempotency-Keys), and each review's votes and report flag, compared
# with the restored ones below. Writes are held first (a lock every write waits on, until the nodes stop), so that
# none is acknowledged after the report is read; then the primary archives its last WAL, the target's included.
report=""
if [[ $target != latest ]] && old=$(leader); then
  report="${REVIEWS_RESTORE_REPORTS:-$deploy/restore-reports}/$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$report"
  $engine exec -u postgres "$(container "$old")" psql -d reviews -XAtq \
    -c "BEGIN" -c "LOCK TABLE reviews.reviews IN EXCLUSIVE MODE" -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
  holding() { [[ "$(sql "$old" "SELECT count(*) FROM pg_locks WHERE relation = 'reviews.reviews'::regclass AND mode = 'ExclusiveLock' AND granted")" == 1 ]]; }
  for _ in $(seq 120); do holding && break; sleep 0.5; done
  holding || { echo "restore.sh: writes could not be held on $old within 60 s" >&2; exit 1; }
  held=$(date +%s.%N)
  # A review's date is its transaction's start: one begun before the target and committed after it is undone too
  # (seen once in CI: a POST acknowledged after the target, in neither the restored cluster nor the report). So
  # every review dated up to a minute before the target is kept here, and those the restored cluster holds are
  # taken out below. (A write's transaction lasts seconds: statement_timeout 10 s, lock_timeout 2 s.)
  sql "$old" "COPY (SELECT r.*, k.key AS idempotency_key FROM reviews.reviews r
    LEFT JOIN reviews.idempotency_keys k ON k.review_id = r.id WHERE r.date > '$target'::timestamptz - interval '1 minute'
    ORDER BY r.id) TO STDOUT (FORMAT csv, HEADER)" > "$report/reviews-near-target.csv"
  sql "$old" "COPY (SELECT id, helpfulness, reported FROM reviews.reviews) TO STDOUT" > "$report/votes-before-restore.tsv"
  segment=$(sql "$old" "SELECT pg_walfile_name(pg_switch_wal())")
  archived() { [[ "$(sql "$old" "SELECT last_archived_wal >= '$segment' FROM pg_stat_archiver")" == t ]]; }
  for _ in $(seq 120); do archived && break; sleep 0.5; done
  archived || { echo "restore.sh: the primary's last segment ($segment) did not reach the repository in 60 s" >&2; exit 1; }
  step "writes held at $held (Unix time); kept what the restore undoes in $report; the primary's WAL archived up to $segment"
fi
step "stopping the database nodes"
"${compose[@]}" stop "${db_nodes[@]}" >/dev/null 2>&1
# The cluster's record in etcd goes too, so that the first node to start makes a new cluster (from the backup).
# (a node that was killed leaves its leader key for up to its ttl, 20 s: patronictl then asks for its name)
forget() { printf 'reviews\nYes I am aware\n' | $engine exec -i "$(container backup)" patronictl -c /etc/patroni/patroni.yml remove reviews >/dev/null 2>&1; }
for _ in $(seq 12); do forget && break; sleep 5; done
for volume in "${volumes[@]}"; do
  $engine run --rm -u postgres -v "$volume:/data" --entrypoint sh reviews-db -c 'find /data -mindepth 1 -delete'
done
step "restoring db from the repository (target: $target)"
REVIEWS_RESTORE_TARGET="$target" "${compose[@]}" up -d --no-deps --force-recreate db >/dev/null 2>&1
for _ in $(seq 3600); do primary && break; sleep 1; done
primary || { echo "restore.sh: db did not come up as the primary within an hour: ${compose[*]} logs db" >&2; exit 1; }
step "db restored and promoted (local connections only)"
if [[ -n "$report" ]]; then
  # What the restore undid, read before any instance can write again. The reviews: those kept above that the
  # restored cluster does not hold.
  $engine exec -i -u postgres "$(container db)" psql -d reviews -XAq -v ON_ERROR_STOP=1 \
    -c "CREATE TEMP TABLE near (LIKE reviews.reviews)" -c "ALTER TABLE near ADD COLUMN idempotency_key text" \
    -c "COPY near FROM STDIN (FORMAT csv, HEADER)" \
    -c "COPY (SELECT * FROM near n WHERE NOT EXISTS (SELECT FROM reviews.reviews r WHERE r.id = n.id) ORDER BY n.id)
        TO STDOUT (FORMAT csv, HEADER)" < "$report/reviews-near-target.csv" > "$report/reviews-after-target.csv"
  rm "$report/reviews-near-target.csv"
  # The votes and reports, review by review (the reviews written after the target lose theirs too).
  $engine exec -i -u postgres "$(container db)" psql -d reviews -XAq -v ON_ERROR_STOP=1 \
    -c "CREATE TEMP TABLE before (id bigint, helpfulness integer, reported boolean)" -c "COPY before FROM STDIN" \
    -c "COPY (SELECT b.id AS review_id, b.helpfulness - COALESCE(r.helpfulness, 0) AS votes_undone,
          b.reported AND NOT COALESCE(r.reported, false) AS report_undone
        FROM before b LEFT JOIN reviews.reviews r USING (id)
        WHERE b.helpfulness > COALESCE(r.helpfulness, 0) OR b.reported AND NOT COALESCE(r.reported, false)
        ORDER BY b.id) TO STDOUT (FORMAT csv, HEADER)" < "$report/votes-before-restore.tsv" > "$report/votes-undone.csv"
  rm "$report/votes-before-restore.tsv"
fi
# Open again: db started as usual (its data kept, no restore settings), the instances' connections let in.
"${compose[@]}" up -d --no-deps --force-recreate db >/dev/null 2>&1
for _ in $(seq 600); do primary && break; sleep 1; done
primary || { echo "restore.sh: db did not lead again within 10 minutes: ${compose[*]} logs db" >&2; exit 1; }
step "db takes writes"
# The standbys are made from a backup of the new timeline (the repository's last one may come from after the
# target, on the history just left behind); an incremental one copies only what changed since the last backup.
$engine exec -u postgres "$(container backup)" pgbackrest --stanza=reviews backup --type=incr --log-level-console=warn
step "backup of the restored cluster taken"
"${compose[@]}" up -d --no-deps db-replica db-replica2 >/dev/null 2>&1
for _ in $(seq 3600); do synchronous && break; sleep 1; done
synchronous || { echo "restore.sh: no standby streams within an hour: ${compose[*]} logs db-replica" >&2; exit 1; }
step "restored: db leads, a synchronous standby streams"
if [[ -n "$report" ]]; then
  rows() { python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))) - 1)' "$1"; }   # (bodies may span lines)
  echo "restore: undone, to replay or to tell: $(rows "$report/reviews-after-target.csv") reviews ($report/reviews-after-target.csv)," \
    "$(rows "$report/votes-undone.csv") reviews' votes or reports ($report/votes-undone.csv)"
fi
