#!/usr/bin/python3
"""PyTorch peer for the tinykws seed training recipe (speed and accuracy).

Trains the configs/go_stop.toml recipe the way a PyTorch user would write it,
every number taken from the config:
  * clips: Speech Commands FLAC (decoded by torchaudio's sox_io backend as
    int16), zero-padded/cut to clip_samples; validation_list.txt and
    testing_list.txt give the splits, every other clip of a label folder is
    training;
  * features: the tinykws MFCC recipe (RecipeMfcc from bench/peer_mfcc.py),
    computed once for all clips before training -> [N, 1, frames, num_mfcc];
  * model: [model].blocks in order (conv with TF "same"/"valid" padding, bias;
    BatchNorm2d; ReLU; Dropout), global average pooling over frames x coeffs,
    Linear to len(labels); PyTorch default init, BN momentum and Adam eps;
  * training: Adam, cross-entropy, batch_size with a reshuffle each epoch
    (the last, partial batch is kept, as DataLoader's default), learning rate
    linear per step from learning_rate (first step) to final_learning_rate
    (last step); validation (eval mode, no_grad) after each epoch.

train_seconds is the wall time of all epochs including validation;
ms_per_step counts only the training steps (forward, backward, Adam).
test_acc_at_best evaluates the weights of the best validation epoch (first
one on ties). final_train_acc is the running accuracy over the last epoch's
batches (train mode, like Keras' "accuracy"); final_train_acc_eval re-scores
the training split in eval mode with the final weights.

Usage (what docs/peer-train.md reports):
  /usr/bin/python3 bench/peer_train.py --seed 1 --threads 2 --json
  /usr/bin/python3 bench/peer_train.py --seed 1 --threads 1 --json
  /usr/bin/python3 bench/peer_train.py --profile 300   # top ops, self CPU
"""

import argparse
import copy
import json
import math
import sys
import time
import tomllib
from pathlib import Path

import torch
import torchaudio
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from peer_mfcc import RecipeMfcc  # noqa: E402  (the shared MFCC recipe)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "speech_commands"


def load_clips(data_dir, labels, clip_samples):
    """-> {split: (int16 [N, clip_samples], int64 [N])}, clips sorted by path."""
    def listed(name):
        path = data_dir / name
        return set(path.read_text().split()) if path.exists() else set()
    val, test = listed("validation_list.txt"), listed("testing_list.txt")
    out = {s: ([], []) for s in ("training", "validation", "testing")}
    for label, word in enumerate(labels):
        files = sorted((data_dir / word).glob("*.flac")) + sorted((data_dir / word).glob("*.wav"))
        if not files:
            sys.exit(f"no clips for label {word!r} in {data_dir / word}")
        for f in files:
            rel = f"{word}/{f.name}"
            split = "validation" if rel in val else "testing" if rel in test else "training"
            pcm, _ = torchaudio.load(str(f), normalize=False)   # int16 [channels, n]
            pcm = pcm[0, :clip_samples]
            clip = torch.zeros(clip_samples, dtype=torch.int16)
            clip[:pcm.shape[0]] = pcm
            out[split][0].append(clip)
            out[split][1].append(label)
    return {s: (torch.stack(x), torch.tensor(y)) for s, (x, y) in out.items()}


class TfPad(nn.Module):
    """TF "same" padding for a stride-s conv (extra row/column at the end)."""

    def __init__(self, kernel, stride):
        super().__init__()
        self.k, self.s = kernel, stride

    def forward(self, x):
        pads = []
        for size in (x.shape[3], x.shape[2]):                 # F.pad order: W, then H
            total = max((math.ceil(size / self.s) - 1) * self.s + self.k - size, 0)
            pads += [total // 2, total - total // 2]
        return nn.functional.pad(x, pads)


def build_model(blocks, num_labels):
    layers, channels = [], 1
    for b in blocks:
        if b["type"] == "conv":
            if b.get("padding", "valid") == "same":
                layers.append(TfPad(b["kernel"], b.get("stride", 1)))
            layers.append(nn.Conv2d(channels, b["filters"], b["kernel"], b.get("stride", 1)))
            channels = b["filters"]
        elif b["type"] == "batch_norm":
            layers.append(nn.BatchNorm2d(channels))
        elif b["type"] == "relu":
            layers.append(nn.ReLU())
        elif b["type"] == "dropout":
            layers.append(nn.Dropout(b["rate"]))
        else:
            sys.exit(f"unknown block type {b['type']!r}")
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, num_labels)]
    return nn.Sequential(*layers)


