"""Writes docs/benchmarks.md and docs/benchmarks.svg from a load test's results (bench/load.sh)."""
import json
import sys

results = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
docs = sys.argv[2]
run = json.load(sys.stdin)
by = {r["name"]: r for r in results}
trivial = by["trivial"]["rps"]
pgbench = run["pgbench_tps"]
pool_pgbench = run.get("pgbench_pool_tps") or pgbench
baselines = {"trivial": trivial, "pgbench": pgbench, "pgbench (pool)": pool_pgbench}
# Service CPU per cold list before the cache-miss work (issue #13): 19.3 s for 62,100 lists in the 2026-11-27 full run.
COLD_LIST_CPU_MS_BEFORE = 0.311

# The targets: (baseline, minimum ratio, p99 limit in ms or None).
targets = {
    "reviews": ("trivial", 0.5, 20), "meta": ("trivial", 0.5, 20),
    "reviews-sorted": ("trivial", 0.6, None),
    "reviews-cold": ("pgbench (pool)", 0.5, 25), "meta-cold": ("pgbench (pool)", 0.7, 15),
    "mixed": ("trivial", 0.5, 20),
    # Issue #24: a search of the most reviewed product, uncached, p99 ≤ 50 ms (no throughput target).
    "search-top-cold": ("trivial", 0.0, 50),
}


def writes_kept():
    # Every acknowledged write is in the database; the database may hold a few more: the requests still in
    # flight (at most one per connection) when wrk stopped, committed but never acknowledged to it.
    m = by["mixed"]
    return (m["voted"] <= run["mixed_votes_in_db"] <= m["voted"] + run["connections"]
            and m["created"] <= run["mixed_reviews_in_db"] <= m["created"] + run["connections"])


def cold_cpu():
    if "reviews-cold" not in by:
        return ""
    r = by["reviews-cold"]
    ms = r["cpu_service_s"] / r["requests"] * 1000
    target = COLD_LIST_CPU_MS_BEFORE / 2
    return (f"Service CPU per cold list (reviews-cold, /proc): **{ms:.3f} ms** ({r['cpu_service_s']:.1f} s for {r['requests']:,} lists); "
            f"the 2026-11-27 run's {COLD_LIST_CPU_MS_BEFORE} ms was taken on an instance still compiling its miss path (issue #13's "
            f"target, half of it: ≤ {target:.3f} ms, " + ("reached" if ms <= target else "**not reached**") +
            "); the code changes alone, side by side at steady state, moved it within noise (docs/read-path.md).\n")


def verdict(r):
    if r["name"] not in targets:
        return ""
    base, ratio, p99 = targets[r["name"]]
    got = r["rps"] / baselines[base]
    ok = got >= ratio and r["non_2xx"] == 0 and r["socket_errors"] == 0 and (p99 is None or r["p99_us"] / 1000 <= p99)
    if r["name"] == "mixed":
        ok = ok and writes_kept()
    rule = ", ".join(([f"≥ {ratio} × {base}"] if ratio else []) + ([f"p99 ≤ {p99} ms"] if p99 else []) + ["0 errors"])
    return ("met" if ok else "**not met**") + f" ({rule})"


rows = []
for r in results:
    rows.append(
        f"| {r['name']} | {r['rps']:,.0f} | {r['p50_us']/1000:.2f} | {r['p90_us']/1000:.2f} | {r['p99_us']/1000:.2f} | {r['max_us']/1000:.1f} "
        f"| {r['non_2xx']} | {r['socket_errors']} | {r['rps']/trivial:.2f} | {r['rps']/pgbench:.2f} | {r['rps']/pool_pgbench:.2f} "
        f"| {r['cpu_service_s']:.1f} / {r['cpu_postgres_s']:.1f} / {r['cpu_wrk_s']:.1f} | {verdict(r)} |")

