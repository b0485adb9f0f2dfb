#!/usr/bin/env bash
# ./ferry test: the whole suite. Unit tests (*Test, surefire, no network), integration and
# end-to-end tests (*IT, failsafe) of every module against an AWS emulator this script starts and
# always stops (scripts/emulator.sh: moto on 4599, or the next free port, never the 4566 of a
# running ./ferry local) — or the one FERRY_AWS_ENDPOINT names. Extra arguments
# go to Maven (e.g. ./ferry test -pl core -am). The exit status is Maven's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
. "$ROOT/scripts/emulator.sh"
. "$ROOT/scripts/console.sh"
cd "$ROOT"
mkdir -p "$ROOT/.ferry"
marker="$ROOT/.ferry/test.started"
touch "$marker"
started=$SECONDS
# Its own emulator, away from 4566, so a running ./ferry local never shares (and never loses) state.
FERRY_EMULATOR_PORT="${FERRY_EMULATOR_PORT:-4599}" start_emulator
set +e
console_rc=0
console_built=1
if [ $# -eq 0 ]; then
  # Before Maven: the functions' package carries the built console (ConsoleFunction serves it).
  console_build_if_stale required || { console_rc=1; console_built=0; }
fi
# Failsafe merges a run's results into the summary file it finds, so a failure of an earlier run
# would fail this one's verify: each run starts without them.
rm -f "$ROOT"/*/target/failsafe-reports/failsafe-summary*.xml
mvn -B -ntp verify -Dferry.aws.endpoint="$FERRY_AWS_ENDPOINT" "$@"
rc=$?
if [ $# -eq 0 ]; then
  # verify built every module as `./ferry local` would: the end-to-end tests' stack need not build again.
  [ "$rc" -eq 0 ] && touch "$ROOT/.ferry/build.stamp"
  rm -f "$ROOT"/console/reports/*-junit.xml
  echo "ferry test: the console's component tests (Vitest)" >&2
  if [ "$console_built" = 1 ]; then
    (cd "$ROOT/console" && npx --no-install vitest run --reporter=default --reporter=junit \
        --outputFile.junit=reports/vitest-junit.xml) || console_rc=$?
  fi
  echo "ferry test: the console's end-to-end tests (Playwright, Chromium)" >&2
  bash "$ROOT/console/scripts/e2e.sh" || console_rc=$?
fi
set -e

# Totals of the test reports this run wrote (surefire and failsafe, every module).
counts="$(find "$ROOT" -path "$ROOT/.git" -prune -o -path "$ROOT/console" -prune -o \( -path '*/target/surefire-reports/TEST-*.xml' \
    -o -path '*/target/failsafe-reports/TEST-*.xml' \) -newer "$marker" -print 2>/dev/null | python3 -c '
import sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for path in sys.stdin.read().split():
    try:
        r = ET.parse(path).getroot()
    except Exception:
        continue
    t += int(r.get("tests", 0)); f += int(r.get("failures", 0)); e += int(r.get("errors", 0)); s += int(r.get("skipped", 0))
print(f"{t} tests, {f} failures, {e} errors, {s} skipped")' 2>/dev/null || true)"
console_counts=""
if [ $# -eq 0 ]; then
  console_counts="$(python3 - "$ROOT/console/reports/vitest-junit.xml" "$ROOT/console/reports/e2e-junit.xml" <<'PY' 2>/dev/null || true
import sys, xml.etree.ElementTree as ET
out = []
for path, what in zip(sys.argv[1:], ["component", "end-to-end"]):
    try:
        r = ET.parse(path).getroot()
        t = int(r.get("tests", 0)); f = int(r.get("failures", 0)) + int(r.get("errors", 0)); s = int(r.get("skipped", 0))
        out.append(f"{t} {what} tests ({f} failed, {s} skipped)")
    except Exception:
        out.append(f"no {what} test report")
print("; console: " + ", ".join(out))
PY
)"
fi
rm -f "$marker"
if [ "$rc" -eq 0 ] && [ "$console_rc" -eq 0 ]; then verdict=PASSED
elif [ "$rc" -ne 0 ]; then verdict="FAILED (mvn exit status $rc)"
else verdict="FAILED (console tests exit status $console_rc)"; fi
echo "ferry test: $verdict — ${counts:-no test reports}${console_counts} — in $((SECONDS - started)) s against $FERRY_AWS_ENDPOINT"
[ "$rc" -eq 0 ] && exit "$console_rc"
exit $rc
