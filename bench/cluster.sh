# Sourced by the bench scripts: a private PostgreSQL cluster in $work, made by the reviews tool and kept running
# until the script's cleanup calls stop_cluster. Sets pgbin, port, PGPASSWORD (the cluster's random password, which
# psql, pgbench and the service read from the environment, never a command line) and ConnectionStrings__Reviews.
#   start_cluster DATABASE
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_cluster() {
  export Reviews__DataDirectory="$work"
  "$reviews" migrate >/dev/null                     # creates the cluster (and the schema in database reviews)
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  as_pg "$pgbin/pg_ctl" -D "$work/postgres" -l "$work/postgres.log" -w start >/dev/null
  port=$(sed -n 's/^port = //p' "$work/postgres/postgresql.conf" | tail -1)
  export PGPASSWORD; PGPASSWORD="$(cat "$work/postgres.password")"
  export ConnectionStrings__Reviews="Host=127.0.0.1;Port=$port;Username=postgres;Password=$PGPASSWORD;Database=$1"
}

# The processes a script started (their ids in the array pids), stopped by id, then waited for.
stop_started() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

stop_cluster() {
  [[ -n "${pgbin:-}" ]] && as_pg "$pgbin/pg_ctl" -D "$work/postgres" -m fast -w stop >/dev/null 2>&1 || true
}
