#!/usr/bin/env python3
"""What the stack logged during a test that failed (stack_log in deploy/lib/stack.sh), read from standard input:

  step_log.py app1 < app1's log      the instance's warnings and errors, one line per message with its count
  step_log.py db < db's log          Patroni's and PostgreSQL's lines about leaders, promotion, synchronous standbys

each with the time it was first seen (the engine's `logs -t` stamp, when there is one).

So a failure in CI explains itself without the stack at hand. Messages are cut at 200 characters; at most 16 each.
"""
import collections
import json
import re
import sys

NODE = re.compile(r"promot|demot|leader lock|acquir|synchronous standby|synchronous_standby_names|shutting down|"
                  r"ready to accept|new timeline|rewind|FATAL|PANIC|canceling wait", re.I)
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d(\.\d)?)\S* ")  # podman's and docker's `logs -t`
NUMBER = re.compile(r"\d+(\.\d+)?")


def main():
    name = sys.argv[1]
    counts = collections.Counter()  # (in the order each message was first seen)
    shown = {}
    for line in sys.stdin:
        line = line.strip()
        stamp = STAMP.match(line)
        line = line[stamp.end():] if stamp else line
        at = stamp.group(1) + " " if stamp else ""
        if line.startswith("{"):  # an instance: JSON lines (AddJsonConsole, in a container)
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("LogLevel") not in ("Warning", "Error", "Critical"):
                continue
            message = f'{entry.get("LogLevel")} {entry.get("Category", "")}: {entry.get("Message", "")}'
        elif NODE.search(line):
            message = re.sub(r"^\S+ \S+ (UTC )?(\[\d+\] )?", "", line)  # the time and pid, so repeats group
        else:
            continue
        key = NUMBER.sub("N", message)  # (durations and addresses vary; the message is the same)
        counts[key] += 1
        shown.setdefault(key, at + message[:200])
    for key, count in list(counts.items())[:16]:
        print(f"  {name}: {count} × {shown[key]}")
    if len(counts) > 16:
        print(f"  {name}: … and {len(counts) - 16} other messages")


if __name__ == "__main__":
    main()
