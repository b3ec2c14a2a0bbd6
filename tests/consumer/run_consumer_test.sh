#!/usr/bin/env bash
# Installs tinykws from BUILD_DIR into a temporary prefix, builds the
# consumer programs against it (CMake package and pkg-config, and the micro
# runtime's archive with plain cc), runs them on
# MODEL, and checks that the library links nothing third-party.
#   run_consumer_test.sh BUILD_DIR SOURCE_DIR MODEL
set -euo pipefail
build=$1 source=$2 model=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source/tests/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
cmake --build "$work/build" > "$work/build.log"
export LD_LIBRARY_PATH="$work/prefix/lib"
"$work/build/consumer_c" "$model"
"$work/build/consumer_cpp" "$model"
# pkg-config route, C only, as the README shows it: an rpath to the
# library folder (or LD_LIBRARY_PATH) for a prefix the loader does not search.
unset LD_LIBRARY_PATH
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
cc "$source/tests/consumer/consumer.c" $(pkg-config --cflags --libs tinykws) \
  -Wl,-rpath,"$(pkg-config --variable=libdir tinykws)" -o "$work/consumer_pc"
"$work/consumer_pc" "$model"
# The micro runtime as a firmware build uses it: strict C99, the installed
# header and static archive, libm, nothing else.
cc -std=c99 -Wall -Wextra -pedantic -Werror "$source/tests/consumer/micro_consumer.c" \
  -I"$work/prefix/include" "$work/prefix/lib/libtinykws_micro.a" -lm -o "$work/micro_consumer"
"$work/micro_consumer" "$model"
# The installed library depends on the C/C++ runtime only.
extra=$(ldd "$work/prefix/lib/libtinykws.so" | grep -vE 'linux-vdso|libstdc\+\+|libm\.so|libgcc_s|libc\.so|ld-linux' || true)
if [[ -n "$extra" ]]; then
  echo "libtinykws.so links more than the C/C++ runtime:"; echo "$extra"; exit 1
fi
echo "consumer test ok"
