#!/usr/bin/python3
"""PyTorch peer for the tinykws MFCC: same recipe, torch ops, one thread.

Computes the tinykws feature recipe (tf.signal numerics, see docs/mfcc.md) the
way a PyTorch user would write it: torch.stft with the frame length as
n_fft, center=False and a periodic Hann window, |X|, the
tf.signal.linear_to_mel_weight_matrix as a tensor, log(mel + log_offset), and
the tf.signal DCT as a matrix. All sizes come from configs/go_stop.toml.

It prints
  * the time for the MFCC of one clip on one thread (median and p90 us over
    many repetitions after warm-up), and the per-clip time when --batch clips
    go through one call;
  * the max abs difference of this recipe against the golden files in
    tests/features/golden (float32 as timed, and float64);
  * how far torchaudio.transforms.MFCC with matching sizes is from the
    recipe, and which of its differences cause it.

Usage:
  /usr/bin/python3 bench/peer_mfcc.py            # human-readable report
  /usr/bin/python3 bench/peer_mfcc.py --json     # one JSON object on stdout
"""

import argparse
import json
import math
import statistics
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import torch
import torchaudio

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "configs" / "go_stop.toml"
GOLDEN = ROOT / "tests" / "features" / "golden"


def load_features(path):
    with open(path, "rb") as f:
        return tomllib.load(f)["features"]


# ------------------------------------------------------------ the recipe --

def tf_mel_matrix(cfg, dtype=torch.float32):
    """tf.signal.linear_to_mel_weight_matrix: [frame_length//2+1, mel_bins]."""
    def to_mel(f):
        return 1127.0 * torch.log1p(torch.as_tensor(f, dtype=torch.float64) / 700.0)
    bins, n_mel = cfg["frame_length"] // 2 + 1, cfg["mel_bins"]
    spec_mel = to_mel(torch.linspace(0.0, cfg["sample_rate"] / 2.0, bins,
                                     dtype=torch.float64)[1:]).unsqueeze(1)
    edges = torch.linspace(float(to_mel(cfg["fmin_hz"])), float(to_mel(cfg["fmax_hz"])),
                           n_mel + 2, dtype=torch.float64)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    w = torch.clamp(torch.minimum((spec_mel - lower) / (center - lower),
                                  (upper - spec_mel) / (upper - center)), min=0.0)
    return torch.cat([torch.zeros(1, n_mel, dtype=torch.float64), w]).to(dtype)


def tf_dct_matrix(n_mel, n_mfcc, dtype=torch.float32):
    """tf.signal.mfccs_from_log_mel_spectrograms DCT: [n_mel, n_mfcc]."""
    n = torch.arange(n_mel, dtype=torch.float64).unsqueeze(1)
    k = torch.arange(n_mfcc, dtype=torch.float64).unsqueeze(0)
    dct = math.sqrt(2.0 / n_mel) * torch.cos(math.pi * k * (2 * n + 1) / (2 * n_mel))
    return dct.to(dtype)


class RecipeMfcc(torch.nn.Module):
    """int16 clips [..., samples] -> MFCCs [..., num_frames, num_mfcc]."""

    def __init__(self, cfg, dtype=torch.float32):
        super().__init__()
        self.cfg, self.dtype = cfg, dtype
        self.register_buffer("window", torch.hann_window(
            cfg["frame_length"], periodic=True, dtype=dtype))
        self.register_buffer("mel", tf_mel_matrix(cfg, dtype))
        self.register_buffer("dct", tf_dct_matrix(cfg["mel_bins"], cfg["num_mfcc"], dtype))

    def forward(self, pcm):
        clip = self.cfg["clip_samples"]
        x = pcm[..., :clip].to(self.dtype) / 32768.0
        if x.shape[-1] < clip:
            x = torch.nn.functional.pad(x, (0, clip - x.shape[-1]))
        n = self.cfg["frame_length"]
        spec = torch.stft(x, n_fft=n, hop_length=self.cfg["frame_step"], win_length=n,
                          window=self.window, center=False, return_complex=True)
        mag = spec.abs().transpose(-1, -2)                 # [..., frames, bins]
        log_mel = torch.log(mag @ self.mel + self.cfg["log_offset"])
        return log_mel @ self.dct


# ---------------------------------------------------------------- golden --

