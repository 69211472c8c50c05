#!/usr/bin/env bash
# The deployed stack, tested end to end (CI runs it after the unit tests): the balancer's judge of instances alone
# (upstreams.sh), then up from scratch, the contract through nginx, the roles and the replica, no secret in a process
# list or a log, then every fault (faults.sh), the restores (recovery.sh), then down.
#   deploy/tests/test.sh        (needs podman + podman-compose or docker; on a registry-less machine, the base images
#                          from make-base-images.sh first: see docs/deployment.md)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/stack.sh"
export REVIEWS_PORT="${REVIEWS_PORT:-18080}" REVIEWS_PERMITS_PER_SECOND=0
base="http://127.0.0.1:$REVIEWS_PORT"
source "$here/checks.sh"
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
json() { python3 "$here/json_field.py" "$@"; }

start=$SECONDS
# The balancer's judge of instances, alone first (a second, no containers).
"$here/upstreams.sh" || failed=1
since=$(date -u +%FT%TZ)
"$deploy/down.sh" --volumes >/dev/null 2>&1 || true
"$deploy/up.sh"
echo "up in $((SECONDS - start)) s"

check "GET /reviews through nginx" 200 "$(status "$base/reviews?product_id=1")"
check "GET /reviews/meta through nginx" 200 "$(status "$base/reviews/meta?product_id=1")"
review='{"product_id":1,"rating":5,"summary":"Deployed","body":"Posted through nginx by deploy/tests/test.sh.","recommend":true,"name":"deploy","email":"deploy@example.com","photos":[],"characteristics":{}}'
check "POST /reviews through nginx" 201 "$(status -X POST -H 'Content-Type: application/json' -d "$review" "$base/reviews")"
# (once in CI this answered something else, right after the stack came up: it is asked again, and what it was said)
id=""
for _ in $(seq 10); do
  answer=$(curl -s -w ' (HTTP %{http_code})' "$base/reviews?product_id=1&sort=newest&count=1")
  id=$(json results.0.review_id <<<"${answer% (HTTP *}" 2>/dev/null) && break
  echo "(GET /reviews answered: $answer; asked again in 1 s)"; sleep 1
done
check "PUT helpful through nginx" 204 "$(status -X PUT "$base/reviews/$id/helpful")"
check "PUT report through nginx" 204 "$(status -X PUT "$base/reviews/$id/report")"
# The staff's side through nginx: refused without a token; with one (deploy/token.sh), the reported review is taken
# down (the removed queue, short, then holds it) and published again.
check "staff endpoint without a token" 401 "$(status "$base/moderation/reviews")"
token=$("$deploy/token.sh" --role moderator --subject stack-test --ttl 10m)
staff() { curl -s -o /dev/null -w '%{http_code}' -H @<(echo "Authorization: Bearer $token") "$@"; }
check "remove through nginx" 204 "$(staff -X POST "$base/moderation/reviews/$id/remove")"
check "the review in the removed queue through nginx" 1 \
  "$(curl -s -H @<(echo "Authorization: Bearer $token") "$base/moderation/reviews?state=removed&count=100" | grep -c "\"review_id\":$id,")"
check "publish through nginx" 204 "$(staff -X POST "$base/moderation/reviews/$id/publish")"
privacy=$("$deploy/token.sh" --role privacy --subject stack-test --ttl 10m)
check "a privacy request through nginx" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' -H @<(echo "Authorization: Bearer $privacy") "$base/privacy/reviews?email=stack.test.person@example.com")"
check "the address of a privacy request is not in nginx's log" 0 "$($engine logs "$(container lb)" 2>&1 | grep -c 'stack.test.person')"
sleep 1   # (the other instances hear of it by notice, in milliseconds)
check "the published review listed again" 1 "$(curl -s "$base/reviews?product_id=1&sort=newest&count=1" | grep -c "\"review_id\":$id,")"
# Who may name the client: the instances believe X-Forwarded-For from the edge network alone, which holds lb and
# not the database's side (a container there sending the header is the client itself).
trusted=$($engine exec "$(container app1)" printenv Reviews__Traffic__TrustedProxies__0)
inside() { python3 -c 'import ipaddress, sys; print(ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2]))' "$(address "$1")" "$trusted"; }
check "X-Forwarded-For believed from lb's address ($trusted), not from the database's side" "lb True, db False, prometheus False" \
  "lb $(inside lb), db $(inside db), prometheus $(inside prometheus)"
check "/metrics not exposed by nginx" 404 "$(status "$base/metrics")"
check "a request id reaches the log" 1 "$($engine logs "$(container lb)" 2>/dev/null | grep -c "PUT /reviews/$id/report .* rid=[0-9a-f]\{32\}")"
# A client's trace context is replaced: the service's trace id (in its problem document) is nginx's request id.
trace=$(curl -s -H 'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' "$base/reviews?product_id=trace-check" |
  json trace_id | cut -d- -f2)
