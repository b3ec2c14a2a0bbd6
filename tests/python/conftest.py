"""Shared fixtures of the tinykws Python tests (run by ctest, label python).

ctest sets PYTHONPATH to the module built in the build tree and passes the
reference programs: TINYKWS_SHARED_LIBRARY (libtinykws.so, whose C API is
the reference for bit-for-bit parity) and TINYKWS_KWS_CLI (the kws program;
unset when the build has no apps, and the tests that run it skip).
numpy and pytest are required: a missing one fails the run, not skips it.
"""

import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

import tinykws

sys.path.insert(0, str(Path(__file__).resolve().parent))
from capi import CApi  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MODELS = {
    "tuned": REPO / "tests/runtime/data/go_stop_tuned.kws",
    "seed": REPO / "tests/runtime/data/go_stop_seed.kws",
}
CHIRP_WAV = REPO / "data/fixtures/chirp.wav"


def read_wav(path):
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def write_wav(path, pcm, sample_rate=16000):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(np.asarray(pcm, dtype="<i2").tobytes())


def keyword_stream(seconds=12.0, sample_rate=16000, seed=7):
    """Quiet noise with the chirp fixture (which both models call 'stop'
    with certainty) every ~2.5 s, and a few louder noise bursts: audio on
    which the spotters both fire and stay quiet."""
    rng = np.random.default_rng(seed)
    total = int(seconds * sample_rate)
    stream = rng.normal(0.0, 60.0, total)
    chirp = read_wav(CHIRP_WAV).astype(np.float64)
    for start in np.arange(0.7, seconds - 1.2, 2.5):
        at = int(start * sample_rate)
        stream[at:at + chirp.size] += chirp
    for start in (2.0, 6.5):
        at = int(start * sample_rate)
        if at + 4000 <= total:
            stream[at:at + 4000] += rng.normal(0.0, 4000.0, 4000)
    return np.clip(np.rint(stream), -32768, 32767).astype(np.int16)


@pytest.fixture(scope="session")
def chirp():
    return read_wav(CHIRP_WAV)


@pytest.fixture(params=sorted(MODELS))
def model_path(request):
    return MODELS[request.param]


@pytest.fixture(scope="session")
def capi():
    path = os.environ.get("TINYKWS_SHARED_LIBRARY")
    if not path:
        pytest.fail("TINYKWS_SHARED_LIBRARY is not set: run these tests with "
                    "ctest, or point it at the build's libtinykws.so")
    return CApi(path)


@pytest.fixture(scope="session")
def kws_cli():
    path = os.environ.get("TINYKWS_KWS_CLI")
    if not path:
        pytest.skip("the kws program is not built (TINYKWS_BUILD_APPS=OFF)")
    return path


def run_kws(kws_cli, *args, stdin=None):
    done = subprocess.run([kws_cli, *map(str, args)], input=stdin,
                          capture_output=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.fixture(scope="session")
def tuned_model():
    return tinykws.Model(MODELS["tuned"])
