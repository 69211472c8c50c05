#!/usr/bin/env bash
# Memory under large uncached pages: a product with 12,000 reviews, 16 clients at once asking for count=10000
# pages (3 rounds, every answer a new cache key, so every one is built), cache bound 256 MiB. Prints the service's
# RSS before, at its peak (VmHWM) and 20 s after, for the build at BASELINE (default: before large pages were
# gated) and for this checkout, side by side on the same database.
#
#   bench/memory.sh                    BASELINE=<git rev> bench/memory.sh        BASELINE=none: this checkout alone
#
# Traffic goes to 127.0.0.1 only. Everything started here is stopped by process id at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
baseline="${BASELINE:-9c85b5d}"
remove_worktree() { git -C "$root" worktree remove --force "$work/baseline-src" >/dev/null 2>&1; }
at_exit+=(remove_worktree)
bench_start memory

if [[ "$baseline" != none ]]; then
  echo "building the baseline ($baseline)…"
  git -C "$root" worktree add --detach "$work/baseline-src" "$baseline" >/dev/null 2>&1
  dotnet publish "$work/baseline-src/src/Reviews" -c Release -o "$work/baseline" --nologo -v quiet -clp:ErrorsOnly >/dev/null
fi

start_cluster reviews
export REVIEWS_DATABASE="$ConnectionStrings__Reviews"   # the baseline build read REVIEWS_DATABASE
export Reviews__Traffic__PermitsPerSecond=0
"$reviews" generate --out "$work/data" --products 2000 >/dev/null
"$reviews" import "$work/data" --rejects "$work/rejects.csv" >/dev/null
psql_run -d reviews -c "
  INSERT INTO reviews.reviews (product_id, rating, date, summary, body, recommend, reviewer_name, reviewer_email, helpfulness)
  SELECT 999999, 1 + n % 5, now() - n * interval '1 minute', 'A summary of review ' || n, repeat('A body of a typical length. ', 12),
         n % 3 > 0, 'reviewer' || n, 'r' || n || '@example.com', n % 40
  FROM generate_series(1, 12000) AS n" -c "VACUUM ANALYZE reviews.reviews" >/dev/null

rss() { awk -v k="$2" '$1 == k":" {print int($2 / 1024)}' "/proc/$1/status"; }
measure() { # name, command…
  local name=$1; shift
  local api_port=$((20000 + RANDOM % 20000))
  "$@" serve --urls "http://127.0.0.1:$api_port" --cache-mb 256 > "$work/$name.log" 2>&1 & local pid=$!; pids+=("$pid")
  wait_http "http://127.0.0.1:$api_port/health"
  curl -sf "http://127.0.0.1:$api_port/reviews?product_id=999999&count=5" >/dev/null   # JIT and pool warmed
  local before; before=$(rss "$pid" VmRSS)
  local sorts=(newest helpful relevant) start=$SECONDS
  for round in 0 1 2; do
    for i in $(seq 0 15); do
      # count 10000, 9999, …: a different answer each, so each is read and built, none from the cache
      curl -sf -o /dev/null --max-time 120 "http://127.0.0.1:$api_port/reviews?product_id=999999&count=$((10000 - round * 16 - i))&sort=${sorts[$((i % 3))]}" &
    done
    wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
  done
  local took=$((SECONDS - start)) peak; peak=$(rss "$pid" VmHWM)
  sleep 20
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$before" "$peak" "$(rss "$pid" VmRSS)" "$took"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
echo
echo "| build | RSS before (MB) | peak RSS (MB) | RSS 20 s after (MB) | 48 pages took (s) |"
echo "|---|---:|---:|---:|---:|"
[[ "$baseline" == none ]] || measure "baseline $baseline" dotnet "$work/baseline/reviews.dll"
measure "this checkout" "$reviews"
