#!/usr/bin/env python3
"""Traffic for the fault tests (deploy/tests/faults.sh), through nginx, with every answer counted.

  traffic.py load --seconds 20 --out run.json    N clients, each one keep-alive connection, a mix of reads and
                                                  writes; a JSON summary: answers per kind and status, failures
                                                  with their times, every acknowledged write (POST keys, votes).
  traffic.py ryw --tries 1000 --instances a,b,c  a client (with its cookie) votes and reads back through nginx;
                                                  then how long until every instance, read directly without the
                                                  cookie, shows the vote (notice delivery, as other clients see it).

Standard library only; bounded in time; sends only to the addresses given (loopback, the stack's network).
"""
import argparse
import http.client
import json
import os
import random
import re
import ssl
import sys
import threading
import time
import urllib.parse
import uuid


class Client:
    """One keep-alive HTTP/1.1 connection, reopened after any error (as nginx's clients do)."""

    tls = None  # an ssl.SSLContext when the base is https:// (--cacert)

    def __init__(self, base, timeout=40):
        url = urllib.parse.urlsplit(base)
        self.https = url.scheme == "https"
        self.host, self.port, self.timeout = url.hostname, url.port or (443 if self.https else 80), timeout
        self.connection = None
        self.cookie = None
        self.resent = 0

    def request(self, method, path, body=None, headers=None):
        """(status, response, body); status is 'error' when no HTTP answer came.

        A kept connection the server closed as the request went out (nginx reloading, say) is retried once on a
        new one, as Go's and .NET's HTTP clients and browsers do: for idempotent methods and keyed POSTs only.
        """
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in (1, 2):
            reused = self.connection is not None
            try:
                if self.connection is None:
                    self.connection = (http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=Client.tls)
                                       if self.https else http.client.HTTPConnection(self.host, self.port, timeout=self.timeout))
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, response, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ssl.SSLEOFError) as e:
                self.close()
                if attempt == 2 or not reused or not (method in ("GET", "PUT") or "Idempotency-Key" in headers):
                    return "error", None, str(e).encode()
                self.resent += 1
            except (OSError, http.client.HTTPException) as e:
                self.close()
                return "error", None, str(e).encode()

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def new_review(product, characteristics, marker):
    return json.dumps({
        "product_id": product, "rating": random.randint(1, 5), "summary": "Fault test",
        "body": f"{marker} — written under a fault test, counted afterwards.", "recommend": True,
        "name": "faults", "email": "faults@example.com", "photos": [],
        "characteristics": {c: random.randint(1, 5) for c in characteristics},
    }).encode()


