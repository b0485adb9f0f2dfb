#!/usr/bin/env bash
# ./ferry test: the whole suite. Unit tests (*Test, no network), integration and end-to-end tests
# (*IT) against an AWS emulator this script starts and stops (or FERRY_AWS_ENDPOINT).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
. "$ROOT/scripts/emulator.sh"
cd "$ROOT"
start_emulator
started=$SECONDS
set +e
mvn -B -ntp verify -Dferry.aws.endpoint="$FERRY_AWS_ENDPOINT" "$@"
rc=$?
set -e
echo "ferry test: mvn verify exited $rc after $((SECONDS - started)) s (emulator $FERRY_AWS_ENDPOINT)"
exit $rc
