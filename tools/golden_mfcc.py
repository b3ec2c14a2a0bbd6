#!/usr/bin/python3
"""Golden MFCC files for tinykws, computed from the tf.signal recipe in numpy.

This is an independent float64 reference (numpy only, no C++ code, no
TensorFlow) of the feature recipe tinykws implements:

  1. audio = int16 / 32768, zero-padded or cut to clip_samples
  2. frames of frame_length every frame_step, no end padding
     (tf.signal.frame(pad_end=False))
  3. periodic Hann window 0.5 - 0.5 cos(2 pi n / frame_length)
  4. DFT of length frame_length (not padded to a power of two), magnitude |X|
  5. mel = |X| @ W, W = tf.signal.linear_to_mel_weight_matrix(mel_bins,
     frame_length // 2 + 1, sample_rate, fmin_hz, fmax_hz): HTK mel
     1127 ln(1 + f / 700), triangles in mel space, DC row zero, unnormalized
  6. ln(mel + log_offset)
  7. DCT-II as tf.signal.mfccs_from_log_mel_spectrograms:
     c_k = sqrt(2 / N) sum_n x_n cos(pi k (2n + 1) / (2N)) for every k
     (k = 0 included), first num_mfcc kept.

The parameters come from the [features] section of a config file
(configs/go_stop.toml by default). The test clips are synthesized
deterministically; for each clip <name> the script writes
  <name>.pcm       raw int16 little-endian mono
  <name>.mfcc.txt  "<num_frames> <num_mfcc>", then one line per frame with the
                   coefficients printed as %.9g separated by spaces
into tests/features/golden/, plus a README.md.

Usage:
  /usr/bin/python3 tools/golden_mfcc.py           # (re)write the golden files
  /usr/bin/python3 tools/golden_mfcc.py --check   # verify them, exit 1 on diff
"""

import argparse
import math
import sys
import tomllib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "configs" / "go_stop.toml"
DEFAULT_OUT = ROOT / "tests" / "features" / "golden"
CHECK_TOL = 1e-7  # |a - b| <= CHECK_TOL * max(1, |b|); %.9g itself is ~5e-9


def load_features(path):
    with open(path, "rb") as f:
        return tomllib.load(f)["features"]


# ----------------------------------------------------------------- recipe --

def hertz_to_mel(f):
    return 1127.0 * np.log1p(np.asarray(f, dtype=np.float64) / 700.0)


def mel_matrix(cfg):
    """tf.signal.linear_to_mel_weight_matrix, in float64: [bins, mel_bins]."""
    bins = cfg["frame_length"] // 2 + 1
    n_mel = cfg["mel_bins"]
    linear = np.linspace(0.0, cfg["sample_rate"] / 2.0, bins)[1:]  # drop DC
    spec_mel = hertz_to_mel(linear)[:, None]
    edges = np.linspace(hertz_to_mel(cfg["fmin_hz"]),
                        hertz_to_mel(cfg["fmax_hz"]), n_mel + 2)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    lower_slope = (spec_mel - lower) / (center - lower)
    upper_slope = (upper - spec_mel) / (upper - center)
    w = np.maximum(0.0, np.minimum(lower_slope, upper_slope))
    return np.vstack([np.zeros((1, n_mel)), w])  # DC row forced to zero


def dct_matrix(n_in, n_out):
    """[n_in, n_out]: c_k = sqrt(2/N) sum_n x_n cos(pi k (2n+1) / (2N))."""
    n = np.arange(n_in)[:, None]
    k = np.arange(n_out)[None, :]
    return math.sqrt(2.0 / n_in) * np.cos(np.pi * k * (2 * n + 1) / (2 * n_in))


def mfcc(pcm, cfg):
    """MFCCs of one int16 clip: float64 array [num_frames, num_mfcc]."""
    length, step = cfg["frame_length"], cfg["frame_step"]
    clip = cfg["clip_samples"]
    x = np.zeros(clip)
    n = min(len(pcm), clip)
    x[:n] = np.asarray(pcm[:n], dtype=np.float64) / 32768.0
    num_frames = 1 + (clip - length) // step
    idx = np.arange(num_frames)[:, None] * step + np.arange(length)[None, :]
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(length) / length)
    mag = np.abs(np.fft.rfft(x[idx] * window, n=length, axis=1))
    mel = mag @ mel_matrix(cfg)
    log_mel = np.log(mel + cfg["log_offset"])
    return log_mel @ dct_matrix(cfg["mel_bins"], cfg["num_mfcc"])


# ------------------------------------------------------------------ clips --

def to_int16(x):
    return np.clip(np.round(np.asarray(x) * 32767.0), -32768, 32767).astype("<i2")


def make_clips(sr):
    """name -> int16 array. Deterministic; 1 s = sample_rate samples."""
    t = np.arange(sr) / sr
    f0, f1 = 100.0, 7000.0  # linear chirp over 1 s
    chirp = 0.5 * np.sin(2 * np.pi * (f0 * t + 0.5 * (f1 - f0) * t * t))
    noise = np.random.default_rng(1234).normal(0.0, 0.1, sr)
    n_short = int(round(0.6 * sr))
    t_short = np.arange(n_short) / sr
    short = (0.3 * np.sin(2 * np.pi * 440.0 * t_short)
             + np.random.default_rng(99).normal(0.0, 0.02, n_short))
    return {
        "silence": to_int16(np.zeros(sr)),
        "sine_1khz": to_int16(0.5 * np.sin(2 * np.pi * 1000.0 * t)),
        "chirp": to_int16(chirp),
        "white_noise": to_int16(np.clip(noise, -1.0, 1.0)),
        "short_clip": to_int16(short),
    }


