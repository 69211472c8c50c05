#!/usr/bin/env bash
# A lab of three hosts on this one machine, the stack deployed on them by Docker Swarm (stack.yaml):
#   deploy/swarm/lab.sh up      hosts, swarm, images, secrets, `docker stack deploy`; prints where the balancers answer
#   deploy/swarm/lab.sh deploy  builds, loads and deploys again on the lab that is up (a changed stack or build)
#   deploy/swarm/lab.sh down    leaves nothing behind: stacks, daemons, namespaces, data roots, shared paths
# Each host is a network namespace (reviews-h1..h3, 10.231.0.11–13) with a dockerd of its own, wired to a bridge in
# namespace reviews-wire, where the faults are made (links cut, partitions, netem); clients run in reviews-client
# (10.231.0.100). ../shared/notes/swarm.md says how and why (and what this kernel cannot do). Needs docker.io and
# the images the compose stack builds (podman or docker).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

up() {
  command -v dockerd >/dev/null || { echo "lab.sh: needs dockerd (apt-get install docker.io)" >&2; exit 1; }
  local start=$SECONDS n
  ip netns add reviews-wire
  ip -n reviews-wire link add br0 type bridge && ip -n reviews-wire link set br0 up
  for n in 1 2 3 client; do
    local name=reviews-h$n address=10.231.0.1$n
    [[ $n == client ]] && name=reviews-client address=10.231.0.100
    ip netns add $name
    ip link add eth0 netns $name type veth peer name "p$n" netns reviews-wire
    ip -n reviews-wire link set "p$n" master br0 up
    ip -n $name link set lo up && ip -n $name addr add $address/24 dev eth0 && ip -n $name link set eth0 up
  done
  mkdir -p "$root"
  for n in 1 2 3; do
    mkdir -p "$root/h$n"
    setsid ip netns exec reviews-h$n "$here/dockerd-in-ns.sh" $n "$root" >"$root/dockerd-h$n.log" 2>&1 </dev/null &
  done
  for n in 1 2 3; do wait_for "dockerd on h$n" 60 d $n version; done
  # Agents beat every 10 s, not 5: a new Swarm leader marks every node "unknown" and, after 3 beats unheard, down,
  # which shuts a global service's tasks there (the balancer) and starts new ones when it is heard again. With 5 s,
  # a host on the majority side of a partition, its agent still talking to the old leader, lost its balancer under
  # its clients (runs G and H, docs/deployment.md). The cost: a dead host's replicas move after ~30 s, not ~15 s.
  d 1 swarm init --dispatcher-heartbeat 10s --advertise-addr 10.231.0.11 --listen-addr 10.231.0.11:2377 >/dev/null
  local token; token=$(d 1 swarm join-token -q manager)
  for n in 2 3; do
    d $n swarm join --token "$token" --advertise-addr 10.231.0.1$n --listen-addr 10.231.0.1$n:2377 10.231.0.11:2377 >/dev/null
  done
  # The labels an operator sets once (stack.yaml): which host keeps dbN/etcdN; the balancers on h1 and h2.
  for n in 1 2 3; do d 1 node update --label-add reviews.slot=$n h$n >/dev/null; done
  for n in 1 2; do d 1 node update --label-add reviews.lb=true h$n >/dev/null; done
  # (the lab has three hosts, each with a database node: the repository shares h3; on real hosts, give it its own)
  d 1 node update --label-add reviews.backup=true h3 >/dev/null
  echo "lab: 3 hosts in a swarm ($((SECONDS - start)) s)"
  images
  secrets
  deploy
  answers
}

answers() {
  local start=$SECONDS
  wait_for "the seed job (migrations, demo data)" 300 seeded
  wait_for "the stack (through h1's balancer)" 300 client curl -sf --cacert "$secrets/tls/ca.crt" "https://10.231.0.11:8443/reviews/meta?product_id=1"
  echo "The stack answers on https://10.231.0.11:8443 and https://10.231.0.12:8443 (from namespace reviews-client;" \
    "CA: deploy/swarm/.secrets/tls/ca.crt), answering $((SECONDS - start)) s after the deploy."
}

