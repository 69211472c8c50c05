#!/usr/bin/env bash
# Prints a staff token for the compose stack (README, "Staff"): `reviews token` run inside an API container, which
# holds the stack's signing key, so the key never leaves it. Arguments as `reviews token`'s: --role moderator
# [--subject NAME] [--ttl 1h]. The swarm stack: run the same inside an `app` task (docker exec … /app/reviews token …).
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/stack.sh"
api=$(container app1)
[[ -n "$api" ]] || { echo "token.sh: no API container: is the stack up (deploy/up.sh)?" >&2; exit 1; }
exec $engine exec "$api" /app/reviews token "$@"
