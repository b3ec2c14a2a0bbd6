#!/usr/bin/env bash
# Real-time factor of `kws spot` on a 10-minute FLAC recording, decoding
# included, one thread: writes the testing split's keyword stream (10 min)
# with `kws spot-eval --save-stream`, encodes it as FLAC (sox), and times
# `kws spot` on it REPS times.
#   bench/spot_rtf.sh MODEL.kws DATA_DIR [REPS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
model=${1:?usage: $0 MODEL.kws DATA_DIR [REPS]}
data=${2:?usage: $0 MODEL.kws DATA_DIR [REPS]}
reps=${3:-5}
kws=build/apps/kws/kws
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$kws" spot-eval --model "$model" --data "$data" --split testing --minutes 10 \
  --keyword-free-minutes 0 --save-stream "$work/stream.wav" --threads 1 > /dev/null
sox "$work/stream.wav" "$work/stream.flac"
echo "$(du -k "$work/stream.flac" | cut -f1) KB of FLAC"
for ((i = 0; i < reps; ++i)); do
  "$kws" spot --model "$model" "$work/stream.flac" 2>&1 > /dev/null | tail -n 1
done
