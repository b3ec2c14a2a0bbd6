#!/usr/bin/python3
"""Streaming keyword detection, cost per hop, one thread: tinykws vs PyTorch.

A hop is what a streaming spotter does each time hop_frames new MFCC frames
are complete (default 2 frames = 896 samples = 56 ms with the go/stop
features): compute MFCCs and run the network once on the last 1 s window.
Measures, back to back on the same machine:
  * tinykws `kws bench --hops N --json` (the Spotter: int8 network, MFCC
    computed incrementally, smoothing and detection gate included);
  * a straightforward PyTorch streaming loop on torch.set_num_threads(1), the
    same architecture (bench/peer_infer.py, random weights) and MFCC recipe
    (bench/peer_mfcc.py), fp32 eager and int8 (eager post-training static
    quantization, the faster of qnnpack/onednn), in two variants:
      - recompute: MFCC of the whole last 1 s, then the forward;
      - incremental: MFCC of the hop's new frames only (just their samples),
        torch.roll into a buffer of the window's frames, then the forward.
    Each PyTorch hop also appends the hop's int16 samples to a 1 s ring
    (torch.cat), as the loop receives audio; median and p90 over --reps hops
    after --warmup hops.
and prints one Markdown table: us per hop, real-time factor (time per hop /
hop duration) and the ratio to tinykws. The hop (hop_frames) comes from the
model file, via the kws bench output.

  /usr/bin/python3 bench/compare_spot.py --run runs/go_stop [--model M.kws] [--json]

--run needs config.toml and <name>.kws (or pass --model). Options: --hops N
(tinykws, default 20000), --reps N (PyTorch, default 2000), --warmup N (200).
"""

import argparse
import itertools
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
sys.path.insert(0, str(ROOT / "bench"))
import peer_infer  # noqa: E402  (network, PTQ and timer shared with compare_infer)
from peer_mfcc import RecipeMfcc  # noqa: E402


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def noise(rng, samples):
    """White noise as int16 PCM (the content does not matter for the timing)."""
    return torch.from_numpy(
        (rng.normal(0, 0.1, samples) * 32767).clip(-32768, 32767).astype(np.int16))


class PeerStream:
    """A PyTorch streaming loop: 1 s int16 ring, MFCC, one forward per hop."""

    def __init__(self, feats, hop_frames, model, incremental):
        step, length = feats["frame_step"], feats["frame_length"]
        self.frames = 1 + (feats["clip_samples"] - length) // step
        self.hop_frames, self.model, self.incremental = hop_frames, model, incremental
        self.ring = torch.zeros(feats["clip_samples"], dtype=torch.int16)
        self.window_mfcc = RecipeMfcc(feats)
        # The hop's new frames are the last hop_frames frames of the window;
        # their samples start at this ring offset. RecipeMfcc zero-pads its
        # input to clip_samples, so the hop recipe gets clip_samples = just
        # those samples, else it would compute a whole window of frames.
        self.hop_start = (self.frames - hop_frames) * step
        self.hop_len = length + (hop_frames - 1) * step
        self.hop_mfcc = RecipeMfcc({**feats, "clip_samples": self.hop_len})
        self.buffer = torch.zeros(self.frames, feats["num_mfcc"])

    def features(self):
        if not self.incremental:
            return self.window_mfcc(self.ring)
        new = self.hop_mfcc(self.ring[self.hop_start:self.hop_start + self.hop_len])
        self.buffer = torch.roll(self.buffer, -self.hop_frames, 0)
        self.buffer[-self.hop_frames:] = new
        return self.buffer

    def push(self, pcm):
        """One hop of int16 samples -> logits [1, labels]."""
        self.ring = torch.cat((self.ring[pcm.shape[0]:], pcm))
        return self.model(self.features()[None, None])


def calibration_inputs(feats, rng, count=50):
    """MFCCs of random clips for PTQ calibration, as peer_infer.main makes them."""
    mfcc = RecipeMfcc(feats)
    return [mfcc(noise(rng, feats["clip_samples"]))[None, None].clone() for _ in range(count)]


def fastest_int8(model, build_args, calib, x, reps, warmup):
    """(engine, int8 model, errors): the engine whose forward on x is fastest."""
    best, errors = None, {}
    for engine in peer_infer.ENGINES:
        try:
            q = peer_infer.quantize(model, build_args, engine, calib)
            with torch.inference_mode():
                t = peer_infer.time_us(lambda: q(x), reps, warmup)["median"]
        except Exception as e:   # noqa: BLE001  (an engine may be missing; try the next)
            errors[engine] = f"{type(e).__name__}: {e}"
            continue
        if best is None or t < best[0]:
            best = (t, engine, q)
    if best is None:
        return None, None, errors
    torch.backends.quantized.engine = best[1]   # the converted model runs on this engine
    return best[1], best[2], errors


def time_stream(stream, hops, reps, warmup):
    with torch.inference_mode():
        return peer_infer.time_us(lambda: stream.push(next(hops)), reps, warmup)


