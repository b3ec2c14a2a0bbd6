#!/usr/bin/env bash
# The main job, from a fresh clone: set up, then show the MFCCs of a bundled
# clip, computed exactly as training and inference compute them.
# (Training, export and evaluation join this script as they land.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
echo "MFCCs of data/fixtures/chirp.wav (frames x coefficients, configs/go_stop.toml):"
build/apps/kws/kws features --config configs/go_stop.toml data/fixtures/chirp.wav
