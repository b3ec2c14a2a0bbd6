#!/usr/bin/python3
"""Accuracy / size / latency of trained runs, as int8 .kws models.

For each run folder (and every seed under a sweep variant folder), exports
int8 (kws-train export, auto calibration), evaluates on the validation and
testing splits (kws eval) and times MFCC + inference (kws bench, one
thread). Prints one Markdown row per variant: mean accuracies over seeds,
model bytes, MACs, median latency.

  /usr/bin/python3 bench/tradeoff.py runs/sweep/<variant> [...] [--data DIR]
"""

import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KWS = ROOT / "build/apps/kws/kws"
TRAIN = ROOT / "build/apps/kws-train/kws-train"


def run(cmd):
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True).stdout


def evaluate(model, data, split, tmp):
    report = Path(tmp) / "r.json"
    run([KWS, "eval", "--model", model, "--data", data, "--split", split, "--report", report,
         "--latency-clips", "0"])
    return json.loads(report.read_text())["accuracy"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/speech_commands"))
    args = ap.parse_args()
    print("| variant | seeds | int8 validation % | int8 testing % | bytes | MACs | "
          "MFCC + inference µs (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for variant in map(Path, args.variants):
            runs = sorted(p.parent for p in variant.glob("**/summary.json"))
            val, test = [], []
            for r in runs:
                model = Path(tmp) / "m.kws"
                run([TRAIN, "export", "--run", r, "--data", args.data, "--out", model])
                val.append(evaluate(model, args.data, "validation", tmp))
                test.append(evaluate(model, args.data, "testing", tmp))
            bench = json.loads(run([KWS, "bench", "--model", model, "--clips", "2000", "--json"]))
            macs = json.loads((runs[-1] / "summary.json").read_text())["macs"]
            print(f"| {variant.name} | {len(runs)} | {100 * statistics.mean(val):.2f} | "
                  f"{100 * statistics.mean(test):.2f} | {bench['model_bytes']} | {macs} | "
                  f"{bench['mfcc_us']['median']:.1f} + {bench['inference_us']['median']:.1f} |")


if __name__ == "__main__":
    main()
