#!/usr/bin/env bash
# Takes the stack down. With --volumes, its databases and the metrics Prometheus kept go too (the next up starts
# from empty ones).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/stack.sh"
cd "$here"
"${compose[@]}" down
$engine network rm reviews_edge >/dev/null 2>&1 || true   # (made by up.sh)
if [[ "${1:-}" == --volumes ]]; then
  # (every database's volume: a standby left from an earlier stack holds that stack's passwords and timeline)
  for volume in reviews_etcddata reviews_dbdata reviews_replicadata reviews_replica2data reviews_backuprepo reviews_prometheusdata; do
    $engine volume rm -f "$volume" >/dev/null 2>&1 || true
  done
fi
