#!/usr/bin/env python3
"""One line for a restore rehearsed under load (deploy/tests/recovery.sh): which acknowledged writes the restored
cluster holds, against the two moments that split them: the cut (the restore's target, or the last moment the
primary wrote into an archived segment) and --restore-at (from then on, only the restored cluster acknowledges).
Exit status 1 if a write acknowledged before the cut or after --restore-at is missing, or (a restore to a point in
time) one acknowledged between them is neither there nor in the restore's report."""
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
parser.add_argument("--restore-at", type=float, required=True,
                    help="Unix time from which an acknowledged write can only be the restored cluster's (restore.sh held "
                         "the old primary's writes, or every node was lost)")
parser.add_argument("--extra", default="")
args = parser.parse_args()

run = json.load(open(args.run))
held = {line.strip() for line in open(args.keys) if line.strip()}
reported = set()
if args.report:
    reported = {row["idempotency_key"] for row in csv.DictReader(open(args.report)) if row["idempotency_key"]}

acked = run["post_acked_at"]
before = {k for k, at in acked.items() if at < args.cut}
between = {k for k, at in acked.items() if args.cut <= at < args.restore_at}
restored = {k for k, at in acked.items() if at >= args.restore_at}
missing_before = before - held
missing_restored = restored - held
between_held = between & held
between_reported = (between - held) & reported
between_gone = between - held - reported
votes = [w for w in run["writes"] if w[0] == "vote"]
votes_acked_before = sum(1 for w in votes if w[3] == 204 and w[2] < args.cut)
votes_acked_restored = sum(1 for w in votes if w[3] == 204 and w[2] >= args.restore_at)
# (sent before the cut or once the restore began: a vote sent between them is undone, whatever it was answered)
votes_sent_kept = sum(1 for w in votes if w[1] < args.cut or w[1] >= args.restore_at)
votes_acked_between = sum(1 for w in votes if w[3] == 204 and args.cut <= w[2] < args.restore_at)

ok = not missing_before and not missing_restored and args.votes_gained >= votes_acked_before + votes_acked_restored
line = (f"{args.label}: acknowledged before the cut: {len(before) - len(missing_before)}/{len(before)} POSTs present; "
        f"on the restored cluster: {len(restored) - len(missing_restored)}/{len(restored)}; votes counted {args.votes_gained} "
        f"of {votes_acked_before} + {votes_acked_restored} acknowledged ({votes_sent_kept} sent)")
if args.report is not None:
    ok = ok and not between_gone and args.votes_gained <= votes_sent_kept
    line += (f"; acknowledged between the cut and the restore: {len(between)} POSTs ({len(between_held)} committed "
             f"before the cut, {len(between_reported)} in the restore's report, {len(between_gone)} gone unlisted), "
             f"{votes_acked_between} votes")
else:
    lost = sorted(acked[k] for k in between - held)
    rpo = args.restore_at - lost[0] if lost else 0
    line += (f"; acknowledged between the last archived segment and the loss: {len(between)} POSTs, {len(lost)} lost "
             f"(RPO: {rpo:.1f} s of writes), {votes_acked_between} votes")
print(line + args.extra + ("" if ok else "  FAIL"))
sys.exit(0 if ok else 1)