# The compose stack's images, built by its engine, loaded into every host under the names stack.yaml uses.
images() {
  local start=$SECONDS n image
  local names=(reviews-app reviews-db reviews-lb reviews-etcd reviews-prometheus reviews-exporters)
  rm -f "$root/images.tar"
  ( # (in a subshell: stack.sh's sql and leader are the compose stack's, and must not replace lib.sh's)
    source "$deploy/lib/stack.sh"
    cd "$deploy" && BUILDAH_FORMAT=docker "${compose[@]}" build >/dev/null
    if [[ $engine == podman ]]; then
      podman save -q -m -o "$root/images.tar" "${names[@]/#/localhost/}" >/dev/null
    else
      docker save -o "$root/images.tar" "${names[@]}"
    fi
  )
  local loads=()
  for n in 1 2 3; do
    d $n load -q -i "$root/images.tar" >/dev/null & loads+=($!)
  done
  wait "${loads[@]}"   # (not a bare wait: the dockerds are this shell's children too)
  for n in 1 2 3; do for image in "${names[@]}"; do
    d $n image inspect "$image:latest" >/dev/null 2>&1 || d $n tag "localhost/$image:latest" "$image:latest"
  done; done
  rm "$root/images.tar"
  echo "lab: images loaded into every host ($((SECONDS - start)) s)"
}

# Passwords (random, once), the connection strings built from them, and the private CA's certificates (certs.sh).
secrets() {
  umask 077
  mkdir -p "$secrets"
  local name
  for name in POSTGRES_PASSWORD REPLICATION_PASSWORD OWNER_PASSWORD APP_PASSWORD MONITOR_PASSWORD PATRONI_API_PASSWORD; do
    [[ -f "$secrets/$name" ]] || od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$secrets/$name"
  done
  # The staff's keys (README, "Staff"): 256 bits each, base64.
  for name in STAFF_SIGNING_KEY PRIVACY_HASH_KEY; do
    [[ -f "$secrets/$name" ]] || head -c 32 /dev/urandom | base64 -w0 > "$secrets/$name"
  done
  # Every host by name, TLS verified against the stack's CA (VerifyFull: the certificate must name the host).
  local tls="SSL Mode=VerifyFull;Root Certificate=/run/secrets/ca.crt;Database=reviews"
  # A host that vanished is given up in seconds (deploy/lib/npgsql.sh) and left alone for 5 s.
  source "$deploy/lib/npgsql.sh"
  echo -n "Host=db1,db2,db3;Load Balance Hosts=true;Host Recheck Seconds=5;$npgsql_failover;Username=reviews_app;Password=$(cat "$secrets/APP_PASSWORD");$tls" > "$secrets/app-connection"
  echo -n "Host=db1,db2,db3;Target Session Attributes=read-write;Username=reviews_owner;Password=$(cat "$secrets/OWNER_PASSWORD");$tls" > "$secrets/seed-connection"
  "$deploy/lib/certs.sh" "$secrets/tls" 10.231.0.11 10.231.0.12 10.231.0.13
}

deploy() {
  d 1 stack deploy --resolve-image never -c "$here/stack.yaml" reviews >/dev/null 2>&1
  # (a stack deployed again over a changed file updates services one task at a time: wait until Swarm is done)
  updating() { d 1 service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' $(d 1 service ls -q) | grep -qx updating; }
  wait_for "the stack's updates to finish" 300 eval '! updating'
  echo "lab: stack deployed"
}

down() {
  local n pid
  for n in 1 2 3; do
    pid=$(cat "$root/h$n/dockerd.pid" 2>/dev/null || true)
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  # dockerd stops its containers; what is left in a namespace (shims, stuck processes) is killed by pid.
  for _ in $(seq 30); do [[ -z "$(lab_pids)" ]] && break; sleep 1; done
  for pid in $(lab_pids); do kill -9 "$pid" 2>/dev/null || true; done
  for n in 1 2 3 client; do ip netns del "reviews-$([[ $n == client ]] && echo client || echo h$n)" 2>/dev/null || true; done
  ip netns del reviews-wire 2>/dev/null || true
  # Data roots, and the paths every dockerd shares whatever its --data-root (../shared/notes/swarm.md).
  for n in 1 2 3; do
    { grep -o "/var/lib/reviews-lab/h$n/[^ ]*" /proc/mounts || true; } | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
  done
  rm -rf /var/lib/reviews-lab "$root" /run/docker/plugins /etc/docker/key.json /var/lib/docker/network/files
  echo "lab: down"
}
seeded() { d 1 service ps reviews_seed --format '{{.CurrentState}}' | grep -q '^Complete'; }
lab_pids() { local n; for n in 1 2 3 client; do ip netns pids "reviews-$([[ $n == client ]] && echo client || echo h$n)" 2>/dev/null; done; }

case "${1:-}" in
  up) up ;;
  deploy) images; secrets; deploy; answers ;;   # again, on the lab that is up: a new build, a changed stack.yaml
  down) down ;;
  *) echo "usage: lab.sh up|down" >&2; exit 2 ;;
esac
