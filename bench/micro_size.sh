#!/usr/bin/env bash
# Code size of the micro runtime on a Cortex-M4F (arm-none-eabi-gcc, newlib
# nano), the way firmware links it: the library's objects, then a program
# that calls kws_micro_init_with_tables, kws_micro_push and
# kws_micro_classify, linked with --gc-sections; the bytes the library, libm,
# libgcc and libc keep are summed from the link map. Builds:
#   default   both front ends, tables computed or from a blob
#   no-f64    -DKWS_MICRO_NO_FLOAT64
#   firmware  -DKWS_MICRO_NO_FLOAT64 -DKWS_MICRO_NO_TABLE_BUILDER (tables
#             only from a blob made on the host: no double trigonometry)
#   bench/micro_size.sh [CPU_FLAGS...]   (default: Cortex-M4F, hard float)
# Needs gcc-arm-none-eabi and libnewlib-arm-none-eabi (scripts/setup.sh).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v arm-none-eabi-gcc > /dev/null || {
  echo "arm-none-eabi-gcc not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)" >&2
  exit 1
}
cpu=("$@")
((${#cpu[@]})) || cpu=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/main.c" << 'C'
#include <stddef.h>
#include <stdint.h>
#include "tinykws/micro.h"
extern const uint8_t model[], tables[];
extern const size_t model_size, tables_size;
static uint64_t arena[8 * 1024 / 8];
static int16_t pcm[160];
volatile int sink;
int main(void) {
  kws_micro* kws = NULL;
  char error[96];
  kws_micro_detection found[2];
  size_t count = 0;
  int label = 0;
  if (kws_micro_init_with_tables(model, model_size, tables, tables_size, arena,
                                 sizeof arena, &kws, error, sizeof error)) {
    return 1;
  }
  kws_micro_push(kws, pcm, 160, found, 2, &count);
  kws_micro_classify(kws, pcm, 160, &label, NULL, NULL);
  sink = label + (int)count;
  return 0;
}
C
# Placeholders: the model and blob are data in flash, not code.
cat > "$work/data.c" << 'C'
#include <stddef.h>
#include <stdint.h>
const uint8_t model[16] = {0};
const size_t model_size = 16;
const uint8_t tables[16] __attribute__((aligned(8))) = {0};
const size_t tables_size = 16;
C
flags=("${cpu[@]}" -Os -std=c99 -Wall -Wextra -pedantic -Werror -ffp-contract=off
       -ffunction-sections -fdata-sections -I"$root/include" -I"$root/src")
sum_map() {  # map file -> "library libm libgcc libc" bytes of .text/.rodata
  /usr/bin/python3 - "$1" << 'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
start = lines.index("Linker script and memory map")
total = {"libkws.a": 0, "libm.a": 0, "libgcc.a": 0, "libc": 0}
for i in range(start, len(lines)):
    m = re.match(r"^ \.(text|rodata)\S*(\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+))?\s*$", lines[i])
    if not m:
        continue
    if m.group(2) is None:  # a long section name: the numbers follow
        m = re.match(r"^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)", lines[i + 1])
        if not m:
            continue
        size, src = int(m.group(1), 16), m.group(2)
    else:
        size, src = int(m.group(3), 16), m.group(4)
    for key in total:
        if "/" + key in src or "/" + key.replace(".a", "_nano.a") in src:
            total[key] += size
print(total["libkws.a"], total["libm.a"], total["libgcc.a"], total["libc"])
PY
}
printf '| build | objects (text) | linked: library | libm | libgcc | libc |\n|---|---:|---:|---:|---:|---:|\n'
for build in default no-f64 firmware; do
  defs=()
  [[ $build != default ]] && defs+=(-DKWS_MICRO_NO_FLOAT64)
  [[ $build == firmware ]] && defs+=(-DKWS_MICRO_NO_TABLE_BUILDER)
  dir="$work/$build"
  mkdir -p "$dir"
  for f in "$root"/src/micro/*.c; do
    arm-none-eabi-gcc "${flags[@]}" "${defs[@]}" -c "$f" -o "$dir/$(basename "$f" .c).o"
  done
  arm-none-eabi-ar rcs "$dir/libkws.a" "$dir"/*.o
  objects=$(arm-none-eabi-size -t "$dir"/*.o | tail -1 | awk '{print $1}')
  arm-none-eabi-gcc "${flags[@]}" "${defs[@]}" "$work/main.c" "$work/data.c" \
    "$dir/libkws.a" -lm --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections \
    -Wl,-Map="$dir/map.txt" -o "$dir/firmware.elf" 2> "$dir/link.log" || {
    cat "$dir/link.log" >&2
    exit 1
  }
  read -r lib m gcc c < <(sum_map "$dir/map.txt")
  printf '| %s | %d | %d | %d | %d | %d |\n' "$build" "$objects" "$lib" "$m" "$gcc" "$c"
done
echo "(${cpu[*]}; -Os; $(arm-none-eabi-gcc -dumpversion); objects: every src/micro object, text)"