check "nginx starts the trace: its request id is the service's trace id" 1 \
  "$($engine logs "$(container lb)" 2>/dev/null | grep -c "product_id=trace-check .* rid=$trace ")"
eventually "Patroni: db leads" db 60 leader
eventually "both standbys stream" 2 60 sql db "SELECT count(*) FROM pg_stat_replication WHERE usename = 'replicator' AND state = 'streaming'"
eventually "replication is synchronous to one standby (Patroni names it)" async,sync 60 \
  sql db "SELECT string_agg(sync_state, ',' ORDER BY sync_state) FROM pg_stat_replication WHERE usename = 'replicator'"
eventually "db-replica is a hot standby" t 60 sql db-replica "SELECT pg_is_in_recovery()"
eventually "db-replica2 is a hot standby" t 60 sql db-replica2 "SELECT pg_is_in_recovery()"
check "the service's role cannot change the schema" "permission denied" \
  "$(sql db "SET ROLE reviews_app; CREATE TABLE reviews.x ()" 2>&1 | grep -o 'permission denied' | head -1)"
secrets=$(sed -n 's/^[A-Z_]*\(PASSWORD\|KEY\)=//p' "$deploy/.secrets/passwords.env")
leaks=0
for secret in $secrets "$token" "$privacy"; do
  # (grep reads the secret from a file descriptor: in its arguments, it would be in the process list itself)
  ps -eo args | grep -qF -f <(echo "$secret") && leaks=$((leaks + 1))
  for service in etcd db db-replica db-replica2 backup seed app1 app2 app3 lb prometheus lb-exporter db-exporter db-replica-exporter db-replica2-exporter; do
    $engine logs "$(container $service)" 2>&1 | grep -qF -f <(echo "$secret") && leaks=$((leaks + 1))
  done
done
check "no password, key or token in a process list or a container log" 0 "$leaks"

# Observability: the alert rules pass their unit tests; Prometheus scrapes every tier; a query per tier answers.
promtool() { $engine run --rm --entrypoint promtool -w /etc/prometheus reviews-prometheus "$@"; }
check "alert rules valid" 0 "$(promtool check rules alerts.yml >/dev/null 2>&1; echo $?)"
check "alert rules' unit tests" 0 "$(promtool test rules alerts.test.yml >/dev/null 2>&1; echo $?)"
prometheus="http://127.0.0.1:${PROMETHEUS_PORT:-9090}"
query() { curl -s --data-urlencode "query=$1" "$prometheus/api/v1/query" | json data.result --count; }
targets_up() { curl -s "$prometheus/api/v1/targets" | json data.activeTargets --count health=up; }
eventually "Prometheus: all 9 targets up" 9 60 targets_up
python3 "$here/traffic.py" --base "$base" load --seconds 8 --clients 4 --out /dev/null >/dev/null
sleep 6
standby_sessions() { for r in db-replica db-replica2; do sql $r "SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = 'reviews_app'"; done | tr -d '\n'; }
eventually "the instances read from both standbys" tt 60 standby_sessions
check "PromQL: requests per instance" 3 "$(query 'sum by (instance) (rate(http_server_request_duration_seconds_count{job="reviews"}[1m])) > 0')"
check "PromQL: cache hit ratio" 1 "$(query 'sum(rate(reviews_cache_hits_total[1m])) / (sum(rate(reviews_cache_hits_total[1m])) + sum(rate(reviews_cache_misses_total[1m])))')"
check "PromQL: notice delivery p99" 1 "$(query 'histogram_quantile(0.99, sum by (le) (rate(reviews_notices_lag_seconds_bucket[1m])))')"
check "PromQL: nginx requests" 1 "$(query 'rate(nginx_http_requests_total[1m]) > 0')"
check "PromQL: primary commits" 1 "$(query 'sum(rate(pg_stat_database_xact_commit{datname="reviews"}[1m]) and on (instance) pg_replication_standby == 0) > 0')"
# (by name: a standby being copied streams its WAL as "pg_basebackup" for a while)
eventually "PromQL: both standbys streaming" 2 60 query 'pg_stat_replication_replay_lag_bytes{state="streaming", application_name=~"db.*"}'
eventually "PromQL: both standbys' lag known" 2 60 query 'pg_replication_lag and on (instance) pg_replication_standby == 1'

# A check above failed: what the instances warned of and what the database nodes did since the stack came up.
[[ $failed == 0 ]] || stack_log "$since"

"$here/faults.sh" || failed=1
# Backups rehearsed under load: a mistake undone by a restore to a point in time, every node lost and restored.
"$here/recovery.sh" || failed=1
"$deploy/down.sh" --volumes >/dev/null 2>&1
echo "stack test: $((SECONDS - start)) s, $([[ $failed == 0 ]] && echo passed || echo FAILED)"
exit $failed
