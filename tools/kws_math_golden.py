#!/usr/bin/python3
"""Bits of kws_logf / kws_expf (src/common/kws_math.h) for the pinned cases
of tests/features/kws_math_test.cpp, computed independently: the same
fdlibm algorithm written with numpy float32 scalars, every operation rounded
to binary32 once, as the C code does without FMA.

Usage: /usr/bin/python3 tools/kws_math_golden.py   # prints the C++ table rows
"""

import numpy as np

F = np.float32


def bits(x):
    return int(np.array(x, dtype=np.float32).view(np.uint32))


def from_bits(u):
    return np.array(u, dtype=np.uint32).view(np.float32)[()]


def logf(x):
    x = F(x)
    u = bits(x)
    if u & 0x7FFFFFFF == 0:
        return from_bits(0xFF800000)
    if u >= 0x7F800000:
        return x if u == 0x7F800000 else from_bits(0x7FC00000)
    k = 0
    if u < 0x00800000:
        u = bits(x * F(33554432.0))
        k = -25
    k += (u >> 23) - 127
    u = (u & 0x007FFFFF) | 0x3F800000
    if u > 0x3FB504F3:
        u -= 0x00800000
        k += 1
    f = from_bits(u) - F(1)
    s = f / (F(2) + f)
    z = s * s
    w = z * z
    r = z * (F(0.66666662693) + w * F(0.28498786688)) + w * (
        F(0.40000972152) + w * F(0.24279078841))
    hfsq = F(0.5) * f * f
    dk = F(k)
    return dk * F(6.9313812256e-01) - (
        (hfsq - (s * (hfsq + r) + dk * F(9.0580006145e-06))) - f)


def expf(x):
    x = F(x)
    u = bits(x)
    mag = u & 0x7FFFFFFF
    if mag > 0x7F800000:
        return x
    if x > F(8.8721679688e01):
        return from_bits(0x7F800000)
    if x < F(-1.0397208405e02):
        return F(0)
    k, hi, lo = 0, x, F(0)
    if mag > 0x3EB17218:
        k = int(F(1.4426950216) * x + (F(-0.5) if u >> 31 else F(0.5)))
        t = F(k)
        hi = x - t * F(6.9314575195e-01)
        lo = t * F(1.4286067653e-06)
        x = hi - lo
    elif mag < 0x39000000:
        return F(1) + x
    t = x * x
    c = x - t * (F(1.6666625440e-1) + t * F(-2.7667332906e-3))
    if k == 0:
        return F(1) - ((x * c) / (c - F(2)) - x)
    y = F(1) - ((lo - (x * c) / (F(2) - c)) - hi)
    if k > 127:
        return y * F(2) * from_bits(0x7F000000)
    if k >= -125:
        return y * from_bits((127 + k) << 23)
    return y * from_bits((127 + k + 100) << 23) * from_bits((127 - 100) << 23)


CASES = ["1e-6f", "0.1234567f", "2.5f", "1234.5f", "-3.25f", "-87.5f",
         "1.17e-39f", "0.69314718f"]

with np.errstate(all="ignore"):
    for c in CASES:
        x = F(float(c[:-1]))
        print(f"      {{{c}, 0x{bits(logf(x)):08x}u, 0x{bits(expf(x)):08x}u}},")
