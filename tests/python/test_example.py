"""examples/python/spot_wav.py: on a WAV file and on raw PCM through stdin
it prints what `kws spot` prints for the same audio."""

import subprocess
import sys
import wave

import tinykws
from conftest import MODELS, REPO, keyword_stream, run_kws, write_wav

EXAMPLE = REPO / "examples/python/spot_wav.py"


def run_example(*args, stdin=None):
    return subprocess.run([sys.executable, str(EXAMPLE), *map(str, args)],
                          input=stdin, capture_output=True, check=False,
                          timeout=120)


def expected_lines(model, pcm, **overrides):
    return [f"{d.time_s:.3f}\t{d.label}\t{d.score:.6f}"
            for d in tinykws.Spotter(model, **overrides).push(pcm)]


def test_wav_and_stdin_print_the_spotters_detections(tmp_path):
    stream = keyword_stream()
    wav = tmp_path / "stream.wav"
    write_wav(wav, stream)
    expected = expected_lines(tinykws.Model(MODELS["seed"]), stream)
    assert len(expected) >= 3
    done = run_example("--model", MODELS["seed"], wav)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines() == expected
    # A microphone pipe: raw S16_LE, here cut at an odd byte count.
    raw = stream.astype("<i2").tobytes()[:-1]
    done = run_example("--model", MODELS["seed"], "-", stdin=raw)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines() == expected


def test_output_equals_kws_spot(tmp_path, kws_cli):
    stream = keyword_stream(seed=9)
    wav = tmp_path / "stream.wav"
    write_wav(wav, stream)
    for model in MODELS.values():
        args = ["--model", model, wav, "--threshold", "go=0.7"]
        done = run_example(*args)
        assert done.returncode == 0, done.stderr.decode()
        reference = run_kws(kws_cli, "spot", *args).decode()
        assert reference and done.stdout.decode() == reference


def test_errors_are_reported_with_exit_codes(tmp_path):
    missing = tmp_path / "missing.kws"
    done = run_example("--model", missing, tmp_path / "any.wav")
    assert done.returncode == 1
    assert done.stderr.decode().startswith("error: ")
    assert "missing.kws" in done.stderr.decode()
    stereo = tmp_path / "stereo.wav"
    with wave.open(str(stereo), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0" * 6400)
    done = run_example("--model", MODELS["tuned"], stereo)
    assert done.returncode == 1
    assert "expected 16-bit mono PCM" in done.stderr.decode()
    done = run_example("--model", MODELS["tuned"], stereo, "--rate", "16000")
    assert done.returncode == 2
