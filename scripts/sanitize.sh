#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer (-DKIOSK_SANITIZE=ON) in
# build-asan/ (or $KIOSK_ASAN_DIR) and runs the whole suite there. The programs the tests start
# (kioskctl, kiosk, kiosk-backend) are sanitized too and inherit the options below; a report
# from any of them fails its test. Leaks inside Mesa/GLX/fontconfig (the kiosk under Xvfb) are
# suppressed by tests/sanitizers/lsan.supp; see docs/HARDENING.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_ASAN_DIR:-$root/build-asan}
jobs=${KIOSK_JOBS:-$(nproc)}
"$root/scripts/bootstrap.sh"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DKIOSK_SANITIZE=ON -DKIOSK_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" -j "$jobs"
cd "$build"
# -LE packaging: lintian, systemd-analyze and nginx -t over the packages ran in the normal stage.
ctest --output-on-failure -j "$jobs" --timeout 1800 -LE packaging
