"""mfcc() and MfccExtractor: the matrix `kws features` computes for the same
audio, bit for bit, and the documented golden value."""

import math

import numpy as np
import pytest

import tinykws
from conftest import CHIRP_WAV, keyword_stream, run_kws, write_wav


def test_mfcc_equals_kws_features_bitwise(model_path, chirp, kws_cli,
                                          tmp_path):
    model = tinykws.Model(model_path)
    clips = {"chirp": (CHIRP_WAV, chirp)}
    generated = keyword_stream(seconds=1.3, seed=11)  # longer: cut
    write_wav(tmp_path / "generated.wav", generated)
    clips["generated"] = (tmp_path / "generated.wav", generated)
    for name, (wav, pcm) in clips.items():
        out = tmp_path / f"{name}.npy"
        run_kws(kws_cli, "features", "--model", model_path, wav, "--format",
                "npy", "-o", out)
        expected = np.load(out)
        features = tinykws.mfcc(pcm, model.features)
        assert features.dtype == np.float32
        assert features.shape == expected.shape == (
            model.features.num_frames, model.features.num_mfcc)
        assert features.tobytes() == expected.astype(np.float32).tobytes(), \
            name


def test_silence_gives_the_documented_c0(tuned_model):
    # docs: all-zero audio -> c0 = sqrt(2 N) ln(1e-6) for N mel bins, the
    # other coefficients 0 (a value computed here, not by the library).
    config = tuned_model.features
    features = tinykws.mfcc(np.zeros(config.clip_samples, np.int16), config)
    c0 = math.sqrt(2 * config.mel_bins) * math.log(config.log_offset)
    np.testing.assert_allclose(features[:, 0], c0, rtol=1e-6)
    np.testing.assert_allclose(features[:, 1:], 0.0, atol=1e-4)


def test_extractor_reused_equals_mfcc(tuned_model, chirp):
    extractor = tinykws.MfccExtractor(tuned_model.features)
    assert extractor.config == tuned_model.features
    assert extractor.memory_bytes > 0 and extractor.kernel_name
    for pcm in (chirp, chirp[::-1].copy(), chirp[:3000]):
        expected = tinykws.mfcc(pcm, tuned_model.features)
        assert extractor.compute(pcm).tobytes() == expected.tobytes()


def test_small_config_of_its_own(chirp):
    config = tinykws.FeatureConfig(
        sample_rate=8000, clip_samples=4000, frame_length=256, frame_step=128,
        mel_bins=16, fmin_hz=50.0, fmax_hz=3500.0, num_mfcc=8,
        log_offset=1e-6, precision=tinykws.FeaturePrecision.float32)
    config.validate()
    assert config.num_frames == 1 + (4000 - 256) // 128
    assert config.num_fft_bins == 129
    features = tinykws.mfcc(chirp, config)
    assert features.shape == (config.num_frames, 8)
    assert np.isfinite(features).all()
    # Longer audio is cut to clip_samples: the rest changes nothing.
    assert features.tobytes() == tinykws.mfcc(chirp[:4000], config).tobytes()


@pytest.mark.parametrize("field, value, words", [
    ("sample_rate", 0, "sample_rate"),
    ("frame_length", 801, "frame_length"),
    ("num_mfcc", 40, "num_mfcc"),
])
def test_invalid_config_raises_value_error_naming_the_field(
        tuned_model, chirp, field, value, words):
    config = tuned_model.features
    setattr(config, field, value)
    with pytest.raises(ValueError, match=words):
        config.validate()
    with pytest.raises(ValueError, match=words):
        tinykws.mfcc(chirp, config)
    with pytest.raises(ValueError, match=words):
        tinykws.MfccExtractor(config)


def test_repr_shows_every_field(tuned_model):
    text = repr(tuned_model.features)
    for field in ("sample_rate=16000", "frame_length=", "mel_bins=",
                  "fmin_hz=", "log_offset=1e-06", "precision="):
        assert field in text
