#!/usr/bin/env bash
# Builds the libFuzzer targets (Clang, ASan + UBSan, in build-fuzz/) and runs
# each for SECONDS (default 60) with a 2 GB memory limit and a 10 s per-input
# time limit, starting from the seed corpora in the repository. New inputs
# go to build-fuzz/corpus/<target>/; a finding (crash, leak, timeout, OOM)
# is written as build-fuzz/findings/<target>/* and fails the script.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 30
# Replay a finding: build-fuzz/tests/fuzz/<target>_fuzz FILE
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(model_file session spotter audio config resampler micro sweep tflite)
fi
if ! command -v clang++ > /dev/null; then
  echo "error: clang++ is missing (scripts/setup.sh installs clang)" >&2
  exit 1
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTINYKWS_FUZZ=ON -DTINYKWS_BUILD_TESTS=OFF -DTINYKWS_BUILD_APPS=OFF \
  -DTINYKWS_BUILD_TRAIN=OFF -DTINYKWS_BUILD_BENCH=OFF > /dev/null
cmake --build build-fuzz -j"$(nproc)" > /dev/null
seeds() {
  case $1 in
    model_file) echo tests/fuzz/seeds/model tests/fuzz/seeds/micro ;;  # + version 2
    session | spotter) echo tests/fuzz/seeds/runtime ;;  # the small models
    micro) echo tests/fuzz/seeds/runtime tests/fuzz/seeds/micro ;;
    audio) echo tests/fuzz/seeds/audio data/fixtures ;;
    config) echo configs tests/fuzz/seeds/config ;;
    resampler) echo tests/fuzz/seeds/resampler ;;
    sweep) echo tests/fuzz/seeds/sweep ;;
    tflite) echo tests/fuzz/seeds/tflite ;;
  esac
}
status=0
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/findings/$t"
  log="build-fuzz/findings/$t.log"
  # shellcheck disable=SC2046
  if "build-fuzz/tests/fuzz/${t}_fuzz" -max_total_time="$seconds" \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/findings/$t/" \
      "build-fuzz/corpus/$t" $(seeds "$t") > "$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
    echo "fuzz $t: ${runs:-?} executions in ${seconds} s, no finding"
  else
    echo "fuzz $t: FINDING (see $log and build-fuzz/findings/$t/)" >&2
    tail -n 30 "$log" >&2
    status=1
  fi
done
exit $status
