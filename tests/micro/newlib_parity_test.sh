#!/usr/bin/env bash
# The micro runtime built for ARM against newlib (arm-none-eabi-gcc, run
# under qemu-arm) computes exactly the bits it computes on this host with
# glibc: MFCC, logits, scores, labels and detections of parity_driver.c for
# a float64 and a float32 front-end model, with their tables blobs. newlib's
# logf/expf are not glibc's; the runtime uses its own (src/common/kws_math.h).
#   newlib_parity_test.sh KWS MODEL_F64.kws MODEL_F32.kws SOURCE_DIR
# Skipped (77) without arm-none-eabi-gcc or qemu-arm.
set -euo pipefail
kws=$1 f64=$2 f32=$3 src=$4
command -v arm-none-eabi-gcc > /dev/null || { echo "no arm-none-eabi-gcc"; exit 77; }
command -v qemu-arm > /dev/null || { echo "no qemu-arm"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$kws" convert --model "$f64" --out "$work/m0.c" --name model_0 --tables > /dev/null
"$kws" convert --model "$f32" --out "$work/m1.c" --name model_1 --tables > /dev/null
sources=("$src"/src/micro/*.c "$src/tests/micro/parity_driver.c" "$work/m0.c" "$work/m1.c")
flags=(-std=c99 -O2 -ffp-contract=off -I"$src/include" -I"$src/src")
cc "${flags[@]}" "${sources[@]}" -lm -o "$work/host"
# Thumb-2 without an FPU: newlib's fdlibm-derived logf/expf, the code its
# Cortex-M4F (v7e-m+fp) library uses too; qemu-arm runs A-profile code only.
arm-none-eabi-gcc "${flags[@]}" -mcpu=cortex-a7 -mthumb -mfloat-abi=soft \
  --specs=rdimon.specs "${sources[@]}" -lm -o "$work/arm"
"$work/host" > "$work/host.out" 2> "$work/host.libm"
qemu-arm "$work/arm" > "$work/arm.out" 2> "$work/arm.libm"
lines=$(wc -l < "$work/host.out")
libm=$(paste "$work/host.libm" "$work/arm.libm" | awk '$1 != $3 || $2 != $4' | wc -l)
echo "C libraries: glibc and newlib logf/expf disagree on $libm of $(wc -l < "$work/host.libm") inputs"
if ! cmp -s "$work/host.out" "$work/arm.out"; then
  echo "micro runtime: ARM/newlib output differs from the host's:"
  diff "$work/host.out" "$work/arm.out" | head -5
  exit 1
fi
echo "micro runtime: ARM/newlib and host outputs identical ($lines lines)"
