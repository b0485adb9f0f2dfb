# Sourced by ./ferry and the scripts: picks a JDK >= 21 (JAVA_HOME first, then the JDKs
# installed on the machine) and exports JAVA_HOME, PATH and MAVEN_OPTS for it.
java_major() { # prints the major version of the java binary $1, or 0
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  v=${v#1.}
  echo "${v:-0}"
}

find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local d
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.jdks/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local best="" best_v=0 c v
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(java_major "$c/bin/java")
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$c"; best_v=$v; fi
    # JAVA_HOME wins when it is recent enough.
    if [ "$c" = "${JAVA_HOME:-}" ] && [ "$v" -ge 21 ]; then best="$c"; break; fi
  done
  if [ -z "$best" ]; then
    echo "ferry: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm, SDKMAN, macOS JDKs)." >&2
    echo "ferry: install one (e.g. Temurin 21) or point JAVA_HOME at it." >&2
    exit 1
  fi
  echo "$best"
}

export JAVA_HOME="$(find_jdk)"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries touch sun.misc.Unsafe; keep newer JDKs quiet about it.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi

