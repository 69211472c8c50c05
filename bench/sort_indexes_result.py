#!/usr/bin/env python3
"""bench/sort-indexes.sh's results: one run appended to RESULTS as a JSON line (and printed), or (--report) the
medians of every scenario without and with the sort indexes, side by side.
   sort_indexes_result.py SETUP NAME RESULT "HOT0 UPD0" "HOT1 UPD1" RESULTS
   sort_indexes_result.py --report RESULTS"""
import json
import statistics
import sys

if sys.argv[1] == "--report":
    runs = [json.loads(line) for line in open(sys.argv[2])]
    print(f"\n{'':32} {'without: req/s':>15} {'p50':>7} {'p99':>7}   {'with: req/s':>12} {'p50':>7} {'p99':>7}   with/without")
    for name in dict.fromkeys(r["name"] for r in runs):
        m = {}
        for setup in ("without", "with"):
            mine = [r for r in runs if r["name"] == name and r["setup"] == setup]
            m[setup] = {k: statistics.median(r[k] for r in mine) for k in ("rps", "p50_ms", "p99_ms")}
        w, o = m["with"], m["without"]
        print(f"{name:32} {o['rps']:15,.0f} {o['p50_ms']:7.1f} {o['p99_ms']:7.1f}   {w['rps']:12,.0f} {w['p50_ms']:7.1f} {w['p99_ms']:7.1f}"
              f"   {w['rps'] / o['rps']:.2f}× req/s")
    sys.exit(0)

setup, name, result, before, after, results = sys.argv[1:]
r = json.loads(result)
(hot0, upd0), (hot1, upd1) = (map(int, s.split()) for s in (before, after))
r.update(setup=setup, name=name, rps=r["requests"] / (r["duration_us"] / 1e6), p50_ms=r["p50_us"] / 1000,
         p99_ms=r["p99_us"] / 1000, updates=upd1 - upd0, hot=hot1 - hot0)
with open(results, "a") as out:
    out.write(json.dumps(r) + "\n")
hot = f", {r['hot']:,} of {r['updates']:,} updates in place (HOT)" if r["updates"] else ""
print(f"  {name:32} {r['rps']:9,.0f} req/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms"
      f"  errors {r['non_2xx'] + r['socket_errors']}{hot}")
