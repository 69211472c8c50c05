#!/usr/bin/env python3
"""The read-your-writes line of the fault tests (tests/faults.sh): the writer's run (traffic.py ryw), the control run
without the cookie, and how nginx spread the writer's requests over the instances; exit 1 if a rule broke.
   ryw_verdict.py RESULT_JSON CONTROL_JSON SPREAD LABEL"""
import json
import sys

r, c, spread, label = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
ok = r["stale_for_writer"] == 0 and spread.count("/") >= 2 and r["not_seen_within"] == 0
print(f"{label}: {r['tries'] - r['stale_for_writer']}/{r['tries']} fresh for the writer "
      f"(requests per instance {spread}; without the cookie {c['stale_for_writer']}/{c['tries']} stale); other clients "
      f"see a write within p50 {r['others_see_it_p50_ms']} ms, p99 {r['others_see_it_p99_ms']} ms, max {r['others_see_it_max_ms']} ms; "
      f"stale answers (not showing it after {r['within_s']:g} s): {r['not_seen_within']}"
      + ("" if ok else " -- FAIL"))
sys.exit(0 if ok else 1)
