#!/usr/bin/env bash
# Run once by Patroni after it made the cluster (bootstrap.post_bootstrap; $1: a superuser's connection URL):
# the service's roles and database. Passwords come from the environment and go to psql's standard input.
set -euo pipefail
# A cluster restored from a backup (deploy/restore.sh) has its roles and database already.
[[ "$(psql -X -At "$1" -c "SELECT 1 FROM pg_roles WHERE rolname = 'reviews_owner'")" != 1 ]] || exit 0
psql -X -q -v ON_ERROR_STOP=1 "$1" <<SQL
CREATE ROLE reviews_owner LOGIN PASSWORD '$OWNER_PASSWORD';
CREATE ROLE reviews_app LOGIN PASSWORD '$APP_PASSWORD';
CREATE ROLE monitor LOGIN PASSWORD '$MONITOR_PASSWORD' IN ROLE pg_monitor;
CREATE DATABASE reviews OWNER reviews_owner;
\\c reviews
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE reviews_owner GRANT USAGE ON SCHEMAS TO reviews_app;
ALTER DEFAULT PRIVILEGES FOR ROLE reviews_owner GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO reviews_app;
ALTER DEFAULT PRIVILEGES FOR ROLE reviews_owner GRANT USAGE, SELECT ON SEQUENCES TO reviews_app;
SQL
