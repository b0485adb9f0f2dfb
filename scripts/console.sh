# Sourced by ./ferry, the test scripts and the Makefile: builds the operator console (console/) into
# console/dist when it is stale; the functions' build then packages it (functions/pom.xml), so build it first.
#   console_build_if_stale           warn and go on when Node.js >= 20 is missing or the build fails
#   console_build_if_stale required  fail instead (tests)
# Dependencies are installed with `npm ci` from the committed package-lock.json when node_modules is
# missing or older than the lockfile; `npm run build` runs when dist/ is missing or older than a source.

console_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

console_build_if_stale() {
  local required="${1:-}" dir="$ROOT/console" major
  _console_fail() {
    if [ "$required" = required ]; then echo "console: $1" >&2; return 1; fi
    echo "console: $1 — the API works without it; the console at /console/ will say it is not built" >&2
    return 0
  }
  major="$(console_node_major)"
  if [ "${major:-0}" -lt 20 ]; then
    _console_fail "Node.js >= 20 is needed to build it (found: $(command -v node >/dev/null 2>&1 && node --version || echo none))"
    return $?
  fi
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "console: installing its dependencies (npm ci)…" >&2
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2; then
      _console_fail "npm ci failed"
      return $?
    fi
  fi
  if [ ! -f "$dir/dist/index.html" ] || [ -n "$(find "$dir/src" "$dir/index.html" "$dir/vite.config.ts" "$dir/package-lock.json" \
      "$dir"/tsconfig*.json -newer "$dir/dist/index.html" -print -quit 2>/dev/null)" ]; then
    echo "console: building (npm run build)…" >&2
    if ! (cd "$dir" && npm run --silent build) >&2; then
      _console_fail "the build failed"
      return $?
    fi
  fi
  return 0
}
