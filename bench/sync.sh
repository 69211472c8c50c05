#!/usr/bin/env bash
# What synchronous replication costs a write, measured on the deployed stack: helpful votes through nginx (wrk,
# bench/load/votes.lua) with Patroni's synchronous mode as deployed (a commit waits for one named standby to have it
# on disk) and with it off (asynchronous), alternating, in one run. Prints a Markdown table.
#   REVIEWS_PERMITS_PER_SECOND=0 deploy/up.sh && bench/sync.sh        DURATION=10 CONNECTIONS=16 ROUNDS=2 by default
# Traffic goes to nginx on 127.0.0.1 only; the setting is restored at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LOAD_DIR="$root/bench/load"
duration="${DURATION:-10}" connections="${CONNECTIONS:-16}" rounds="${ROUNDS:-2}"
port="${REVIEWS_PORT:-8080}"
source "$root/deploy/lib/stack.sh"
command -v wrk >/dev/null || { apt-get install -y -q wrk >/dev/null; }
restore() { patroni edit-config --force -s synchronous_mode=true >/dev/null; }
trap restore EXIT
set_mode() { # sync | async: Patroni changes synchronous_standby_names; wait until the primary shows it
  if [[ $1 == async ]]; then patroni edit-config --force -s synchronous_mode=false >/dev/null; else restore; fi
  for _ in $(seq 30); do
    local names; names=$(sql "$(leader)" "SHOW synchronous_standby_names")
    [[ ($1 == async && -z "$names") || ($1 == sync && -n "$names") ]] && return 0
    sleep 1
  done
  echo "Patroni did not switch to $1 replication" >&2; exit 1
}
read -r products reviews_max < <(sql "$(leader)" "SELECT max(product_id) || ' ' || max(id) FROM reviews.reviews")
url="http://127.0.0.1:$port"
echo "| round | replication | votes/s | p50 ms | p99 ms | non-2xx |"
echo "|---:|---|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  for mode in sync async; do
    set_mode "$mode"
    line=$(wrk -t 2 -c "$connections" -d "${duration}s" -s "$LOAD_DIR/votes.lua" "$url" -- "$products" "$reviews_max" 2>&1 | sed -n 's/^RESULT //p')
    python3 "$root/bench/sync_row.py" "$round" "$mode" "$line"
  done
done
