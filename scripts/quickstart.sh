#!/usr/bin/env bash
# The main job, from a fresh clone:
#   set up -> make the synthetic speech (scripts/make_speech_data.sh: words,
#   neighbours and sentences in training voices; sentences in validation and
#   evaluation voices) -> train the open-set detector (go, stop, _unknown_,
#   _silence_) on the real data plus the training speech -> export int8 with
#   its detector calibrated on the validation split and the validation
#   voices' sentences -> evaluate it on the testing split, clip by clip and on
#   streams plus 3.2 h of sentences in voices it never heard -> then the
#   seed's study: the seed and tuned go/stop recipes and the reference model
#   (trained once; reused afterwards), evaluated against the reference.
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

echo "== tinykws quickstart, data: $data"
echo "   It trains the open-set go/stop detector (go, stop, _unknown_, _silence_) twice,"
echo "   with a hard-negative mining round between, exports it to int8 with its detector"
echo "   calibrated, and evaluates it: the model to ship is"
echo "   runs/go_stop_4class/go_stop_4class.kws. Then 3 small models of the 2-class go/stop"
echo "   study (not detectors). About 10 minutes on 2 cores, after a first build of ~15."
scripts/setup.sh
train=build/apps/kws-train/kws-train
kws=build/apps/kws/kws
mkdir -p runs reports

# Trains CONFIG into runs/NAME unless a finished run is there, then exports.
# Arguments after CONFIG NAME up to "--" go to the training (more --data),
# the rest to the export.
train_and_export() {
  local config=$1 name=$2
  shift 2
  local train_args=()
  while (($#)) && [[ "$1" != -- ]]; do
    train_args+=("$1")
    shift
  done
  (($#)) && shift
  if [[ ! -f runs/$name/summary.json ]]; then
    echo "== training $config -> runs/$name"
    "$train" train --config "$config" --data "$data" ${train_args[@]+"${train_args[@]}"} \
      --out "runs/$name" --force
  else
    echo "== runs/$name is already trained (delete it to train again)"
  fi
  "$train" export --run "runs/$name" --data "$data" --out "runs/$name/$name.kws" --force "$@"
}

scripts/make_speech_data.sh data/synth
speech=(--data data/synth/train --data data/synth/neighbours)
calibration=(--negatives data/synth/validation/_speech_)
# A first model, a hard-negative mining round over the training sentences
# (the windows where it scores a keyword), and the detector trained again
# with them (docs/training.md, round 7).
train_and_export configs/go_stop_4class.toml go_stop_4class_first \
  "${speech[@]}" -- "${calibration[@]}"
if [[ ! -d runs/go_stop_4class_mined ]]; then
  echo "== mining hard negatives with runs/go_stop_4class_first"
  "$train" mine --model runs/go_stop_4class_first/go_stop_4class_first.kws \
    --negatives data/synth/train/_speech_ --out runs/go_stop_4class_mined \
    --min-score 0.3 --max-windows 3000
fi
train_and_export configs/go_stop_4class.toml go_stop_4class \
  "${speech[@]}" --data runs/go_stop_4class_mined -- "${calibration[@]}"
echo "== evaluating runs/go_stop_4class/go_stop_4class.kws on the testing split"
"$kws" eval --model runs/go_stop_4class/go_stop_4class.kws --data "$data" --split testing \
  --run runs/go_stop_4class --report reports/go_stop_4class.json \
  --html reports/go_stop_4class.html --markdown reports/go_stop_4class.md \
  | tee reports/go_stop_4class.txt
echo "== spotting streams built from the testing split, and 3.2 h of sentences in unheard voices"
"$kws" spot-eval --model runs/go_stop_4class/go_stop_4class.kws --data "$data" --split testing \
  --negatives data/synth/evaluation/_speech_ \
  --report reports/go_stop_4class_stream.json --html reports/go_stop_4class_stream.html \
  --markdown reports/go_stop_4class_stream.md | tee reports/go_stop_4class_stream.txt

# The go/stop study: 2-class models (go or stop, nothing else), so no
# streaming detector is calibrated for them; the reference is a latency and
# size baseline only.
echo "== the go/stop study (2-class models, not detectors)"
train_and_export configs/go_stop.toml go_stop -- --no-detector-calibration
train_and_export configs/go_stop_tuned.toml go_stop_tuned -- --no-detector-calibration
train_and_export configs/reference.toml reference -- --no-detector-calibration
for name in go_stop go_stop_tuned; do
  "$kws" eval --model "runs/$name/$name.kws" --data "$data" --split testing \
    --reference runs/reference/reference.kws --run "runs/$name" \
    --report "reports/$name.json" --html "reports/$name.html" \
    --markdown "reports/$name.md" > "reports/$name.txt"
done

model=runs/go_stop_4class/go_stop_4class.kws
echo
echo "== done. The model to ship: $model ($(stat -c %s "$model") bytes, int8;"
echo "   go, stop, _unknown_, _silence_; its streaming detector is in the file)"
echo "   testing split, clip by clip: $(tail -n 1 reports/go_stop_4class.txt)"
echo "   continuous audio: $(tail -n 1 reports/go_stop_4class_stream.txt)"
echo "   reports: reports/go_stop_4class.html, reports/go_stop_4class_stream.html"
echo "   listen:  $kws spot --model $model recording.wav   (or a microphone: README)"
echo "   deploy:  $kws convert --model $model --format tflite|onnx|c-array --out FILE"
echo "            (docs/deploy.md), or the C, C++, Python and micro APIs (examples/)"
echo "   The go/stop study (2-class, not detectors): reports/go_stop_tuned.html, reports/go_stop.html"
