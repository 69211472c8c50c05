#!/usr/bin/env python3
"""A field of the JSON document on stdin, for the stack test's checks.
   json_field.py results.0.review_id          the value at that path (list items by index)
   json_field.py data.result --count          how many items the list there has
   json_field.py data.activeTargets --count health=up   how many of them have that field at that value"""
import json
import sys

value = json.load(sys.stdin)
for part in sys.argv[1].split("."):
    value = value[int(part)] if isinstance(value, list) else value[part]
if "--count" in sys.argv[2:3]:
    where = sys.argv[3].split("=", 1) if len(sys.argv) > 3 else None
    print(sum(1 for item in value if where is None or str(item.get(where[0])) == where[1]))
else:
    print(value)
