#!/usr/bin/env bash
# Downloads Speech Commands (Warden 2018, CC BY 4.0) into DEST and checks
# its shape:
#   scripts/get_data.sh DEST           the mini_speech_commands excerpt
#                                      (8 words, 8,000 clips, ~180 MB)
#   scripts/get_data.sh --full DEST    the whole v0.02 release (35 words,
#                                      105,829 clips, split lists,
#                                      _background_noise_; 2.3 GB download)
# Asks first on a terminal; fails with instructions when offline. The
# archive's address can be replaced with TINYKWS_DATA_URL (a mirror, or a
# file:// URL of an archive you already have).
set -euo pipefail
full=0
if [[ "${1:-}" == --full ]]; then
  full=1
  shift
fi
dest=${1:?usage: get_data.sh [--full] DEST}
if [[ -e "$dest" ]]; then
  echo "error: $dest exists; remove it or choose another folder" >&2
  exit 1
fi
if ((full)); then
  url=${TINYKWS_DATA_URL:-https://storage.googleapis.com/download.tensorflow.org/data/speech_commands_v0.02.tar.gz}
  name="Speech Commands v0.02 (~2.3 GB, ~3.8 GB unpacked)"
  # The release's 35 words: any folder of them missing means another archive.
  words=(backward bed bird cat dog down eight five follow forward four go
         happy house learn left marvin nine no off on one right seven sheila
         six stop three tree two up visual wow yes zero)
else
  url=${TINYKWS_DATA_URL:-https://storage.googleapis.com/download.tensorflow.org/data/mini_speech_commands.zip}
  name="mini_speech_commands (~180 MB)"
  words=(down go left no right stop up yes)
fi

if [[ -t 0 ]]; then
  read -r -p "Download $name from $url into $dest? [y/N] " answer
  [[ "$answer" == [yY]* ]] || { echo "error: no data; pass DATA_DIR or set TINYKWS_DATA" >&2; exit 1; }
fi
tmp=$(mktemp -d "$(dirname "$dest")/.get_data.XXXXXX" 2> /dev/null || mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "downloading $url ..." >&2
archive="$tmp/archive"
if ! curl -fL --connect-timeout 15 --max-time 7200 -o "$archive" "$url"; then
  cat >&2 <<MSG
error: could not download $url (no internet access?).
Get the data on a machine with access:
  curl -LO $url
then copy the archive here and run
  TINYKWS_DATA_URL=file://\$PWD/$(basename "$url") scripts/get_data.sh $( ((full)) && echo "--full ")$dest
MSG
  exit 1
fi
mkdir "$tmp/x"
if ((full)); then
  # The release unpacks into the current folder (no top-level folder).
  tar -xzf "$archive" -C "$tmp/x"
  root="$tmp/x"
else
  if ! command -v unzip > /dev/null; then
    echo "error: unzip is missing (apt-get install unzip)" >&2
    exit 1
  fi
  unzip -q "$archive" -d "$tmp/x"
  root="$tmp/x/mini_speech_commands"
fi
for word in "${words[@]}"; do
  if [[ ! -d "$root/$word" ]]; then
    echo "error: the archive has no '$word' folder; not the expected data set" >&2
    exit 1
  fi
done
if ((full)); then
  for part in _background_noise_ validation_list.txt testing_list.txt; do
    if [[ ! -e "$root/$part" ]]; then
      echo "error: the archive has no $part; not the expected data set" >&2
      exit 1
    fi
  done
fi
mkdir -p "$(dirname "$dest")"
mv "$root" "$dest"
clips=$(find "$dest" -name '*.wav' -not -path '*/_background_noise_/*' | wc -l)
echo "data in $dest (${#words[@]} words, $clips clips)" >&2
