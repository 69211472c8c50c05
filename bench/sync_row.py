#!/usr/bin/env python3
"""One row of bench/sync.sh's table: a round of helpful votes with replication synchronous or not.
   sync_row.py ROUND sync|async WRK_RESULT_JSON"""
import json
import sys

round_, mode, r = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
label = "synchronous (Patroni's synchronous mode)" if mode == "sync" else "asynchronous"
print(f"| {round_} | {label} | {r['requests'] / (r['duration_us'] / 1e6):,.0f} | {r['p50_us'] / 1000:.2f} | {r['p99_us'] / 1000:.2f} | {r['non_2xx']} |")
