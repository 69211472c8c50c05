#!/bin/sh
# nginx, and the health checks nginx (open source) does not do itself. Every second this asks each instance in
# $UPSTREAMS for its address (DNS: a restarted container may come back on another) and its readiness
# (/health/ready: database reachable, not shutting down), and writes the upstream's server lines: an instance that
# is not ready is marked down, so nginx stops sending it work, unless none is ready (then all stay: an instance
# can still answer from its cache while the database is away). When the lines change, nginx reloads: a graceful
# swap of workers, the requests in flight finish on the old ones.
set -u
servers() {
  lines="" ready=0
  for upstream in $UPSTREAMS; do
    host=${upstream%:*} port=${upstream#*:}
    address=$(getent hosts "$host" | cut -d' ' -f1)
    [ -n "$address" ] || continue
    if curl -s -o /dev/null -f --max-time 1 "http://$address:$port/health/ready"; then
      ready=$((ready + 1)); lines="$lines$address:$port $host\n"
    else
      lines="${lines}$address:$port $host down\n"
    fi
  done
  [ "$ready" -gt 0 ] || lines=$(printf "$lines" | sed 's/ down$//')
  printf "$lines" | awk 'NF { printf "server %s max_fails=1 fail_timeout=5s%s;  # %s\n", $1, ($3 == "down" ? " down" : ""), $2 }'
  [ -n "$lines" ] || echo "server 127.0.0.1:9 down;  # no instance resolves yet"
}
servers > /etc/nginx/upstreams.conf
nginx -g 'daemon off;' &
nginx=$!
trap 'kill -QUIT $nginx' TERM INT
while kill -0 $nginx 2>/dev/null; do
  sleep 1
  servers > /tmp/upstreams.conf
  if ! cmp -s /tmp/upstreams.conf /etc/nginx/upstreams.conf; then
    cp /tmp/upstreams.conf /etc/nginx/upstreams.conf
    echo "upstreams: $(grep -c ' down' /etc/nginx/upstreams.conf) of $(grep -c '^server' /etc/nginx/upstreams.conf) down" >&2
    nginx -s reload
  fi
done
wait $nginx
