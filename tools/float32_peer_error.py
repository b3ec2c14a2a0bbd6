#!/usr/bin/python3
"""How far a float32 MFCC gets from the float64 recipe: the bar for tinykws's
float32 front end.

Runs the PyTorch float32 version of the feature recipe (bench/peer_mfcc.py:
torch.stft, |X|, the tf.signal mel matrix and DCT, all float32, as a user of
tf.signal or PyTorch computes it) on every golden clip of
tests/features/golden and writes its max abs difference from the golden
float64 values and its root-mean-square difference, one
"<clip> <max> <rms>" line per clip, to
tests/features/golden/float32_peer_error.txt. The float32 front-end test
requires tinykws's float32 path to be no further from the golden values.

Usage:
  /usr/bin/python3 tools/float32_peer_error.py          # (re)write the file
  /usr/bin/python3 tools/float32_peer_error.py --check  # exit 1 if it differs
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import peer_mfcc  # noqa: E402  (the one torch version of the recipe)

OUT = ROOT / "tests" / "features" / "golden" / "float32_peer_error.txt"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    cfg = peer_mfcc.load_features(peer_mfcc.DEFAULT_CONFIG)
    model = peer_mfcc.RecipeMfcc(cfg, torch.float32)
    lines = []
    with torch.inference_mode():
        for name, (pcm, ref) in sorted(peer_mfcc.load_golden().items()):
            diff = model(pcm).double().numpy() - ref
            lines.append(f"{name} {np.max(np.abs(diff)):.3e} "
                         f"{np.sqrt(np.mean(diff * diff)):.3e}\n")
    text = "".join(lines)
    if args.check:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT} differs from:\n{text}", end="")
            return 1
        return 0
    OUT.write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
