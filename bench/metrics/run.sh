#!/usr/bin/env bash
# Start-up cost of the first embedded-metric line: Ferry's EmfMetrics way (maps and the ObjectMapper
# already loaded) against aws-embedded-metrics-java 4.2.0 in its Lambda environment, each in fresh
# JVMs run alternately (so machine load hits both alike), with the functions' JVM flags. Nothing is
# sent anywhere: the Lambda environment writes the line to stdout.
# Usage: bench/metrics/run.sh [runs] (default 10)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"
RUNS="${1:-10}"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
mvn -q -B -f "$ROOT/bench/metrics/pom.xml" dependency:build-classpath -Dmdep.outputFile="$OUT/cp" >&2
CP="$(cat "$OUT/cp")"
JACKSON="$(tr ':' '\n' < "$OUT/cp" | grep '/com/fasterxml/jackson/' | paste -sd:)"
"$JAVA_HOME/bin/javac" -d "$OUT" -cp "$CP" "$ROOT"/bench/metrics/*.java
FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
export AWS_LAMBDA_FUNCTION_NAME=bench AWS_EMF_ENVIRONMENT=Lambda
echo "run writer_us library_us"
for i in $(seq 1 "$RUNS"); do
  w=$("$JAVA_HOME/bin/java" $FLAGS -cp "$OUT:$JACKSON" Writer 2>/dev/null)
  l=$("$JAVA_HOME/bin/java" $FLAGS -cp "$OUT:$CP" Library 2>/dev/null)
  echo "$i $w $l"
done | tee "$OUT/runs"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median writer: $(awk '{print $2}' "$OUT/runs" | median) us, library: $(awk '{print $3}' "$OUT/runs" | median) us"
