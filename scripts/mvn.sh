#!/usr/bin/env bash
# Maven with a JDK >= 21 picked by scripts/jdk.sh (used by the Makefile for `sam build`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT" && exec mvn "$@"
