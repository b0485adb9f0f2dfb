#!/usr/bin/env bash
# Start-up cost of the first structured log line, Ferry's Log facade against SLF4J + logback +
# logstash-logback-encoder, each in fresh JVMs run alternately (so machine load hits both alike),
# with the functions' JVM flags. Prints microseconds per run and the medians.
# Usage: bench/logging/run.sh [runs] (default 10)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"
RUNS="${1:-10}"
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
jar() { # groupId artifactId version
  mvn -q -B dependency:get -Dartifact="$1:$2:$3" -Dtransitive=false >&2
  echo "$M2/${1//.//}/$2/$3/$2-$3.jar"
}
JACKSON="$(jar com.fasterxml.jackson.core jackson-databind 2.22.3):$(jar com.fasterxml.jackson.core jackson-core 2.22.3):$(jar com.fasterxml.jackson.core jackson-annotations 2.22)"
LOGBACK="$(jar org.slf4j slf4j-api 2.0.17):$(jar ch.qos.logback logback-classic 1.5.18):$(jar ch.qos.logback logback-core 1.5.18):$(jar net.logstash.logback logstash-logback-encoder 8.1)"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
"$JAVA_HOME/bin/javac" -d "$OUT" -cp "$JACKSON:$LOGBACK" "$ROOT"/bench/logging/*.java
cp "$ROOT/bench/logging/logback.xml" "$OUT/"
FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
echo "run facade_us logback_us"
for i in $(seq 1 "$RUNS"); do
  f=$("$JAVA_HOME/bin/java" $FLAGS -cp "$OUT:$JACKSON" Facade 2>/dev/null)
  l=$("$JAVA_HOME/bin/java" $FLAGS -cp "$OUT:$JACKSON:$LOGBACK" Logback 2>/dev/null)
  echo "$i $f $l"
done | tee "$OUT/runs"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median facade: $(awk '{print $2}' "$OUT/runs" | median) us, logback: $(awk '{print $3}' "$OUT/runs" | median) us"
