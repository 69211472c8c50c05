#!/usr/bin/env python3
"""One line for a restore rehearsed under load (deploy/tests/recovery.sh): which acknowledged writes the restored
cluster holds, against the moment that splits them (the restore's target, or the last archived segment before
every node was lost). Exit status 1 if a write acknowledged before that moment is missing, or (a restore to a point
in time) one acknowledged after it is neither there nor in the restore's report."""
import argparse
import csv
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--run", required=True, help="traffic.py load's record")
parser.add_argument("--keys", required=True, help="the Idempotency-Keys the restored cluster holds, one a line")
parser.add_argument("--cut", type=float, required=True, help="Unix time: writes acknowledged before it must be there")
parser.add_argument("--votes-gained", type=int, required=True, help="helpfulness restored minus before the load")
parser.add_argument("--report", help="the restore's reviews-after-target.csv (a restore to a point in time)")
parser.add_argument("--label", required=True)
parser.add_argument("--loss-at", type=float, help="Unix time every node was lost (the RPO is counted back from it)")
parser.add_argument("--extra", default="")
args = parser.parse_args()

run = json.load(open(args.run))
held = {line.strip() for line in open(args.keys) if line.strip()}
reported = set()
if args.report:
    reported = {row["idempotency_key"] for row in csv.DictReader(open(args.report)) if row["idempotency_key"]}

acked = run["post_acked_at"]
before = {k for k, at in acked.items() if at < args.cut}
after = {k for k, at in acked.items() if at >= args.cut}
missing_before = before - held
after_held = after & held
after_reported = (after - held) & reported
after_gone = after - held - reported
votes = [w for w in run["writes"] if w[0] == "vote"]
votes_acked_before = sum(1 for w in votes if w[3] == 204 and w[2] < args.cut)
votes_sent_before = sum(1 for w in votes if w[1] < args.cut)
votes_acked_after = sum(1 for w in votes if w[3] == 204 and w[2] >= args.cut)

ok = not missing_before and args.votes_gained >= votes_acked_before
line = (f"{args.label}: acknowledged before the cut: {len(before) - len(missing_before)}/{len(before)} POSTs present, "
        f"votes {args.votes_gained} counted of {votes_acked_before} acknowledged ({votes_sent_before} sent)")
if args.report is not None:
    ok = ok and not after_gone and args.votes_gained <= votes_sent_before
    line += (f"; acknowledged after it: {len(after)} POSTs ({len(after_held)} committed before the cut, "
             f"{len(after_reported)} in the restore's report, {len(after_gone)} gone unlisted), {votes_acked_after} votes undone")
else:
    lost = sorted(acked[k] for k in after - held)
    rpo = args.loss_at - lost[0] if lost and args.loss_at else 0
    line += f"; acknowledged after it: {len(after)} POSTs, {len(lost)} lost: RPO {rpo:.1f} s of writes"
print(line + args.extra + ("" if ok else "  FAIL"))
sys.exit(0 if ok else 1)
