#!/usr/bin/env bash
# The image's HEALTHCHECK: Patroni answers on its REST API (/liveness: its loop runs). Not pg_isready: PostgreSQL
# refuses connections for minutes while a node is copied, rewound or recovers, and an orchestrator that runs health
# checks (Swarm) would kill the node in the middle of it — on the lab, that turned a failover into a second one.
exec python3 - <<'PY'
import os, ssl, sys, urllib.request
tls = os.path.exists("/tmp/tls/ca.crt")
context = ssl.create_default_context(cafile="/tmp/tls/ca.crt") if tls else None
try:
    urllib.request.urlopen(f"{'https' if tls else 'http'}://localhost:8008/liveness", timeout=2, context=context)
except Exception as e:
    sys.exit(f"Patroni does not answer: {e}")
PY
