#!/usr/bin/env bash
# Downloads the public mini_speech_commands excerpt of Speech Commands
# (Warden 2018, CC BY 4.0) into DEST and checks its word folders.
#   scripts/get_data.sh DEST
# Asks first on a terminal; fails with instructions when offline.
set -euo pipefail
dest=${1:?usage: get_data.sh DEST}
url=https://storage.googleapis.com/download.tensorflow.org/data/mini_speech_commands.zip
words=(down go left no right stop up yes)

cat >&2 <<MSG
No data folder found. tinykws trains on Speech Commands-style folders (one
sub-folder of clips per word). Looked at: the command-line argument,
\$TINYKWS_DATA, data/speech_commands/, ../shared/data/speech_commands.
MSG
if [[ -t 0 ]]; then
  read -r -p "Download mini_speech_commands (~180 MB) from $url into $dest? [y/N] " answer
  [[ "$answer" == [yY]* ]] || { echo "error: no data; pass DATA_DIR or set TINYKWS_DATA" >&2; exit 1; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "downloading $url ..." >&2
if ! curl -fL --connect-timeout 15 --max-time 1800 -o "$tmp/mini.zip" "$url"; then
  cat >&2 <<MSG
error: could not download $url (no internet access?).
Get the data on a machine with access:
  curl -LO $url && unzip mini_speech_commands.zip
then copy the mini_speech_commands folder here and run
  scripts/quickstart.sh path/to/mini_speech_commands
MSG
  exit 1
fi
if ! command -v unzip > /dev/null; then
  echo "error: unzip is missing (apt-get install unzip)" >&2
  exit 1
fi
unzip -q "$tmp/mini.zip" -d "$tmp/x"
for word in "${words[@]}"; do
  if [[ ! -d "$tmp/x/mini_speech_commands/$word" ]]; then
    echo "error: the archive has no '$word' folder; not the expected data set" >&2
    exit 1
  fi
done
mkdir -p "$(dirname "$dest")"
mv "$tmp/x/mini_speech_commands" "$dest"
echo "data in $dest (${#words[@]} words)" >&2
