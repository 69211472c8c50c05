#!/usr/bin/env python3
"""From an import's --summary JSON: the rows loaded, then its phases' times ("copy 12.3 s, keys 4.5 s, ...").
   import_summary.py SUMMARY_JSON"""
import json
import sys

summary = json.load(open(sys.argv[1]))
loaded = sum(f["loaded"] for f in summary["files"].values())
print(loaded, ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary["phases"].items()))
