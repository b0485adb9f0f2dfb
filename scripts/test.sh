#!/usr/bin/env bash
# What `./ferry test` runs: the whole test suite — unit tests (*Test, surefire) and integration and
# end-to-end tests (*IT, failsafe) of every module — against an AWS emulator.
#
# Unless FERRY_AWS_ENDPOINT is set, it starts its own moto server (on 4566 when free, else on another
# free port, so a running `./ferry local` and its state are never touched), waits until it answers,
# runs `mvn verify -Dferry.aws.endpoint=<endpoint>`, and always stops moto again. Extra arguments go
# to Maven (e.g. `./ferry test -pl core -am`). The exit status is Maven's.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
command -v mvn >/dev/null 2>&1 || { echo "ferry test: Maven (mvn) is needed on PATH" >&2; exit 1; }

STATE="$ROOT/.ferry"
mkdir -p "$STATE"
STARTED_AT=$SECONDS
MARKER="$STATE/test.started"
touch "$MARKER"
MOTO_PID=""

stop_moto() {
  if [ -n "$MOTO_PID" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
    command -v pkill >/dev/null 2>&1 && pkill -TERM -P "$MOTO_PID" 2>/dev/null
    kill -TERM "$MOTO_PID" 2>/dev/null
    wait "$MOTO_PID" 2>/dev/null
    echo "ferry test: moto (pid $MOTO_PID) stopped" >&2
  fi
  MOTO_PID=""
}
trap stop_moto EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_moto() { # endpoint
  python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/moto-api/data.json", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

if [ -n "${FERRY_AWS_ENDPOINT:-}" ]; then
  ENDPOINT="${FERRY_AWS_ENDPOINT%/}"
  echo "ferry test: using the AWS emulator at $ENDPOINT (FERRY_AWS_ENDPOINT); its state will be reset by the tests" >&2
else
  command -v python3 >/dev/null 2>&1 || { echo "ferry test: Python 3 is needed for the AWS emulator (moto), or set FERRY_AWS_ENDPOINT" >&2; exit 1; }
  if ! python3 -c "import moto.server" >/dev/null 2>&1; then
    echo "ferry test: moto is not installed; installing it: python3 -m pip install 'moto[server]'" >&2
    python3 -m pip install 'moto[server]' >&2 || { echo "ferry test: could not install moto; install it yourself or set FERRY_AWS_ENDPOINT" >&2; exit 1; }
  fi
  PORT=4566
  if port_in_use "$PORT"; then
    PORT="$(free_port)"
    echo "ferry test: port 4566 is busy; starting moto on $PORT instead" >&2
  fi
  ENDPOINT="http://127.0.0.1:$PORT"
  LOG="$STATE/test-moto.log"
  python3 -m moto.server -H 127.0.0.1 -p "$PORT" >"$LOG" 2>&1 &
  MOTO_PID=$!
  DEADLINE=$((SECONDS + 60))
  until is_moto "$ENDPOINT"; do
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then
      echo "ferry test: moto exited before answering; its log ($LOG):" >&2
      tail -n 20 "$LOG" >&2
      MOTO_PID=""
      exit 1
    fi
    if [ "$SECONDS" -ge "$DEADLINE" ]; then
      echo "ferry test: moto did not answer on $ENDPOINT within 60 s; see $LOG" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "ferry test: moto (pid $MOTO_PID) ready on $ENDPOINT in $((SECONDS - STARTED_AT)) s" >&2
fi

cd "$ROOT"
mvn -B -ntp verify -Dferry.aws.endpoint="$ENDPOINT" "$@"
STATUS=$?

# Totals of the reports this run wrote (surefire *Test and failsafe *IT, every module).
COUNTS="$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -path '*/target/surefire-reports/TEST-*.xml' -o -path '*/target/failsafe-reports/TEST-*.xml' \) \
  -newer "$MARKER" -print 2>/dev/null | python3 -c '
import sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for path in sys.stdin.read().split():
    try:
        r = ET.parse(path).getroot()
    except Exception:
        continue
    t += int(r.get("tests", 0)); f += int(r.get("failures", 0)); e += int(r.get("errors", 0)); s += int(r.get("skipped", 0))
print(f"{t} tests, {f} failures, {e} errors, {s} skipped")' 2>/dev/null)"
rm -f "$MARKER"

if [ "$STATUS" -eq 0 ]; then
  echo "ferry test: PASSED — ${COUNTS:-no test reports} — in $((SECONDS - STARTED_AT)) s against $ENDPOINT"
else
  echo "ferry test: FAILED (mvn exit status $STATUS) — ${COUNTS:-no test reports} — in $((SECONDS - STARTED_AT)) s against $ENDPOINT"
fi
exit "$STATUS"
