#!/usr/bin/env bash
# The console's end-to-end tests (Playwright in Debian's Chromium) against a local stack they start.
#   bash console/scripts/e2e.sh [playwright args…]      (./ferry test runs it too)
# It builds the console when stale, starts its own AWS emulator (moto on a free port, stopped on
# exit), and runs `playwright test`, whose global set-up starts ./ferry local on free ports.
# FERRY_CHROMIUM: the browser (default /usr/bin/chromium; `apt-get install -y chromium`).
# FERRY_SCREENSHOTS_DIR: also copy the screenshots there (npm run screenshots: docs/console).
set -euo pipefail
CONSOLE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(dirname "$CONSOLE")"
. "$ROOT/scripts/console.sh"
. "$ROOT/scripts/emulator.sh"

browser="${FERRY_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$browser" ]; then
  echo "console e2e: no Chromium at $browser — install Debian's: apt-get install -y chromium (or set FERRY_CHROMIUM)" >&2
  exit 1
fi
console_build_if_stale required

# Its own emulator: the tests' state never mixes with another run's.
unset FERRY_AWS_ENDPOINT
FERRY_EMULATOR_PORT="${FERRY_E2E_EMULATOR_PORT:-4640}" start_emulator
cd "$CONSOLE"
set +e
npx --no-install playwright test "$@"
rc=$?
set -e
exit $rc
