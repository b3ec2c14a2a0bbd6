#include <cmath>
#include <string>

#include "tinykws/features.hpp"
#include "tinykws/model_limits.h"

namespace tinykws {

namespace {

// Limits that keep every derived table small; far beyond any KWS setting.
constexpr int kMaxSampleRate = KWS_MAX_SAMPLE_RATE;
constexpr int kMaxClipSamples = KWS_MAX_CLIP_SAMPLES;
constexpr int kMaxFrameLength = KWS_MAX_FRAME_LENGTH;
constexpr int kMaxMelBins = KWS_MAX_MEL_BINS;

Status Bad(const std::string& field, const std::string& problem) {
  return InvalidArgument("feature config: " + field + " " + problem);
}

std::string Num(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

const char* FeaturePrecisionName(FeaturePrecision precision) {
  return precision == FeaturePrecision::kFloat32 ? "float32" : "float64";
}

int FeatureConfig::num_frames() const {
  if (frame_step <= 0 || clip_samples < frame_length) return 0;
  return 1 + (clip_samples - frame_length) / frame_step;
}

int FeatureConfig::num_fft_bins() const { return frame_length / 2 + 1; }

int FeatureConfig::num_features() const { return num_frames() * num_mfcc; }

bool operator==(const FeatureConfig& a, const FeatureConfig& b) {
  return a.sample_rate == b.sample_rate && a.clip_samples == b.clip_samples &&
         a.frame_length == b.frame_length && a.frame_step == b.frame_step &&
         a.mel_bins == b.mel_bins && a.fmin_hz == b.fmin_hz &&
         a.fmax_hz == b.fmax_hz && a.num_mfcc == b.num_mfcc &&
         a.log_offset == b.log_offset && a.precision == b.precision;
}

Status ValidateFeatureConfig(const FeatureConfig& c) {
  if (c.sample_rate <= 0 || c.sample_rate > kMaxSampleRate) {
    return Bad("sample_rate", "must be in 1.." +
                                  std::to_string(kMaxSampleRate) + " Hz, got " +
                                  std::to_string(c.sample_rate));
  }
  if (c.clip_samples <= 0 || c.clip_samples > kMaxClipSamples) {
    return Bad("clip_samples", "must be in 1.." +
                                   std::to_string(kMaxClipSamples) + ", got " +
                                   std::to_string(c.clip_samples));
  }
  // The real DFT is computed as a complex DFT of half the length.
  if (c.frame_length < KWS_MIN_FRAME_LENGTH ||
      c.frame_length > kMaxFrameLength || c.frame_length % 2 != 0) {
    return Bad("frame_length", "must be even and in " +
                                   std::to_string(KWS_MIN_FRAME_LENGTH) + ".." +
                                   std::to_string(kMaxFrameLength) + ", got " +
                                   std::to_string(c.frame_length));
  }
  if (c.frame_length > c.clip_samples) {
    return Bad("frame_length", "(" + std::to_string(c.frame_length) +
                                   ") must not exceed clip_samples (" +
                                   std::to_string(c.clip_samples) + ")");
  }
  if (c.frame_step <= 0) {
    return Bad("frame_step",
               "must be positive, got " + std::to_string(c.frame_step));
  }
  if (c.mel_bins <= 0 || c.mel_bins > kMaxMelBins) {
    return Bad("mel_bins", "must be in 1.." + std::to_string(kMaxMelBins) +
                               ", got " + std::to_string(c.mel_bins));
  }
  if (!std::isfinite(c.fmin_hz) || c.fmin_hz < 0.0f) {
    return Bad("fmin_hz", "must be >= 0, got " + Num(c.fmin_hz));
  }
  if (!std::isfinite(c.fmax_hz) || c.fmax_hz <= c.fmin_hz) {
    return Bad("fmax_hz", "(" + Num(c.fmax_hz) +
                              ") must be greater than fmin_hz (" +
                              Num(c.fmin_hz) + ")");
  }
  if (c.fmax_hz > c.sample_rate / 2.0f) {
    return Bad("fmax_hz", "(" + Num(c.fmax_hz) +
                              ") must not exceed half the sample rate (" +
                              Num(c.sample_rate / 2.0) + ")");
  }
  if (c.num_mfcc <= 0 || c.num_mfcc > c.mel_bins) {
    return Bad("num_mfcc", "must be in 1..mel_bins (" +
                               std::to_string(c.mel_bins) + "), got " +
                               std::to_string(c.num_mfcc));
  }
  if (!std::isfinite(c.log_offset) || c.log_offset <= 0.0f) {
    return Bad("log_offset",
               "must be > 0 (it keeps log() finite), got " + Num(c.log_offset));
  }
  if (c.precision != FeaturePrecision::kFloat64 &&
      c.precision != FeaturePrecision::kFloat32) {
    return Bad("precision", "must be float64 (0) or float32 (1), got " +
                                std::to_string(static_cast<int>(c.precision)));
  }
  return Status::Ok();
}

}  // namespace tinykws
