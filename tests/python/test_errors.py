"""Errors: the exception type fits the failure and the message is the C++
library's (compared with what the C API reports for the same input)."""

import numpy as np
import pytest

import tinykws
from capi import CApiError
from conftest import MODELS

KWS_ERROR_NOT_FOUND = 2


def load_error(capi, path):
    with pytest.raises(CApiError) as error:
        capi.load_model(path)
    return error.value


def test_missing_file_is_file_not_found_with_the_library_message(
        capi, tmp_path):
    path = tmp_path / "missing.kws"
    expected = load_error(capi, path)
    assert expected.status == KWS_ERROR_NOT_FOUND
    with pytest.raises(FileNotFoundError) as error:
        tinykws.Model(path)
    assert str(error.value) == str(expected)
    assert str(path) in str(error.value)
    # str paths as well as pathlib ones.
    with pytest.raises(FileNotFoundError):
        tinykws.Model(str(path))


def corrupt_models(tmp_path):
    data = MODELS["tuned"].read_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x40  # inside a section: its CRC fails
    files = {
        "truncated.kws": data[:200],
        "flipped.kws": bytes(flipped),
        "empty.kws": b"",
        "text.kws": b"not a model at all\n" * 10,
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return files


def test_corrupt_models_are_value_errors_with_the_library_message(
        capi, tmp_path):
    for name, content in corrupt_models(tmp_path).items():
        path = tmp_path / name
        expected = str(load_error(capi, path))
        with pytest.raises(ValueError) as error:
            tinykws.Model(path)
        assert str(error.value) == expected, name
        assert name in str(error.value)
        if content:
            expected = str(load_error_from_buffer(capi, content))
            with pytest.raises(ValueError) as error:
                tinykws.Model.from_bytes(content)
            assert str(error.value) == expected, name


def load_error_from_buffer(capi, data):
    with pytest.raises(CApiError) as error:
        capi.load_model_from_buffer(data)
    return error.value


def test_a_folder_is_a_value_error_as_the_library_says(capi, tmp_path):
    expected = load_error(capi, tmp_path)
    with pytest.raises(ValueError) as error:
        tinykws.Model(tmp_path)
    assert str(error.value) == str(expected)
    assert "is a directory" in str(error.value)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32,
                                   np.uint8])
def test_classify_wants_int16(tuned_model, dtype):
    with pytest.raises(TypeError, match=f"int16.*got dtype "
                                        f"{np.dtype(dtype).name}"):
        tuned_model.classify(np.zeros(16000, dtype=dtype))


def test_non_arrays_are_type_errors(tuned_model):
    with pytest.raises(TypeError, match="numpy array.*got list"):
        tuned_model.classify([0] * 16000)
    with pytest.raises(TypeError, match="numpy array.*got bytes"):
        tinykws.Spotter(tuned_model).push(b"\0\0" * 100)
    with pytest.raises(TypeError, match="numpy array.*got numpy.int16"):
        tuned_model.classify(np.int16(5))


def test_audio_must_be_one_dimensional(tuned_model, chirp):
    stereo = np.stack([chirp, chirp], axis=1)
    with pytest.raises(ValueError, match=r"1-D mono.*\(16000, 2\)"):
        tuned_model.classify(stereo)
    with pytest.raises(ValueError, match=r"1-D mono.*\(16000, 2\)"):
        tinykws.Spotter(tuned_model).push(stereo)
    with pytest.raises(ValueError, match="1-D mono"):
        tinykws.mfcc(stereo, tuned_model.features)
    with pytest.raises(ValueError, match="1-D mono"):
        tuned_model.classify(np.array(5, dtype=np.int16))


def test_empty_and_wrong_rate_have_the_c_api_messages(tuned_model, capi):
    reference = capi.load_model(MODELS["tuned"])
    try:
        for pcm, rate in ((np.zeros(0, np.int16), 16000),
                          (np.zeros(100, np.int16), 8000)):
            with pytest.raises(CApiError) as expected:
                capi.classify(reference, pcm, rate)
            with pytest.raises(ValueError) as error:
                tuned_model.classify(pcm, sample_rate=rate)
            assert str(error.value) == str(expected.value)
    finally:
        capi.free_model(reference)


def test_spotter_rejects_bad_input_and_consumes_nothing(tuned_model):
    spotter = tinykws.Spotter(tuned_model)
    with pytest.raises(TypeError, match="int16 .or float32"):
        spotter.push(np.zeros(160, np.float64))
    with pytest.raises(ValueError, match="Hz"):
        spotter.push(np.zeros(160, np.int16), sample_rate=12345)
    assert spotter.samples_pushed == 0


@pytest.mark.parametrize("overrides, words", [
    ({"hop_frames": 0}, "hop_frames must be >= 1, got 0"),
    ({"hop_frames": 1000}, "hop_frames"),
    ({"smoothing_runs": 65}, "smoothing_runs"),
    ({"refractory_ms": -5.0}, "refractory_ms must be >= 0"),
    ({"thresholds": [0.5]}, "one per label"),
    ({"thresholds": [0.5, 1.5]}, "threshold"),
    ({"thresholds": {"maybe": 0.5}}, "'maybe' is not a label"),
])
def test_invalid_spotter_options_are_value_errors(tuned_model, overrides,
                                                  words):
    with pytest.raises(ValueError, match=words):
        tinykws.Spotter(tuned_model, **overrides)


def test_thresholds_of_another_type_are_type_errors(tuned_model):
    for thresholds in ("0.5", 0.5, {"go": "high"}, [0.5, None]):
        with pytest.raises(TypeError, match="thresholds must be"):
            tinykws.Spotter(tuned_model, thresholds=thresholds)


def test_invalid_threshold_changes_are_value_errors(tuned_model):
    spotter = tinykws.Spotter(tuned_model)
    with pytest.raises(ValueError, match="threshold"):
        spotter.set_threshold("go", 2.0)
    with pytest.raises(ValueError):
        spotter.set_threshold(7, 0.5)
    with pytest.raises(ValueError, match="not a label"):
        spotter.set_threshold("maybe", 0.5)
    assert spotter.params.thresholds == tuned_model.detector.thresholds


def test_classify_features_checks_the_shape(tuned_model, chirp):
    session = tinykws.Session(tuned_model)
    features = tinykws.mfcc(chirp, tuned_model.features)
    with pytest.raises(ValueError, match="shape"):
        session.classify_features(np.ascontiguousarray(features.T))
    with pytest.raises(TypeError, match="float32"):
        session.classify_features(features.astype(np.float64))
