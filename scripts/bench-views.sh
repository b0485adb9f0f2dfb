#!/usr/bin/env bash
# The Executions and Logs views at volume (docs/benchmarks.md, "Views"): builds, starts the
# emulator (unless FERRY_AWS_ENDPOINT is set), loads 100,000 executions and 100,000 log lines,
# and prints the report. Usage: scripts/bench-views.sh [executions] [logLines] [runs]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
mvn -q -B -DskipTests package -pl bench -am >&2
. "$ROOT/scripts/emulator.sh"
FERRY_EMULATOR_PORT="${FERRY_EMULATOR_PORT:-4598}" start_emulator
export FERRY_REPO_ROOT="$ROOT"
"$JAVA_HOME/bin/java" -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/runtime-classpath.txt")" \
  dev.ferry.bench.ViewsBenchmark "${1:-100000}" "${2:-100000}" "${3:-5}"
