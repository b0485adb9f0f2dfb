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
cd "$ROOT"
mkdir -p "$ROOT/.ferry"
marker="$ROOT/.ferry/test.started"
touch "$marker"
started=$SECONDS
# Its own emulator, away from 4566, so a running ./ferry local never shares (and never loses) state.
FERRY_EMULATOR_PORT="${FERRY_EMULATOR_PORT:-4599}" start_emulator
set +e
mvn -B -ntp verify -Dferry.aws.endpoint="$FERRY_AWS_ENDPOINT" "$@"
rc=$?
set -e

# Totals of the test reports this run wrote (surefire and failsafe, every module).
counts="$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -path '*/target/surefire-reports/TEST-*.xml' \
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
rm -f "$marker"
if [ "$rc" -eq 0 ]; then verdict=PASSED; else verdict="FAILED (mvn exit status $rc)"; fi
echo "ferry test: $verdict — ${counts:-no test reports} — in $((SECONDS - started)) s against $FERRY_AWS_ENDPOINT"
exit $rc