said = []
for r in results:
    m = r.get("metrics") or {}
    if not m.get("requests"):
        continue
    lookups = m["hits"] + m["misses"]
    cpu = {"service": r["cpu_service_s"], "PostgreSQL": r["cpu_postgres_s"], "wrk": r["cpu_wrk_s"]}
    total = sum(cpu.values())
    top = max(("service", "PostgreSQL"), key=lambda tier: cpu[tier])
    said.append(f"| {r['name']} | {m['hits'] / lookups:.2f} | " if lookups else f"| {r['name']} | — | ")
    said[-1] += (f"{m.get('wait_seconds', 0) / m['requests'] * 1000:.3f} | {m['db_seconds'] / m['requests'] * 1000:.3f} | "
                 f"{m['cpu_seconds']:.1f} | " + " / ".join(f"{cpu[t] / total:.0%}" for t in cpu) + f" | {top} |")
mixed = by.get("mixed", {})
overhead = ""
if "reviews-plain" in by and "meta-plain" in by:
    pairs = [(name, by[name]["rps"] / by[f"{name}-plain"]["rps"]) for name in ("reviews", "meta")]
    overhead = ("\n**Instrumentation's cost** (docs/observability.md): the cached scenarios against a third instance with its "
                "metrics off (`Reviews__Telemetry__Metrics=false`), run right after each: " +
                ", ".join(f"{name} {ratio:.2f}× the plain instance ({(1 - ratio) * 100:+.0f}% overhead)".replace("+-", "-") for name, ratio in pairs) +
                " (target: under 10%).\n")
if run.get("overhead_rounds"):
    import statistics
    rounds = run["overhead_rounds"]
    on, off = statistics.median(rounds[0::2]), statistics.median(rounds[1::2])
    overhead += (f"Five alternating rounds of 5 s each (one pair moves by ±10% on this machine): medians {on:,.0f} "
                 f"instrumented vs {off:,.0f} plain req/s, **{on / off:.2f}×** ({(1 - on / off) * 100:.0f}% overhead; rounds: "
                 + ", ".join(f"{v:,.0f}" for v in rounds) + ").\n")
md = f"""# Load test

Measured {run['date']} with `{run['command']}` on {run['machine']}; PostgreSQL {run['postgres']}, .NET {run['dotnet']},
wrk {run['wrk']} on the same machine as the service and the database. Data: {run['dataset']}
(products up to {run['products']:,}, reviews up to {run['reviews']:,}), then `VACUUM (ANALYZE)` as after any
bulk load. Each scenario: {run['duration']} s, {run['connections']} connections, {run['threads']} wrk threads,
product ids drawn uniformly from the last 10% of products, after a 3 s warm-up of the same scenario (for mixed, its
writes are counted from the end of the warm-up). After mixed, a `CHECKPOINT`, so that the pages it dirtied are
not written during the scenarios after it. Before the cached scenarios, one pass requests every hot product's
list and meta once ({run.get('warm_requests', 0):,} requests in {run.get('warm_seconds', 0)} s), and before reviews-sorted
each hot product's first two pages in each sort once (`bench/load/warm-sorted.lua`), so that "cached" measures a
filled cache (answers expire 5 minutes after they were read, the bound on staleness should a writer die before its
notice: the scenarios on the first warm-up's answers, mixed included, run within those 5 minutes); "-cold" scenarios run against a second instance started with `--no-cache`, after 35 s of load on it
(its read path compiled and recompiled by .NET's tiered JIT: the steady state of an instance in service).
filtered and search ask for a hot product's reviews with `rating=` (one of 4 filters) or `q=` (one of 7 words some
reviews hold), cached after a 10 s pass of each; their -cold runs miss every time; search-top-cold searches the product
with the most reviews ({run.get('top_product', '?')}: {run.get('top_reviews', 0):,} reviews) for those words in turn, uncached.

Baselines, measured in the same run: **trivial** is the service's own `GET /health` (a fixed two-byte answer
through the same server pipeline: the ceiling of this box for any HTTP answer); **pgbench** is
`pgbench -S -M prepared` ({run['connections']} clients, as many as wrk's connections) against the same PostgreSQL over TCP:
{pgbench:,.0f} lookups/s; **pgbench (pool)** the same with {run.get('pool', '?')} clients and one thread, as many as the service's
connection pool (the fair baseline for the cold scenarios: the service never has more statements in PostgreSQL at
once): {pool_pgbench:,.0f} lookups/s.

| scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | socket errors | × trivial | × pgbench | × pgbench (pool) | CPU s: service / postgres / wrk | target |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|
{chr(10).join(rows)}

Mixed: {mixed.get('voted', 0):,} helpful votes and {mixed.get('created', 0):,} new reviews acknowledged (204, 201) during the run;
afterwards the database holds {run['mixed_votes_in_db']:,} more votes and {run['mixed_reviews_in_db']:,} more reviews:
{"every acknowledged write is there" if "mixed" in by and writes_kept() else "**acknowledged writes are missing**"} (the few more are requests in flight when wrk stopped,
committed but not yet acknowledged to it; at most one per connection).

{overhead}
What the service says about each scenario (its own `/metrics`, scraped before and after: cache hits over lookups,
time waiting for a pooled connection and in PostgreSQL commands per request, its CPU by its own count), beside
each tier's share of the CPU used (service / PostgreSQL / wrk; /proc) and the tier that used most, the bottleneck on
this 2-core box where all three share the cores.

| scenario | cache hit ratio | pool wait ms per request | DB ms per request | service CPU s (metrics) | CPU share | bottleneck |
|---|---:|---:|---:|---:|---|---|
{chr(10).join(said)}

{cold_cpu()}
Service memory: peak RSS {run['api_rss_mb']} MB for the cached instance (cache bound {run['cache_mb']} MiB),
{run['cold_rss_mb']} MB for the uncached one.

![throughput and p99 per scenario](benchmarks.svg)

How to read it: req/s and latency are wrk's; "× trivial" and "× pgbench" compare with the baselines of this
same run (the machine is noisy: compare ratios, not absolute numbers across runs). The CPU columns are the
seconds of CPU each party used during the scenario (from /proc): with wrk, the service and PostgreSQL
sharing two cores, they show where the time goes.
"""
open(f"{docs}/benchmarks.md", "w").write(md)

