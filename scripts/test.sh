#!/usr/bin/env bash
# Builds everything and runs every test. This is the README's test command and what CI runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
cd "$build"
ctest --output-on-failure -j "${KIOSK_JOBS:-$(nproc)}" --timeout 900
