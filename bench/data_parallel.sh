#!/usr/bin/env bash
# Data-parallel training against one process, same global batch: the tuned
# go/stop recipe trained by 1 process (--batch-size 10, all cores) and by 2
# processes on 127.0.0.1 (--batch-size 5 each, 1 thread each), for each
# seed. Prints best-epoch validation accuracy, testing accuracy and time.
#   bench/data_parallel.sh DATA_DIR [SEEDS...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=${1:?usage: $0 DATA_DIR [SEEDS...]}
shift
seeds=("$@")
((${#seeds[@]})) || seeds=(1 2 3)
train=build/apps/kws-train/kws-train
config=configs/go_stop_tuned.toml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for seed in "${seeds[@]}"; do
  start=$(date +%s.%N)
  one=$("$train" train --config "$config" --data "$data" --out "$work/one$seed" \
    --seed "$seed" --batch-size 10 -q)
  mid=$(date +%s.%N)
  port=$((29500 + RANDOM % 1000))
  MASTER_ADDR=127.0.0.1 MASTER_PORT=$port RANK=1 WORLD_SIZE=2 \
    "$train" train --config "$config" --data "$data" --out "$work/x" \
    --seed "$seed" --batch-size 5 --threads 1 -q > /dev/null &
  two=$(MASTER_ADDR=127.0.0.1 MASTER_PORT=$port RANK=0 WORLD_SIZE=2 \
    "$train" train --config "$config" --data "$data" --out "$work/two$seed" \
    --seed "$seed" --batch-size 5 --threads 1 -q)
  wait
  end=$(date +%s.%N)
  awk -v s="$seed" -v a="$one" -v b="$two" -v t0="$start" -v t1="$mid" -v t2="$end" \
    'BEGIN { printf "seed %s\n  1 process : %s (%.0f s)\n  2 processes: %s (%.0f s)\n", s, a, t1 - t0, b, t2 - t1 }'
done
