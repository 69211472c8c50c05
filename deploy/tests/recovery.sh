#!/usr/bin/env bash
# Backups rehearsed under load against the running stack (docs/backup.md), one line of figures each:
#   deploy/tests/recovery.sh [mistake] [loss] [repository]     (default: all three; test.sh runs them in CI)
# mistake: under writes, a DELETE of 200 products' reviews at time T; writes go on; restore to T.
# loss: under writes, every database node and volume destroyed; the cluster restored from the repository alone.
# repository: pgbackrest check and verify, and the restored stack answering the contract through nginx.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/stack.sh"
source "$here/checks.sh"
base="http://127.0.0.1:${REVIEWS_PORT:-8080}"
work="$(mktemp -d)"
load_pid=""
trap '[[ -z "$load_pid" ]] || kill "$load_pid" 2>/dev/null; rm -rf "$work"' EXIT
failed=0
stamp=$(date +%s)
traffic() { python3 "$here/traffic.py" --base "$base" "$@"; }
primary() { local p; for _ in $(seq 120); do p=$(leader) && { echo "$p"; return 0; }; sleep 1; done; return 1; }
votes_sum() { sql "$(primary)" "SELECT sum(helpfulness) FROM reviews.reviews WHERE product_id BETWEEN 4001 AND 4050"; }
start_load() { # start_load NAME: writes and reads until $work/stop exists (at most 10 minutes)
  rm -f "$work/stop"
  traffic load --seconds 600 --stop-file "$work/stop" --run "$1-$stamp" --clients 8 --post-retries --out "$work/$1.json" > "$work/$1.log" 2>&1 &
  load_pid=$!
  for _ in $(seq 600); do grep -q started "$work/$1.log" 2>/dev/null && return 0; sleep 0.1; done
  echo "load $1 did not start: $(cat "$work/$1.log")" >&2; exit 1
}
stop_load() { touch "$work/stop"; wait "$load_pid" || true; load_pid=""; }
# verdict NAME CUT VOTES_BEFORE [restore_verdict options…]
verdict() {
  sql "$(primary)" "SELECT key FROM reviews.idempotency_keys WHERE key LIKE '$1-$stamp-%'" > "$work/$1.keys"
  python3 "$here/restore_verdict.py" --run "$work/$1.json" --keys "$work/$1.keys" --cut "$2" \
    --votes-gained $(($(votes_sum) - $3)) "${@:4}" || failed=1
}
# restore_under_load RESTORE_OPTIONS…: deploy/restore.sh while the load runs (its time in $restore_took), then the
# load's end, 5 s after it
restore_under_load() {
  restore_took=$SECONDS
  "$deploy/restore.sh" "$@" --yes > "$work/restore.log" 2>&1 || { cat "$work/restore.log"; failed=1; }
  restore_took=$((SECONDS - restore_took))
  sleep 5; stop_load
}
backups() { $engine exec -u postgres "$(container backup)" pgbackrest --stanza=reviews info --output=json | json_count; }
json_count() { python3 -c 'import json, sys; print(sum(len(s["backup"]) for s in json.load(sys.stdin)))'; }
eventually "the first full backup is in the repository" yes 300 eval '[[ $(backups) -ge 1 ]] && echo yes || echo no'

# An operator's mistake, undone: every write acknowledged before T is back, every later one is in the report.
mistake() {
  local before_votes; before_votes=$(votes_sum)
  start_load mistake
  sleep 15
  local p; p=$(primary)
  local reviews; reviews=$(sql "$p" "SELECT count(*) FROM reviews.reviews WHERE product_id BETWEEN 1 AND 200")
  local cut; cut=$(sql "$p" "SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US+00') || '|' || EXTRACT(EPOCH FROM t) FROM clock_timestamp() t")
  sql "$p" "BEGIN;
    DELETE FROM reviews.characteristic_reviews WHERE review_id IN (SELECT id FROM reviews.reviews WHERE product_id BETWEEN 1 AND 200);
    DELETE FROM reviews.photos WHERE review_id IN (SELECT id FROM reviews.reviews WHERE product_id BETWEEN 1 AND 200);
    DELETE FROM reviews.reviews WHERE product_id BETWEEN 1 AND 200; COMMIT" >/dev/null
  sleep 15   # (writes go on after the mistake)
  restore_under_load --time "${cut%|*}"
  # (from the moment restore.sh held writes on the old primary, an acknowledged write is the restored cluster's)
  local held; held=$(sed -n 's/^restore: writes held at \([0-9.]*\) .*/\1/p' "$work/restore.log")
  local report; report=$(sed -n 's/^restore: .*kept what the restore undoes in \([^;]*\);.*/\1/p' "$work/restore.log")
  check "the mistake is undone: the 200 products' reviews are back" "$reviews" \
    "$(sql "$(primary)" "SELECT count(*) FROM reviews.reviews WHERE product_id BETWEEN 1 AND 200")"
  verdict mistake "${cut#*|}" "$before_votes" --restore-at "$held" --report "$report/reviews-after-target.csv" \
    --label "operator mistake (DELETE of $reviews reviews at T, restored to T in $restore_took s under load)" \
    --extra "; $(grep '^restore: undone' "$work/restore.log" | sed 's/^restore: //; s/ ([^)]*)//g')"
  rm -rf "$report"
}

