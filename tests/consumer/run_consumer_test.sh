#!/usr/bin/env bash
# Installs tinykws from BUILD_DIR into a temporary prefix, builds the
# consumer programs against it (CMake package: tinykws::tinykws and
# tinykws::micro; pkg-config: tinykws.pc and tinykws_micro.pc), runs them on
# MODEL, and checks what each links.
#   run_consumer_test.sh BUILD_DIR SOURCE_DIR MODEL
set -euo pipefail
build=$1 source=$2 model=$3
consumer=$source/tests/consumer
source "$consumer/install_prefix.sh"
install_to_temp_prefix "$build"
build_against_prefix "$consumer" "$work/build"
export LD_LIBRARY_PATH="$prefix/lib"
"$work/build/consumer_c" "$model"
"$work/build/consumer_cpp" "$model"
"$work/build/micro_consumer" "$model"
unset LD_LIBRARY_PATH

# A micro runtime program is self-contained: the static archive and libm.
if ldd "$work/build/micro_consumer" | grep -q libtinykws; then
  echo "micro_consumer (tinykws::micro) links a tinykws shared library:"
  ldd "$work/build/micro_consumer"
  exit 1
fi

# pkg-config route, as the README shows it: an rpath to the library folder
# (or LD_LIBRARY_PATH) for a prefix the loader does not search.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
libdir=$(pkg-config --variable=libdir tinykws)
# tinykws.pc serves C programs too: its Cflags carry no -std (a C compiler
# refuses or warns about -std=c++17). C++ programs take the standard from
# the cxxflags variable.
cflags=$(pkg-config --cflags tinykws)
if [[ "$cflags" == *-std=* ]]; then
  echo "pkg-config --cflags tinykws has a -std flag: $cflags"; exit 1
fi
cxxflags=$(pkg-config --variable=cxxflags tinykws)
if [[ "$cxxflags" != "-std=c++17" ]]; then
  echo "pkg-config --variable=cxxflags tinykws: '$cxxflags', expected -std=c++17"
  exit 1
fi
for compiler in cc clang; do
  command -v "$compiler" > /dev/null || continue
  "$compiler" -Wall -Werror "$consumer/consumer.c" $cflags \
    $(pkg-config --libs tinykws) -Wl,-rpath,"$libdir" -o "$work/consumer_pc"
  "$work/consumer_pc" "$model"
done
# The C++ headers need C++17: from a C++14 default, compiling without the
# cxxflags variable fails and with it (placed after) succeeds.
if c++ -std=c++14 -fsyntax-only "$consumer/consumer.cpp" $cflags 2> /dev/null; then
  echo "consumer.cpp compiles as C++14: is the cxxflags variable still needed?"
  exit 1
fi
c++ -std=c++14 $cxxflags "$consumer/consumer.cpp" $cflags \
  $(pkg-config --libs tinykws) -Wl,-rpath,"$libdir" -o "$work/consumer_cpp_pc"
"$work/consumer_cpp_pc" "$model"

# The micro runtime as a firmware build uses it: strict C99, the installed
# header and static archive, libm, nothing else.
cc -std=c99 -Wall -Wextra -pedantic -Werror "$consumer/micro_consumer.c" \
  $(pkg-config --cflags --libs tinykws_micro) -o "$work/micro_consumer_pc"
"$work/micro_consumer_pc" "$model"

# The installed library depends on the C/C++ runtime only.
extra=$(ldd "$prefix/lib/libtinykws.so" | grep -vE 'linux-vdso|libstdc\+\+|libm\.so|libgcc_s|libc\.so|ld-linux' || true)
if [[ -n "$extra" ]]; then
  echo "libtinykws.so links more than the C/C++ runtime:"; echo "$extra"; exit 1
fi
echo "consumer test ok"
