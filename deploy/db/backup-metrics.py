#!/usr/bin/env python3
"""The backup service's metrics for Prometheus (port 9854, /metrics): what `pgbackrest info` says of the repository,
asked at each scrape. The age of the last good backup is time() minus pgbackrest_backup_last_completion_seconds;
WAL archiving is watched on the database nodes (pg_archiver_* from postgres_exporter's queries.yaml)."""
import json
import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def metrics() -> str:
    lines = [
        "# HELP pgbackrest_up Whether `pgbackrest info` answered.",
        "# TYPE pgbackrest_up gauge",
    ]
    try:
        out = subprocess.run(["pgbackrest", "--stanza=reviews", "info", "--output=json"],
                             capture_output=True, text=True, timeout=20, check=True).stdout
        stanzas = json.loads(out)
    except (subprocess.SubprocessError, OSError, ValueError):
        return "\n".join(lines + ["pgbackrest_up 0", ""])
    lines.append("pgbackrest_up 1")
    lines += [
        "# HELP pgbackrest_stanza_status The stanza's status code (0: ok; 1: missing; 2: no valid backup; …).",
        "# TYPE pgbackrest_stanza_status gauge",
        "# HELP pgbackrest_backup_last_completion_seconds When the last good backup of a type ended (Unix time).",
        "# TYPE pgbackrest_backup_last_completion_seconds gauge",
        "# HELP pgbackrest_backups Backups kept in the repository, by type.",
        "# TYPE pgbackrest_backups gauge",
        "# HELP pgbackrest_backup_last_size_bytes The last backup's size in the repository (compressed).",
        "# TYPE pgbackrest_backup_last_size_bytes gauge",
    ]
    for stanza in stanzas:
        name = stanza["name"]
        lines.append(f'pgbackrest_stanza_status{{stanza="{name}"}} {stanza["status"]["code"]}')
        backups = [b for b in stanza.get("backup", []) if not b.get("error")]
        for kind in ("full", "diff", "incr"):
            of_kind = [b for b in backups if b["type"] == kind]
            lines.append(f'pgbackrest_backups{{stanza="{name}",type="{kind}"}} {len(of_kind)}')
            if of_kind:
                last = max(of_kind, key=lambda b: b["timestamp"]["stop"])
                lines.append(f'pgbackrest_backup_last_completion_seconds{{stanza="{name}",type="{kind}"}} {last["timestamp"]["stop"]}')
                lines.append(f'pgbackrest_backup_last_size_bytes{{stanza="{name}",type="{kind}"}} {last["info"]["repository"]["delta"]}')
    return "\n".join(lines + [""])


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != "/metrics":
            self.send_error(404)
            return
        body = metrics().encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # (a line per scrape is noise)
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", 9854), Handler).serve_forever()
