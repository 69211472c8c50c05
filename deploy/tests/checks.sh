# Sourced by the stack tests (deploy/tests/test.sh, deploy/swarm/test.sh): one "ok:" or "FAIL:" line per check, and
# failed=1 in the caller's shell when any check fails.
failed=0
check() { # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "ok: $1"; else echo "FAIL: $1: expected $2, got $3"; failed=1; fi
}
eventually() { # eventually NAME EXPECTED SECONDS COMMAND…: the command's output, once it is EXPECTED (SECONDS at most)
  local name=$1 expected=$2 seconds=$3 actual i; shift 3
  for ((i = 0; i < seconds; i++)); do actual=$("$@" 2>/dev/null || true); [[ "$actual" == "$expected" ]] && break; sleep 1; done
  check "$name" "$expected" "$actual"
}