@torch.no_grad()
def accuracy(model, x, y, batch=512):
    model.eval()
    correct = sum(int((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum())
                  for i in range(0, len(y), batch))
    return correct / len(y)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=ROOT / "configs" / "go_stop.toml")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--epochs", type=int, help="default: [training].epochs")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", type=int, metavar="STEPS",
                    help="profile STEPS training steps, print top ops by self CPU, exit")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    with open(args.config, "rb") as f:
        cfg = tomllib.load(f)
    feats, tr = cfg["features"], cfg["training"]
    labels = cfg["labels"]
    if tr.get("optimizer", "adam") != "adam":
        sys.exit(f"only adam is implemented, config asks for {tr['optimizer']!r}")
    epochs = args.epochs if args.epochs is not None else tr["epochs"]
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    t0 = time.perf_counter()
    raw = load_clips(args.data, labels, feats["clip_samples"])
    t1 = time.perf_counter()
    mfcc = RecipeMfcc(feats)
    with torch.inference_mode():
        data = {s: (mfcc(pcm).unsqueeze(1).clone(), y) for s, (pcm, y) in raw.items()}
    feature_seconds = time.perf_counter() - t1
    load_seconds = t1 - t0
    (xtr, ytr), (xva, yva), (xte, yte) = data["training"], data["validation"], data["testing"]

    model = build_model(cfg["model"]["blocks"], len(labels))
    bs = tr["batch_size"]
    steps_per_epoch = math.ceil(len(ytr) / bs)
    total_steps = steps_per_epoch * epochs
    lr0, lr1 = tr["learning_rate"], tr["final_learning_rate"]
    opt = torch.optim.Adam(model.parameters(), lr=lr0)
    loss_fn = nn.CrossEntropyLoss()
    step = 0

    def train_step(xb, yb):
        nonlocal step
        for g in opt.param_groups:   # linear per step: lr0 at step 0, lr1 at the last
            g["lr"] = lr0 + (lr1 - lr0) * step / max(total_steps - 1, 1)
        opt.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        opt.step()
        step += 1
        return int((logits.argmax(1) == yb).sum())

    if args.profile:
        from torch.profiler import ProfilerActivity, profile
        model.train()
        perm = torch.randperm(len(ytr))
        idx = [perm[(i * bs) % len(ytr):][:bs] for i in range(args.profile)]
        for i in idx[:20]:                                     # warm-up
            train_step(xtr[i], ytr[i])
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            tp = time.perf_counter()
            for i in idx:
                train_step(xtr[i], ytr[i])
            tp = time.perf_counter() - tp
        print(f"{args.profile} steps, {1000 * tp / args.profile:.3f} ms/step under the profiler, "
              f"{args.threads} threads")
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25))
        return 0

    history, best = [], (-1.0, 0, None)
    step_seconds = 0.0
    t_train = time.perf_counter()
    for epoch in range(1, epochs + 1):
        ts = time.perf_counter()
        model.train()
        perm = torch.randperm(len(ytr))
        correct = 0
        for i in range(0, len(ytr), bs):
            idx = perm[i:i + bs]
            correct += train_step(xtr[idx], ytr[idx])
        step_seconds += time.perf_counter() - ts
        train_acc = correct / len(ytr)
        val_acc = accuracy(model, xva, yva)
        history.append((epoch, train_acc, val_acc))
        if val_acc > best[0]:
            best = (val_acc, epoch, copy.deepcopy(model.state_dict()))
    train_seconds = time.perf_counter() - t_train

    final_train_acc_eval = accuracy(model, xtr, ytr)
    model.load_state_dict(best[2])
    result = {
        "peer": "pytorch_train", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "epochs": epochs, "steps": step, "train_seconds": train_seconds,
        "ms_per_step": 1000.0 * step_seconds / max(step, 1),
        "feature_seconds": feature_seconds, "load_seconds": load_seconds,
        "best_epoch": best[1], "best_val_acc": best[0],
        "test_acc_at_best": accuracy(model, xte, yte),
        "final_train_acc": history[-1][1] if history else None,
        "final_train_acc_eval": final_train_acc_eval, "seed": args.seed,
        "clips": {s: len(y) for s, (_, y) in data.items()},
        "params": sum(p.numel() for p in model.parameters()),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    r = result
    print(f"pytorch_train peer: torch {r['torch']}, {r['threads']} threads, seed {r['seed']}, "
          f"labels {labels}, {r['params']} parameters")
    print("  clips: " + ", ".join(f"{k} {v}" for k, v in r["clips"].items())
          + f"; load {r['load_seconds']:.2f} s, MFCC {r['feature_seconds']:.3f} s")
    for epoch, tra, va in history:
        print(f"  epoch {epoch:3d}  train acc {tra:.4f}  val acc {va:.4f}")
    print(f"  {r['epochs']} epochs, {r['steps']} steps: {r['train_seconds']:.2f} s "
          f"(incl. validation), {r['ms_per_step']:.3f} ms/step")
    print(f"  best epoch {r['best_epoch']}: val acc {r['best_val_acc']:.4f}, "
          f"test acc {r['test_acc_at_best']:.4f}; final train acc {r['final_train_acc']:.4f} "
          f"(running), {r['final_train_acc_eval']:.4f} (eval mode)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
