#!/usr/bin/env bash
# A detector for words nobody recorded: synthetic keyword clips (kws synth),
# real recordings of other words, training as usual.
#
#   scripts/keyword_from_text.sh --keyword WORD [--keyword WORD2 ...] \
#       --data REAL_DIR --out WORK_DIR [--config CONFIG] [--seed S] [--epochs N]
#       [--no-augment]   (synthetic clips without kws synth's room, noise,
#                         band and speed: like the real clips they train with)
#
# REAL_DIR: a Speech Commands-style folder of real recordings (with its
# validation_list.txt / testing_list.txt); its folders named like a keyword
# are left out, every other word folder and _background_noise_ is used.
# WORK_DIR receives:
#   synth_keywords/    keyword clips, training voices (kws synth)
#   synth_validation/  keyword clips and 0.5 h of sentences, validation
#                      voices (never trained on)
#   synth_words/       other words, phonetic neighbours, 1 h of sentences
#   data/              the training folder: links to REAL_DIR's other words
#                      and noise, the keyword folders with synthetic clips;
#                      validation = the real list + the validation voices
#   run/, model.kws    the trained run and the exported detector, calibrated
#                      on the validation voices and real other words
# The config's labels must be the keywords (in order), then _unknown_ and
# _silence_; the default is configs/go_stop_4class.toml (go, stop).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keywords=() data="" work="" config=configs/go_stop_4class.toml seed=1 epochs=""
augment=(--augment)
while (($#)); do
  case "$1" in
    --keyword) keywords+=("$2"); shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) work=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --no-augment) augment=(--no-augment); shift ;;
    *) echo "error: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
  esac
done
if ((${#keywords[@]} == 0)) || [[ -z "$data" || -z "$work" ]]; then
  echo "usage: $0 --keyword WORD [--keyword WORD2 ...] --data REAL_DIR --out WORK_DIR [--config CONFIG]" >&2
  exit 2
fi
[[ -d "$data" ]] || { echo "error: $data is not a folder" >&2; exit 2; }
[[ -f "$config" ]] || { echo "error: $config does not exist" >&2; exit 2; }
# kws synth writes lowercase folders; the config's word labels must be the
# keywords, in order (before any work).
for i in "${!keywords[@]}"; do keywords[i]=$(tr '[:upper:]' '[:lower:]' <<< "${keywords[i]}"); done
labels=$(sed -n 's/^labels *= *\[\(.*\)\].*/\1/p' "$config" | tr -d '" ' | tr ',' '\n' |
  grep -v '^_' | paste -sd' ')
if [[ "$labels" != "${keywords[*]}" ]]; then
  echo "error: $config has the keywords '$labels', not '${keywords[*]}'; give a" \
       "config whose labels are the keywords, then _unknown_ and _silence_" >&2
  exit 2
fi
kws=${TINYKWS_KWS:-build/apps/kws/kws}
train=${TINYKWS_KWS_TRAIN:-build/apps/kws-train/kws-train}
[[ -x "$kws" && -x "$train" ]] || scripts/setup.sh
data=$(cd "$data" && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)

keyword_args=()
for k in "${keywords[@]}"; do keyword_args+=(--keyword "$k"); done
synth() {  # OUT, then kws synth arguments; skipped when OUT exists
  local out=$1
  shift
  if [[ ! -d "$out" ]]; then
    "$kws" synth --out "$out" "${keyword_args[@]}" "${augment[@]}" --quiet "$@"
  fi
}
train_sentences=() valid_sentences=() negatives=()
if [[ -f /usr/share/wordnet/data.noun ]]; then
  # WordNet's example sentences ("she is alone much of the time"), one a
  # line; every tenth for the validation voices, the rest for training.
  grep -oh '"[^"]*"' /usr/share/wordnet/data.{noun,verb,adj,adv} | tr -d '"' |
    sed 's/[;:,]*$/./' > "$work/sentences.txt"
  awk 'NR % 10 != 0' "$work/sentences.txt" > "$work/sentences_train.txt"
  awk 'NR % 10 == 0' "$work/sentences.txt" > "$work/sentences_valid.txt"
  train_sentences=(--sentences "$work/sentences_train.txt" --hours 1)
  valid_sentences=(--sentences "$work/sentences_valid.txt" --hours 0.5)
  negatives=(--negatives "$work/synth_validation/_speech_")
fi
synth "$work/synth_keywords" --keyword-clips 2000 --voices training --seed "$seed"
synth "$work/synth_validation" --keyword-clips 200 ${valid_sentences[@]+"${valid_sentences[@]}"} \
  --voices validation --seed "$((seed + 1))"
synth "$work/synth_words" --keyword-clips 0 --words 2000 --neighbours 40 \
  ${train_sentences[@]+"${train_sentences[@]}"} --voices training --seed "$((seed + 2))"

# The training folder: links, no copies.
folder="$work/data"
rm -rf "$folder"
mkdir -p "$folder"
is_keyword() {
  local k
  for k in "${keywords[@]}"; do [[ "$1" == "$k" ]] && return 0; done
  return 1
}
for entry in "$data"/*/; do
  name=$(basename "$entry")
  is_keyword "$name" || ln -s "$data/$name" "$folder/$name"
done
: > "$folder/validation_list.txt"
: > "$folder/testing_list.txt"
for list in validation_list.txt testing_list.txt; do
  if [[ -f "$data/$list" ]]; then
    while IFS= read -r clip; do
      is_keyword "${clip%%/*}" || printf '%s\n' "$clip" >> "$folder/$list"
    done < "$data/$list"
  fi
done
for k in "${keywords[@]}"; do
  mkdir -p "$folder/$k"
  for source in synth_keywords synth_validation; do
    for clip in "$work/$source/$k"/*.wav; do
      name="${source}-$(basename "$clip")"
      ln -s "$clip" "$folder/$k/$name"
      if [[ $source == synth_validation ]]; then
        printf '%s/%s\n' "$k" "$name" >> "$folder/validation_list.txt"
      fi
    done
  done
done

epoch_args=()
if [[ -n "$epochs" ]]; then epoch_args=(--epochs "$epochs"); fi
"$train" train --config "$config" --data "$folder" --data "$work/synth_words" \
  --out "$work/run" --seed "$seed" ${epoch_args[@]+"${epoch_args[@]}"} --force
"$train" export --run "$work/run" --data "$folder" --out "$work/model.kws" \
  ${negatives[@]+"${negatives[@]}"} --force
echo "model: $work/model.kws (trained with no recording of ${keywords[*]})"
echo "measure it on real recordings: build/apps/kws/kws spot-eval --model $work/model.kws --data $data"
