// [training], [data] and [augment] sections.
#include <cmath>

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

}  // namespace

Status ReadTraining(const toml::table& table, const std::string& origin,
                    TrainingSpec* t) {
  TableReader r(table, origin, "training");
  TINYKWS_RETURN_IF_ERROR(r.Int("batch_size", &t->batch_size));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "batch_size", t->batch_size, 1, 4096));
  TINYKWS_RETURN_IF_ERROR(r.Int("epochs", &t->epochs));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "epochs", t->epochs, 1, 100000));
  TINYKWS_RETURN_IF_ERROR(r.String("optimizer", &t->optimizer));
  if (t->optimizer != "adam") {
    return InvalidArgument(r.Where("optimizer") + " must be \"adam\", got \"" +
                           t->optimizer + "\"");
  }
  TINYKWS_RETURN_IF_ERROR(r.Float("learning_rate", &t->learning_rate));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "learning_rate", t->learning_rate, 1e-9, 10));
  TINYKWS_RETURN_IF_ERROR(r.Float("final_learning_rate",
                                  &t->final_learning_rate, t->learning_rate));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "final_learning_rate", t->final_learning_rate, 0, 10));
  TINYKWS_RETURN_IF_ERROR(r.String("lr_schedule", &t->lr_schedule, "linear"));
  if (t->lr_schedule != "linear" && t->lr_schedule != "cosine") {
    return InvalidArgument(r.Where("lr_schedule") +
                           " must be \"linear\" or \"cosine\"");
  }
  TINYKWS_RETURN_IF_ERROR(r.Float("warmup_epochs", &t->warmup_epochs, 0.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "warmup_epochs", t->warmup_epochs, 0, t->epochs));
  TINYKWS_RETURN_IF_ERROR(r.Float("adam_beta1", &t->adam_beta1, 0.9f));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "adam_beta1", t->adam_beta1, 0, 0.999999));
  TINYKWS_RETURN_IF_ERROR(r.Float("adam_beta2", &t->adam_beta2, 0.999f));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "adam_beta2", t->adam_beta2, 0, 0.999999));
  TINYKWS_RETURN_IF_ERROR(r.Float("adam_eps", &t->adam_eps, 1e-8f));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "adam_eps", t->adam_eps, 1e-12, 1));
  TINYKWS_RETURN_IF_ERROR(r.Float("weight_decay", &t->weight_decay, 0.0f));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "weight_decay", t->weight_decay, 0, 1));
  TINYKWS_RETURN_IF_ERROR(
      r.Float("label_smoothing", &t->label_smoothing, 0.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "label_smoothing", t->label_smoothing, 0, 0.5));
  TINYKWS_RETURN_IF_ERROR(r.Float("weight_average", &t->weight_average, 0.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "weight_average", t->weight_average, 0, 0.99999));
  TINYKWS_RETURN_IF_ERROR(r.Int("seed", &t->seed, 1));
  return r.CheckAllKeysUsed();
}

Status ReadData(const toml::table& table, const std::string& origin,
                DataSpec* d) {
  TableReader r(table, origin, "data");
  TINYKWS_RETURN_IF_ERROR(r.Float("unknown_share", &d->unknown_share, 0.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "unknown_share", d->unknown_share, 0, 0.9));
  TINYKWS_RETURN_IF_ERROR(r.Float("silence_share", &d->silence_share, 0.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "silence_share", d->silence_share, 0, 0.9));
  if (d->unknown_share + d->silence_share > 0.9f) {
    return InvalidArgument(origin +
                           ": data.unknown_share + data.silence_share must "
                           "leave room for the keywords (sum <= 0.9)");
  }
  TINYKWS_RETURN_IF_ERROR(
      r.Float("silence_max_volume", &d->silence_max_volume, 1.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "silence_max_volume", d->silence_max_volume, 0, 10));
  TINYKWS_RETURN_IF_ERROR(
      r.Float("validation_percent", &d->validation_percent, 10.0f));
  TINYKWS_RETURN_IF_ERROR(
      r.Float("testing_percent", &d->testing_percent, 10.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "validation_percent", d->validation_percent, 0, 100));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "testing_percent", d->testing_percent, 0,
                                  100 - d->validation_percent));
  return r.CheckAllKeysUsed();
}

Status ReadAugment(const toml::table& table, const std::string& origin,
                   AugmentSpec* a) {
  TableReader r(table, origin, "augment");
  TINYKWS_RETURN_IF_ERROR(r.Float("time_shift_ms", &a->time_shift_ms, 0.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "time_shift_ms", a->time_shift_ms, 0, 1000));
  TINYKWS_RETURN_IF_ERROR(
      r.Float("noise_probability", &a->noise_probability, 0.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "noise_probability", a->noise_probability, 0, 1));
  TINYKWS_RETURN_IF_ERROR(
      r.Float("noise_max_volume", &a->noise_max_volume, 0.0f));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "noise_max_volume", a->noise_max_volume, 0, 10));
  TINYKWS_RETURN_IF_ERROR(r.Float("gain_db", &a->gain_db, 0.0f));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "gain_db", a->gain_db, 0, 40));
  TINYKWS_RETURN_IF_ERROR(r.Float("speed", &a->speed, 0.0f));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "speed", a->speed, 0, 0.5));
  TINYKWS_RETURN_IF_ERROR(r.Int("time_masks", &a->time_masks, 0));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "time_masks", a->time_masks, 0, 10));
  TINYKWS_RETURN_IF_ERROR(r.Int("time_mask_frames", &a->time_mask_frames, 0));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "time_mask_frames", a->time_mask_frames, 0, 1000));
  TINYKWS_RETURN_IF_ERROR(r.Int("freq_masks", &a->freq_masks, 0));
  TINYKWS_RETURN_IF_ERROR(InRange(r, "freq_masks", a->freq_masks, 0, 10));
  TINYKWS_RETURN_IF_ERROR(r.Int("freq_mask_coeffs", &a->freq_mask_coeffs, 0));
  TINYKWS_RETURN_IF_ERROR(
      InRange(r, "freq_mask_coeffs", a->freq_mask_coeffs, 0, 1000));
  if (a->noise_probability > 0.0f && a->noise_max_volume <= 0.0f) {
    return InvalidArgument(r.Where("noise_max_volume") +
                           " must be > 0 when noise_probability > 0");
  }
  return r.CheckAllKeysUsed();
}

}  // namespace tinykws::config
