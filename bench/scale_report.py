"""Writes the scale run's report (bench/scale.sh): each configuration and scenario with its throughput, latency
and the CPU of each tier, the cost of a request per tier, and the cores each tier needs for 60,000 requests/s."""
import json
import sys

results = [json.loads(line) for line in open(sys.argv[1])]
meta = json.load(sys.stdin)
TARGET, BUSY = 60_000, 0.6  # requests/s to plan for; the share of a core a tier may use and keep its p99 low
tiers = ["lb", "app1", "app2", "app3", "db", "db-replica", "db-replica2", "wrk"]
names = {"lb": "nginx", "db": "primary", "db-replica": "standby 1", "db-replica2": "standby 2", "wrk": "wrk"}

lines = [
    "# Scale: the deployed stack, 1 to 3 instances behind nginx",
    "",
    f"`{meta['command']}` on {meta['date']} ({meta['machine']}; {meta['engine']}): the stack's demo data "
    f"({meta['products']:,} products, {meta['reviews']:,} reviews), wrk with {meta['connections']} connections and "
    f"{meta['threads']} threads, {meta['duration']} s per scenario after 3 s of warm-up, every instance's cache warmed "
    "first. CPU seconds per tier from each container's cgroup over the measured seconds (wrk's from `time`). "
    "`reviews`: cached lists; `mixed`: 85% lists, 10% metas, 4% helpful votes, 1% new reviews.",
    "",
    "| configuration | scenario | req/s | p50 ms | p99 ms | non-2xx | errors | " + " | ".join(f"CPU s {names.get(t, t)}" for t in tiers) + " |",
    "|---|---|---:|---:|---:|---:|---:|" + "---:|" * len(tiers),
]
for r in results:
    lines.append(f"| {r['config']} | {r['name']} | {r['rps']:,.0f} | {r['p50_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | "
                 f"{r['non_2xx']} | {r['socket_errors']} | " + " | ".join(f"{r['cpu'].get(t, 0):.1f}" for t in tiers) + " |")

lines += ["", "## Each instance, by its own count (its /metrics before and after)", "",
          "| configuration | scenario | instance | requests | cache hit ratio | pool wait ms per request | DB ms per request | CPU s |", "|---|---|---|---:|---:|---:|---:|---:|"]
for r in results:
    for app, m in sorted(r.get("instances", {}).items()):
        if m.get("requests", 0) < 1:
            continue
        lookups = m["hits"] + m["misses"]
        lines.append(f"| {r['config']} | {r['name']} | {app} | {m['requests']:,.0f} | "
                     f"{(m['hits'] / lookups) if lookups else 0:.2f} | {m.get('wait_seconds', 0) / m['requests'] * 1000:.3f} | {m['db_seconds'] / m['requests'] * 1000:.3f} | {m['cpu_seconds']:.1f} |")

lines += ["", "## Cost of a request, per tier (CPU ms per 1,000 requests)", "",
          "| configuration | scenario | nginx | instances (all) | primary | standbys | wrk | total |", "|---|---|---:|---:|---:|---:|---:|---:|"]
cost = {}
for r in results:
    per = lambda seconds: seconds / r["requests"] * 1e6  # ms per 1,000 requests
    apps = sum(r["cpu"].get(t, 0) for t in ("app1", "app2", "app3"))
    standbys = sum(r["cpu"].get(t, 0) for t in ("db-replica", "db-replica2"))
    row = {"nginx": per(r["cpu"]["lb"]), "instances": per(apps), "postgres": per(r["cpu"]["db"]), "standbys": per(standbys),
           "wrk": per(r["cpu"]["wrk"])}
    cost[(r["config"], r["name"])] = row
    lines.append(f"| {r['config']} | {r['name']} | {row['nginx']:.0f} | {row['instances']:.0f} | {row['postgres']:.0f} | "
                 f"{row['standbys']:.0f} | {row['wrk']:.0f} | {sum(row.values()) - row['wrk']:.0f} |")

plans = [(config, cost[(config, "mixed")]) for config in ("nginx, 1 instance", "nginx, 3 instances") if (config, "mixed") in cost]
if plans:
    lines += ["", f"## Cores for {TARGET:,} requests/s of the mixed scenario", "",
              f"Each tier kept at {BUSY:.0%} of its cores (headroom that holds the p99 down; load generators not counted), "
              "from the cost per request of two runs: one instance behind nginx (an instance has the cores to itself, "
              "as on its own host) and three (three instances share this box's 2 cores: the cost of that crowding is in "
              "their figure, an upper bound).", "",
              "| tier | " + " | ".join(f"ms per 1,000 ({c}) | cores at 60,000 req/s ({c})" for c, _ in plans) + " |",
              "|---|" + "---:|---:|" * len(plans)]
    for tier, label in (("nginx", "nginx"), ("instances", "API instances"), ("postgres", "PostgreSQL (primary)"),
                        ("standbys", "PostgreSQL (standbys)")):
        lines.append(f"| {label} | " + " | ".join(f"{p[tier]:.0f} | {p[tier] / 1e6 * TARGET / BUSY:.1f}" for _, p in plans) + " |")
    lines.append("| all | " + " | ".join(
        f"{sum(p[t] for t in ('nginx', 'instances', 'postgres', 'standbys')):.0f} | {sum(p[t] for t in ('nginx', 'instances', 'postgres', 'standbys')) / 1e6 * TARGET / BUSY:.1f}"
        for _, p in plans) + " |")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
