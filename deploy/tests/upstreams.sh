#!/usr/bin/env bash
# The balancer's judge of instances (deploy/lb/upstreams.sh), against three stand-ins on loopback addresses that
# answer /health/ready as told (fake_instance.py), and a fourth address where nothing listens (refused at once, like
# a container that is gone). A few seconds, no containers: deploy/tests/test.sh runs it first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/checks.sh"
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=18099
for n in 1 2 3; do
  echo 200 > "$work/status.$n"
  python3 "$here/fake_instance.py" "127.0.0.1$n" $port "$work/status.$n" & pids+=($!)
done
for n in 1 2 3; do
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1$n:$port/" && break; sleep 0.1; done
done
down() { # down STATUS1 STATUS2 STATUS3: the addresses the server lines mark down
  for n in 1 2 3; do echo "${!n}" > "$work/status.$n"; done
  rm -f "$work"/misses.*
  STATE=$work UPSTREAMS="127.0.0.11:$port 127.0.0.12:$port 127.0.0.13:$port 127.0.0.14:$port" sh "$here/../lb/upstreams.sh" |
    awk '/ down;/ { sub(/:.*/, "", $2); printf "%s%s", (n++ ? " " : ""), $2 }'
}
check "all ready: only the unreachable one is down" "127.0.0.14" "$(down 200 200 200)"
check "two ready: the one not ready is down too" "127.0.0.13 127.0.0.14" "$(down 200 200 503)"
check "one ready: those not ready stay, for reads to have a second instance" "127.0.0.14" "$(down 200 503 503)"
check "none ready: all stay" "" "$(down 503 503 503)"
[[ $failed == 0 ]]
