#!/usr/bin/env bash
# The synthetic speech the default detector trains, calibrates and is
# judged with (docs/streaming.md, "Speech the detector never heard"), made
# with `kws synth` from text in Debian packages (WordNet's example
# sentences, the fortune cookies). Three disjoint voice sets:
#   OUT/train/       training voices: 2,000 clips each of go and stop (half
#                    in carrier phrases), 2,000 other words x 3, 2 h of
#                    WordNet sentences (9 in 10 of them)
#   OUT/neighbours/  training voices: 40 phonetic neighbours of each keyword
#                    ("no", "toe", "top", "shop", ...) x 25
#   OUT/validation/  validation voices: 1 h of the other WordNet sentences
#                    (the export's detector calibration)
#   OUT/evaluation/  evaluation voices: 3.2 h of fortune-cookie sentences,
#                    each said once (the honest false-alarm test)
# Folders that exist are kept (delete one to make it again).
#   scripts/make_speech_data.sh [OUT]      (default data/synth)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-data/synth}
kws=build/apps/kws/kws
mkdir -p "$out"
keywords=(--keyword go --keyword stop)

# WordNet's example sentences, one a line ("she is alone much of the time").
if [[ ! -f "$out/wordnet_train.txt" ]]; then
  grep -oh '"[^"]*"' /usr/share/wordnet/data.{noun,verb,adj,adv} | tr -d '"' |
    sed 's/[;:,]*$/./' > "$out/wordnet.txt"
  awk 'NR % 10 != 0' "$out/wordnet.txt" > "$out/wordnet_train.txt"
  awk 'NR % 10 == 0' "$out/wordnet.txt" > "$out/wordnet_valid.txt"
fi
# Fortune files of plain prose (not code, ASCII art or offensive ones).
fortunes=()
for f in fortunes literature people wisdom humorists platitudes love food work \
         science education kids pets sports politics men-women miscellaneous \
         medicine news law magic pratchett riddles goedel paradoxum tao \
         definitions startrek songs-poems cookie; do
  [[ -f /usr/share/games/fortunes/$f ]] && fortunes+=("/usr/share/games/fortunes/$f")
done

synth() {  # NAME, then kws synth arguments
  local name=$1
  shift
  if [[ -d "$out/$name" ]]; then
    echo "== $out/$name exists (delete it to make it again)"
    return
  fi
  echo "== kws synth -> $out/$name"
  "$kws" synth --out "$out/$name" "${keywords[@]}" --quiet "$@"
}
synth train --keyword-clips 2000 --words 2000 --clips-per-word 3 \
  --sentences "$out/wordnet_train.txt" --hours 2 --voices training --seed 11
synth neighbours --keyword-clips 0 --neighbours 40 --clips-per-word 25 \
  --voices training --seed 12
synth validation --keyword-clips 0 --sentences "$out/wordnet_valid.txt" \
  --hours 1 --voices validation --seed 31
synth evaluation --keyword-clips 0 --sentences "${fortunes[@]}" --hours 3.2 \
  --voices evaluation --seed 21
