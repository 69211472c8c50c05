#!/usr/bin/env python3
"""How many requests nginx began sending to an instance between two times, from its access log with timestamps
(`podman logs -t`) on stdin: a line's time is when the request ended, less its request time (rt=).
   nginx_sent.py START END ADDRESS:PORT"""
import datetime
import re
import sys

start, end, address = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
count = 0
for line in sys.stdin:
    m = re.match(r"(\S+) .* upstream=(\S*(?:, \S+)*) .* rt=([0-9.]+)", line)
    if m and address in m.group(2):
        at = datetime.datetime.fromisoformat(m.group(1)[:26] + m.group(1)[-6:].replace("Z", "+00:00")).timestamp() - float(m.group(3))
        count += start <= at <= end
print(count)
