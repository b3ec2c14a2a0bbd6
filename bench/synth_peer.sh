#!/usr/bin/env bash
# kws synth against the way speech data was made before it: one espeak-ng
# process per clip (the espeak-ng command-line program) and sox to bring the
# 22,050 Hz output to 16 kHz. Same voice (en-us+m3), same word, same count,
# one core, files written in both; kws synth clean (--no-augment) and with
# its full augmentation (room, noise, band, gain, speed).
#   bench/synth_peer.sh [CLIPS]         (default 300; docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
clips=${1:-300}
kws=build/apps/kws/kws
command -v espeak-ng > /dev/null || { echo "needs espeak-ng (apt-get install espeak-ng)" >&2; exit 77; }
command -v sox > /dev/null || { echo "needs sox" >&2; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() { date +%s.%N; }

start=$(seconds)
for i in $(seq "$clips"); do
  espeak-ng -v en-us+m3 -w "$work/raw.wav" "go"
  sox "$work/raw.wav" -r 16000 "$work/peer_$i.wav"
done
peer=$(awk -v a="$(seconds)" -v b="$start" 'BEGIN { print a - b }')

run() {  # label, then kws synth arguments
  local label=$1
  shift
  local t0
  t0=$(seconds)
  "$kws" synth --out "$work/$label" --keyword go --keyword-clips "$clips" \
    --voices espeak-en-us-m3 --jobs 1 --quiet "$@" > /dev/null
  awk -v a="$(seconds)" -v b="$t0" 'BEGIN { print a - b }'
}
clean=$(run clean --no-augment)
augmented=$(run augmented)
printf '%-44s %8s %10s\n' "one core, $clips clips of \"go\", en-us+m3" seconds "clips/s"
row() { awk -v l="$1" -v s="$2" -v n="$clips" 'BEGIN { printf "%-44s %8.2f %10.1f\n", l, s, n / s }'; }
row "espeak-ng + sox, a process each per clip" "$peer"
row "kws synth --no-augment" "$clean"
row "kws synth (augmented)" "$augmented"