# -------------------------------------------------------------------- i/o --

def format_mfcc(c):
    lines = [f"{c.shape[0]} {c.shape[1]}"]
    lines += [" ".join("%.9g" % v for v in row) for row in c]
    return "\n".join(lines) + "\n"


def parse_mfcc(text):
    lines = text.strip().splitlines()
    rows, cols = (int(v) for v in lines[0].split())
    data = np.array([[float(v) for v in ln.split()] for ln in lines[1:]])
    if data.shape != (rows, cols):
        raise ValueError(f"header says {rows}x{cols}, data is {data.shape}")
    return data


README = """# Golden MFCC files

Made by `/usr/bin/python3 tools/golden_mfcc.py` (numpy, float64) from the
`[features]` section of `configs/go_stop.toml`; verify with
`/usr/bin/python3 tools/golden_mfcc.py --check` (exit status 1 on any
difference). Do not edit by hand.

Files, per clip `<name>`:
- `<name>.pcm`: raw int16 little-endian mono at sample_rate.
- `<name>.mfcc.txt`: first line `<num_frames> <num_mfcc>`, then one line per
  frame, coefficients as `%.9g` separated by spaces.

Clips (int16 = round(x * 32767) clipped; 1 s = sample_rate samples):
- `silence`: 1 s of zeros (c0 = sqrt(2 * mel_bins) * ln(log_offset) in every frame).
- `sine_1khz`: 1 kHz sine, amplitude 0.5, 1 s.
- `chirp`: linear chirp 100 Hz -> 7000 Hz, amplitude 0.5, 1 s.
- `white_noise`: numpy.random.default_rng(1234) gaussian, std 0.1, clipped to [-1, 1], 1 s.
- `short_clip`: 0.6 s of 440 Hz sine amplitude 0.3 plus default_rng(99)
  gaussian noise std 0.02; shorter than clip_samples, so it tests zero padding.

Recipe (tf.signal, computed in float64):
1. int16 / 32768, zero-padded or cut to clip_samples.
2. Frames of frame_length every frame_step, no end padding.
3. Periodic Hann window 0.5 - 0.5 cos(2 pi n / frame_length).
4. DFT of length frame_length (not padded to a power of two), magnitude.
5. mel = |X| @ tf.signal.linear_to_mel_weight_matrix(mel_bins,
   frame_length // 2 + 1, sample_rate, fmin_hz, fmax_hz) (HTK mel
   1127 ln(1 + f/700), triangles in mel space, DC row zero, unnormalized).
6. ln(mel + log_offset).
7. c_k = sqrt(2 / mel_bins) * sum_n x_n cos(pi k (2n + 1) / (2 mel_bins)) for
   every k (tf.signal.mfccs_from_log_mel_spectrograms), first num_mfcc kept.

The values are float64; a float32 implementation should compare with a
tolerance, not bit for bit. Measured for the float32 PyTorch version of the
recipe (`bench/peer_mfcc.py`): max abs difference 0.03 on `sine_1khz` (its
quietest mel bands are ~1e-6 of the loudest, at the float32 round-off floor
of the DFT), 0.004 on `chirp`, 3e-6 or less on the others. See docs/mfcc.md.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true",
                    help="verify the files in --out instead of writing them")
    args = ap.parse_args()
    cfg = load_features(args.config)

    # Sanity: all-zero audio gives c0 = sqrt(2N) ln(log_offset) in every frame.
    c_zero = mfcc(np.zeros(cfg["clip_samples"], dtype=np.int16), cfg)
    expect_c0 = math.sqrt(2 * cfg["mel_bins"]) * math.log(cfg["log_offset"])
    assert np.allclose(c_zero[:, 0], expect_c0, rtol=0, atol=1e-9), c_zero[:, 0]
    assert np.allclose(c_zero[:, 1:], 0.0, atol=1e-9)

    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for name, pcm in make_clips(cfg["sample_rate"]).items():
        coeffs = mfcc(pcm, cfg)
        pcm_path = args.out / f"{name}.pcm"
        txt_path = args.out / f"{name}.mfcc.txt"
        if not args.check:
            pcm_path.write_bytes(pcm.tobytes())
            txt_path.write_text(format_mfcc(coeffs))
            print(f"wrote {name}: {len(pcm)} samples, {coeffs.shape[0]}x{coeffs.shape[1]}")
            continue
        try:
            same_pcm = pcm_path.read_bytes() == pcm.tobytes()
            golden = parse_mfcc(txt_path.read_text())
        except (OSError, ValueError) as e:
            print(f"FAIL {name}: {e}")
            failures += 1
            continue
        if golden.shape != coeffs.shape:
            print(f"FAIL {name}: shape {golden.shape}, expected {coeffs.shape}")
            failures += 1
            continue
        err = np.max(np.abs(golden - coeffs) / np.maximum(1.0, np.abs(coeffs)))
        ok = same_pcm and err <= CHECK_TOL
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: pcm {'same' if same_pcm else 'DIFFERS'}, "
              f"max rel err {err:.2e}")
    readme = args.out / "README.md"
    if not args.check:
        readme.write_text(README)
    else:
        if not readme.is_file() or readme.read_text() != README:
            print(f"FAIL {readme.name}: missing or differs")
            failures += 1
        print(f"silence c0 = {c_zero[0, 0]:.9g} (expected {expect_c0:.9g})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