def incremental_mismatch(feats, hop_frames, model, hop_pcm):
    """Max abs MFCC and logit difference, incremental vs recompute, same audio.

    Why: the incremental variant is only a fair peer if it computes the same
    features; after enough hops to fill the buffer both must agree."""
    full = PeerStream(feats, hop_frames, model, incremental=False)
    inc = PeerStream(feats, hop_frames, model, incremental=True)
    with torch.inference_mode():
        for pcm in hop_pcm:
            a, b = full.push(pcm), inc.push(pcm)
        mfcc = float((full.window_mfcc(full.ring) - inc.buffer).abs().max())
    return mfcc, float((a - b).abs().max())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, required=True, help="run folder with config.toml")
    ap.add_argument("--model", type=Path, help="tinykws model (default RUN/<name>.kws)")
    ap.add_argument("--hops", type=int, default=20000, help="tinykws timed hops")
    ap.add_argument("--reps", type=int, default=2000, help="PyTorch timed hops")
    ap.add_argument("--warmup", type=int, default=200, help="PyTorch untimed hops first")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    model_path = args.model or args.run / f"{args.run.name}.kws"
    if not model_path.is_file():
        sys.exit(f"no model file {model_path} (kws-train export, or pass --model)")

    ours = run_json([str(BUILD / "apps/kws/kws"), "bench", "--model", str(model_path),
                     "--hops", str(args.hops), "--json"])
    hop_frames = int(ours["hop_frames"])

    torch.set_num_threads(1)
    torch.manual_seed(1)
    cfg = tomllib.loads((args.run / "config.toml").read_text())
    feats = cfg["features"]
    frames = 1 + (feats["clip_samples"] - feats["frame_length"]) // feats["frame_step"]
    hop_samples = hop_frames * feats["frame_step"]
    hop_s = hop_samples / feats["sample_rate"]
    if abs(hop_s * 1e3 - ours["hop_ms"]) > 0.05:   # model file and config.toml disagree
        sys.exit(f"hop {hop_s * 1e3:.1f} ms from config.toml, {ours['hop_ms']} ms from "
                 f"{model_path}: wrong --model for this --run?")

    build_args = (cfg["model"], len(cfg["labels"]), (frames, feats["num_mfcc"]))
    fp32 = peer_infer.Net(*build_args).eval()
    rng = np.random.default_rng(7)
    # Distinct hops of audio, cycled, so no hop is generated inside the timing.
    hop_pcm = [noise(rng, hop_samples) for _ in range(64)]
    with torch.inference_mode():
        calib = calibration_inputs(feats, rng)
    engine, int8, int8_errors = fastest_int8(fp32, build_args, calib, calib[0],
                                             max(200, args.reps // 4), args.warmup)
    mfcc_diff, logit_diff = incremental_mismatch(feats, hop_frames, fp32, hop_pcm)

    t_ours = {"median": ours["hop_us"]["median"], "p90": ours["hop_us"]["p90"]}
    rows = [(f"tinykws spotter (int8 {ours['kernel']}, MFCC incremental + network)", t_ours)]
    variants = [("fp32 eager", fp32)] + ([(f"int8 {engine}", int8)] if int8 else [])
    for label, net in variants:
        for incremental in (False, True):
            stream = PeerStream(feats, hop_frames, net, incremental)
            t = time_stream(stream, itertools.cycle(hop_pcm), args.reps, args.warmup)
            name = "incremental" if incremental else "recompute"
            rows.append((f"PyTorch {label} {name}", t))

    base = t_ours["median"]
    res = {"torch": torch.__version__, "threads": torch.get_num_threads(),
           "run": str(args.run), "model": str(model_path), "hop_frames": hop_frames,
           "hop_samples": hop_samples, "hop_ms": hop_s * 1e3, "window_frames": frames,
           "tinykws_hops": ours["hops"], "peer_reps": args.reps, "int8_engine": engine,
           "int8_errors": int8_errors, "incremental_max_abs_mfcc_diff": mfcc_diff,
           "incremental_max_abs_logit_diff": logit_diff,
           "rows": [{"name": name, "median_us": t["median"], "p90_us": t["p90"],
                     "real_time_factor": t["median"] * 1e-6 / hop_s,
                     "ratio_vs_tinykws": t["median"] / base} for name, t in rows]}
    if args.json:
        return print(json.dumps(res)) or 0

    print(f"Streaming detection, cost per hop ({hop_frames} frames = {hop_samples} samples "
          f"= {hop_s * 1e3:.0f} ms; window {frames} frames), one thread; torch "
          f"{res['torch']}; tinykws {ours['hops']} hops, PyTorch {args.reps} hops\n")
    print("| implementation | median µs/hop | p90 µs/hop | real-time factor | vs tinykws |")
    print("|---|---:|---:|---:|---:|")
    for i, r in enumerate(res["rows"]):
        ratio = "–" if i == 0 else f"{r['ratio_vs_tinykws']:.0f}x"
        print(f"| {r['name']} | {r['median_us']:.1f} | {r['p90_us']:.1f} | "
              f"{r['real_time_factor']:.2e} | {ratio} |")
    print(f"\nincremental vs recompute (same audio): max |MFCC diff| {mfcc_diff:.2g}, "
          f"max |logit diff| {logit_diff:.2g}")
    for e, msg in int8_errors.items():
        print(f"int8 {e} failed: {msg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
