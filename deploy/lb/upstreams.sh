#!/bin/sh
# The upstream's server lines for nginx, from the health checks nginx (open source) does not do itself;
# entrypoint.sh runs it every second. It asks DNS for the addresses of each name in $UPSTREAMS (compose: one per
# instance; Swarm's tasks.app: every running instance; a restarted container may come back on another address) and
# each address for its readiness (/health/ready: the primary answers, not shutting down).
# - An instance that no connection reaches within 1 s (gone, or its host vanished: a busy host still completes
#   handshakes in its kernel) is marked down at once; one that connects but does not answer within 3 s, three
#   times running (a busy machine is not a dead instance: flapping took healthy ones out under load).
# - One that says it is not ready (503; its own check takes up to 2 s) is marked down while two or more are ready.
#   Not ready means "no primary": it still serves reads (standbys, its cache). With one instance left, nginx has
#   nowhere to send a GET that instance is slow to answer: in the swarm lab's partition (run L), six 504s, each with
#   one upstream, right after the promotion, while one instance was ready.
# - When none is ready, all stay.
# This is the only judge: nginx's own (max_fails) is off, see below. Each address's misses in a row are kept in
# $STATE (default /tmp). Tested by deploy/tests/upstreams.sh.
set -u
state=${STATE:-/tmp}
lines="" ready=0
for upstream in $UPSTREAMS; do
  host=${upstream%:*} port=${upstream#*:}
  addresses=$(getent ahostsv4 "$host" | awk '{ print $1 }' | sort -u) pids=""
  # (all at once: two instances on a vanished host cost one connect timeout, not two in turn)
  for address in $addresses; do
    curl -s -o /dev/null -w '%{http_code} %{time_connect}' --connect-timeout 1 --max-time 3 \
      "http://$address:$port/health/ready" > "$state/answer.$address" &
    pids="$pids $!"
  done
  [ -z "$pids" ] || wait $pids
  for address in $addresses; do
    answer=$(cat "$state/answer.$address")
    misses=$(cat "$state/misses.$address" 2>/dev/null || echo 0)
    case $answer in
      200*) misses=0 ;;
      503*|*" 0.000000") misses=3 ;;
      *) misses=$((misses + 1)) ;;
    esac
    echo $misses > "$state/misses.$address"
    if [ "$misses" -lt 3 ]; then
      ready=$((ready + 1)); lines="$lines$address:$port $host\n"
    elif [ "${answer%% *}" = 503 ]; then
      lines="${lines}$address:$port $host unready\n"
    else
      lines="${lines}$address:$port $host down\n"
    fi
  done
done
[ "$ready" -gt 0 ] || lines=$(printf "$lines" | sed 's/ down$//')
[ "$ready" -gt 1 ] || lines=$(printf "$lines" | sed 's/ unready$//')
# max_fails=0: a request that fails on an instance (nginx then tries another) does not take the instance out. With
# nginx's default, one GET slower than proxy_read_timeout marked an instance failed, and while a primary was lost
# every instance was marked so at once: 344 "no live upstreams" (502) in the lab's run of 2026-12-07.
printf "$lines" | awk 'NF { printf "server %s max_fails=0%s;  # %s\n", $1, ($3 != "" ? " down" : ""), $2 }'
[ -n "$lines" ] || echo "server 127.0.0.1:9 down;  # no instance resolves yet"
