#!/usr/bin/env bash
# Builds (if needed) and runs every test; then the unit tests of the lean
# libraries again under AddressSanitizer + UndefinedBehaviorSanitizer (leaks
# included), the shared-model thread tests under ThreadSanitizer, and each
# libFuzzer target for TINYKWS_FUZZ_SECONDS (default 30; needs clang).
# Extra arguments go to the first ctest run, e.g.
#   scripts/test.sh -L unit        only the fast unit tests
# TINYKWS_SKIP_SANITIZERS=1 skips the sanitizer builds and the fuzzing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs=$(nproc)
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs" "$@")

if [[ "${TINYKWS_SKIP_SANITIZERS:-0}" != 1 ]]; then
  echo "== unit tests under address+undefined sanitizers (build-sanitize/) =="
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTINYKWS_SANITIZE=address+undefined -DTINYKWS_BUILD_TRAIN=OFF \
    -DTINYKWS_BUILD_BENCH=OFF -DTINYKWS_BUILD_APPS=OFF > /dev/null
  cmake --build build-sanitize -j"$jobs"
  (cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 \
    LSAN_OPTIONS="suppressions=$PWD/../tests/lsan_suppressions.txt" \
    ctest --output-on-failure -j"$jobs" -L unit)
  echo "== shared-model thread tests under ThreadSanitizer (build-tsan/) =="
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTINYKWS_SANITIZE=thread -DTINYKWS_BUILD_TRAIN=OFF \
    -DTINYKWS_BUILD_BENCH=OFF -DTINYKWS_BUILD_APPS=OFF > /dev/null
  cmake --build build-tsan -j"$jobs" --target threads_test
  (cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -L threads)
  echo "== fuzzing, ${TINYKWS_FUZZ_SECONDS:-30} s per target (build-fuzz/) =="
  scripts/fuzz.sh "${TINYKWS_FUZZ_SECONDS:-30}"
fi
