#!/usr/bin/env python3
"""The detector's numbers for a set of models, one row per model and the
mean and worst over them (docs/training.md round 7, docs/benchmarks.md).

For each model: `kws eval` on the testing split (clip accuracy), and
`kws spot-eval` on the testing streams plus keyword-free recordings
(--negatives): keywords found at the stored thresholds, false alarms per
hour with the 95 % interval, and the DET curve's best recall at <= 0.5, 1
and 2 false alarms per hour. Reports are kept next to each model.

  /usr/bin/python3 tools/detector_table.py --data DATA --negatives DIR \
      --name base runs/base_s*/model.kws

Only the standard library: it runs the kws binary and reads its JSON.
"""
import argparse
import json
import os
import subprocess
import sys


def run(cmd):
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), done.stderr))
    return done.stdout


def measure(kws, model, data, negatives, threads, reuse):
    stem = os.path.splitext(model)[0]
    if not (reuse and os.path.exists(stem + ".spot.json")):
        evaluate(kws, model, stem, data, negatives, threads)
    return read_reports(model, stem)


def evaluate(kws, model, stem, data, negatives, threads):
    run([kws, "eval", "--model", model, "--data", data, "--split", "testing",
         "--threads", str(threads), "--report", stem + ".eval.json"])
    spot = [kws, "spot-eval", "--model", model, "--data", data, "--split",
            "testing", "--threads", str(threads), "--report",
            stem + ".spot.json"]
    for n in negatives:
        spot += ["--negatives", n]
    run(spot)


def read_reports(model, stem):
    with open(stem + ".eval.json") as f:
        ev = json.load(f)
    with open(stem + ".spot.json") as f:
        sp = json.load(f)
    res = sp["results"]
    # No operating point that quiet: nothing is found at that rate.
    recordings = [s for s in sp["streams"] if s["kind"] == "recording"]
    speech_seconds = sum(s["seconds"] for s in recordings)
    speech_fa = sum(s["false_alarms"] for s in recordings)
    det = {p["max_fa_per_hour"]: p["recall"] or 0.0 for p in sp["det_points"]}
    return {
        "model": model,
        "accuracy": ev["accuracy"],
        "bytes": ev["model"]["bytes"],
        "found": res["recall"],
        "fa_per_hour": res["fa_per_hour"],
        "fa_low": res["fa_per_hour_low"],
        "fa_high": res["fa_per_hour_high"],
        "false_alarms": res["false_alarms"],
        "hours": res["hours"],
        "det_0.5": det[0.5],
        "det_1": det[1.0],
        "det_2": det[2.0],
        "per_keyword": {k["label"]: k["recall"] for k in sp["per_keyword"]},
        "recording_hours": speech_seconds / 3600,
        "recording_false_alarms": speech_fa,
        "recording_fa_per_hour":
            speech_fa * 3600 / speech_seconds if speech_seconds else 0.0,
    }


def pct(x):
    return "%.1f %%" % (100 * x)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("models", nargs="+")
    p.add_argument("--data", required=True)
    p.add_argument("--negatives", action="append", default=[])
    p.add_argument("--kws", default="build/apps/kws/kws")
    p.add_argument("--name", default="")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reuse", action="store_true",
                   help="read the reports a previous run left next to a "
                   "model instead of evaluating it again")
    p.add_argument("--json", help="write every row here")
    a = p.parse_args()
    rows = [measure(a.kws, m, a.data, a.negatives, a.threads, a.reuse)
            for m in a.models]
    print("| %s | clip accuracy | found | false alarms per hour, all "
          "(95 %% interval) | on the recordings alone | DET 0.5/h | 1/h | "
          "2/h | bytes |" % (a.name or "model"))
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %s | %s | %.2f (%.2f-%.2f; %d in %.2f h) | %.2f (%d in "
              "%.2f h) | %s | %s | %s | %d |" % (
                  r["model"], pct(r["accuracy"]), pct(r["found"]),
                  r["fa_per_hour"], r["fa_low"], r["fa_high"],
                  r["false_alarms"], r["hours"], r["recording_fa_per_hour"],
                  r["recording_false_alarms"], r["recording_hours"],
                  pct(r["det_0.5"]), pct(r["det_1"]), pct(r["det_2"]),
                  r["bytes"]))
    higher_is_better = ["accuracy", "found", "det_0.5", "det_1", "det_2"]
    lower_is_better = ["fa_per_hour", "recording_fa_per_hour"]
    mean = {k: sum(r[k] for r in rows) / len(rows)
            for k in higher_is_better + lower_is_better}
    worst = {k: min(r[k] for r in rows) for k in higher_is_better}
    worst.update({k: max(r[k] for r in rows) for k in lower_is_better})
    both = lambda k, f: "%s (%s)" % (f(mean[k]), f(worst[k]))
    rate = lambda x: "%.2f" % x
    print("| mean (worst of %d) | %s | %s | %s | %s | %s | %s | %s | |" % (
        len(rows), both("accuracy", pct), both("found", pct),
        both("fa_per_hour", rate), both("recording_fa_per_hour", rate),
        both("det_0.5", pct), both("det_1", pct), both("det_2", pct)))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
