#!/usr/bin/python3
"""Quick architecture scan in PyTorch (exploration before tools/recipe_sweep.py).

Trains small variants of the go_stop network on the cached recipe MFCCs for
3 seeds each (batch 10, 40 epochs, Adam, learning rate linear to 1e-4) and
prints best-epoch validation / testing accuracy. Used to find that kernels
spanning all MFCC coefficients beat square kernels (docs/training.md).

  /usr/bin/python3 tools/arch_scan.py NAME:FILTERS:DROPOUT:LR ...
  e.g. tools/arch_scan.py seed:24:0.2:0.1 time1d:24:0.2:0.1 t3d:24:0.2:0.1

NAME: seed (2 x conv3x3 'same'), time1d (conv [3,10] valid + conv [3,1]),
time1d_k5, t3 (3 temporal convs), t3d / t2d / t4d (dilated temporal convs),
t2s (strided).
"""
import math
import sys
import tomllib

import torch
from torch import nn
from pathlib import Path
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import peer_train as pt
from peer_mfcc import RecipeMfcc
cfg = tomllib.load(open(ROOT / "configs/go_stop.toml", "rb"))
f = cfg["features"]
torch.set_num_threads(1)
raw = pt.load_clips(ROOT.parent / "shared/data/speech_commands", cfg["labels"], f["clip_samples"])
mf = RecipeMfcc(f)
with torch.inference_mode():
    data = {s: (mf(p).unsqueeze(1).clone(), y) for s, (p, y) in raw.items()}
(xtr, ytr), (xva, yva), (xte, yte) = data["training"], data["validation"], data["testing"]

def block(cin, cout, k, pad, drop):
    return [nn.Conv2d(cin, cout, k, padding=pad), nn.BatchNorm2d(cout), nn.ReLU(), nn.Dropout(drop)]
class GapDense(nn.Module):
    def __init__(s, c, n): super().__init__(); s.l = nn.Linear(c, n)
    def forward(s, x): return s.l(x.mean((2,3)))
def arch(name, F, drop):
    if name == "seed": layers = block(1,F,3,1,drop)+block(F,F,3,1,drop)
    if name == "time1d": layers = block(1,F,(3,10),(1,0),drop)+block(F,F,(3,1),(1,0),drop)
    if name == "time1d_3": layers = block(1,F,(3,10),(1,0),drop)+block(F,F,(3,1),(1,0),drop)+block(F,F,(3,1),(2,0),drop)[:0]+[nn.Conv2d(F,F,(3,1),padding=(2,0),dilation=(2,1)), nn.BatchNorm2d(F), nn.ReLU(), nn.Dropout(drop)]
    if name == "time1d_k5": layers = block(1,F,(5,10),(2,0),drop)+block(F,F,(5,1),(2,0),drop)
    if name == "t3": layers = block(1,F,(3,10),(1,0),drop)+block(F,F,(3,1),(1,0),drop)+block(F,F,(3,1),(1,0),drop)
    if name == "t3d": layers = block(1,F,(3,10),(1,0),drop)+[nn.Conv2d(F,F,(3,1),padding=(2,0),dilation=(2,1)), nn.BatchNorm2d(F), nn.ReLU(), nn.Dropout(drop)]+[nn.Conv2d(F,F,(3,1),padding=(4,0),dilation=(4,1)), nn.BatchNorm2d(F), nn.ReLU(), nn.Dropout(drop)]
    if name == "t2d": layers = block(1,F,(3,10),(1,0),drop)+[nn.Conv2d(F,F,(3,1),padding=(2,0),dilation=(2,1)), nn.BatchNorm2d(F), nn.ReLU(), nn.Dropout(drop)]
    if name == "t2s": layers = block(1,F,(3,10),(1,0),drop)+[nn.Conv2d(F,F,(3,1),padding=(1,0),stride=(2,1)), nn.BatchNorm2d(F), nn.ReLU(), nn.Dropout(drop)]
    if name == "t4d":
        layers = block(1,F,(3,10),(1,0),drop)
        for d in (2,4,8): layers += [nn.Conv2d(F,F,(3,1),padding=(d,0),dilation=(d,1)), nn.BatchNorm2d(F), nn.ReLU(), nn.Dropout(drop)]
    return nn.Sequential(*layers, GapDense(F, 2))
def run(name, F, drop, lr0, lr1, seed, epochs=40, bs=10):
    torch.manual_seed(seed)
    m = arch(name, F, drop); opt = torch.optim.Adam(m.parameters(), lr=lr0)
    steps = math.ceil(len(ytr)/bs); total = steps*epochs; step = 0; best=(-1,0)
    for ep in range(epochs):
        m.train(); perm = torch.randperm(len(ytr))
        for i in range(steps):
            idx = perm[i*bs:(i+1)*bs]
            for g in opt.param_groups: g["lr"] = lr0 + (lr1-lr0)*step/(total-1)
            opt.zero_grad(); loss = nn.functional.cross_entropy(m(xtr[idx]), ytr[idx]); loss.backward(); opt.step(); step += 1
        m.eval()
        with torch.no_grad():
            va = (m(xva).argmax(1)==yva).float().mean().item(); te = (m(xte).argmax(1)==yte).float().mean().item()
            tr = (m(xtr).argmax(1)==ytr).float().mean().item()
        if va > best[0]: best = (va, te, tr, ep)
    return best
for spec in sys.argv[1:]:
    name, F, drop, lr0 = spec.split(":"); F=int(F); drop=float(drop); lr0=float(lr0)
    res = [run(name, F, drop, lr0, 1e-4, s) for s in (1,2,3)]
    nparam = sum(p.numel() for p in arch(name,F,drop).parameters())
    print(spec, "params", nparam, "val", [round(r[0]*100,1) for r in res], "test", [round(r[1]*100,1) for r in res], "train(eval)", [round(r[2]*100,1) for r in res], flush=True)
