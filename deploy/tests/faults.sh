#!/usr/bin/env bash
# Faults under load against the running stack, one line of figures each (docs/deployment.md, "Faults"):
#   REVIEWS_PERMITS_PER_SECOND=0 deploy/up.sh && deploy/tests/faults.sh [step ...]   (default: every step below)
# (all the traffic comes from this one host, one client to the per-client rate limit: up.sh's variable lifts it).
# Traffic goes to nginx on 127.0.0.1 and to the instances on the stack's own network, nowhere else; each step is
# bounded in time. Exit status 1 if any fault broke a rule (a failed GET, a lost acknowledged write, ...).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base="http://127.0.0.1:${REVIEWS_PORT:-8080}"
source "$here/../lib/stack.sh"
work="$(mktemp -d)"
load_pid=""
trap '[[ -z "$load_pid" ]] || kill "$load_pid" 2>/dev/null; rm -rf "$work"' EXIT
failed=0
stamp=$(date +%s)   # names this run's POSTs (Idempotency-Key "<fault>-<stamp>-<client>-<n>")

traffic() { python3 "$here/traffic.py" --base "$base" "$@"; }
instances() { for app in app1 app2 app3; do printf '%s:8080,' "$(address $app)"; done; }
votes() { sql "$(leader)" "SELECT id || '|' || helpfulness FROM reviews.reviews WHERE product_id BETWEEN 4001 AND 4050" > "$1"; }
now() { date +%s.%N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
# Waits (at most $2 s) until the instance $1 answers ready, asked directly.
ready() {
  for _ in $(seq $(($2 * 10))); do
    curl -sf -o /dev/null --max-time 1 "http://$(address "$1"):8080/health/ready" && return 0
    sleep 0.1
  done
  return 1
}
# Starts $2 seconds of load named $1 in the background (warming every instance's cache first); returns once it runs.
start_load() {
  step_since=$(date -u +%FT%TZ)
  traffic load --seconds "$2" --run "$1-$stamp" --instances "$(instances)" --out "$work/$1.json" "${@:3}" > "$work/$1.log" &
  load_pid=$!
  for _ in $(seq 600); do grep -q started "$work/$1.log" 2>/dev/null && return 0; sleep 0.1; done
  echo "load $1 did not start" >&2; exit 1
}
# Waits for the load named $1, then prints its line (label $2, then check's options).
verdict() {
  local run=$1 label=$2
  wait "$load_pid"
  load_pid=""
  sql "$(leader)" "SELECT key FROM reviews.idempotency_keys WHERE key LIKE '$run-$stamp-%'" > "$work/$run.keys"
  votes "$work/$run.after"
  traffic check --run "$work/$run.json" --keys "$work/$run.keys" --votes-before "$work/$run.before" \
    --votes-after "$work/$run.after" --label "$label" "${@:3}" || { failed=1; stack_log "$step_since"; }
}

read_your_writes() { # [label] [ryw options]: 1000 votes unless told
  local label=${1:-read-your-writes through nginx}; shift || true
  local since; since=$(now)
  local result; result=$(traffic ryw --tries 1000 --instances "$(instances)" "$@")
  # Which instances answered the writer (nginx's log): all of them, not one.
  local spread; spread=$($engine logs --since "$(date -d "@$since" --iso-8601=seconds)" "$(container lb)" 2>/dev/null \
    | grep -o 'upstream=[0-9.]*:8080' | sort | uniq -c | awk '{printf "%s%s", sep, $1; sep="/"}')
  local control; control=$(traffic ryw --tries 200 --no-cookie --instances "$(instances)")
  python3 "$here/ryw_verdict.py" "$result" "$control" "$spread" "$label" || failed=1
}

# The standbys replay each commit 5 s late (recovery_min_apply_delay, set through Patroni, which owns the standbys'
# recovery settings: an ALTER SYSTEM on one is overridden). Reads keep to what each instance has heard of
# (src/Reviews/Changes/ChangePositions.cs), so no instance shows a vote later than its notice, let alone 5 s late.
delayed_standby() {
  patroni edit-config --force -p recovery_min_apply_delay=5s >/dev/null
  for _ in $(seq 30); do [[ "$(sql "$(followers | head -1)" "SHOW recovery_min_apply_delay")" == 5s ]] && break; sleep 1; done
  local refused; refused=$(standby_behind)
  read_your_writes "the standbys 5 s behind ($(sql "$(followers | head -1)" "SHOW recovery_min_apply_delay") apply delay)" --tries 1000 --within 1
  refused=$(( $(standby_behind) - refused ))
  echo "  (answers the delayed standbys gave too old, refused and read from the primary: $refused)"
  [[ $refused -gt 0 ]] || { echo "delayed standby: FAIL (no read reached a delayed standby)"; failed=1; }
  patroni edit-config --force -p recovery_min_apply_delay=0 >/dev/null
}
# Standby answers refused as too old so far, summed over the instances (their /metrics).
standby_behind() {
  for app in app1 app2 app3; do curl -s "http://$(address $app):8080/metrics"; done |
    awk '/^reviews_reads_standby_behind_total/ { n += $NF } END { printf "%d", n }'
}

# A standby stopped under load whose reads miss the caches (they ask for the products being written): a read that
# finds its connection gone is read again from the primary, new connections go to the other standby.
stop_standby() {
  local standby; standby=$(followers | tail -1)
  votes "$work/standby.before"
  start_load standby 20 --read-products 4001-4050
  sleep 5
  local at; at=$(now)
  $engine stop -t 10 "$(container $standby)" >/dev/null
  local stopped; stopped=$(now)
  sleep 8
  $engine start "$(container $standby)" >/dev/null
  verdict standby "stop a standby ($standby down in $(minus "$stopped" "$at") s, back 8 s later)" --rule none
}

kill_one() {
  votes "$work/kill.before"
  start_load kill 20 --post-retries
  sleep 5
  local at; at=$(now)
  $engine kill -s KILL "$(container app2)" >/dev/null
  local end; end=$(now)
  sleep 3
  $engine start "$(container app2)" >/dev/null   # what a restart policy does
  ready app2 60
  verdict kill "kill -9 app2" --retries --rule kill --fault-at "$at" --fault-end "$end"
}

rolling_restart() {
  votes "$work/rolling.before"
  start_load rolling 40
  sleep 3
  local app
  for app in app1 app2 app3; do
    $engine stop -t 30 "$(container $app)" >/dev/null   # SIGTERM: drain, close the listener, finish in flight
    $engine start "$(container $app)" >/dev/null
    ready $app 60
    sleep 3   # lb reloads on the new address (deploy/lb/entrypoint.sh) within 2 s
  done
  verdict rolling "rolling restart of app1..app3" --rule none
}

# The primary stopped (SIGTERM: Patroni stops PostgreSQL and hands the lead to a synchronous standby at once) and
# started again (it rejoins as a standby): a switchover, as for maintenance.
restart_primary() {
  local old; old=$(leader)
  votes "$work/primary.before"
  start_load primary 25 --post-retries
  sleep 5
  local at; at=$(now)
  $engine stop -t 10 "$(container $old)" >/dev/null
  sleep 3
  $engine start "$(container $old)" >/dev/null
  local back; back=$(now)
  verdict primary "restart the primary ($old; $(leader) leads after)" --retries --rule outage --fault-at "$at" --recovered-at "$(minus "$back" -5)"
}

cut_one_off() {
  votes "$work/cut.before"
  # (app3 as lb sees it, on the edge network; the database on the default one)
  local app3 db pid; app3=$(address app3 reviews_edge); db=$(address "$(leader)"); pid=$($engine inspect -f '{{.State.Pid}}' "$(container app3)")
  start_load cut 40
  sleep 3
  local at; at=$(now)
  # Packets from app3 to the database are dropped, in app3's own network namespace; nothing else is touched.
  nsenter -t "$pid" -n nft -f - <<NFT
table inet fault {
  chain out { type filter hook output priority 0; ip daddr $db drop; }
}
NFT
  local unready="" down=""
  for _ in $(seq 300); do
    [[ -n "$unready" ]] || curl -sf -o /dev/null --max-time 3 "http://$app3:8080/health/ready" || unready=$(minus "$(now)" "$at")
    [[ -n "$down" ]] || ! $engine exec "$(container lb)" grep -q "$app3:8080 .* down" /etc/nginx/upstreams.conf || down=$(minus "$(now)" "$at")
    [[ -z "$unready" || -z "$down" ]] || break
    sleep 0.1
  done
  sleep 10
  local from; from=$(now)
  sleep 10
  # Requests nginx began sending app3 in those 10 s (a log line's time is its end: less its request time).
  local sent; sent=$($engine logs -t --since "$(date -d "@$from" --iso-8601=seconds)" "$(container lb)" 2>/dev/null | python3 "$here/nginx_sent.py" "$from" "$(now)" "$app3:8080")
  nsenter -t "$pid" -n nft delete table inet fault
  ready app3 60
  verdict cut "cut app3 off the database" --rule kill --fault-at "$at" --fault-end "$(minus "$at" "-${down:-0}")" --extra "; not ready after ${unready:-never} s, out of nginx's servers after ${down:-never} s; requests nginx sent it 10-20 s after: $sent"
  [[ -n "$unready" && -n "$down" && "$sent" == 0 ]] || { echo "cut: FAIL (still ready, still a server, or still sent work)"; failed=1; }
}

# The primary killed (-9) under load. Patroni on the standbys sees its leader key expire (ttl 20 s) and promotes
# the synchronous standby; the instances find it by themselves (Npgsql's read-write sessions). Started again (what a
# restart policy does), the old primary rejoins as a standby (Patroni: pg_rewind, else a fresh copy).
kill_primary() {
  local old; old=$(leader)
  votes "$work/failover.before"
  start_load failover 40 --post-retries
  sleep 5
  local at; at=$(now)
  $engine kill -s KILL "$(container $old)" >/dev/null
  local new="" promoted=""
  for _ in $(seq 300); do
    new=$(leader) && [[ "$new" != "$old" ]] && { promoted=$(now); break; }
    sleep 0.1
  done
  [[ -n "$promoted" ]] || { echo "kill_primary: FAIL (no standby promoted within 30 s)"; failed=1; promoted=$(now); }
  $engine start "$(container $old)" >/dev/null
  verdict failover "kill -9 the primary ($old), $new promoted by Patroni $(minus "$promoted" "$at") s after" --retries --rule outage \
    --fault-at "$at" --recovered-at "$(minus "$promoted" -5)"
  local streaming=""
  local waited=0   # (a rewind waits for a checkpoint on the new primary; a fresh copy takes longer)
  for waited in $(seq 180); do
    streaming=$(sql "$new" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
    [[ "$streaming" == 2 ]] && break; sleep 1
  done
  echo "  after: $new leads; standbys streaming from it: $streaming ($waited s after the restart); $old in recovery: $(sql "$old" "SELECT pg_is_in_recovery()")"
  [[ "$streaming" == 2 ]] || $engine logs --tail 20 "$(container "$old")" 2>&1 | grep -v level=error
  [[ "$streaming" == 2 ]] || { echo "kill_primary: FAIL (the old primary or the other standby does not follow $new)"; failed=1; }
}

traffic ryw --tries 1 >/dev/null   # the stack answers
for fault in "${@:-read_your_writes delayed_standby stop_standby kill_one rolling_restart restart_primary cut_one_off kill_primary}"; do
  for step in $fault; do $step; done
done
exit $failed
