#!/usr/bin/env bash
# The main job, from a fresh clone:
#   set up -> train the seed recipe and the tuned recipe -> export int8 ->
#   train + export the reference model (once; reused afterwards) ->
#   evaluate on the testing split against the reference -> reports.
#
#   scripts/quickstart.sh [DATA_DIR]
#
# Data: DATA_DIR, else $TINYKWS_DATA, else data/speech_commands/, else
# ../shared/data/speech_commands. Outputs go to runs/ and reports/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_data() {
  local candidate
  for candidate in "${1:-}" "${TINYKWS_DATA:-}" data/speech_commands ../shared/data/speech_commands; do
    if [[ -n "$candidate" && -d "$candidate" ]]; then
      echo "$candidate"
      return
    fi
  done
}

data=$(find_data "${1:-}")
if [[ -z "$data" ]]; then
  if [[ -n "${1:-}" ]]; then
    echo "error: data folder '$1' does not exist" >&2
    exit 1
  fi
  scripts/get_data.sh data/speech_commands
  data=data/speech_commands
fi

scripts/setup.sh
train=build/apps/kws-train/kws-train
kws=build/apps/kws/kws
mkdir -p runs reports

# Trains CONFIG into runs/NAME unless a finished run is there, then exports.
train_and_export() {
  local config=$1 name=$2
  if [[ ! -f runs/$name/summary.json ]]; then
    echo "== training $config -> runs/$name"
    "$train" train --config "$config" --data "$data" --out "runs/$name" --force
  else
    echo "== runs/$name is already trained (delete it to train again)"
  fi
  "$train" export --run "runs/$name" --data "$data" --out "runs/$name/$name.kws"
}

train_and_export configs/go_stop.toml go_stop
train_and_export configs/go_stop_tuned.toml go_stop_tuned
train_and_export configs/reference.toml reference

for name in go_stop go_stop_tuned; do
  echo "== evaluating runs/$name/$name.kws on the testing split"
  "$kws" eval --model "runs/$name/$name.kws" --data "$data" --split testing \
    --reference runs/reference/reference.kws --run "runs/$name" \
    --report "reports/$name.json" --html "reports/$name.html" --markdown "reports/$name.md"
done
echo "reports: reports/go_stop_tuned.html (best recipe), reports/go_stop.html (seed recipe)"
