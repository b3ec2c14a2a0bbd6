// [training], [data] and [augment] sections.
#include <cmath>
#include <optional>

#include "config/sections.hpp"

namespace tinykws::config {

namespace {

// Checks lo <= value <= hi for a key already read.
Status InRange(const TableReader& r, const std::string& key, double value,
               double lo, double hi) {
  if (!(value >= lo && value <= hi)) {
    return InvalidArgument(r.Where(key) + " must be in [" + std::to_string(lo) +
                           ", " + std::to_string(hi) + "], got " +
                           std::to_string(value));
  }
  return Status::Ok();
}

// Read a number (required, or `fallback` when absent) and check its range.
Status Int(TableReader& r, const std::string& key, int* out,
           std::optional<int> fallback, double lo, double hi) {
  TINYKWS_RETURN_IF_ERROR(fallback ? r.Int(key, out, *fallback)
                                   : r.Int(key, out));
  return InRange(r, key, *out, lo, hi);
}

Status Float(TableReader& r, const std::string& key, float* out,
             std::optional<float> fallback, double lo, double hi) {
  TINYKWS_RETURN_IF_ERROR(fallback ? r.Float(key, out, *fallback)
                                   : r.Float(key, out));
  return InRange(r, key, *out, lo, hi);
}

constexpr std::nullopt_t kRequired = std::nullopt;

}  // namespace

Status ReadTraining(const toml::table& table, const std::string& origin,
                    TrainingSpec* t) {
  TableReader r(table, origin, "training");
  TINYKWS_RETURN_IF_ERROR(
      Int(r, "batch_size", &t->batch_size, kRequired, 1, 4096));
  TINYKWS_RETURN_IF_ERROR(Int(r, "epochs", &t->epochs, kRequired, 1, 100000));
  TINYKWS_RETURN_IF_ERROR(r.String("optimizer", &t->optimizer));
  if (t->optimizer != "adam") {
    return InvalidArgument(r.Where("optimizer") + " must be \"adam\", got \"" +
                           t->optimizer + "\"");
  }
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "learning_rate", &t->learning_rate, kRequired, 1e-9, 10));
  TINYKWS_RETURN_IF_ERROR(Float(r, "final_learning_rate",
                                &t->final_learning_rate, t->learning_rate, 0,
                                10));
  TINYKWS_RETURN_IF_ERROR(r.String("lr_schedule", &t->lr_schedule, "linear"));
  if (t->lr_schedule != "linear" && t->lr_schedule != "cosine") {
    return InvalidArgument(r.Where("lr_schedule") +
                           " must be \"linear\" or \"cosine\"");
  }
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "warmup_epochs", &t->warmup_epochs, 0.0f, 0, t->epochs));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "adam_beta1", &t->adam_beta1, 0.9f, 0, 0.999999));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "adam_beta2", &t->adam_beta2, 0.999f, 0, 0.999999));
  TINYKWS_RETURN_IF_ERROR(Float(r, "adam_eps", &t->adam_eps, 1e-8f, 1e-12, 1));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "weight_decay", &t->weight_decay, 0.0f, 0, 1));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "label_smoothing", &t->label_smoothing, 0.0f, 0, 0.5));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "weight_average", &t->weight_average, 0.0f, 0, 0.99999));
  TINYKWS_RETURN_IF_ERROR(r.Int("seed", &t->seed, 1));
  return r.CheckAllKeysUsed();
}

Status ReadData(const toml::table& table, const std::string& origin,
                DataSpec* d) {
  TableReader r(table, origin, "data");
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "unknown_share", &d->unknown_share, 0.0f, 0, 0.9));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "silence_share", &d->silence_share, 0.0f, 0, 0.9));
  if (d->unknown_share + d->silence_share > 0.9f) {
    return InvalidArgument(origin +
                           ": data.unknown_share + data.silence_share must "
                           "leave room for the keywords (sum <= 0.9)");
  }
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "silence_max_volume", &d->silence_max_volume, 1.0f, 0, 10));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "validation_percent", &d->validation_percent, 10.0f, 0, 100));
  TINYKWS_RETURN_IF_ERROR(Float(r, "testing_percent", &d->testing_percent,
                                10.0f, 0, 100 - d->validation_percent));
  d->extra.clear();
  if (r.Has("extra")) TINYKWS_RETURN_IF_ERROR(r.StringList("extra", &d->extra));
  for (const std::string& dir : d->extra) {
    if (dir.empty()) {
      return InvalidArgument(r.Where("extra") + " holds an empty path");
    }
  }
  struct {
    const char* key;
    float* value;
  } shares[] = {{"synthetic_share", &d->synthetic_share},
                {"long_negative_share", &d->long_negative_share},
                {"reversed_share", &d->reversed_share},
                {"spliced_share", &d->spliced_share},
                {"shifted_share", &d->shifted_share}};
  float sum = 0.0f;
  for (const auto& share : shares) {
    TINYKWS_RETURN_IF_ERROR(Float(r, share.key, share.value, 0.0f, 0, 0.5));
    sum += *share.value;
  }
  if (sum > 0.5f + 1e-6f) {
    return InvalidArgument(
        origin +
        ": data.synthetic_share + long_negative_share + reversed_share + "
        "spliced_share + shifted_share must be <= 0.5 (real other words keep "
        "at least half of the _unknown_ draws), got " +
        std::to_string(sum));
  }
  return r.CheckAllKeysUsed();
}

Status ReadAugment(const toml::table& table, const std::string& origin,
                   AugmentSpec* a) {
  TableReader r(table, origin, "augment");
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "time_shift_ms", &a->time_shift_ms, 0.0f, 0, 1000));
  TINYKWS_RETURN_IF_ERROR(Float(r, "unknown_time_shift_ms",
                                &a->unknown_time_shift_ms, 0.0f, 0, 1000));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "noise_probability", &a->noise_probability, 0.0f, 0, 1));
  TINYKWS_RETURN_IF_ERROR(
      Float(r, "noise_max_volume", &a->noise_max_volume, 0.0f, 0, 10));
  TINYKWS_RETURN_IF_ERROR(Float(r, "gain_db", &a->gain_db, 0.0f, 0, 40));
  TINYKWS_RETURN_IF_ERROR(Float(r, "speed", &a->speed, 0.0f, 0, 0.5));
  TINYKWS_RETURN_IF_ERROR(Int(r, "time_masks", &a->time_masks, 0, 0, 10));
  TINYKWS_RETURN_IF_ERROR(
      Int(r, "time_mask_frames", &a->time_mask_frames, 0, 0, 1000));
  TINYKWS_RETURN_IF_ERROR(Int(r, "freq_masks", &a->freq_masks, 0, 0, 10));
  TINYKWS_RETURN_IF_ERROR(
      Int(r, "freq_mask_coeffs", &a->freq_mask_coeffs, 0, 0, 1000));
  if (a->noise_probability > 0.0f && a->noise_max_volume <= 0.0f) {
    return InvalidArgument(r.Where("noise_max_volume") +
                           " must be > 0 when noise_probability > 0");
  }
  return r.CheckAllKeysUsed();
}

}  // namespace tinykws::config
