#!/usr/bin/env bash
# Renders an HTML report to a PNG with headless Chromium, e.g. for docs/.
#   tools/screenshot_report.sh [--size WxH] [--palette] REPORT.html OUT.png
#     --size     browser window, i.e. the image size (default 1280x2000)
#     --palette  quantize with pngquant: about a third of the bytes, for
#                committing; the report's flat colours survive it
# The report is self-contained, so networking stays off; a throwaway profile
# keeps the run from touching (or depending on) the user's browser state.
set -euo pipefail

usage="usage: $0 [--size WxH] [--palette] REPORT.html OUT.png"
size=1280x2000
palette=0
while [[ $# -gt 0 && "$1" == --* ]]; do
  case "$1" in
    --size) size=${2:?$usage}; shift 2 ;;
    --palette) palette=1; shift ;;
    *) echo "error: unknown option $1; $usage" >&2; exit 2 ;;
  esac
done
if [[ $# -ne 2 ]]; then
  echo "$usage" >&2
  exit 2
fi
html=$1
out=$2
if [[ ! "$size" =~ ^[0-9]+x[0-9]+$ ]]; then
  echo "error: --size must look like 1280x2000, got '$size'" >&2
  exit 2
fi
if [[ ! -f "$html" ]]; then
  echo "error: $html: no such file" >&2
  exit 1
fi

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser=$candidate
    break
  fi
done
if [[ -z "$browser" ]]; then
  echo "error: no Chromium found (Debian: apt-get install chromium)" >&2
  exit 1
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
html_abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
rm -f "$out_abs"

# --no-sandbox: Chromium refuses to start its sandbox as root (containers, CI).
# Its exit status is unreliable in headless mode; the PNG is checked instead.
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --screenshot="$out_abs" \
  --window-size="${size/x/,}" "file://$html_abs" >/dev/null 2>&1 || true
if [[ ! -s "$out_abs" ]]; then
  echo "error: $browser wrote no screenshot to $out_abs" >&2
  exit 1
fi

if [[ $palette == 1 ]]; then
  if ! command -v pngquant >/dev/null 2>&1; then
    echo "error: --palette needs pngquant (Debian: apt-get install pngquant)" >&2
    exit 1
  fi
  pngquant --quality 80-100 --speed 1 --strip --force --output "$out_abs" "$out_abs" \
    || echo "warning: pngquant kept the full-colour image" >&2
fi
echo "$out_abs"
