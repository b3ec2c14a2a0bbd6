"""Spotter: the detections of the C API's spotter (bit for bit) and of
`kws spot` on the same audio, whatever the chunk size or sample type."""

import json

import numpy as np
import pytest

import tinykws
from conftest import MODELS, keyword_stream, run_kws, write_wav


def push_in_chunks(spotter, pcm, chunk, sample_rate=None):
    found = []
    for start in range(0, pcm.size, chunk):
        found += spotter.push(pcm[start:start + chunk], sample_rate)
    return found


def as_tuples(detections):
    return [(d.label, d.score, d.sample, d.time_s) for d in detections]


def as_printed(detections):
    """As `kws spot --json` prints them: time to 3 decimals, score to 6."""
    return [(d["label"], f"{d['time_s']:.3f}", f"{d['score']:.6f}")
            for d in detections]


def printed(detections):
    return [(d.label, f"{d.time_s:.3f}", f"{d.score:.6f}")
            for d in detections]


@pytest.fixture(scope="module")
def stream():
    return keyword_stream()


@pytest.mark.parametrize("overrides", [
    {},
    {"hop_frames": 3, "smoothing_runs": 2, "refractory_ms": 300.0},
])
def test_detections_equal_the_c_api_bit_for_bit(model_path, stream, capi,
                                                overrides):
    model = tinykws.Model(model_path)
    reference = capi.load_model(model_path)
    try:
        expected = capi.spot(reference, stream, 16000, chunk=160,
                             **overrides)
    finally:
        capi.free_model(reference)
    assert len(expected) >= 3, "the stream must make the spotter fire"
    for chunk in (160, 1001, stream.size):
        spotter = tinykws.Spotter(model, **overrides)
        found = push_in_chunks(spotter, stream, chunk)
        assert as_tuples(found) == expected, f"chunk {chunk}"
        assert spotter.samples_pushed == stream.size
        assert spotter.network_runs > len(found)


def test_detections_equal_kws_spot(model_path, stream, kws_cli, tmp_path):
    wav = tmp_path / "stream.wav"
    write_wav(wav, stream)
    model = tinykws.Model(model_path)
    report = json.loads(run_kws(kws_cli, "spot", "--model", model_path, wav,
                                "--json"))
    found = tinykws.Spotter(model).push(stream)
    assert found and printed(found) == as_printed(report["detections"])
    # With overrides, thresholds by label name as `--threshold` takes them.
    report = json.loads(run_kws(
        kws_cli, "spot", "--model", model_path, wav, "--json", "--threshold",
        "go=0.6", "--threshold", "stop=0.65", "--refractory-ms", "300",
        "--smoothing", "2"))
    spotter = tinykws.Spotter(model, thresholds={"go": 0.6, "stop": 0.65},
                              refractory_ms=300, smoothing_runs=2)
    found = push_in_chunks(spotter, stream, 4000)
    assert {d.label for d in found} == {"go", "stop"}
    assert printed(found) == as_printed(report["detections"])


def test_48_khz_input_equals_kws_spot_rate_48000(tuned_model, stream,
                                                 kws_cli):
    # Any 48 kHz audio will do: each sample three times.
    pcm48 = np.repeat(stream, 3)
    report = json.loads(run_kws(
        kws_cli, "spot", "--model", MODELS["tuned"], "-", "--rate",
        "48000", "--json", stdin=pcm48.astype("<i2").tobytes()))
    spotter = tinykws.Spotter(tuned_model, input_sample_rate=48000)
    found = push_in_chunks(spotter, pcm48, 4800)
    assert found and printed(found) == as_printed(report["detections"])


def test_float32_samples_equal_their_int16(tuned_model, stream):
    expected = as_tuples(tinykws.Spotter(tuned_model).push(stream))
    as_float = (stream.astype(np.float32) / 32768.0).astype(np.float32)
    found = tinykws.Spotter(tuned_model).push(as_float)
    assert expected and as_tuples(found) == expected


def test_reset_starts_a_new_stream(tuned_model, stream):
    spotter = tinykws.Spotter(tuned_model)
    first = as_tuples(spotter.push(stream))
    spotter.reset()
    assert spotter.samples_pushed == 0 and spotter.network_runs == 0
    assert as_tuples(spotter.push(stream)) == first


def test_overrides_and_set_threshold_change_the_params(tuned_model, stream):
    spotter = tinykws.Spotter(tuned_model, hop_frames=4,
                              thresholds={"stop": 0.5})
    params = spotter.params
    assert params.hop_frames == 4
    assert params.smoothing_runs == tuned_model.detector.smoothing_runs
    assert params.thresholds == [tuned_model.detector.thresholds[0], 0.5]
    spotter.set_threshold("go", 0.75)
    spotter.set_threshold(1, 1.0)
    assert spotter.params.thresholds == [0.75, 1.0]
    # A threshold of 1.0 for stop: only a certain stop fires.
    assert all(d.score >= 1.0 for d in spotter.push(stream)
               if d.label == "stop")
    assert spotter.model.labels == tuned_model.labels
    assert 0 < spotter.arena_bytes <= tuned_model.spotter_bytes_bound


def test_detection_reads_as_its_fields(tuned_model, stream):
    detection = tinykws.Spotter(tuned_model).push(stream)[0]
    assert detection.label == tuned_model.labels[detection.label_index]
    assert detection.time_s == (detection.sample + 1) / 16000
    assert 0.9 <= detection.score <= 1.0
    assert repr(detection).startswith("Detection(label='stop', time_s=")
