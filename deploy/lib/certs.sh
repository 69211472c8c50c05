#!/usr/bin/env bash
# A stack's private CA and its certificates, in DIR (made once; kept while DIR is): what the stack's TLS needs (the
# swarm lab's, deploy/swarm/lab.sh; the compose stack uses the pgbackrest one, deploy/up.sh).
#   certs.sh DIR [BALANCER_ADDRESS…]
# On real hosts bring your own instead (README "Deploy"): the same file names, as the same Docker secrets.
#   ca.crt          every client's and server's trust anchor (the CA's key, ca.key, stays here, never a secret)
#   db.crt/.key     PostgreSQL and Patroni's REST API on db1..db3 (and Patroni's client certificate towards etcd)
#   etcd.crt/.key   etcd's members etcd1..etcd3, for clients and for each other (peer TLS)
#   lb.crt/.key     nginx's HTTPS: reviews.lab and the balancers' addresses
#   monitor.crt/.key Prometheus's client certificate towards etcd (which asks every client for one)
#   pgbackrest.crt/.key pgBackRest's TLS server and client, on the backup service and every database node (CN
#                   pgbackrest: the name their tls-server-auth lets in)
set -euo pipefail
dir=$1; shift
mkdir -p "$dir"; chmod 700 "$dir"; cd "$dir"
[[ -f ca.crt ]] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
  -subj "/CN=reviews lab CA" -keyout ca.key -out ca.crt 2>/dev/null
leaf() { # leaf NAME SAN…: a P-256 key and a certificate for those names, for servers and clients
  local name=$1; shift
  [[ -f $name.crt ]] && return 0
  local san; san=$(printf '%s,' "$@"); san=${san%,}
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" -keyout "$name.key" -out "$name.csr" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -out "$name.crt" -extfile <(
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature\n' "$san") 2>/dev/null
  rm "$name.csr"
}
leaf db DNS:db1 DNS:db2 DNS:db3 DNS:localhost IP:127.0.0.1   # (Patroni checks its own node over TCP too)
leaf etcd DNS:etcd1 DNS:etcd2 DNS:etcd3 DNS:localhost IP:127.0.0.1
lb=(DNS:reviews.lab DNS:localhost IP:127.0.0.1)
for address in "$@"; do lb+=("IP:$address"); done
leaf lb "${lb[@]}"
leaf monitor DNS:prometheus
leaf pgbackrest DNS:backup DNS:db DNS:db-replica DNS:db-replica2 DNS:db1 DNS:db2 DNS:db3
chmod 600 ./*.key
