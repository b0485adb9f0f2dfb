#!/usr/bin/env bash
# The monitor evaluation record of docs/benchmarks.md: builds, starts the emulator (unless
# FERRY_AWS_ENDPOINT is set), seeds 1,000 monitors and measures. Usage: scripts/bench-monitors.sh [samples] [monitors]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
mvn -q -B -DskipTests package -pl bench -am >&2
. "$ROOT/scripts/emulator.sh"
start_emulator
export FERRY_REPO_ROOT="$ROOT"
"$JAVA_HOME/bin/java" -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/runtime-classpath.txt")" \
  dev.ferry.bench.MonitorBenchmark "${1:-50}" "${2:-1000}"