def load_golden():
    clips = {}
    for pcm_path in sorted(GOLDEN.glob("*.pcm")):
        name = pcm_path.name[:-len(".pcm")]
        pcm = np.frombuffer(pcm_path.read_bytes(), dtype="<i2").astype(np.int16)
        lines = (GOLDEN / f"{name}.mfcc.txt").read_text().split("\n")
        rows, cols = (int(v) for v in lines[0].split())
        ref = np.array([[float(v) for v in ln.split()] for ln in lines[1:1 + rows]])
        assert ref.shape == (rows, cols), name
        clips[name] = (torch.from_numpy(pcm.copy()), ref)
    if not clips:
        sys.exit(f"no golden files in {GOLDEN}; run tools/golden_mfcc.py first")
    return clips


def diff_vs_golden(cfg, clips, dtype):
    """clip name -> max abs difference of the torch recipe vs the golden file."""
    model = RecipeMfcc(cfg, dtype)
    with torch.inference_mode():
        return {name: float(np.max(np.abs(model(pcm).double().numpy() - ref)))
                for name, (pcm, ref) in clips.items()}


# ------------------------------------------------------------ torchaudio --

def torchaudio_mismatch(cfg, clips):
    """torchaudio.transforms.MFCC variants vs the golden recipe output.

    The float32 variants are what a user gets; the float64 variants (window,
    filterbank and DCT built in float64 too) attribute the differences
    without float32 round-off in the way: power, ortho c0, mel filterbank.
    """
    def make(power, log_mels=True, dtype=torch.float32):
        # Build under the default dtype so that window, filterbank and DCT
        # are computed in that precision (not float32 cast to float64).
        n, saved = cfg["frame_length"], torch.get_default_dtype()
        torch.set_default_dtype(dtype)
        try:
            return torchaudio.transforms.MFCC(
                sample_rate=cfg["sample_rate"], n_mfcc=cfg["num_mfcc"], log_mels=log_mels,
                melkwargs=dict(n_fft=n, win_length=n, hop_length=cfg["frame_step"],
                               n_mels=cfg["mel_bins"], f_min=cfg["fmin_hz"],
                               f_max=cfg["fmax_hz"], center=False, power=power)).to(dtype)
        finally:
            torch.set_default_dtype(saved)

    def run(mod, c0_scale=1.0):
        dtype = mod.dct_mat.dtype
        diffs, diffs_c1, ratios = [], [], []
        for pcm, ref in clips.values():
            x = torch.zeros(cfg["clip_samples"], dtype=dtype)
            n = min(len(pcm), cfg["clip_samples"])
            x[:n] = pcm[:n].to(dtype) / 32768.0
            with torch.inference_mode():
                out = mod(x).transpose(0, 1).double().numpy()   # [frames, mfcc]
            out[:, 0] *= c0_scale
            diffs.append(np.max(np.abs(out - ref)))
            diffs_c1.append(np.max(np.abs(out[:, 1:] - ref[:, 1:])))
            ratios.extend(out[:, 0] / ref[:, 0])
        return {"max_abs_diff": float(max(diffs)),
                "max_abs_diff_c1_up": float(max(diffs_c1)),
                "c0_ratio_median": float(np.median(ratios)),
                "c0_ratio_min": float(np.min(ratios)),
                "c0_ratio_max": float(np.max(ratios))}

    f64 = torch.float64
    res = {}
    res["f32_power2_logmels"] = run(make(2.0))            # MelSpectrogram default power
    res["f32_power1_logmels"] = run(make(1.0))
    res["f64_power2_logmels"] = run(make(2.0, dtype=f64))
    res["f64_power1_logmels"] = run(make(1.0, dtype=f64))  # magnitude, as the recipe
    res["f64_power1_c0_times_sqrt2"] = run(make(1.0, dtype=f64), math.sqrt(2.0))
    swapped = make(1.0, dtype=f64)
    fb = swapped.MelSpectrogram.mel_scale.fb
    tf_fb = tf_mel_matrix(cfg, fb.dtype)
    res["fbank_max_abs_diff"] = float((fb - tf_fb).abs().max())
    res["fbank_max_col_sum_rel_diff"] = float((fb.sum(0) / tf_fb.sum(0) - 1.0).abs().max())
    fb.copy_(tf_fb)                                         # TF mel matrix instead
    res["f64_power1_c0_times_sqrt2_tf_fbank"] = run(swapped, math.sqrt(2.0))
    res["f32_power2_db"] = run(make(2.0, log_mels=False))   # log_mels=False (dB)
    return res


# ------------------------------------------------------------- benchmark --

def time_us(fn, reps, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        fn()
        times.append((time.perf_counter_ns() - t0) / 1000.0)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.9 * len(times)))]


