#!/usr/bin/env bash
# Export benchmark: on one private PostgreSQL cluster and the same files, measures `reviews import` of the legacy
# set (the baseline: the other way to rebuild the data) and `reviews export` of what it loaded, side by side; checks
# that the export wrote as many rows as were loaded, then writes docs/export-benchmark.md.
#
#   bench/export.sh [DATA_DIR]     DATA_DIR defaults to /var/tmp/reviews-full, generated (--full) if missing.
#   PRODUCTS=100000 bench/export.sh /tmp/small   a smaller set (generated with --products) for a quick run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data="${1:-/var/tmp/reviews-full}"
bench_start export

legacy_set "$data"
start_cluster reviews
seconds_of() { local start status=0; start=$(date +%s.%N); "$@" || status=$?; echo "$(date +%s.%N) - $start" | bc > "$work/seconds"; return $status; }

echo "== (a) reviews import (the baseline)"
seconds_of "$reviews" import "$data" --rejects "$work/rejects.csv" --summary "$work/summary.json" > "$work/import.log" 2>&1 ||
  [[ $? -le 2 ]] || { cat "$work/import.log"; exit 1; }
import=$(cat "$work/seconds")
read -r loaded _ < <(python3 "$root/bench/import_summary.py" "$work/summary.json")

echo "== (b) reviews export"
seconds_of /usr/bin/time -v -o "$work/time.txt" "$reviews" export "$work/export" > "$work/export.log" 2>&1 || { cat "$work/export.log"; exit 1; }
export_s=$(cat "$work/seconds")
cat "$work/export.log"
exported=$(awk '/ rows /{gsub(",", "", $2); n += $2} END {print n}' "$work/export.log")
[[ "$exported" == "$loaded" ]] || { echo "export wrote $exported rows, the import loaded $loaded"; exit 1; }
group() { python3 -c "import sys; print(f'{int(sys.argv[1]):,}')" "$1"; }   # 1234567 → 1,234,567
bytes=$(du -cb "$work/export"/*.csv | tail -1 | cut -f1)
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
ratio=$(printf %.2f "$(echo "scale=3; $export_s / $import" | bc)")
printf '\nreviews import: %.1f s\nreviews export: %.1f s (ratio %s), %s rows, %s MB, peak RSS %s MB\n' \
  "$import" "$export_s" "$ratio" "$exported" "$((bytes / 1000000))" "$((rss_kb / 1024))"

cat > "$root/docs/export-benchmark.md" <<MD
# Export benchmark

Measured $(date -u +%Y-%m-%d) with \`bench/export.sh $data\` on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB,
PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') (private cluster, settings of \`reviews up\`), .NET $(dotnet --version).

| | seconds | rows/s |
|---|---:|---:|
| \`reviews import\` of the legacy files (the baseline: the other way to rebuild the data) | $(printf %.1f "$import") | $(group "$(echo "$loaded / $import" | bc)") |
| \`reviews export\` of what it loaded: $(group "$exported") rows, $(group "$bytes") bytes | $(printf %.1f "$export_s") | $(group "$(echo "$exported / $export_s" | bc)") |
| **ratio** (export / import) | **$ratio** | |

Exporter peak memory (RSS): $((rss_kb / 1024)) MB. PostgreSQL writes the CSV (\`COPY (SELECT … ORDER BY id) TO STDOUT\`,
one snapshot for the four files); the tool streams it to the files. Both measured side by side in one run on the same
cluster: the machine is noisy, compare the ratio.

Rerun: \`bench/export.sh\` (generates the full set into /var/tmp/reviews-full the first time, about 25 s), or
\`PRODUCTS=100000 bench/export.sh /tmp/small\` for a quick run.
MD
echo "wrote docs/export-benchmark.md"
