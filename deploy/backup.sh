#!/usr/bin/env bash
# The operator's backup commands on the compose stack (docs/backup.md), run in the backup service's container:
#   deploy/backup.sh now [full|diff|incr]  take a backup now (default: full)
#   deploy/backup.sh info                  the backups kept, and the window a restore can reach (deploy/restore.sh)
#   deploy/backup.sh check                 archiving works end to end (pgbackrest check) and every file in the
#                                          repository is intact (pgbackrest verify)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/stack.sh"
pgbackrest() { $engine exec -u postgres "$(container backup)" pgbackrest --stanza=reviews "$@"; }
case "${1:-}" in
  now)
    type=${2:-full}
    [[ $type =~ ^(full|diff|incr)$ ]] || { echo "backup.sh now: the type is full, diff or incr, not '$type'" >&2; exit 2; }
    start=$SECONDS
    pgbackrest backup --type="$type" --log-level-console=warn
    echo "$type backup taken in $((SECONDS - start)) s" ;;
  info)
    pgbackrest info
    # From the end of the oldest backup kept to the last segment archived (the primary's pg_stat_archiver).
    oldest=$(pgbackrest info --output=json | python3 -c '
import datetime, json, sys
backups = [b for s in json.load(sys.stdin) for b in s["backup"]]
print(datetime.datetime.fromtimestamp(min(b["timestamp"]["stop"] for b in backups), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00") if backups else "")')
    newest=$(sql "$(leader)" "SELECT to_char(last_archived_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00') FROM pg_stat_archiver")
    if [[ -z "$oldest" ]]; then echo "recoverable: nothing yet (no backup)"
    else echo "recoverable: from $oldest to $newest (the last segment archived; later writes only while a node's data lasts)"; fi ;;
  check)
    pgbackrest check --log-level-console=warn && echo "check: WAL archiving reaches the repository"
    pgbackrest verify --log-level-console=warn && echo "verify: every backup and WAL file in the repository is intact" ;;
  *) echo "usage: deploy/backup.sh now [full|diff|incr] | info | check" >&2; exit 2 ;;
esac
