#!/usr/bin/env bash
# Installs the Debian packages tinykws needs, then configures and builds a
# Release tree in build/. Safe to run again: it installs only what is missing
# (no apt-get at all when nothing is) and rebuilds only what changed.
#   scripts/setup.sh
# Run it as yourself: only the package installation needs root, and it uses
# sudo for that (or runs apt-get directly in a root shell). The build is
# yours.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# What each package is for is in README.md ("Dependencies").
packages=(
  cmake g++ make pkg-config git curl unzip
  libtorch-dev                         # training (kws-train) only
  libgloo-dev                          # c10d Gloo headers (multi-process kws-train)
  libsndfile1-dev libsamplerate0-dev   # audio files, resampling
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libeigen3-dev                        # benchmark peer (Eigen FFT) only
  libxnnpack-dev libpthreadpool-dev    # benchmark peer (XNNPACK int8) only
  python3 python3-numpy python3-torch python3-torchaudio  # tools/, bench/
  sox                                  # bench/spot_rtf.sh (FLAC encoding), bench/synth_peer.sh
  espeak-ng                            # bench/synth_peer.sh only: the command-line peer of kws synth
  clang libclang-rt-14-dev             # scripts/fuzz.sh (libFuzzer) only
  strace                               # crash-recovery tests (fault injection)
  gcc-arm-none-eabi libnewlib-arm-none-eabi  # micro runtime on Cortex-M: size test, bench/micro_size.sh
  qemu-user                            # micro_newlib_parity: the ARM build run under qemu-arm
  libespeak-ng-dev flite1-dev          # kws synth: the speech engines' C APIs
  wamerican                            # kws synth: /usr/share/dict/words
  fortunes wordnet-base                # kws synth: text for continuous speech
  pybind11-dev python3-pybind11 python3-dev python3-pip python3-setuptools
  python3-pytest python3-venv          # the Python module (python/) and its tests
  nodejs chromium                      # tests: ONNX Runtime and TFLite (WebAssembly) run our converted models
)
# npm comes with NodeSource's nodejs; Debian's nodejs needs its own package.
command -v npm > /dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo > /dev/null; then
      echo "error: missing Debian packages: ${missing[*]}" >&2
      echo "       there is no sudo here; as root, run:" >&2
      echo "       apt-get install ${missing[*]}" >&2
      exit 1
    fi
    as_root=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The real interpreters the converted models are checked with (tools/interop:
# onnxruntime-node, @tensorflow/tfjs-tflite, playwright-core driving Debian's
# chromium). --ignore-scripts: onnxruntime-node's install script fetches GPU
# builds from outside npm; its CPU build is in the package itself.
stamp=tools/interop/node_modules/.tinykws-lock.json
if ! cmp -s tools/interop/package-lock.json "$stamp"; then
  npm ci --ignore-scripts --no-audit --no-fund --prefix tools/interop
  cp tools/interop/package-lock.json "$stamp"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
echo "setup: built into build/"
