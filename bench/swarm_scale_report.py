#!/usr/bin/env python3
"""The report of bench/swarm-scale.sh: per stack and scenario, the medians over the rounds of throughput, p99, and
each tier's CPU per 1,000 requests, and the lab-to-compose ratio measured in the same run.
   swarm_scale_report.py RESULTS.jsonl OUT.md HEADLINE"""
import json
import statistics
import sys

results = [json.loads(line) for line in open(sys.argv[1])]
tiers = ["nginx", "instances", "primary", "standbys", "etcd", "wrk"]
by = {}
for r in results:
    by.setdefault((r["stack"], r["scenario"]), []).append(r)


def per_1000(r, tier):
    return r["cpu"].get(tier, 0) / r["requests"] * 1e6


def median(rs, f):
    return statistics.median(f(r) for r in rs)


lines = ["# Cost across the wire: the swarm lab beside the compose stack", "", sys.argv[3] + ". "
         "The lab: three hosts (network namespaces on one bridge, each with its dockerd), HTTPS at h1's balancer (TLS 1.3, "
         "HTTP/1.1 from wrk), the instances on every host reading the standbys over TLS (VerifyFull). The compose stack: "
         "one host, plain HTTP and plain PostgreSQL. Both on the same two cores, alternating; medians over the rounds. "
         "`reviews`: cached lists; `mixed`: 85% lists, 10% metas, 4% votes, 1% new reviews.", "",
         "| stack | scenario | req/s | p99 ms | " + " | ".join(f"{t} CPU ms / 1,000" for t in tiers) + " | total |",
         "|---|---|---:|---:|" + "---:|" * (len(tiers) + 1)]
for (stack, scenario), rs in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    costs = [median(rs, lambda r, t=t: per_1000(r, t)) for t in tiers]
    lines.append(f"| {stack} | {scenario} | {median(rs, lambda r: r['rps']):,.0f} | {median(rs, lambda r: r['p99_us'] / 1000):.1f} | "
                 + " | ".join(f"{c:.1f}" for c in costs) + f" | {sum(costs):.1f} |")
lines += ["", "| scenario | lab / compose: req/s | nginx CPU per request | instances' CPU per request | total CPU per request |", "|---|---:|---:|---:|---:|"]
for scenario in ("reviews", "mixed"):
    lab, compose = by.get(("lab", scenario)), by.get(("compose", scenario))
    if not lab or not compose:
        continue
    ratio = lambda f: median(lab, f) / max(median(compose, f), 1e-9)
    total = lambda r: sum(per_1000(r, t) for t in tiers)
    lines.append(f"| {scenario} | {ratio(lambda r: r['rps']):.2f} | {ratio(lambda r: per_1000(r, 'nginx')):.2f} | "
                 f"{ratio(lambda r: per_1000(r, 'instances')):.2f} | {ratio(total):.2f} |")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
