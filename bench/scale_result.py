#!/usr/bin/env python3
"""One scale-run scenario's result (bench/scale.sh): wrk's RESULT line with the CPU seconds of every tier (from the
containers' cgroups, before and after) and each instance's own metrics over the run, appended as a JSON line to
RESULTS, and one line printed for the person watching.
   scale_result.py CONFIG NAME RESULT CPU_BEFORE CPU_AFTER WRK_SECONDS TIERS METRICS_BEFORE METRICS_AFTER RESULTS"""
import json
import sys

config, name, result, before, after, wrk, tiers, m0, m1, results = sys.argv[1:]
r = json.loads(result)
cpu = {t: (int(a) - int(b)) / 1e9 for t, b, a in zip(tiers.split(), before.split(), after.split())}
cpu["wrk"] = float(wrk)
m0, m1 = json.loads(m0), json.loads(m1)
instances = {app: {k: m1[app][k] - m0[app].get(k, 0) for k in m1[app]} for app in m1 if app in m0}
r.update(config=config, name=name, rps=r["requests"] / (r["duration_us"] / 1e6), cpu=cpu, instances=instances)
with open(results, "a") as out:
    out.write(json.dumps(r) + "\n")
print(f"{config:22} {name:8} {r['rps']:8.0f} req/s  p99 {r['p99_us'] / 1000:6.1f} ms  non-2xx {r['non_2xx']}"
      f"  errors {r['socket_errors']}  cpu {' '.join(f'{k} {v:.1f}' for k, v in cpu.items())}")
