#!/usr/bin/env bash
# Configures and builds into build/ (or $KIOSK_BUILD_DIR). Extra arguments go to CMake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_BUILD_DIR:-$root/build}
"$root/scripts/bootstrap.sh"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
fi
jobs=${KIOSK_JOBS:-$(nproc)}
cmake --build "$build" -j "$jobs"