# A plain SVG: throughput bars per scenario with the baselines as lines, and p99 beside each bar.
width, height, left, top, bar_area = 900, 420, 70, 40, 300
scale = max(max(r["rps"] for r in results), pgbench) * 1.1
n = len(results)
slot = (width - left - 20) / n
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<text x="{left}" y="20" font-size="14">Requests/s per scenario (bars), p99 latency (labels); baselines as lines</text>']


def y(v):
    return top + bar_area - v / scale * bar_area


for i, r in enumerate(results):
    x = left + i * slot + slot * 0.15
    color = "#888" if r["name"] == "trivial" else ("#4a7" if "cold" not in r["name"] else "#47a")
    svg.append(f'<rect x="{x:.0f}" y="{y(r["rps"]):.0f}" width="{slot*0.7:.0f}" height="{top + bar_area - y(r["rps"]):.0f}" fill="{color}"/>')
    svg.append(f'<text x="{x + slot*0.35:.0f}" y="{y(r["rps"]) - 18:.0f}" text-anchor="middle">{r["rps"]:,.0f}</text>')
    svg.append(f'<text x="{x + slot*0.35:.0f}" y="{y(r["rps"]) - 4:.0f}" text-anchor="middle" fill="#a33">p99 {r["p99_us"]/1000:.1f} ms</text>')
    svg.append(f'<text x="{x + slot*0.35:.0f}" y="{top + bar_area + 16:.0f}" text-anchor="middle">{r["name"]}</text>')
for name, value, dash in (("trivial /health", trivial, "6,3"), ("pgbench -S", pgbench, "2,3")):
    svg.append(f'<line x1="{left}" x2="{width - 20}" y1="{y(value):.0f}" y2="{y(value):.0f}" stroke="#333" stroke-dasharray="{dash}"/>')
    svg.append(f'<text x="{width - 22}" y="{y(value) - 4:.0f}" text-anchor="end">{name}: {value:,.0f}/s</text>')
svg.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + bar_area}" stroke="#333"/>')
for k in range(5):
    v = scale * k / 4
    svg.append(f'<text x="{left - 6}" y="{y(v) + 4:.0f}" text-anchor="end">{v/1000:.0f}k</text>')
svg.append("</svg>")
open(f"{docs}/benchmarks.svg", "w").write("\n".join(svg))
print(open(f"{docs}/benchmarks.md").read())
