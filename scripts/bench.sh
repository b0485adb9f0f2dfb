#!/usr/bin/env bash
# The benchmark record of docs/benchmarks.md: builds, starts the emulator (unless
# FERRY_AWS_ENDPOINT is set), and prints the report as Markdown: AWS calls, cost per million
# one-step executions, webhook acceptance throughput against the emulator's raw rate, start-up of
# every function (fresh JVM, and primed), the package size, pause/unpause calls.
# Usage: scripts/bench.sh [runs [requests [threads]]] (default 5 400 8; `1 40 2` is a quick smoke run);
# scripts/bench.sh pause (only the pause/unpause call counts); scripts/bench.sh cost (only calls and cost);
# scripts/bench.sh startup [runs] (only the start-up table: runs fresh JVMs per handler, cold and primed, default 5);
# scripts/bench.sh replay [executions [all]] (bulk replay, default 10000).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
mvn -q -B -DskipTests package -pl bench -am >&2
. "$ROOT/scripts/emulator.sh"
start_emulator
export FERRY_REPO_ROOT="$ROOT"
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/runtime-classpath.txt")"
if [ "${1:-}" = replay ]; then
  "$JAVA_HOME/bin/java" -cp "$CP" dev.ferry.bench.ReplayBenchmark "${2:-10000}" ${3:-}
  exit
fi
case "${1:-}" in
  pause|cost) "$JAVA_HOME/bin/java" -cp "$CP" dev.ferry.bench.Benchmarks "$1" ;;
  startup) "$JAVA_HOME/bin/java" -cp "$CP" dev.ferry.bench.Benchmarks startup "${2:-5}" ;;
  *) "$JAVA_HOME/bin/java" -cp "$CP" dev.ferry.bench.Benchmarks "${1:-5}" "${2:-400}" "${3:-8}" ;;
esac
