#!/usr/bin/env bash
# Imports a folder of legacy CSV files into the running stack: the service's image as a one-shot job, the folder
# mounted read-only, as the owner role (the import builds its tables beside the live ones and swaps them in), run
# as the calling user so that it may write the rejects file beside the folder.
#   deploy/import.sh /path/to/csv [--replace]     (the rejected rows land in /path/to/csv/../reviews-rejects.csv)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
folder="$(cd "${1:?usage: deploy/import.sh FOLDER [import options]}" && pwd)"
shift
source "$here/lib/stack.sh"
network=$($engine inspect -f '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}' \
  "$(container db)")
out="$(dirname "$folder")"
# The import's metrics go wherever the caller's OTEL_* variables say (passed by name: no value on a command line).
otel=(); for name in $(compgen -e | grep '^OTEL_' || true); do otel+=(--env "$name"); done
$engine run --rm --network "$network" --env-file "$here/.secrets/seed.env" "${otel[@]}" \
  -v "$folder:/import:ro" -v "$out:/out" --user "$(id -u):$(id -g)" reviews-app import /import --rejects /out/reviews-rejects.csv "$@"
