#!/usr/bin/env bash
# Takes the stack down. With --volumes, its databases go too (the next up starts from empty ones).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if command -v podman-compose >/dev/null; then compose=(podman-compose); elif docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
cd "$here"
"${compose[@]}" -p reviews down
if [[ "${1:-}" == --volumes ]]; then
  # (every database's volume: a standby left from an earlier stack holds that stack's passwords and timeline)
  for volume in reviews_etcddata reviews_dbdata reviews_replicadata reviews_replica2data; do
    podman volume rm -f "$volume" >/dev/null 2>&1 || docker volume rm -f "$volume" >/dev/null 2>&1 || true
  done
fi
