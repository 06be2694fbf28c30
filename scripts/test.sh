#!/usr/bin/env bash
# Builds everything and runs every test. This is the README's test command and what CI runs.
# The format check (scripts/format.sh --check) runs after the build. After the normal suite: the whole suite again under ASan + UBSan (scripts/sanitize.sh) and a
# short run of every fuzz target (scripts/fuzz.sh, 10 s each). KIOSK_QUICK=1 skips those two.
# A test that cannot run here (not root, no Xvfb) is reported as Skipped by CTest; with
# KIOSK_NO_SKIP=1 (set by .ci/run) it fails instead, in both suites (tests/support/skip.hpp).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
# Formatting is part of the suite: every tracked C++ file as .clang-format says (clang-format 14,
# --dry-run -Werror); scripts/format.sh rewrites them.
"$root/scripts/format.sh" --check
(cd "$build" && ctest --output-on-failure -j "${KIOSK_JOBS:-$(nproc)}" --timeout 900)
if [[ "${KIOSK_QUICK:-0}" != 1 ]]; then
  "$root/scripts/sanitize.sh"
  KIOSK_FUZZ_SECONDS=${KIOSK_FUZZ_SECONDS:-10} "$root/scripts/fuzz.sh"
fi
