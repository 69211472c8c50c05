#!/usr/bin/env python3
"""One load-test scenario's result (bench/load.sh): wrk's RESULT line with the CPU each side used and the service's
own metrics over the run, appended as a JSON line to RESULTS, and one line printed for the person watching.
   wrk_result.py NAME RESULT SERVICE_TICKS POSTGRES_TICKS WRK_SECONDS HZ METRICS_BEFORE METRICS_AFTER RESULTS"""
import json
import sys

name, result, service, postgres, wrk, hz, before, after, results = sys.argv[1:]
r = json.loads(result)
hz = int(hz)
before, after = json.loads(before), json.loads(after)
r.update(name=name, rps=r["requests"] / (r["duration_us"] / 1e6),
         cpu_service_s=int(service) / hz, cpu_postgres_s=int(postgres) / hz, cpu_wrk_s=float(wrk),
         metrics={k: after[k] - before.get(k, 0) for k in after})
with open(results, "a") as out:
    out.write(json.dumps(r) + "\n")
print(f"{name:16} {r['rps']:9.0f} req/s  p50 {r['p50_us'] / 1000:6.2f} ms  p99 {r['p99_us'] / 1000:6.2f} ms"
      f"  non-2xx {r['non_2xx']}  socket errors {r['socket_errors']}")
