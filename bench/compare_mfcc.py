#!/usr/bin/python3
"""MFCC of one 1 s clip, one thread: tinykws vs PyTorch, measured in one run.

Runs build/bench/mfcc_bench (Google Benchmark, JSON; both front ends: the
float64 DFT and the float32 one) and bench/peer_mfcc.py (PyTorch, the same
recipe), then prints one Markdown table with the times and the ratio, and
the max abs error of PyTorch's float32 against the float64 golden values.

  /usr/bin/python3 bench/compare_mfcc.py [--build build]
"""

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    args = ap.parse_args()
    bench = Path(args.build) / "bench" / "mfcc_bench"
    ours = run_json([str(bench), "--benchmark_format=json",
                     "--benchmark_filter=Mfcc(Portable|Avx2|Avx512)(Float32)?$",
                     "--benchmark_repetitions=5",
                     "--benchmark_report_aggregates_only=true"])
    peer = run_json([sys.executable, str(ROOT / "bench" / "peer_mfcc.py"), "--json"])
    medians = {}
    for b in ours["benchmarks"]:
        if b.get("aggregate_name") == "median" and not b.get("error_occurred"):
            medians[b["run_name"].replace("BM_Mfcc", "").lower()] = b["real_time"]
    cpu = ours["context"].get("host_name", platform.node())
    print(f"MFCC of one 1 s clip, one thread ({cpu}, "
          f"{ours['context'].get('num_cpus')} cpus, torch {peer['torch']})\n")
    print("| implementation | median us/clip | vs PyTorch |")
    print("|---|---:|---:|")
    for name, us in medians.items():
        front = "float32" if name.endswith("float32") else "float64"
        isa = name[:-len("float32")] if front == "float32" else name
        print(f"| tinykws {isa} ({front} DFT) | {us:.1f} | "
              f"{peer['median_us'] / us:.1f}x faster |")
    print(f"| PyTorch recipe (torch.stft, float32) | {peer['median_us']:.1f} | 1.0x |")
    print(f"\nPyTorch float32 max abs error vs golden: "
          f"{peer['max_abs_diff_vs_golden_f32']:.3g} (tinykws: <= 1e-4, "
          f"asserted by tests/features/mfcc_test.cpp)")


if __name__ == "__main__":
    main()
