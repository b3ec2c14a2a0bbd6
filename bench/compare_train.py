#!/usr/bin/python3
"""Training speed: tinykws (LibTorch C++) vs PyTorch Python, same run.

Trains configs/go_stop.toml (the seed recipe: batch 10, 40 epochs) with
`kws-train train` and with bench/peer_train.py, alternating, --reps times
each, with the same thread count; prints the median wall time of the
training loop (all epochs incl. validation, after features are ready), the
per-step time, the accuracy each reached, and the speed ratio.

  /usr/bin/python3 bench/compare_train.py [--threads 2] [--reps 3]

Run it on an idle machine: with 2 threads on 2 cores any other load makes
OpenMP's spinning threads wait for each other (docs/benchmarks.md).
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "configs/go_stop.toml"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/speech_commands"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--binary", default=str(ROOT / "build/apps/kws-train/kws-train"))
    args = ap.parse_args()
    ours, peer = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(args.reps):
            run = Path(tmp) / f"run{rep}"
            subprocess.run([args.binary, "train", "--config", args.config, "--data", args.data,
                            "--out", str(run), "--threads", str(args.threads), "--quiet",
                            "--force"], check=True, capture_output=True)
            ours.append(json.loads((run / "summary.json").read_text()))
            out = subprocess.run([sys.executable, str(ROOT / "bench/peer_train.py"), "--config",
                                  args.config, "--data", args.data, "--threads",
                                  str(args.threads), "--json"],
                                 check=True, capture_output=True, text=True).stdout
            peer.append(json.loads(out))
            print(f"rep {rep + 1}: tinykws {ours[-1]['train_seconds']:.1f} s, "
                  f"PyTorch {peer[-1]['train_seconds']:.1f} s", file=sys.stderr)
    t_ours = statistics.median(r["train_seconds"] for r in ours)
    t_peer = statistics.median(r["train_seconds"] for r in peer)
    print(f"\nseed recipe, 40 epochs x {ours[0]['steps'] // 40} steps of batch 10, "
          f"{args.threads} thread(s), {args.reps} runs each (median)\n")
    print("| trainer | training s | ms/step | best val acc | test acc |")
    print("|---|---:|---:|---:|---:|")
    print(f"| tinykws kws-train (LibTorch C++) | {t_ours:.1f} | "
          f"{statistics.median(r['ms_per_step'] for r in ours):.2f} | "
          f"{ours[0]['best_val_acc']:.4f} | {ours[0]['test_acc']:.4f} |")
    print(f"| PyTorch {peer[0]['torch']} (bench/peer_train.py) | {t_peer:.1f} | "
          f"{statistics.median(r['ms_per_step'] for r in peer):.2f} | "
          f"{peer[0]['best_val_acc']:.4f} | {peer[0]['test_acc_at_best']:.4f} |")
    print(f"\ntinykws is {t_peer / t_ours:.2f}x faster")


if __name__ == "__main__":
    main()
