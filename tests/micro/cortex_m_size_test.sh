#!/usr/bin/env bash
# The micro runtime builds for a Cortex-M4F with -std=c99 -pedantic -Werror
# in all three configurations of bench/micro_size.sh, and the library code a
# firmware link keeps stays within the 24 KB budget (docs/micro.md). Skipped
# (77) without arm-none-eabi-gcc.
set -euo pipefail
command -v arm-none-eabi-gcc > /dev/null || { echo "no arm-none-eabi-gcc"; exit 77; }
table=$("$(dirname "${BASH_SOURCE[0]}")/../../bench/micro_size.sh")
echo "$table"
budget=$((24 * 1024))
status=0
for build in default no-f64 firmware; do
  library=$(awk -F'|' -v b=" $build " '$2 == b { gsub(/ /, "", $4); print $4 }' <<< "$table")
  if [[ -z "$library" ]]; then
    echo "no row for $build"; status=1
  elif ((library > budget)); then
    echo "$build: the library keeps $library bytes, more than $budget"; status=1
  fi
done
exit $status
