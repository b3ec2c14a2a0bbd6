#!/usr/bin/env bash
# Builds (if needed) and runs every test. Extra arguments go to ctest, e.g.
#   scripts/test.sh -L unit        only the fast unit tests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
