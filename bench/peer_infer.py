#!/usr/bin/python3
"""PyTorch peer for tinykws inference latency: one 1 s clip, one thread.

Times, for a single clip (batch 1) on torch.set_num_threads(1), median and
p90 over --reps calls after --warmup calls:
  * the tinykws MFCC recipe (RecipeMfcc from bench/peer_mfcc.py, float32);
  * the fp32 eager forward of the config's network (model.eval(),
    torch.inference_mode(), BN not folded, as a user runs it); the same with
    conv+bn+relu folded by fuse_modules is reported as an extra, and so are
    TorchScript torch.jit.optimize_for_inference (convs on oneDNN) and
    optimize_for_mobile (convs on XNNPACK). Why: eager fp32 conv at batch 1
    with small inputs takes ATen's im2col + sgemm path (_slow_conv2d_forward),
    and this Debian torch links the reference (netlib) libblas.so.3, so the
    eager number is far slower than a pip wheel (MKL sgemm) would be;
  * the int8 forward after eager-mode post-training static quantization
    (QuantStub/DeQuantStub, fuse_modules conv+bn(+relu), the engine's default
    qconfig, prepare, calibrate on 50 MFCCs of random clips, convert), once
    per engine: qnnpack and onednn (an engine that fails reports its error);
  * totals: MFCC median + forward median (fp32, and int8 with the faster
    engine), and the measured MFCC -> forward pipeline for comparison.

The network is the real architecture of [model].blocks of --config (a tinykws
config or a run folder's config.toml): conv (kernel/stride/dilation an int or
[h, w]; TF "same" padding, tinykws' default, or "valid"; bias), batch_norm
(batch_norm_eps), relu, dropout, then global average pooling and a linear
layer to len(labels). "same" uses Conv2d's own padding when it is symmetric,
else a ZeroPad2d in front (extra row/column at the end, as TF). Weights are
PyTorch's default random init (a speed benchmark); int8 logits are checked
against fp32 on the calibration inputs (max_abs_logit_diff).

Usage:
  /usr/bin/python3 bench/peer_infer.py [--json]        # configs/go_stop.toml
  /usr/bin/python3 bench/peer_infer.py --config configs/reference.toml [--json]
Options: --reps N (default 3000, keep >= 2000), --warmup N (default 300).
"""

import argparse
import json
import sys
import tomllib
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.ao import quantization as tq
from torch.utils.mobile_optimizer import optimize_for_mobile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import peer_mfcc  # noqa: E402  (the shared MFCC recipe and timer)
from peer_mfcc import RecipeMfcc  # noqa: E402

ENGINES = ("qnnpack", "onednn")


def pair(v, default):
    v = default if v is None else v
    return (int(v), int(v)) if isinstance(v, int) else (int(v[0]), int(v[1]))


