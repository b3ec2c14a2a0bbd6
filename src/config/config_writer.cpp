// KwsConfig -> TOML text with every field spelled out (the "resolved" config
// a run folder keeps). ParseConfig(ConfigToToml(c)) gives back c.
#include <cstdio>
#include <sstream>

#include "tinykws/config.hpp"

namespace tinykws {

namespace {

// Shortest text that reads back as the same float.
std::string F(float v) {
  char buffer[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", digits, v);
    if (std::strtof(buffer, nullptr) == v) break;
  }
  std::string s = buffer;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

// A TOML basic string: quotes and backslashes escaped, and every control
// character (TOML allows none raw but tab) as \uXXXX.
std::string Q(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04X", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string ConfigToToml(const KwsConfig& c) {
  std::ostringstream o;
  o << kResolvedConfigHeader << "\n";
  o << "name = " << Q(c.name) << "\nlabels = [";
  for (size_t i = 0; i < c.labels.size(); ++i) {
    o << (i ? ", " : "") << Q(c.labels[i]);
  }
  const FeatureConfig& f = c.features;
  o << "]\n\n[features]\nsample_rate = " << f.sample_rate
    << "\nclip_samples = " << f.clip_samples
    << "\nframe_length = " << f.frame_length
    << "\nframe_step = " << f.frame_step << "\nmel_bins = " << f.mel_bins
    << "\nfmin_hz = " << F(f.fmin_hz) << "\nfmax_hz = " << F(f.fmax_hz)
    << "\nnum_mfcc = " << f.num_mfcc << "\nlog_offset = " << F(f.log_offset);
  if (f.precision != FeaturePrecision::kFloat64) {
    o << "\nprecision = " << Q(FeaturePrecisionName(f.precision));
  }
  o << "\n\n[model]\nblocks = [\n";
  for (const BlockSpec& b : c.model.blocks) {
    o << "  { type = \"" << BlockTypeName(b.type) << "\"";
    if (b.type == BlockType::kConv) {
      o << ", filters = " << b.filters << ", kernel = [" << b.kernel_h << ", "
        << b.kernel_w << "], stride = [" << b.stride_h << ", " << b.stride_w
        << "], dilation = [" << b.dilation_h << ", " << b.dilation_w << "]"
        << ", padding = \"" << (b.padding == Padding::kSame ? "same" : "valid")
        << "\", bias = " << (b.bias ? "true" : "false");
    } else if (b.type == BlockType::kDropout) {
      o << ", rate = " << F(b.rate);
    }
    o << " },\n";
  }
  const TrainingSpec& t = c.training;
  o << "]\nbatch_norm_momentum = " << F(c.model.batch_norm_momentum)
    << "\nbatch_norm_eps = " << F(c.model.batch_norm_eps)
    << "\ninit = " << Q(c.model.init)
    << "\n\n[training]\nbatch_size = " << t.batch_size
    << "\nepochs = " << t.epochs << "\noptimizer = " << Q(t.optimizer)
    << "\nlearning_rate = " << F(t.learning_rate)
    << "\nfinal_learning_rate = " << F(t.final_learning_rate)
    << "\nlr_schedule = " << Q(t.lr_schedule)
    << "\nwarmup_epochs = " << F(t.warmup_epochs)
    << "\nadam_beta1 = " << F(t.adam_beta1)
    << "\nadam_beta2 = " << F(t.adam_beta2) << "\nadam_eps = " << F(t.adam_eps)
    << "\nweight_decay = " << F(t.weight_decay)
    << "\nlabel_smoothing = " << F(t.label_smoothing)
    << "\nweight_average = " << F(t.weight_average) << "\nseed = " << t.seed;
  const DataSpec& d = c.data;
  o << "\n\n[data]\nunknown_share = " << F(d.unknown_share)
    << "\nsilence_share = " << F(d.silence_share)
    << "\nsilence_max_volume = " << F(d.silence_max_volume)
    << "\nvalidation_percent = " << F(d.validation_percent)
    << "\ntesting_percent = " << F(d.testing_percent) << "\nextra = [";
  for (size_t i = 0; i < d.extra.size(); ++i) {
    o << (i > 0 ? ", " : "") << Q(d.extra[i]);
  }
  o << "]\nsynthetic_share = " << F(d.synthetic_share)
    << "\nlong_negative_share = " << F(d.long_negative_share)
    << "\nreversed_share = " << F(d.reversed_share)
    << "\nspliced_share = " << F(d.spliced_share)
    << "\nshifted_share = " << F(d.shifted_share);
  const AugmentSpec& a = c.augment;
  o << "\n\n[augment]\ntime_shift_ms = " << F(a.time_shift_ms)
    << "\nunknown_time_shift_ms = " << F(a.unknown_time_shift_ms)
    << "\nnoise_probability = " << F(a.noise_probability)
    << "\nnoise_max_volume = " << F(a.noise_max_volume)
    << "\ngain_db = " << F(a.gain_db) << "\nspeed = " << F(a.speed)
    << "\ntime_masks = " << a.time_masks
    << "\ntime_mask_frames = " << a.time_mask_frames
    << "\nfreq_masks = " << a.freq_masks
    << "\nfreq_mask_coeffs = " << a.freq_mask_coeffs << "\n";
  return o.str();
}

}  // namespace tinykws
