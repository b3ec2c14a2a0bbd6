#!/usr/bin/env bash
# Cross-builds the runtime, features, kws and their tests for another CPU and
# runs the tests under qemu-user. Exit 0 only when every test passes.
#   scripts/cross_test.sh aarch64 [CTEST_ARGS...]
# It installs what is missing (Debian: the cross compiler, qemu-user and the
# arm64 libraries through multiarch; root or sudo for that step only),
# builds into build-aarch64/ (kws-train is not cross-built: LibTorch is for
# training machines) and runs ctest there. The CLI tests start the cross-built
# kws, so this machine must run arm64 programs directly: the script registers
# qemu with binfmt_misc when it is not (root needed once per boot). Where
# the packages or binfmt_misc cannot be had, it exits 77 and says why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
arch=${1:?usage: $0 aarch64 [CTEST_ARGS...]}
shift
[[ $arch == aarch64 ]] || {
  echo "error: unknown target '$arch' (supported: aarch64)" >&2
  exit 2
}

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo > /dev/null && as_root=(sudo)
fi
run_as_root() {
  if [[ $(id -u) -ne 0 && ${#as_root[@]} -eq 0 ]]; then
    echo "error: needs root (no sudo here): $*" >&2
    return 1
  fi
  "${as_root[@]}" "$@"
}

# Packages: the compiler and emulator for this machine, the libraries kws
# and the tests link for arm64 (header-only ones are shared with the host).
host_packages=(g++-aarch64-linux-gnu qemu-user cmake pkg-config
               libcli11-dev nlohmann-json3-dev)
arm_packages=(libsndfile1-dev:arm64 libsamplerate0-dev:arm64 libssl-dev:arm64
              libtomlplusplus-dev:arm64 libgtest-dev:arm64 libgmock-dev:arm64
              libespeak-ng-dev:arm64 flite1-dev:arm64)
missing=()
for p in "${host_packages[@]}" "${arm_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null |
    grep -q "install ok installed" || missing+=("$p")
done
# A machine that cannot get them (no root, no arm64 archive) cannot run the
# tests: exit status 77, said on stderr.
if ((${#missing[@]})); then
  echo "cross_test: installing ${missing[*]}"
  if ! { dpkg --print-foreign-architectures | grep -qx arm64 ||
         run_as_root dpkg --add-architecture arm64; } ||
     ! run_as_root env DEBIAN_FRONTEND=noninteractive apt-get update ||
     ! run_as_root env DEBIAN_FRONTEND=noninteractive \
       apt-get install -y --no-install-recommends "${missing[@]}"; then
    echo "cross_test: cannot install the cross toolchain and arm64" \
         "libraries here; not run" >&2
    exit 77
  fi
fi

# arm64 programs started by the tests (kws) run through qemu via binfmt_misc.
# Where it cannot be set up (no root, a container without the mount), the
# script stops with exit status 77: the tests could not run here.
binfmt=/proc/sys/fs/binfmt_misc
if [[ ! -e $binfmt/qemu-aarch64 ]]; then
  magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
  mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  if ! { [[ -e $binfmt/register ]] ||
         run_as_root mount -t binfmt_misc binfmt_misc "$binfmt"; } ||
     ! echo ":qemu-aarch64:M::$magic:$mask:$(command -v qemu-aarch64):" |
       run_as_root tee "$binfmt/register" > /dev/null; then
    echo "cross_test: cannot register qemu-aarch64 with binfmt_misc here" \
         "(needs root and a mountable $binfmt); not run" >&2
    exit 77
  fi
fi

build=build-$arch
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake \
  -DTINYKWS_BUILD_TRAIN=OFF -DTINYKWS_BUILD_BENCH=OFF -DTINYKWS_BUILD_PYTHON=OFF
cmake --build "$build" -j"$(nproc)"
# The installed-package tests build a consumer and the examples with this
# machine's compiler; the Python module is this machine's Python's.
# TINYKWS_EMULATED: tests that cap a program's address space (ulimit -v)
# leave the cap off, since it would bound qemu's own JIT buffer (128 MB).
cd "$build"
TINYKWS_EMULATED=1 ctest -j"$(nproc)" --output-on-failure -E '^(consumer|examples)_installed_package$' "$@"
echo "cross_test: every $arch test passed under $(qemu-aarch64 --version | head -1)"
