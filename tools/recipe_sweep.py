#!/usr/bin/python3
"""Train recipe variants over several seeds and tabulate what each gained.

Each variant is the base config with some keys overridden (see
tools/sweeps/*.toml). For every (variant, seed) it runs `kws-train train`,
reads the run's summary.json, and prints a Markdown table: best-epoch
validation accuracy and the testing-split accuracy of that epoch's weights,
mean ± standard deviation and range over the seeds.

  /usr/bin/python3 tools/recipe_sweep.py tools/sweeps/go_stop.toml \\
      [--data ../shared/data/speech_commands] [--seeds 1 2 3] [--threads 1]

Runs go to runs/sweep/<variant>/seed<N>; finished runs are reused, so an
interrupted sweep continues where it stopped.
"""

import argparse
import copy
import shutil
import json
import statistics
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import toml  # Debian python3-toml: tomllib cannot write

ROOT = Path(__file__).resolve().parent.parent


def merge(base, overrides):
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def slug(name):
    return "".join(c if c.isalnum() else "_" for c in name).strip("_")


def stats(values):
    mean = statistics.mean(values)
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * mean:.2f} ± {100 * spread:.2f} ({100 * min(values):.1f}–{100 * max(values):.1f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sweep", help="TOML: base = config path, [[variant]] name + overrides")
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/speech_commands"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / "runs" / "sweep"))
    ap.add_argument("--only", nargs="*", help="run only these variant names")
    ap.add_argument("--binary", default=str(ROOT / "build/apps/kws-train/kws-train"))
    args = ap.parse_args()

    # A private copy of the trainer, so rebuilding the tree mid-sweep cannot
    # pull the binary from under a run.
    binary = Path(tempfile.mkdtemp()) / "kws-train"
    shutil.copy2(args.binary, binary)
    with open(args.sweep, "rb") as f:
        sweep = tomllib.load(f)
    with open(ROOT / sweep["base"], "rb") as f:
        base = tomllib.load(f)
    rows = []
    for variant in sweep["variant"]:
        name = variant.pop("name")
        if args.only and name not in args.only:
            continue
        config = merge(base, variant)
        folder = Path(args.out) / slug(name)
        folder.mkdir(parents=True, exist_ok=True)
        config_path = folder / "config.toml"
        config_path.write_text(toml.dumps(config))
        results = []
        for seed in args.seeds:
            run = folder / f"seed{seed}"
            summary = run / "summary.json"
            if not summary.exists():
                cmd = [str(binary), "train", "--config", str(config_path), "--data",
                       args.data, "--out", str(run), "--seed", str(seed),
                       "--threads", str(args.threads), "--quiet", "--force"]
                done = subprocess.run(cmd, capture_output=True, text=True)
                if done.returncode != 0:
                    sys.exit(f"{name} seed {seed} failed:\n{done.stderr}")
            results.append(json.loads(summary.read_text()))
        val = [r["best_val_acc"] for r in results]
        test = [r["test_acc"] for r in results]
        secs = statistics.mean(r["train_seconds"] for r in results)
        rows.append((name, stats(val), stats(test), secs))
        print(f"{name}: val {stats(val)}  test {stats(test)}  {secs:.0f}s", file=sys.stderr)

    print(f"\n{len(args.seeds)} seeds ({', '.join(map(str, args.seeds))}), "
          f"data {args.data}, {args.threads} thread(s)\n")
    print("| variant | validation % (mean ± sd, range) | testing % | s/run |")
    print("|---|---|---|---:|")
    for name, val, test, secs in rows:
        print(f"| {name} | {val} | {test} | {secs:.0f} |")


if __name__ == "__main__":
    main()
