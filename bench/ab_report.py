#!/usr/bin/env python3
"""The medians of bench/ab.sh's alternating rounds: req/s, p99 and CPU per request (service, PostgreSQL) per build.
   ab_report.py ROUNDS_FILE HZ      (each line: BUILD SERVICE_TICKS POSTGRES_TICKS WRK_RESULT_JSON)"""
import json
import statistics
import sys

hz, rows = int(sys.argv[2]), {}
for line in open(sys.argv[1]):
    build, service, postgres, result = line.split(" ", 3)
    r = json.loads(result)
    n = r["requests"]
    rows.setdefault(build, []).append((n / r["duration_us"] * 1e6, r["p99_us"] / 1000,
                                       int(service) / hz / n * 1000, int(postgres) / hz / n * 1000))
for build, v in rows.items():
    m = [statistics.median(x[i] for x in v) for i in range(4)]
    print(f"{build}: median {m[0]:,.0f} req/s, p99 {m[1]:.1f} ms, service {m[2]:.3f} ms and PostgreSQL {m[3]:.3f} ms of CPU per request")
