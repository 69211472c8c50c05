#!/bin/sh
# nginx, and the health checks nginx (open source) does not do itself. Every second this asks DNS for the addresses
# of each name in $UPSTREAMS (compose: one per instance; Swarm's tasks.app: every running instance; a restarted
# container may come back on another address) and each address for its readiness
# (/health/ready: database reachable, not shutting down), and writes the upstream's server lines. An instance that
# says it is not ready (503; its own check takes up to 2 s), or that no connection reaches within 1 s (gone, or its
# host vanished: a busy host still completes handshakes in its kernel), is marked down at once; one that connects
# but does not answer within 3 s, three times running (a busy machine is not a dead instance: flapping took healthy
# ones out under load). Unless none is ready: then all stay, since an instance still answers from its cache while
# the database is away. When the lines change, nginx reloads: a graceful swap of workers, requests in flight finish
# on the old ones. This is the only judge: nginx's own (max_fails) is off, see below.
set -u
servers() {
  lines="" ready=0
  for upstream in $UPSTREAMS; do
    host=${upstream%:*} port=${upstream#*:}
    addresses=$(getent ahostsv4 "$host" | awk '{ print $1 }' | sort -u) pids=""
    # (all at once: two instances on a vanished host cost one connect timeout, not two in turn)
    for address in $addresses; do
      curl -s -o /dev/null -w '%{http_code} %{time_connect}' --connect-timeout 1 --max-time 3 \
        "http://$address:$port/health/ready" > "/tmp/answer.$address" &
      pids="$pids $!"
    done
    [ -z "$pids" ] || wait $pids   # (not a bare wait: nginx is this shell's child too)
    for address in $addresses; do
      answer=$(cat "/tmp/answer.$address")
      misses=$(cat "/tmp/misses.$address" 2>/dev/null || echo 0)
      case $answer in
        200*) misses=0 ;;
        503*|*" 0.000000") misses=3 ;;
        *) misses=$((misses + 1)) ;;
      esac
      echo $misses > "/tmp/misses.$address"
      if [ "$misses" -lt 3 ]; then
        ready=$((ready + 1)); lines="$lines$address:$port $host\n"
      else
        lines="${lines}$address:$port $host down\n"
      fi
    done
  done
  [ "$ready" -gt 0 ] || lines=$(printf "$lines" | sed 's/ down$//')
  # max_fails=0: a request that fails on an instance (nginx then tries another) does not take the instance out. With
  # nginx's default, one GET slower than proxy_read_timeout marked an instance failed, and while a primary was lost
  # every instance was marked so at once: 344 "no live upstreams" (502) in the lab's run of 2026-12-07.
  printf "$lines" | awk 'NF { printf "server %s max_fails=0%s;  # %s\n", $1, ($3 == "down" ? " down" : ""), $2 }'
  [ -n "$lines" ] || echo "server 127.0.0.1:9 down;  # no instance resolves yet"
}
# Where clients connect. With TLS_CERT and TLS_KEY (files: the swarm stack's secrets), HTTPS on 8443 with HTTP/2
# (TLS 1.2 and 1.3 only), and plain HTTP on 8080 only redirects there; else plain HTTP on 8080.
if [ -n "${TLS_CERT:-}" ]; then
  cat > /etc/nginx/listen.conf <<CONF
listen 8443 ssl http2;
ssl_certificate $TLS_CERT;
ssl_certificate_key $TLS_KEY;
ssl_protocols TLSv1.2 TLSv1.3;
ssl_session_cache shared:tls:10m;
CONF
  echo 'server { listen 8080; location / { return 308 https://$host:8443$request_uri; } }' > /etc/nginx/redirect.conf
else
  echo 'listen 8080;' > /etc/nginx/listen.conf
  : > /etc/nginx/redirect.conf
fi
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
