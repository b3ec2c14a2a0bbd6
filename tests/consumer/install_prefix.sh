# shellcheck shell=bash
# Sourced by the install tests (run_consumer_test.sh,
# tests/examples/run_examples_test.sh): what they share.
#   install_to_temp_prefix BUILD_DIR   installs tinykws from BUILD_DIR into
#       a new temporary folder; sets $work (removed when the script exits)
#       and $prefix ($work/prefix)
#   build_against_prefix SOURCE_DIR BUILD_DIR   configures and builds a CMake
#       project with find_package(tinykws) finding $prefix
#   quietly LOG COMMAND...   runs COMMAND with its output in LOG, printed
#       only when it fails

quietly() {
  local log=$1
  shift
  if ! "$@" > "$log" 2>&1; then
    echo "failed: $*"
    cat "$log"
    return 1
  fi
}

install_to_temp_prefix() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  prefix=$work/prefix
  quietly "$work/install.log" cmake --install "$1" --prefix "$prefix"
}

build_against_prefix() {
  quietly "$2.configure.log" cmake -S "$1" -B "$2" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release
  quietly "$2.build.log" cmake --build "$2"
}