class Net(nn.Module):
    """[model].blocks -> nn.Sequential body, GAP, Linear; optional quant stubs."""

    def __init__(self, model_cfg, num_labels, in_hw):
        super().__init__()
        layers, self.fuse_groups = [], []
        channels, (h, w), unit = 1, in_hw, None
        eps = float(model_cfg.get("batch_norm_eps", 1e-5))
        for b in model_cfg["blocks"]:
            t = b["type"]
            if t == "conv":
                k, s, d = pair(b["kernel"], None), pair(b.get("stride"), 1), pair(b.get("dilation"), 1)
                pads, out = [], []
                for size, kk, ss, dd in ((h, k[0], s[0], d[0]), (w, k[1], s[1], d[1])):
                    span = (kk - 1) * dd + 1
                    if b.get("padding", "same") == "same":
                        o = -(-size // ss)
                        total = max((o - 1) * ss + span - size, 0)
                        pads.append((total // 2, total - total // 2))
                    else:
                        o = (size - span) // ss + 1
                        pads.append((0, 0))
                    out.append(o)
                if all(a == z for a, z in pads):
                    conv_pad = (pads[0][0], pads[1][0])
                else:   # asymmetric "same": ZeroPad2d(left, right, top, bottom)
                    layers.append(nn.ZeroPad2d((*pads[1], *pads[0])))
                    conv_pad = (0, 0)
                layers.append(nn.Conv2d(channels, b["filters"], k, s, conv_pad, d,
                                        bias=b.get("bias", True)))
                channels, (h, w) = b["filters"], out
                unit = [str(len(layers) - 1)]
                self.fuse_groups.append(unit)
            elif t == "batch_norm":
                layers.append(nn.BatchNorm2d(channels, eps=eps))
                unit.append(str(len(layers) - 1))
            elif t == "relu":
                layers.append(nn.ReLU())
                unit.append(str(len(layers) - 1))
            elif t == "dropout":
                layers.append(nn.Dropout(b["rate"]))
            else:
                sys.exit(f"unknown block type {t!r}")
        self.body = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, num_labels)
        self.quant, self.dequant = nn.Identity(), nn.Identity()
        self.out_shape = (channels, h, w)

    def forward(self, x):                   # [N, 1, frames, num_mfcc] -> [N, labels]
        x = self.body(self.quant(x))
        return self.dequant(self.fc(torch.flatten(self.pool(x), 1)))


def time_us(fn, reps, warmup):
    median, p90 = peer_mfcc.time_us(fn, reps, warmup)
    return {"median": median, "p90": p90}


def fused_copy(model, build_args):
    """A copy of model (eval) with each conv+bn(+relu) / conv+relu fused."""
    m = Net(*build_args).eval()
    m.load_state_dict(model.state_dict())
    groups = [g for g in m.fuse_groups if len(g) > 1]
    if groups:
        tq.fuse_modules(m.body, groups, inplace=True)
    return m


def quantize(fp32, build_args, engine, calib):
    """Eager-mode PTQ of a copy of fp32 for engine; -> int8 model."""
    torch.backends.quantized.engine = engine
    m = fused_copy(fp32, build_args)
    m.quant, m.dequant = tq.QuantStub(), tq.DeQuantStub()
    m.qconfig = tq.get_default_qconfig(engine)
    tq.prepare(m, inplace=True)
    with torch.inference_mode():
        for x in calib:
            m(x)
    return tq.convert(m, inplace=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=ROOT / "configs" / "go_stop.toml")
    ap.add_argument("--reps", type=int, default=3000, help="timed single-clip calls")
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(1)
    cfg = tomllib.loads(args.config.read_text())
    feats = cfg["features"]
    frames = 1 + (feats["clip_samples"] - feats["frame_length"]) // feats["frame_step"]
    build_args = (cfg["model"], len(cfg["labels"]), (frames, feats["num_mfcc"]))
    model = Net(*build_args).eval()
    mfcc = RecipeMfcc(feats)

    rng = np.random.default_rng(7)
    clip = lambda: torch.from_numpy(  # noqa: E731  (white noise, int16)
        (rng.normal(0, 0.1, feats["clip_samples"]) * 32767).clip(-32768, 32767).astype(np.int16))
    pcm = clip()
    with torch.inference_mode():
        calib = [mfcc(clip())[None, None].clone() for _ in range(50)]
        x = mfcc(pcm)[None, None].clone()
        ref_logits = torch.cat([model(c) for c in calib])

    res = {"peer": "pytorch_infer", "torch": torch.__version__, "config": str(args.config),
           "threads": torch.get_num_threads(), "reps": args.reps,
           "blas_info": torch.__config__.show().split("BLAS_INFO=")[1].split(",")[0],
           "input": [1, 1, frames, feats["num_mfcc"]], "last_conv_out": list(model.out_shape),
           "params": sum(p.numel() for p in model.parameters())}
    folded = fused_copy(model, build_args)
    with torch.no_grad():   # TorchScript variants: frozen, convs prepacked for oneDNN / XNNPACK
        onednn = torch.jit.optimize_for_inference(torch.jit.script(model))
        xnnpack = optimize_for_mobile(torch.jit.script(model))
    with torch.inference_mode():
        res["mfcc_us"] = time_us(lambda: mfcc(pcm), args.reps, args.warmup)
        for key, m in (("fp32_forward_us", model), ("fp32_folded_forward_us", folded),
                       ("fp32_jit_onednn_forward_us", onednn),
                       ("fp32_xnnpack_forward_us", xnnpack)):
            res[key] = time_us(lambda: m(x), args.reps, args.warmup)
        res["fp32_pipeline_us"] = time_us(lambda: model(mfcc(pcm)[None, None]),
                                          args.reps, args.warmup)

    res["int8_forward_us"], res["int8_max_abs_logit_diff"], errors, best = {}, {}, {}, None
    for engine in ENGINES:
        try:
            q = quantize(model, build_args, engine, calib)
            with torch.inference_mode():
                logits = torch.cat([q(c) for c in calib])
                res["int8_max_abs_logit_diff"][engine] = float((logits - ref_logits).abs().max())
                res["int8_forward_us"][engine] = t = time_us(lambda: q(x), args.reps, args.warmup)
            if best is None or t["median"] < res["int8_forward_us"][best[0]]["median"]:
                best = (engine, q)
        except Exception as e:   # noqa: BLE001  (report, keep going)
            errors[engine] = f"{type(e).__name__}: {e}"
            res["int8_forward_us"][engine] = None
    res["int8_errors"] = errors
    res["total_fp32_us"] = res["mfcc_us"]["median"] + res["fp32_forward_us"]["median"]
    res["total_int8_us"] = None
    if best:
        engine, q = best
        torch.backends.quantized.engine = engine
        res["int8_best_engine"] = engine
        res["total_int8_us"] = res["mfcc_us"]["median"] + res["int8_forward_us"][engine]["median"]
        with torch.inference_mode():
            res["int8_pipeline_us"] = time_us(lambda: q(mfcc(pcm)[None, None]),
                                              args.reps, args.warmup)

    if args.json:
        return print(json.dumps(res)) or 0
    r = res

    def fmt(d):
        return f"median {d['median']:8.1f} us, p90 {d['p90']:8.1f} us"
    print(f"pytorch_infer peer: torch {r['torch']}, {r['threads']} thread, batch 1, "
          f"{r['reps']} reps; {r['config']}")
    print(f"  input {r['input']}, last conv out {r['last_conv_out']} (C, H, W), "
          f"{r['params']} parameters")
    print(f"  MFCC (RecipeMfcc, float32)      {fmt(r['mfcc_us'])}")
    print(f"  fp32 forward (eval, BN as is)   {fmt(r['fp32_forward_us'])}")
    print(f"  fp32 forward (BN folded)        {fmt(r['fp32_folded_forward_us'])}")
    print(f"  fp32 jit optimize_for_inference {fmt(r['fp32_jit_onednn_forward_us'])}  (oneDNN)")
    print(f"  fp32 jit optimize_for_mobile    {fmt(r['fp32_xnnpack_forward_us'])}  (XNNPACK)")
    for engine in ENGINES:
        if r["int8_forward_us"][engine] is None:
            print(f"  int8 forward ({engine:8s})       FAILED: {errors[engine]}")
        else:
            print(f"  int8 forward ({engine:8s})       {fmt(r['int8_forward_us'][engine])}  "
                  f"(max |logit - fp32| {r['int8_max_abs_logit_diff'][engine]:.3g})")
    print(f"  total MFCC + fp32 forward       {r['total_fp32_us']:8.1f} us "
          f"(measured pipeline: {fmt(r['fp32_pipeline_us'])})")
    if best:
        print(f"  total MFCC + int8 ({best[0]:8s})  {r['total_int8_us']:8.1f} us "
              f"(measured pipeline: {fmt(r['int8_pipeline_us'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
