#!/usr/bin/python3
"""Inference latency per 1 s clip, one thread: tinykws and its peers, same run.

Measures, back to back on the same machine:
  * tinykws `kws bench --json` on each model file (int8 runtime, MFCC included);
  * LibTorch fp32 in C++ (`kws-train bench --run`, the training code's model);
  * PyTorch eager fp32 and int8 (qnnpack, onednn) with the same MFCC recipe
    (bench/peer_infer.py, same architecture from the run's config);
  * XNNPACK int8 on the same .kws weights (build/bench/xnnpack_bench).
and prints one Markdown table with the ratios to tinykws.

  /usr/bin/python3 bench/compare_infer.py --run runs/go_stop [--run runs/reference ...]

Each run folder needs config.toml, best.pt and <name>.kws (kws-train export).
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def xnnpack_us(model):
    binary = BUILD / "bench" / "xnnpack_bench"
    if not binary.exists():
        return None
    out = run_json([str(binary), "--model", str(model), "--benchmark_format=json",
                    "--benchmark_filter=xnnpack/network$", "--benchmark_repetitions=5",
                    "--benchmark_report_aggregates_only=true"])
    for b in out["benchmarks"]:
        if b.get("aggregate_name") == "median":
            return b["cpu_time"] * {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", action="append", required=True, help="run folder (repeatable)")
    ap.add_argument("--clips", type=int, default=3000)
    args = ap.parse_args()
    rows = []
    for run in map(Path, args.run):
        model = run / f"{run.name}.kws"
        ours = run_json([str(BUILD / "apps/kws/kws"), "bench", "--model", str(model),
                         "--clips", str(args.clips), "--json"])
        libtorch = run_json([str(BUILD / "apps/kws-train/kws-train"), "bench", "--run",
                             str(run), "--json", "--clips", "1000"])
        peer = run_json([sys.executable, str(ROOT / "bench/peer_infer.py"), "--config",
                         str(run / "config.toml"), "--json", "--reps", "1000",
                         "--warmup", "100"])
        xnn = xnnpack_us(model)
        rows.append((run.name, ours, libtorch, peer, xnn))
        print(f"{run.name}: done", file=sys.stderr)
    print("Median µs per clip, one thread (inference = the network; total adds the MFCC)\n")
    print("| model | implementation | inference | total | tinykws faster by |")
    print("|---|---|---:|---:|---:|")
    for name, ours, libtorch, peer, xnn in rows:
        inf, tot = ours["inference_us"]["median"], ours["total_us"]["median"]
        mfcc = ours["mfcc_us"]["median"]
        print(f"| {name} | **tinykws int8** ({ours['kernel']}, {ours['model_bytes']} B) | "
              f"**{inf:.1f}** | **{tot:.1f}** | – |")
        lt = libtorch["inference_us"]["median"]
        print(f"| {name} | LibTorch fp32 (C++, tinykws MFCC) | {lt:.1f} | {lt + mfcc:.1f} | "
              f"{(lt + mfcc) / tot:.1f}x |")
        pm = peer["mfcc_us"]["median"]
        pf = peer["fp32_forward_us"]["median"]
        print(f"| {name} | PyTorch eager fp32 (+ torch MFCC) | {pf:.1f} | {pm + pf:.1f} | "
              f"{(pm + pf) / tot:.1f}x |")
        for engine, q in peer["int8_forward_us"].items():
            if isinstance(q, dict) and "median" in q:
                print(f"| {name} | PyTorch int8 {engine} (+ torch MFCC) | {q['median']:.1f} | "
                      f"{pm + q['median']:.1f} | {(pm + q['median']) / tot:.1f}x |")
        if xnn is not None:
            print(f"| {name} | XNNPACK int8 (same weights; + tinykws MFCC) | {xnn:.1f} | "
                  f"{xnn + mfcc:.1f} | {(xnn + mfcc) / tot:.1f}x |")


if __name__ == "__main__":
    main()