def benchmark(cfg, reps, warmup, batch):
    model = RecipeMfcc(cfg)
    rng = np.random.default_rng(7)
    one = torch.from_numpy(
        (rng.normal(0, 0.1, cfg["clip_samples"]) * 32767).clip(-32768, 32767).astype(np.int16))
    many = torch.from_numpy(
        (rng.normal(0, 0.1, (batch, cfg["clip_samples"])) * 32767)
        .clip(-32768, 32767).astype(np.int16))
    with torch.inference_mode():
        med, p90 = time_us(lambda: model(one), reps, warmup)
        bmed, bp90 = time_us(lambda: model(many), max(20, reps // batch * 2), max(5, warmup // 20))
    return {"median_us": med, "p90_us": p90,
            "batch": batch, "batch_median_us_per_clip": bmed / batch,
            "batch_p90_us_per_clip": bp90 / batch}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    ap.add_argument("--reps", type=int, default=3000, help="timed single-clip calls")
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--batch", type=int, default=100, help="clips per batched call")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    torch.set_num_threads(1)
    cfg = load_features(args.config)
    clips = load_golden()
    frames = 1 + (cfg["clip_samples"] - cfg["frame_length"]) // cfg["frame_step"]

    result = {"peer": "pytorch_mfcc", "torch": torch.__version__,
              "torchaudio": torchaudio.__version__, "threads": torch.get_num_threads(),
              "frames_per_clip": frames, "num_mfcc": cfg["num_mfcc"]}
    result.update(benchmark(cfg, args.reps, args.warmup, args.batch))
    result["golden_clips"] = len(clips)
    per_clip32 = diff_vs_golden(cfg, clips, torch.float32)
    per_clip64 = diff_vs_golden(cfg, clips, torch.float64)
    result["max_abs_diff_vs_golden_f32"] = max(per_clip32.values())
    result["max_abs_diff_vs_golden_f64"] = max(per_clip64.values())
    result["max_abs_diff_vs_golden_f32_per_clip"] = per_clip32
    result["torchaudio_mfcc"] = torchaudio_mismatch(cfg, clips)

    if args.json:
        print(json.dumps(result))
        return 0
    r, ta = result, result["torchaudio_mfcc"]
    print(f"pytorch_mfcc peer: torch {r['torch']}, torchaudio {r['torchaudio']}, "
          f"{r['threads']} thread, {frames} frames x {cfg['num_mfcc']} MFCC per clip")
    print(f"  one clip per call:      median {r['median_us']:.1f} us, p90 {r['p90_us']:.1f} us")
    print(f"  {r['batch']} clips per call:   median {r['batch_median_us_per_clip']:.1f} us/clip, "
          f"p90 {r['batch_p90_us_per_clip']:.1f} us/clip")
    print(f"recipe vs golden ({r['golden_clips']} clips): max abs diff "
          f"{r['max_abs_diff_vs_golden_f32']:.3g} (float32), "
          f"{r['max_abs_diff_vs_golden_f64']:.3g} (float64)")
    print("  float32 per clip: " + ", ".join(
        f"{k} {v:.2g}" for k, v in r["max_abs_diff_vs_golden_f32_per_clip"].items()))
    print("torchaudio.transforms.MFCC (log_mels=True, matching sizes, center=False) vs recipe:")
    labels = [
        ("f32_power2_logmels", "float32, power=2.0 (MelSpectrogram default)"),
        ("f32_power1_logmels", "float32, power=1.0"),
        ("f64_power2_logmels", "float64, power=2.0"),
        ("f64_power1_logmels", "float64, power=1.0"),
        ("f64_power1_c0_times_sqrt2", "float64, power=1.0, c0 * sqrt(2)"),
        ("f64_power1_c0_times_sqrt2_tf_fbank", "float64, power=1.0, c0 * sqrt(2), TF mel matrix"),
        ("f32_power2_db", "float32, log_mels=False (dB, top_db=80)"),
    ]
    print(f"  {'variant':50s} {'max|diff|':>10s} {'c1.. only':>10s}  c0 ratio median [min, max]")
    for key, label in labels:
        v = ta[key]
        print(f"  {label:50s} {v['max_abs_diff']:10.4g} {v['max_abs_diff_c1_up']:10.4g}  "
              f"{v['c0_ratio_median']:.5f} [{v['c0_ratio_min']:.5f}, {v['c0_ratio_max']:.5f}]")
    print(f"  torchaudio mel fbank vs TF mel matrix: max abs weight diff "
          f"{ta['fbank_max_abs_diff']:.4g}, max column-sum rel diff "
          f"{ta['fbank_max_col_sum_rel_diff']:.4g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
