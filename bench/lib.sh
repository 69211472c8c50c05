# Sourced by the bench scripts that run the service on this machine (load.sh, ab.sh, memory.sh, import.sh): what they
# share. A work folder, a private PostgreSQL cluster made by the reviews tool (its random password in PGPASSWORD and
# ConnectionStrings__Reviews, which psql, pgbench and the service read from the environment, never a command line),
# psql on it, and the CPU time of processes. At exit, whatever the script started (its ids in the array pids) is
# stopped by id, the cluster stopped and the work folder removed.
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"; bench_start NAME; start_cluster DATABASE
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reviews="$root/reviews"
export LOAD_DIR="$root/bench/load"
pids=()
at_exit=()   # more to do at exit: names of functions
hz=$(getconf CLK_TCK)

# bench_start NAME: the work folder (/var/tmp/reviews-NAME.*, readable by postgres), cleanup at exit, the tool built
# (Release) if its sources changed.
bench_start() {
  work="$(mktemp -d "/var/tmp/reviews-$1.XXXXXX")"
  chmod 755 "$work"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM   # so that the cleanup runs on Ctrl-C or kill too
  "$reviews" --help >/dev/null
}

bench_cleanup() {
  local f; for f in "${at_exit[@]}"; do "$f" || true; done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "${pgbin:-}" ]] && as_pg "$pgbin/pg_ctl" -D "$work/postgres" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}

# legacy_set DIR: the legacy data set in DIR, generated the first time (--full, or --products $PRODUCTS when set).
legacy_set() {
  [[ -f "$1/characteristic_reviews.csv" ]] && return 0
  if [[ -n "${PRODUCTS:-}" ]]; then "$reviews" generate --out "$1" --products "$PRODUCTS"; else "$reviews" generate --full --out "$1"; fi
}

as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_cluster() { # DATABASE: the one ConnectionStrings__Reviews names
  export Reviews__DataDirectory="$work"
  "$reviews" migrate >/dev/null                     # creates the cluster (and the schema in database reviews)
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  as_pg "$pgbin/pg_ctl" -D "$work/postgres" -l "$work/postgres.log" -w start >/dev/null
  port=$(sed -n 's/^port = //p' "$work/postgres/postgresql.conf" | tail -1)
  export PGPASSWORD; PGPASSWORD="$(cat "$work/postgres.password")"
  export ConnectionStrings__Reviews="Host=127.0.0.1;Port=$port;Username=postgres;Password=$PGPASSWORD;Database=$1"
}

# psql as postgres on the cluster: quiet, unaligned, no header, stopping at the first error.
psql_run() { as_pg "$pgbin/psql" -X -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }

# CPU time (clock ticks, $hz a second) of a process, and of every PostgreSQL process: live backends, plus those that
# have exited (the postmaster collects their time as its children's).
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_cpu() { local t=0; for f in /proc/[0-9]*/stat; do [[ "$(cat "${f%/stat}/comm" 2>/dev/null)" == postgres ]] && t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "$f" 2>/dev/null || echo 0))); done; echo $t; }

wait_http() { local _; for _ in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "no answer from $1" >&2; return 1; }

need_wrk() {
  command -v wrk >/dev/null && return 0
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then apt-get install -y -q wrk >/dev/null; else echo "wrk is missing: apt-get install wrk" >&2; exit 1; fi
}