def load(args):
    setup = Client(args.base)
    reads = list(range(args.read_products[0], args.read_products[1] + 1))
    writes = {}
    for product in range(args.write_products[0], args.write_products[1] + 1):
        for _ in range(10):   # (a stack just through a fault may fail a request or two: 5 s at most per product)
            status, _, body = setup.request("GET", f"/reviews/meta?product_id={product}")
            reviews_status, _, reviews = setup.request("GET", f"/reviews?product_id={product}&count=5")
            if status == 200 and reviews_status == 200:
                break
            time.sleep(0.5)
        if status == 200 and reviews_status == 200:
            writes[product] = ([str(c["id"]) for c in json.loads(body)["characteristics"].values()],
                               [r["review_id"] for r in json.loads(reviews)["results"]])
    votable = [(p, r) for p, (_, ids) in writes.items() for r in ids]
    if not writes or not votable:
        sys.exit("traffic: no products to write to (is the stack seeded?)")
    # Every instance has the read set cached (read from each directly).
    for instance in [setup] + [Client(f"http://{a}") for a in args.instances.split(",") if a]:
        for product in reads:
            instance.request("GET", f"/reviews?product_id={product}&count=5")
            instance.request("GET", f"/reviews/meta?product_id={product}")
        instance.close()

    lock = threading.Lock()
    counts, failures, acked_posts, acked_votes, latencies, writes_sent = {}, [], [], {}, {}, []
    post_acked_at = {}   # key → when its 201 came (a restore to a point in time is checked against it)
    retry_after_missing = [0]
    mix = [("list", args.mix[0]), ("meta", args.mix[1]), ("vote", args.mix[2]), ("post", args.mix[3])]

    resent, given_up = [0], []

    def record(kind, status, started, response, body=b""):
        ended = time.time()
        with lock:
            counts.setdefault(kind, {}).setdefault(str(status), 0)
            counts[kind][str(status)] += 1
            latencies.setdefault(kind, []).append(ended - started)
            if kind != "list" and kind != "meta":
                writes_sent.append((kind, started, ended, status))
            if status == "error" or status >= 500:
                failures.append({"kind": kind, "status": status, "started": started, "ended": ended,
                                 "detail": body[:200].decode(errors="replace") if status == "error" else ""})
                if status == 503 and response is not None and response.getheader("Retry-After") is None:
                    retry_after_missing[0] += 1

    def run(number):
        client = Client(args.base)
        rng = random.Random(number)
        sent = 0
        while time.time() < deadline and not (args.stop_file and os.path.exists(args.stop_file)):
            kind = rng.choices([k for k, _ in mix], [w for _, w in mix])[0]
            started = time.time()
            if kind == "list":
                status, response, body = client.request("GET", f"/reviews?product_id={rng.choice(reads)}&count=5")
            elif kind == "meta":
                status, response, body = client.request("GET", f"/reviews/meta?product_id={rng.choice(reads)}")
            elif kind == "vote":
                product, review = rng.choice(votable)
                status, response, body = client.request("PUT", f"/reviews/{review}/helpful")
                if status == 204:
                    with lock:
                        acked_votes[review] = acked_votes.get(review, 0) + 1
            else:
                sent += 1
                product = rng.choice(list(writes))
                key = f"{args.run}-{number}-{sent}"
                review_body = new_review(product, writes[product][0], key)
                headers = {"Content-Type": "application/json", "Idempotency-Key": key}
                status, response, body = client.request("POST", "/reviews", review_body, headers)
                # A client that names its POSTs retries one that failed, with the same key, as Retry-After says
                # (for at most 30 s): the review is created at most once.
                first = started
                while (status == "error" or status >= 500) and args.post_retries and time.time() < first + 30:
                    record(kind, status, started, response, body)
                    time.sleep(float(response.getheader("Retry-After") or 1) if response is not None else 0.2)
                    started = time.time()
                    status, response, body = client.request("POST", "/reviews", review_body, headers)
                    kind = "post-retry"
                if status == "error" or status >= 500:
                    with lock:
                        given_up.append(key)
                if status == 201:
                    with lock:
                        acked_posts.append(key)
                        post_acked_at[key] = time.time()
            record(kind, status, started, response, body)
            if args.pause:
                time.sleep(args.pause)
        client.close()
        with lock:
            resent[0] += client.resent

    deadline = time.time() + args.seconds
    threads = [threading.Thread(target=run, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    print("started", flush=True)
    for thread in threads:
        thread.join()

    def p99(values):
        values = sorted(values)
        return round(values[int(len(values) * 0.99)] * 1000, 1) if values else None

    def p50(values):
        return round(sorted(values)[len(values) // 2] * 1000, 1) if values else None

    summary = {
        "run": args.run, "seconds": args.seconds, "clients": args.clients, "counts": counts,
        "p50_ms": {kind: p50(values) for kind, values in latencies.items()},
        "p99_ms": {kind: p99(values) for kind, values in latencies.items()},
        "max_ms": {kind: round(max(values) * 1000, 1) for kind, values in latencies.items()},
        "failures": failures, "resent_on_closed_connection": resent[0], "retry_after_missing": retry_after_missing[0],
        "acked_posts": acked_posts, "posts_given_up": given_up, "acked_votes": acked_votes, "writes": writes_sent,
        "post_acked_at": post_acked_at,
    }
    with open(args.out, "w") as out:
        json.dump(summary, out)


def helpfulness(body, review):
    match = re.search(r'"review_id":%d,[^}]*?"helpfulness":(\d+)' % review, body.decode())
    return int(match.group(1)) if match else None


def read_your_writes(args):
    """The writer's next read through nginx, with its cookie; then every instance, directly, without it."""
    writer = Client(args.base)
    page = f"/reviews?product_id={args.product}&count=1&sort=newest"
    body = writer.request("GET", page)[2]
    review = json.loads(body)["results"][0]["review_id"]
    votes = helpfulness(body, review)  # only this client votes for this review: after each vote, one more
    instances = [Client(f"http://{address}") for address in args.instances.split(",") if address]
    stale, lags, unseen = 0, [], 0
    for _ in range(args.tries):
        for instance in instances:  # every instance has the current answer cached
            instance.request("GET", page)
        status, response, _ = writer.request("PUT", f"/reviews/{review}/helpful")
        acknowledged = time.time()
        if status != 204:
            sys.exit(f"read-your-writes: a vote was answered {status}")
        votes += 1
        if not args.no_cookie:
            writer.cookie = (response.getheader("Set-Cookie") or "").split(";")[0] or writer.cookie
        if helpfulness(writer.request("GET", page)[2], review) != votes:
            stale += 1
        for instance in instances:  # another client, on each instance, until it shows the vote (at most 5 s)
            while helpfulness(instance.request("GET", page)[2], review) != votes and time.time() - acknowledged < 5:
                pass
            lags.append(time.time() - acknowledged)
            unseen += lags[-1] >= args.within
    lags.sort()
    print(json.dumps({
        "tries": args.tries, "stale_for_writer": stale, "instances": len(instances),
        "others_see_it_p50_ms": round(lags[len(lags) // 2] * 1000, 1) if lags else None,
        "others_see_it_p99_ms": round(lags[int(len(lags) * 0.99)] * 1000, 1) if lags else None,
        "others_see_it_max_ms": round(lags[-1] * 1000, 1) if lags else None,
        "within_s": args.within, "not_seen_within": unseen,
    }))


def write_gap(run):
    """The longest stretch between two successful writes' acknowledgements (a failover's write outage)."""
    acked = sorted(end for _, _, end, status in run["writes"] if status != "error" and status < 500)
    return max((b - a for a, b in zip(acked, acked[1:])), default=0)


def check(args):
    """One line of figures for a fault, from a load run and the database's state; exit 1 if a rule is broken."""
    run = json.load(open(args.run))
    present = set(open(args.keys).read().split())
    before = dict(line.split("|") for line in open(args.votes_before).read().split())
    after = dict(line.split("|") for line in open(args.votes_after).read().split())
    failed = lambda status: status == "error" or status >= 500
    gets = sum(sum(c.values()) for kind, c in run["counts"].items() if kind in ("list", "meta"))
    failed_gets = [f for f in run["failures"] if f["kind"] in ("list", "meta")]
    at = args.fault_at
    until = args.fault_end or at
    in_flight = lambda kind: sum(1 for k, start, end, _ in run["writes"] if k.startswith(kind) and start <= until and end >= at)
    first_posts = [w for w in run["writes"] if w[0] == "post"]
    failed_posts = sum(1 for w in first_posts if failed(w[3]))
    lost_posts = len(run["posts_given_up"])
    missing_posts = [k for k in run["acked_posts"] if k not in present]
    votes = sum(run["acked_votes"].values())
    counted = {r: int(after.get(r, 0)) - int(before.get(r, 0)) for r in run["acked_votes"]}
    missing_votes = sum(max(0, n - counted[r]) for r, n in run["acked_votes"].items())
    extra_votes = sum(max(0, counted[r] - n) for r, n in run["acked_votes"].items())
    failed_votes = sum(1 for w in run["writes"] if w[0] == "vote" and failed(w[3]))
    unavailable = sum(1 for w in run["writes"] if w[3] == 503)
    other_write_failures = sum(1 for w in run["writes"] if failed(w[3]) and w[3] != 503)
    refused = [w for w in run["writes"] if w[3] == 503]
    refused_for = max(w[2] for w in refused) - min(w[1] for w in refused) if refused else 0
    written_after = any(not failed(w[3]) for w in run["writes"] if w[1] > args.recovered_at) if args.recovered_at else True
    problems = []
    if failed_gets and args.rule != "isolated":
        problems.append(f"{len(failed_gets)} GETs failed")
    slowest_get = max(run["max_ms"].get(kind, 0) for kind in ("list", "meta"))
    if args.max_get_ms and slowest_get > args.max_get_ms:
        problems.append(f"a GET took {slowest_get:.0f} ms")
    if missing_posts or missing_votes:
        problems.append(f"acknowledged writes lost: {len(missing_posts)} POSTs, {missing_votes} votes")
    if run["retry_after_missing"]:
        problems.append(f"{run['retry_after_missing']} 503s without Retry-After")
    if args.rule == "kill" and failed_posts > in_flight("post"):
        problems.append(f"more POSTs failed ({failed_posts}) than were in flight ({in_flight('post')})")
    if extra_votes > failed_votes + (in_flight("vote") if args.rule == "kill" else 0):
        problems.append(f"{extra_votes} votes counted beyond those acknowledged, more than failed or were in flight")
    if args.retries and lost_posts:
        problems.append(f"{lost_posts} POSTs still failed after retrying for 30 s")
    if args.rule == "none" and (failed_posts or failed_votes or lost_posts):
        problems.append(f"{failed_posts + failed_votes} writes failed")
    if args.rule == "outage" and other_write_failures:
        problems.append(f"{other_write_failures} writes failed otherwise than 503")
    if not written_after:
        problems.append("no write succeeded after the outage")
    print(f"{args.label}: {len(failed_gets)} failed GETs of {gets} (slowest {slowest_get:.0f} ms); POSTs {len(first_posts)}, failed {failed_posts} "
          f"(in flight during the fault: {in_flight('post')})" + (f", still failed after retries with the same key {lost_posts}" if args.retries else "") + "; "
          f"votes failed {failed_votes}, counted without an acknowledgement {extra_votes}; 503 with Retry-After {unavailable} "
          f"(over {refused_for:.1f} s); "
          f"acknowledged writes present {len(run['acked_posts']) - len(missing_posts)}/{len(run['acked_posts'])} POSTs, "
          f"{votes - missing_votes}/{votes} votes" + (f"{args.extra}" if args.extra else "")
          + f"; longest time without a successful write {write_gap(run):.1f} s"
          + (f"; kept connections found closed and the request sent again {run['resent_on_closed_connection']}"
             if run["resent_on_closed_connection"] else "")
          + ("; p50/p99 ms " + ", ".join(f"{k} {run['p50_ms'][k]}/{run['p99_ms'][k]}" for k in ("list", "meta", "vote", "post") if k in run["p50_ms"])
             if args.latencies else "")
          + ("" if not problems else " -- FAIL: " + "; ".join(problems)))
    if problems:
        kinds = {}
        for f in run["failures"]:
            name = f"{f['kind']} {f['status']} {f.get('detail', '')[:60]}"
            kinds[name] = kinds.get(name, 0) + 1
        print(f"  failures by kind and status: {kinds}", file=sys.stderr)
    sys.exit(1 if problems else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--cacert", help="the CA that signed an https:// base's certificate")
    commands = parser.add_subparsers(dest="command", required=True)
    span = lambda text: tuple(int(n) for n in text.split("-"))
    run = commands.add_parser("load")
    run.add_argument("--seconds", type=float, default=20)
    run.add_argument("--clients", type=int, default=16)
    run.add_argument("--mix", type=lambda t: [float(n) for n in t.split(",")], default=[80, 10, 5, 5],
                     help="list,meta,vote,post weights")
    run.add_argument("--read-products", type=span, default=(1, 200))
    run.add_argument("--write-products", type=span, default=(4001, 4050))
    run.add_argument("--post-retries", action="store_true", help="retry failed POSTs with their key")
    run.add_argument("--instances", default="", help="host:port of each instance, to warm their caches")
    run.add_argument("--pause", type=float, default=0, help="seconds each client waits between requests")
    run.add_argument("--run", default=uuid.uuid4().hex[:8])
    run.add_argument("--stop-file", help="end early once this file exists (a step of unknown length)")
    run.add_argument("--out", required=True)
    ryw = commands.add_parser("ryw")
    ryw.add_argument("--tries", type=int, default=1000)
    ryw.add_argument("--product", type=int, default=4999)
    ryw.add_argument("--within", type=float, default=5, help="seconds within which every instance must show a vote")
    ryw.add_argument("--instances", default="", help="host:port of each instance, read directly")
    ryw.add_argument("--no-cookie", action="store_true", help="a writer that drops the cookie (the control)")
    verdict = commands.add_parser("check")
    verdict.add_argument("--run", required=True)
    verdict.add_argument("--keys", required=True, help="the Idempotency-Keys in the database, one a line")
    verdict.add_argument("--votes-before", required=True, help="review|helpfulness lines before the run")
    verdict.add_argument("--votes-after", required=True)
    verdict.add_argument("--fault-at", type=float, default=0)
    verdict.add_argument("--fault-end", type=float, default=0, help="when the fault's command returned")
    verdict.add_argument("--recovered-at", type=float, default=0)
    # kill: no more writes fail than were in flight; none: no write fails; outage: writes fail only as 503;
    # failover: writes may fail (a host with the primary and an instance vanished), GETs may not;
    # isolated: the clients were cut off with a part of the stack, anything may fail.
    # Under every rule, no acknowledged write may be lost.
    verdict.add_argument("--rule", choices=["kill", "none", "outage", "failover", "isolated"], default="none")
    verdict.add_argument("--label", required=True)
    verdict.add_argument("--retries", action="store_true", help="the run retried failed POSTs")
    verdict.add_argument("--extra", default="")
    verdict.add_argument("--max-get-ms", type=float, default=0, help="fail if any GET took longer")
    verdict.add_argument("--latencies", action="store_true", help="add p50/p99 of each kind of request")
    args = parser.parse_args()
    if args.cacert:
        Client.tls = ssl.create_default_context(cafile=args.cacert)
    {"load": load, "ryw": read_your_writes, "check": check}[args.command](args)


if __name__ == "__main__":
    main()
