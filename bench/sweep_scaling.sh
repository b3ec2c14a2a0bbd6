#!/usr/bin/env bash
# Sweep throughput against the number of processes: the same sweep (the seed
# study's space, TRIALS random trials, one seed, EPOCHS epochs, no early
# stopping) run as
#   1 process with all cores,
#   --workers 2 (two processes on this machine, cores / 2 threads each),
#   4 processes started like 4 machines (MASTER_ADDR/.../RANK, 1 thread each),
# each into a fresh folder, with the feature cache warmed first so that every
# run does the same work. Prints wall seconds and items per minute.
#   bench/sweep_scaling.sh DATA_DIR [TRIALS] [EPOCHS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=${1:?usage: $0 DATA_DIR [TRIALS] [EPOCHS]}
trials=${2:-8}
epochs=${3:-10}
train=build/apps/kws-train/kws-train
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e 's/^early_stopping = .*/early_stopping = "none"/' \
    -e 's/^seeds = .*/seeds = 1/' -e '/^\[marks\]/,/^$/d' \
    -e "s|^base = \"\\.\\./|base = \"$PWD/configs/|" \
    configs/sweeps/seed_study.toml > "$work/space.toml"
common=(--space "$work/space.toml" --data "$data" --trials "$trials"
        --cache-dir "$work/cache" -q)
items=$trials  # one seed, one rung: one item per trial
"$train" sweep "${common[@]}" --out "$work/warm" --epochs 1 > /dev/null

run() {  # name, then the command; prints the line for docs/benchmarks.md
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null
  end=$(date +%s.%N)
  awk -v n="$name" -v s="$start" -v e="$end" -v i="$items" \
    'BEGIN { printf "%-34s %7.1f s  %5.2f items/min\n", n, e - s, 60 * i / (e - s) }'
}
run "1 process, $(nproc) threads" "$train" sweep "${common[@]}" \
  --epochs "$epochs" --out "$work/one" --workers 1
run "2 processes (--workers 2)" "$train" sweep "${common[@]}" \
  --epochs "$epochs" --out "$work/two" --workers 2
four() {
  local port=$((29500 + RANDOM % 1000)) pids=()
  for rank in 1 2 3; do
    MASTER_ADDR=127.0.0.1 MASTER_PORT=$port RANK=$rank WORLD_SIZE=4 \
      "$train" sweep --data "$data" --out "$work/four_$rank" --threads 1 \
      --cache-dir "$work/cache" -q &
    pids+=($!)
  done
  MASTER_ADDR=127.0.0.1 MASTER_PORT=$port RANK=0 WORLD_SIZE=4 \
    "$train" sweep "${common[@]}" --epochs "$epochs" --out "$work/four" \
    --threads 1
  wait "${pids[@]}"
}
run "4 processes as 4 machines, 1 thread" four