# Every node and its volume lost at once: restored from the repository; what that costs is the RPO.
loss() {
  local p; p=$(primary)
  # (what the step starts from is in the repository: the votes it counts are counted from there)
  local segment; segment=$(sql "$p" "SELECT pg_walfile_name(pg_switch_wal())")
  eventually "the repository holds the WAL up to this step" t 60 sql "$p" "SELECT last_archived_wal >= '$segment' FROM pg_stat_archiver"
  local before_votes; before_votes=$(votes_sum)
  # The cut: the last moment the primary was still writing into a segment the repository holds (sampled twice a
  # second), so every commit acknowledged before it is in the repository. (Segment names compared as strings: as
  # numbers, awk rounds them to doubles and finds 16 equal to 15.)
  : > "$work/segments"
  ( while [[ ! -f "$work/sampled" ]]; do
      sql "$p" "SELECT EXTRACT(EPOCH FROM clock_timestamp()) || ' ' || pg_walfile_name(pg_current_wal_lsn())" >> "$work/segments" 2>/dev/null || true
      sleep 0.5
    done ) &
  local sampler=$!
  start_load loss
  sleep 20
  touch "$work/sampled"; wait "$sampler"
  local last; last=$(sql "$p" "SELECT last_archived_wal FROM pg_stat_archiver")
  local archived; archived=$(awk -v last="$last" '$2 "" <= last "" { t = $1 } END { print t ? t : 0 }' "$work/segments")
  # (killed at once: stopped one by one, each would hand over to the next, archiving its last segment on the way)
  local containers=(); for n in "${nodes[@]}"; do containers+=("$(container "$n")"); done
  $engine kill -s KILL "${containers[@]}" >/dev/null
  local at; at=$(date +%s.%N)
  $engine rm -f "${containers[@]}" >/dev/null
  $engine volume rm -f reviews_dbdata reviews_replicadata reviews_replica2data >/dev/null
  restore_under_load --latest
  # The RTO: from the loss to the first write acknowledged again (the restore's time includes the standbys).
  local rto; rto=$(python3 -c 'import json, sys; at = float(sys.argv[2])
ok = [w[2] for w in json.load(open(sys.argv[1]))["writes"] if w[1] > at and w[3] in (201, 204)]
print(f"{min(ok) - at:.1f} s" if ok else "none")' "$work/loss.json" "$at")
  verdict loss "$archived" "$before_votes" --restore-at "$at" \
    --label "every database node and volume lost under load (the primary was writing into an archived segment $(awk -v a="$at" -v b="$archived" 'BEGIN { printf "%.1f", a - b }') s before)" \
    --extra "; RTO: first write acknowledged again after $rto (restore.sh ${restore_took} s, standbys included)"
}

repository() {
  check "the repository checks out (pgbackrest check, verify)" 2 "$("$deploy/backup.sh" check 2>&1 | grep -c '^check:\|^verify:')"
  local status; status=$(curl -s -o /dev/null -w '%{http_code}' "$base/reviews?product_id=1")
  check "the restored stack answers GET /reviews and /reviews/meta through nginx" "200 200" \
    "$status $(curl -s -o /dev/null -w '%{http_code}' "$base/reviews/meta?product_id=1")"
}

for step in ${*:-mistake loss repository}; do "$step"; done
exit $failed
