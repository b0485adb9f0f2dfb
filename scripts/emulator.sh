# Sourced by the scripts: start_emulator makes sure an AWS emulator answers and exports
# FERRY_AWS_ENDPOINT. With FERRY_AWS_ENDPOINT already set (LocalStack, another moto) nothing is
# started. Otherwise moto is started on a free port (installed with pip only if it is missing)
# and stopped when the calling script exits.

free_port() {
  python3 - "$1" <<'PY'
import socket, sys
start = int(sys.argv[1])
for port in list(range(start, start + 50)) + [0]:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port)); print(s.getsockname()[1]); break
    except OSError:
        pass
    finally:
        s.close()
PY
}

# A free port that no other run of these scripts has claimed: two runs started at once would
# otherwise both find the same port free, and the second's tests would reset the first's moto.
# The claim is an flock on /tmp/ferry-emulator-<port>.lock held (by an fd this shell keeps open)
# until the script exits, so it is never stale. Sets EMULATOR_PORT; not to be called in a subshell,
# which would drop the lock with it.
claim_port() {
  local start=$1 candidate
  for candidate in $(seq "$start" $((start + 49))); do
    [ "$(free_port "$candidate")" = "$candidate" ] || continue
    exec {EMULATOR_LOCK_FD}>"/tmp/ferry-emulator-$candidate.lock" || continue
    if flock -n "$EMULATOR_LOCK_FD"; then EMULATOR_PORT=$candidate; return 0; fi
    exec {EMULATOR_LOCK_FD}>&-
  done
  return 1
}

start_emulator() {
  if [ -n "${FERRY_AWS_ENDPOINT:-}" ]; then
    echo "emulator: using FERRY_AWS_ENDPOINT=$FERRY_AWS_ENDPOINT" >&2
    return 0
  fi
  if ! python3 -c "import moto.server" >/dev/null 2>&1; then
    echo "emulator: moto is missing; installing moto[server] with pip" >&2
    python3 -m pip install --quiet 'moto[server]' >&2
  fi
  local port
  claim_port "${FERRY_EMULATOR_PORT:-4566}" || { echo "emulator: no free port to claim" >&2; return 1; }
  port=$EMULATOR_PORT
  EMULATOR_LOG="$(mktemp -t ferry-moto.XXXXXX)"
  python3 -m moto.server -H 127.0.0.1 -p "$port" >"$EMULATOR_LOG" 2>&1 &
  EMULATOR_PID=$!
  trap stop_emulator EXIT
  export FERRY_AWS_ENDPOINT="http://127.0.0.1:$port"
  local deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null "$FERRY_AWS_ENDPOINT/moto-api/" 2>/dev/null; do
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
      echo "emulator: moto exited; its log:" >&2; cat "$EMULATOR_LOG" >&2; return 1
    fi
    if [ $SECONDS -ge $deadline ]; then echo "emulator: moto did not answer within 60 s" >&2; return 1; fi
    sleep 0.2
  done
  echo "emulator: moto on $FERRY_AWS_ENDPOINT (pid $EMULATOR_PID)" >&2
}

stop_emulator() {
  if [ -n "${EMULATOR_PID:-}" ]; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    EMULATOR_PID=""
  fi
}
