#!/usr/bin/env bash
# Builds examples/ against an installed tinykws (find_package, as
# examples/CMakeLists.txt documents) and checks that the C, C++ and micro
# examples print exactly the detections `kws spot` prints, from a WAV file
# and from raw PCM on stdin (RAW: the WAV's samples; RAW_48K: the same
# tones at 48 kHz); then the README's pkg-config commands.
#   run_examples_test.sh BUILD_DIR SOURCE_DIR KWS MODEL WAV RAW RAW_48K
set -euo pipefail
build=$1 source=$2 kws=$3 model=$4 wav=$5 raw=$6 raw_48k=$7
source "$source/tests/consumer/install_prefix.sh"
install_to_temp_prefix "$build"
build_against_prefix "$source/examples" "$work/build"
bin=$work/build

# The reference: time, label and score of each detection. The recording
# holds low (1 s), high (4 s), low (8 s); check that before comparing, so
# that a spotter finding nothing cannot pass.
expected=$("$kws" spot --model "$model" "$wav" 2> /dev/null)
labels=$(cut -f2 <<< "$expected" | tr '\n' ' ')
if [[ "$labels" != "low high low " ]]; then
  echo "kws spot found '$labels' in $wav, expected 'low high low':"
  echo "$expected"
  exit 1
fi

# check NAME EXPECTED COMMAND...: runs one example, compares its stdout.
check() {
  local name=$1 want=$2 actual
  shift 2
  if ! actual=$("$@" 2> "$work/stderr"); then
    echo "$name failed:"; cat "$work/stderr"; exit 1
  fi
  if [[ "$actual" != "$want" ]]; then
    echo "$name printed:"; echo "$actual"
    echo "kws spot printed:"; echo "$want"
    exit 1
  fi
  echo "$name: same detections as kws spot"
}
export LD_LIBRARY_PATH="$prefix/lib"
for example in spot_c spot_cpp spot_micro; do
  check "$example FILE" "$expected" "$bin/$example" "$model" "$wav"
  # A microphone pipe: arecord -f S16_LE -r 16000 -c 1 -t raw | EXAMPLE -
  check "$example -" "$expected" \
    sh -c 'cat "$1" | "$2" "$3" -' sh "$raw" "$bin/$example" "$model"
done
# A 48 kHz microphone: spot_c and spot_cpp pass the rate to the spotter,
# which converts inside, as `kws spot --rate 48000 -` does. (The tone
# model's scores drop after conversion: of the three tones, "high" stays
# above its threshold.)
expected_48k=$("$kws" spot --model "$model" --rate 48000 - < "$raw_48k" 2> /dev/null)
if [[ "$(cut -f2 <<< "$expected_48k")" != high ]]; then
  echo "kws spot --rate 48000 found:"; echo "$expected_48k"; exit 1
fi
for example in spot_c spot_cpp; do
  check "$example - 48000" "$expected_48k" \
    sh -c '"$2" "$3" - 48000 < "$1"' sh "$raw_48k" "$bin/$example" "$model"
done

# Errors: a missing model is exit 1 with "error: ..." naming the file; bad
# arguments are exit 2 with the usage text.
for example in spot_c spot_cpp spot_micro; do
  status=0
  "$bin/$example" "$work/none.kws" "$wav" > /dev/null 2> "$work/stderr" || status=$?
  if [[ $status -ne 1 ]] || ! grep -q "^error: .*none.kws" "$work/stderr"; then
    echo "$example with a missing model: exit $status, stderr:"; cat "$work/stderr"
    exit 1
  fi
  status=0
  "$bin/$example" "$model" > /dev/null 2> "$work/stderr" || status=$?
  if [[ $status -ne 2 ]] || ! grep -q "^usage: " "$work/stderr"; then
    echo "$example without audio: exit $status, stderr:"; cat "$work/stderr"
    exit 1
  fi
done
unset LD_LIBRARY_PATH

# The build commands of examples/README.md, with pkg-config.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
libdir=$(pkg-config --variable=libdir tinykws)
examples=$source/examples
cc -std=c99 -Wall -Wextra -pedantic -Werror "$examples/c/spot.c" \
  "$examples/c/pcm_source.c" $(pkg-config --cflags --libs tinykws) \
  -Wl,-rpath,"$libdir" -o "$work/spot_c_pc"
cc -std=c99 -Wall -Wextra -pedantic -Werror -c "$examples/c/pcm_source.c" \
  -o "$work/pcm_source.o"
c++ $(pkg-config --variable=cxxflags tinykws) -Wall -Wextra -pedantic -Werror \
  -I"$examples/c" "$examples/cpp/spot.cpp" "$work/pcm_source.o" \
  $(pkg-config --cflags --libs tinykws) -Wl,-rpath,"$libdir" -o "$work/spot_cpp_pc"
cc -std=c99 -Wall -Wextra -pedantic -Werror "$examples/micro/spot_micro.c" \
  "$examples/c/pcm_source.c" -I"$examples/c" \
  $(pkg-config --cflags --libs tinykws_micro) -o "$work/spot_micro_pc"
for example in spot_c spot_cpp spot_micro; do
  check "$example (pkg-config) FILE" "$expected" "$work/${example}_pc" \
    "$model" "$wav"
done
echo "examples test ok"
