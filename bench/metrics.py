"""The service's own numbers for the load test: scrapes an instance's /metrics (Prometheus text) and prints, as one
JSON object, the totals the report uses (each summed over its label sets).
  metrics.py URL                      → {"hits": …, "misses": …, "requests": …, "db_seconds": …, "cpu_seconds": …, …}
"""
import json
import re
import sys
import urllib.request

WANTED = {
    "reviews_cache_hits_total": "hits",
    "reviews_cache_misses_total": "misses",
    "http_server_request_duration_seconds_count": "requests",
    "http_server_request_duration_seconds_sum": "request_seconds",
    "db_client_operation_duration_seconds_count": "db_operations",
    "db_client_operation_duration_seconds_sum": "db_seconds",
    "db_client_connection_npgsql_create_time_seconds_sum": "create_seconds",
    "reviews_db_connection_wait_time_seconds_sum": "wait_seconds",
    "process_cpu_time_seconds_total": "cpu_seconds",
    "dotnet_gc_pause_time_seconds_total": "gc_pause_seconds",
}

totals = dict.fromkeys(WANTED.values(), 0.0)
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    for line in response.read().decode().splitlines():
        match = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([^ ]+)", line)
        if match and match.group(1) in WANTED:
            totals[WANTED[match.group(1)]] += float(match.group(3))
print(json.dumps(totals))
