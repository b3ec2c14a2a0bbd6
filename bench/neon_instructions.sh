#!/usr/bin/env bash
# Guest instructions executed by the int8 conv kernels on AArch64, NEON
# against portable, counted under qemu-user: one instruction per translation
# block (-singlestep) and every executed block logged (-d exec,nochain) with
# its function's symbol; lines in tinykws::runtime's Conv* functions are
# summed and divided by the clips classified.
#   bench/neon_instructions.sh MODEL.kws [CLIPS]
# Needs the cross build (scripts/cross_test.sh aarch64 makes build-aarch64/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
model=${1:?usage: $0 MODEL.kws [CLIPS]}
clips=${2:-4}
kws=build-aarch64/apps/kws/kws
count() {  # extra kws bench flags; prints conv instructions per clip
  qemu-aarch64 -singlestep -d exec,nochain -D /dev/stdout \
    "$kws" bench --model "$model" --clips "$clips" --warmup 0 "$@" 2> /dev/null |
    awk -v clips="$clips" '/^Trace/ && $NF ~ /^_ZN7tinykws7runtime.*Conv/ { n++ }
                           END { printf "%.0f", n / clips }'
}
neon=$(count)
portable=$(count --portable)
awk -v m="$model" -v n="$neon" -v p="$portable" 'BEGIN {
  printf "%s: conv instructions per clip: neon %d, portable %d: %.2fx fewer\n",
         m, n, p, p / n }'
