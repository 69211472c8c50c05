#!/bin/sh
# nginx, kept following the instances: every second upstreams.sh judges them and writes the upstream's server lines;
# when they change, nginx reloads: a graceful swap of workers, requests in flight finish on the old ones.
set -u
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
/upstreams.sh > /etc/nginx/upstreams.conf
nginx -g 'daemon off;' &
nginx=$!
trap 'kill -QUIT $nginx' TERM INT
while kill -0 $nginx 2>/dev/null; do
  sleep 1
  /upstreams.sh > /tmp/upstreams.conf
  if ! cmp -s /tmp/upstreams.conf /etc/nginx/upstreams.conf; then
    cp /tmp/upstreams.conf /etc/nginx/upstreams.conf
    echo "upstreams: $(grep -c ' down' /etc/nginx/upstreams.conf) of $(grep -c '^server' /etc/nginx/upstreams.conf) down" >&2
    nginx -s reload
  fi
done
wait $nginx
