"""Model and Session: what a loaded model reports, and classification equal
bit for bit to the C API's (kws_classify through ctypes)."""

import numpy as np
import pytest

import tinykws
from conftest import MODELS, keyword_stream


def clips(chirp):
    """Clips of every shape Classify handles: a full clip, a short one
    (zero-padded), a long one (cut), noise, silence, full scale."""
    rng = np.random.default_rng(3)
    return {
        "chirp": chirp,
        "short": chirp[:5000],
        "long": keyword_stream(seconds=2.5),
        "noise": rng.integers(-3000, 3000, 16000).astype(np.int16),
        "silence": np.zeros(16000, dtype=np.int16),
        "one_sample": np.array([1234], dtype=np.int16),
        "full_scale": np.where(np.arange(16000) % 40 < 20, 32767,
                               -32768).astype(np.int16),
    }


def test_properties_describe_the_file(model_path):
    model = tinykws.Model(model_path)
    assert model.labels == ["go", "stop"]
    assert model.is_int8
    assert model.file_bytes == model_path.stat().st_size
    assert model.sample_rate == model.features.sample_rate == 16000
    features = model.features
    features.validate()
    assert features.num_features == features.num_frames * features.num_mfcc
    assert model.parameters > 0 and model.macs > model.parameters
    assert model.session_bytes_bound > 0
    assert model.metadata["created_by"].startswith("tinykws")
    detector = model.detector
    assert len(detector.thresholds) == len(model.labels)
    assert 1 <= detector.hop_frames <= features.num_frames
    # The properties are copies: changing one does not change the model.
    features.sample_rate = 8000
    detector.thresholds = [0.1, 0.1]
    assert model.features.sample_rate == 16000
    assert model.detector.thresholds != [0.1, 0.1]


def test_the_models_feature_configs_are_equal_values():
    tuned = tinykws.Model(MODELS["tuned"]).features
    assert tuned == tinykws.Model(MODELS["tuned"]).features
    changed = tinykws.FeatureConfig(
        sample_rate=tuned.sample_rate, clip_samples=tuned.clip_samples,
        frame_length=tuned.frame_length, frame_step=tuned.frame_step,
        mel_bins=tuned.mel_bins, fmin_hz=tuned.fmin_hz,
        fmax_hz=tuned.fmax_hz, num_mfcc=tuned.num_mfcc,
        log_offset=tuned.log_offset, precision=tuned.precision)
    assert changed == tuned
    changed.num_mfcc -= 1
    assert changed != tuned


@pytest.mark.parametrize("use_simd", [True, False])
def test_classify_equals_the_c_api_bit_for_bit(model_path, chirp, capi,
                                               use_simd):
    model = tinykws.Model(model_path)
    session = tinykws.Session(model, use_simd=use_simd)
    reference = capi.load_model(model_path)
    try:
        for name, pcm in clips(chirp).items():
            expected_label, expected_scores = capi.classify(
                reference, pcm, 16000, use_simd)
            label, scores = session.classify(pcm)
            assert label == expected_label, name
            assert scores.dtype == np.float32 and scores.shape == (2,)
            assert scores.tobytes() == expected_scores.tobytes(), name
            # A model classifies with a session of its own per call.
            label, scores = model.classify(pcm)
            assert label == expected_label, name
            assert scores.tobytes() == expected_scores.tobytes(), name
    finally:
        capi.free_model(reference)


def test_from_bytes_is_the_same_model(chirp):
    data = MODELS["seed"].read_bytes()
    from_file = tinykws.Model(MODELS["seed"])
    from_bytes = tinykws.Model.from_bytes(data)
    assert from_bytes.labels == from_file.labels
    assert from_bytes.features == from_file.features
    assert (from_bytes.classify(chirp)[1].tobytes() ==
            from_file.classify(chirp)[1].tobytes())


def test_classify_features_of_mfcc_equals_classify(model_path, chirp):
    model = tinykws.Model(model_path)
    session = tinykws.Session(model)
    for name, pcm in clips(chirp).items():
        features = tinykws.mfcc(pcm, model.features)
        by_features = session.classify_features(features)
        by_audio = session.classify(pcm)
        assert by_features[0] == by_audio[0], name
        assert by_features[1].tobytes() == by_audio[1].tobytes(), name


def test_strided_and_byte_swapped_audio_are_read_as_their_values(chirp):
    model = tinykws.Model(MODELS["tuned"])
    wide = np.zeros(2 * chirp.size, dtype=np.int16)
    wide[::2] = chirp
    big_endian = chirp.astype(">i2")
    expected = model.classify(chirp)[1].tobytes()
    assert model.classify(wide[::2])[1].tobytes() == expected
    assert model.classify(big_endian)[1].tobytes() == expected


def test_session_reports_its_memory_and_kernel(tuned_model):
    portable = tinykws.Session(tuned_model, use_simd=False)
    assert portable.kernel_name == "portable"
    assert 0 < portable.arena_bytes <= tuned_model.session_bytes_bound
    assert tinykws.Session(tuned_model).kernel_name in (
        "avx512vnni", "avx2", "neon", "portable")


def test_other_front_end_computes_features_in_that_precision(tuned_model,
                                                            chirp):
    other = tinykws.FeaturePrecision.float32
    assert tuned_model.features.precision != other
    config = tuned_model.features
    config.precision = other
    features = tinykws.mfcc(chirp, config)
    assert features.tobytes() != tinykws.mfcc(
        chirp, tuned_model.features).tobytes()
    session = tinykws.Session(tuned_model, front_end=other)
    by_audio = session.classify(chirp)
    by_features = tinykws.Session(tuned_model).classify_features(features)
    assert by_audio[0] == by_features[0]
    assert by_audio[1].tobytes() == by_features[1].tobytes()
