#!/usr/bin/env bash
# Backup and restore at the legacy size, on the deployed stack (deploy/compose.yaml), beside the importer in the same
# run: the import of the legacy files into the stack (the other way to rebuild the data, the baseline), a full backup
# of what it loaded, and a restore of every node from the repository (deploy/restore.sh --latest); checks the
# restored cluster holds every row, then writes docs/backup-benchmark.md. The stack is made afresh and left down.
#
#   bench/backup.sh [DATA_DIR]     DATA_DIR defaults to /var/tmp/reviews-full, generated (--full) if missing.
#   PRODUCTS=100000 bench/backup.sh /tmp/small   a smaller set for a quick run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data="${1:-/var/tmp/reviews-full}"
bench_start backup
legacy_set "$data"
source "$root/deploy/lib/stack.sh"
down() { "$root/deploy/down.sh" --volumes >/dev/null 2>&1; }
at_exit+=(down)
down
"$root/deploy/up.sh" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
# timed COMMAND…: runs it, its output in $work/<its name>.log (shown if it fails), its seconds in $took
timed() { local start=$SECONDS log; log="$work/$(basename "$1").log"; "$@" > "$log" 2>&1 || { cat "$log"; return 1; }; took=$((SECONDS - start)); }
rows() { sql "$(leader)" "SELECT (SELECT count(*) FROM reviews.reviews) + (SELECT count(*) FROM reviews.photos)
  + (SELECT count(*) FROM reviews.characteristics) + (SELECT count(*) FROM reviews.characteristic_reviews)"; }

echo "== (a) the import into the stack (the baseline)"
timed "$root/deploy/import.sh" "$data" --replace; import=$took
loaded=$(rows)
echo "   $import s, $loaded rows"
echo "== (b) a full backup"
timed "$root/deploy/backup.sh" now full; backup=$took
size=$($engine exec -u postgres "$(container backup)" pgbackrest --stanza=reviews info --output=json | python3 -c '
import json, sys
full = [b for s in json.load(sys.stdin) for b in s["backup"] if b["type"] == "full"][-1]
print(full["info"]["size"], full["info"]["repository"]["delta"])')
echo "   $backup s (database ${size% *} bytes, ${size#* } in the repository)"
echo "== (c) every node restored from the repository"
timed "$root/deploy/restore.sh" --latest --yes; restore=$took
grep '^restore:' "$work/restore.sh.log"
restored=$(rows)
[[ "$restored" == "$loaded" ]] || { echo "the restored cluster holds $restored rows, the import loaded $loaded"; exit 1; }
primary_at=$(sed -n 's/^restore: db takes writes (\([0-9]*\) s)$/\1/p' "$work/restore.sh.log")
echo "   $restore s in all, the primary taking writes after $primary_at s; $restored rows"

group() { python3 -c "import sys; print(f'{int(sys.argv[1]):,}')" "$1"; }
cat > "$root/docs/backup-benchmark.md" <<MD
# Backup and restore at the legacy size

Measured $(date -u +%Y-%m-%d) with \`bench/backup.sh $data\` on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB: the compose stack
(three PostgreSQL 15 nodes under Patroni, synchronous replication, WAL archived to the backup service by pgBackRest
$($engine exec "$(container backup)" pgbackrest version | awk '{print $2}'), zstd), made afresh, the same legacy files, one run.

| | seconds |
|---|---:|
| \`deploy/import.sh\` of the legacy files into the stack ($(group "$loaded") rows; the baseline: the other way to rebuild) | $import |
| \`deploy/backup.sh now full\` (database $(group "${size% *}") bytes, $(group "${size#* }") in the repository) | $backup |
| \`deploy/restore.sh --latest\`: the primary restored and taking the instances' writes | $primary_at |
| … and in all, with a backup of the new timeline and both standbys restored from it, streaming | $restore |

The restored cluster held every row the import loaded ($(group "$restored")). Side by side in one run on one machine
(noisy, two cores shared by every container): compare within the table, not with other runs.

Rerun: \`bench/backup.sh\` (generates the full set into /var/tmp/reviews-full the first time), or
\`PRODUCTS=100000 bench/backup.sh /tmp/small\` for a quick run.
MD
echo "wrote docs/backup-benchmark.md"
