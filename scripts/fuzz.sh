#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang 16, ASan and UBSan in build-fuzz/ (or
# $KIOSK_FUZZ_DIR) and runs each for $KIOSK_FUZZ_SECONDS (default 20) from its committed seed
# corpus. New inputs go to build-fuzz/corpus/<target>/ (not the repository); a crash, leak or
# UB report leaves build-fuzz/crashes/<target>/ and fails the script. $KIOSK_FUZZ_TARGETS picks
# targets ("input_engine tracking_code"). Long runs: docs/HARDENING.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_FUZZ_DIR:-$root/build-fuzz}
jobs=${KIOSK_JOBS:-$(nproc)}
secs=${KIOSK_FUZZ_SECONDS:-20}
"$root/scripts/bootstrap.sh"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang-16 CXX=clang++-16 cmake -S "$root" -B "$build" -G Ninja -DKIOSK_FUZZ=ON -DKIOSK_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" -j "$jobs" --target fuzz_all
targets=${KIOSK_FUZZ_TARGETS:-$(ls "$root/tests/fuzz/corpus")}
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=0
for t in $targets; do
  mkdir -p "$build/corpus/$t" "$build/crashes/$t" "$build/logs"
  log="$build/logs/$t.log"
  if "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/crashes/$t/" "$build/corpus/$t" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    echo "fuzz $t: ${secs}s, ${runs:-?} inputs, coverage ${cov:-?} edges, corpus $(ls "$build/corpus/$t" | wc -l) new: no crash"
  else
    echo "fuzz $t: FAILED — log $log, inputs in $build/crashes/$t/" >&2
    tail -n 40 "$log" >&2
    failed=1
  fi
done
exit $failed
