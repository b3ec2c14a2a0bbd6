// Validate: the shape rules (shapes.cpp), then labels and metadata, then
// every array's size and values for the model's precision.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <vector>

#include "format/errors.hpp"
#include "format/layout.hpp"

namespace tinykws::format {

namespace {

// Well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF).
bool IsUtf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char b = p[i];
    size_t extra = 0;
    uint32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      extra = 1;
      cp = b & 0x1Fu;
    } else if ((b & 0xF0) == 0xE0) {
      extra = 2;
      cp = b & 0x0Fu;
    } else if ((b & 0xF8) == 0xF0) {
      extra = 3;
      cp = b & 0x07u;
    } else {
      return false;
    }
    if (extra > n - i - 1) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (p[i + k] & 0x3Fu);
    }
    static constexpr uint32_t kMinForLength[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

Status CheckText(const std::string& origin, const std::string& what,
                 const std::string& text, size_t min_bytes, size_t max_bytes) {
  if (text.size() < min_bytes || text.size() > max_bytes) {
    return Invalid(origin, what + " length out of range (expected " +
                               std::to_string(min_bytes) + ".." +
                               std::to_string(max_bytes) + " bytes, found " +
                               std::to_string(text.size()) + ")");
  }
  if (!IsUtf8(text)) return Invalid(origin, what + " is not valid UTF-8");
  return Status::Ok();
}

Status CheckLabels(const ModelFile& m, const std::string& origin) {
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < m.labels.size(); ++i) {
    const std::string what = "label " + std::to_string(i);
    TINYKWS_RETURN_IF_ERROR(
        CheckText(origin, what, m.labels[i], 1, kMaxLabelBytes));
    if (!seen.insert(m.labels[i]).second) {
      return Invalid(origin, what + " '" + m.labels[i] +
                                 "' is a duplicate (expected unique labels)");
    }
  }
  return Status::Ok();
}

Status CheckMetadata(const ModelFile& m, const std::string& origin) {
  const int64_t count = static_cast<int64_t>(m.metadata.size());
  if (count > kMaxMetadataPairs) {
    return TooLarge(origin, std::to_string(count) +
                                " metadata entries exceed the limit of " +
                                std::to_string(kMaxMetadataPairs));
  }
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < m.metadata.size(); ++i) {
    const auto& [key, value] = m.metadata[i];
    const std::string what = "metadata key " + std::to_string(i);
    TINYKWS_RETURN_IF_ERROR(
        CheckText(origin, what, key, 1, kMaxMetadataKeyBytes));
    TINYKWS_RETURN_IF_ERROR(CheckText(origin, "metadata '" + key + "' value",
                                      value, 0, kMaxMetadataValueBytes));
    if (!seen.insert(key).second) {
      return Invalid(origin, "metadata key '" + key +
                                 "' is a duplicate (expected unique keys)");
    }
  }
  return Status::Ok();
}

template <typename T>
Status CheckSize(const std::string& origin, const std::string& what,
                 const std::vector<T>& v, int64_t expected,
                 const std::string& formula) {
  if (static_cast<int64_t>(v.size()) == expected) return Status::Ok();
  return Invalid(origin, what + " has the wrong size (expected " + formula +
                             " = " + std::to_string(expected) + ", found " +
                             std::to_string(v.size()) + ")");
}

Status CheckScale(const std::string& origin, const std::string& what,
                  float scale) {
  if (std::isfinite(scale) && scale > 0.0f) return Status::Ok();
  return Invalid(origin, what + " must be finite and > 0 (found " +
                             FloatText(scale) + ")");
}

Status CheckScales(const std::string& origin, const std::string& what,
                   const std::vector<float>& scales) {
  for (size_t i = 0; i < scales.size(); ++i) {
    TINYKWS_RETURN_IF_ERROR(
        CheckScale(origin, what + "[" + std::to_string(i) + "]", scales[i]));
  }
  return Status::Ok();
}

Status CheckZeroPoint(const std::string& origin, const std::string& what,
                      int32_t zero_point) {
  if (zero_point >= -128 && zero_point <= 127) return Status::Ok();
  return Invalid(origin, what + " out of range (expected -128..127, found " +
                             std::to_string(zero_point) + ")");
}

Status CheckInt8Weights(const std::string& origin, const std::string& what,
                        const std::vector<int8_t>& weights) {
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] == -128) {
      return Invalid(origin, what + "[" + std::to_string(i) +
                                 "] out of range (expected -127..127: "
                                 "symmetric quantization never gives -128, "
                                 "found -128)");
    }
  }
  return Status::Ok();
}

Status CheckFinite(const std::string& origin, const std::string& what,
                   const std::vector<float>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return Invalid(origin, what + "[" + std::to_string(i) +
                                 "] must be finite (found " +
                                 FloatText(values[i]) + ")");
    }
  }
  return Status::Ok();
}

Status CheckRequant(const std::string& origin, const std::string& name,
                    const ConvLayer& c) {
  for (size_t i = 0; i < c.multipliers.size(); ++i) {
    const int64_t m = c.multipliers[i];
    if (m < kMinMultiplier || m > kMaxMultiplier) {
      return Invalid(origin,
                     name + " multipliers[" + std::to_string(i) +
                         "] out of range (expected 2^30..2^31-1, found " +
                         std::to_string(m) + ")");
    }
  }
  for (size_t i = 0; i < c.shifts.size(); ++i) {
    if (c.shifts[i] < kMinShift || c.shifts[i] > kMaxShift) {
      return Invalid(origin, name + " shifts[" + std::to_string(i) +
                                 "] out of range (expected " +
                                 std::to_string(kMinShift) + ".." +
                                 std::to_string(kMaxShift) + ", found " +
                                 std::to_string(c.shifts[i]) + ")");
    }
  }
  return Status::Ok();
}

// Worst case |accumulator|: every input term is (q - zero_point), at most
// 255 in magnitude, times a weight of at most 127, plus the largest bias.
Status CheckAccumulator(const std::string& origin, const std::string& name,
                        int64_t terms, const std::vector<int32_t>& bias,
                        const std::string& formula) {
  int64_t max_bias = 0;
  for (int32_t b : bias) max_bias = std::max(max_bias, std::abs(int64_t{b}));
  const int64_t worst = terms * 255 * 127 + max_bias;
  if (worst < (int64_t{1} << 31)) return Status::Ok();
  return Invalid(origin, name + " int32 accumulator can overflow (expected " +
                             formula +
                             " * 255 * 127 + max |bias| < 2^31, "
                             "found " +
                             std::to_string(worst) + ")");
}

Status CheckInt8(const ModelFile& m, const std::string& origin) {
  TINYKWS_RETURN_IF_ERROR(CheckScale(origin, "input_scale", m.input_scale));
  TINYKWS_RETURN_IF_ERROR(
      CheckZeroPoint(origin, "input_zero_point", m.input_zero_point));
  for (size_t i = 0; i < m.convs.size(); ++i) {
    const ConvLayer& c = m.convs[i];
    const std::string name = "conv[" + std::to_string(i) + "]";
    const int64_t taps = int64_t{c.kernel_h} * c.kernel_w * c.in_channels;
    TINYKWS_RETURN_IF_ERROR(
        CheckSize(origin, name + " weights", c.weights, c.out_channels * taps,
                  "out_channels * kernel_h * kernel_w * in_channels"));
    TINYKWS_RETURN_IF_ERROR(CheckSize(origin, name + " bias", c.bias,
                                      c.out_channels, "out_channels"));
    TINYKWS_RETURN_IF_ERROR(CheckSize(origin, name + " multipliers",
                                      c.multipliers, c.out_channels,
                                      "out_channels"));
    TINYKWS_RETURN_IF_ERROR(CheckSize(origin, name + " shifts", c.shifts,
                                      c.out_channels, "out_channels"));
    TINYKWS_RETURN_IF_ERROR(CheckSize(origin, name + " weight_scales",
                                      c.weight_scales, c.out_channels,
                                      "out_channels"));
    TINYKWS_RETURN_IF_ERROR(CheckSize(origin, name + " float_weights",
                                      c.float_weights, 0, "int8 model: none"));
    TINYKWS_RETURN_IF_ERROR(CheckSize(origin, name + " float_bias",
                                      c.float_bias, 0, "int8 model: none"));
    TINYKWS_RETURN_IF_ERROR(
        CheckScale(origin, name + " output_scale", c.output_scale));
    TINYKWS_RETURN_IF_ERROR(CheckZeroPoint(origin, name + " output_zero_point",
                                           c.output_zero_point));
    TINYKWS_RETURN_IF_ERROR(
        CheckScales(origin, name + " weight_scales", c.weight_scales));
    TINYKWS_RETURN_IF_ERROR(CheckRequant(origin, name, c));
    TINYKWS_RETURN_IF_ERROR(
        CheckInt8Weights(origin, name + " weights", c.weights));
    TINYKWS_RETURN_IF_ERROR(CheckAccumulator(
        origin, name, taps, c.bias, "kernel_h * kernel_w * in_channels"));
  }
  const DenseLayer& d = m.dense;
  TINYKWS_RETURN_IF_ERROR(CheckSize(origin, "dense weights", d.weights,
                                    int64_t{d.out_channels} * d.in_channels,
                                    "out_channels * in_channels"));
  TINYKWS_RETURN_IF_ERROR(
      CheckSize(origin, "dense bias", d.bias, d.out_channels, "out_channels"));
  TINYKWS_RETURN_IF_ERROR(CheckSize(origin, "dense weight_scales",
                                    d.weight_scales, d.out_channels,
                                    "out_channels"));
  TINYKWS_RETURN_IF_ERROR(CheckSize(origin, "dense output_scales",
                                    d.output_scales, d.out_channels,
                                    "out_channels"));
  TINYKWS_RETURN_IF_ERROR(CheckSize(origin, "dense float_weights",
                                    d.float_weights, 0, "int8 model: none"));
  TINYKWS_RETURN_IF_ERROR(CheckSize(origin, "dense float_bias", d.float_bias, 0,
                                    "int8 model: none"));
  TINYKWS_RETURN_IF_ERROR(
      CheckScales(origin, "dense weight_scales", d.weight_scales));
  TINYKWS_RETURN_IF_ERROR(
      CheckScales(origin, "dense output_scales", d.output_scales));
  TINYKWS_RETURN_IF_ERROR(CheckInt8Weights(origin, "dense weights", d.weights));
  TINYKWS_RETURN_IF_ERROR(
      CheckAccumulator(origin, "dense", int64_t{d.pool_count} * d.in_channels,
                       d.bias, "pool_count * in_channels"));
  // Logits are accumulator * output scale: finite, and far enough from the
  // float range that softmax (max-subtracted) cannot overflow either.
  const double worst = static_cast<double>(int64_t{1} << 31);
  for (size_t k = 0; k < d.output_scales.size(); ++k) {
    if (worst * d.output_scales[k] > kMaxLogit) {
      return Invalid(origin, "dense output_scales[" + std::to_string(k) +
                                 "] can make a logit overflow (expected "
                                 "2^31 * scale <= 1e37, found scale " +
                                 FloatText(d.output_scales[k]) + ")");
    }
  }
  return Status::Ok();
}

Status CheckFloat32(const ModelFile& m, const std::string& origin) {
  // One canonical form: the int8-only fields stay at their zero defaults.
  const std::string unused = " must be 0 in a float32 model (found ";
  if (m.input_scale != 0.0f || m.input_zero_point != 0) {
    return Invalid(origin, "input_scale/input_zero_point" + unused +
                               FloatText(m.input_scale) + "/" +
                               std::to_string(m.input_zero_point) + ")");
  }
  for (size_t i = 0; i < m.convs.size(); ++i) {
    const ConvLayer& c = m.convs[i];
    const std::string name = "conv[" + std::to_string(i) + "]";
    TINYKWS_RETURN_IF_ERROR(CheckSize(
        origin, name + " float_weights", c.float_weights,
        int64_t{c.out_channels} * c.kernel_h * c.kernel_w * c.in_channels,
        "out_channels * kernel_h * kernel_w * in_channels"));
    TINYKWS_RETURN_IF_ERROR(CheckSize(origin, name + " float_bias",
                                      c.float_bias, c.out_channels,
                                      "out_channels"));
    if (!c.weights.empty() || !c.bias.empty() || !c.weight_scales.empty() ||
        !c.multipliers.empty() || !c.shifts.empty()) {
      return Invalid(origin, name +
                                 " has int8 arrays in a float32 model "
                                 "(expected them empty)");
    }
    if (c.output_scale != 0.0f || c.output_zero_point != 0) {
      return Invalid(origin, name + " output_scale/output_zero_point" + unused +
                                 FloatText(c.output_scale) + "/" +
                                 std::to_string(c.output_zero_point) + ")");
    }
    TINYKWS_RETURN_IF_ERROR(
        CheckFinite(origin, name + " float_weights", c.float_weights));
    TINYKWS_RETURN_IF_ERROR(
        CheckFinite(origin, name + " float_bias", c.float_bias));
  }
  const DenseLayer& d = m.dense;
  TINYKWS_RETURN_IF_ERROR(CheckSize(
      origin, "dense float_weights", d.float_weights,
      int64_t{d.out_channels} * d.in_channels, "out_channels * in_channels"));
  TINYKWS_RETURN_IF_ERROR(CheckSize(origin, "dense float_bias", d.float_bias,
                                    d.out_channels, "out_channels"));
  if (!d.weights.empty() || !d.bias.empty() || !d.weight_scales.empty() ||
      !d.output_scales.empty()) {
    return Invalid(origin,
                   "dense has int8 arrays in a float32 model (expected them "
                   "empty)");
  }
  TINYKWS_RETURN_IF_ERROR(
      CheckFinite(origin, "dense float_weights", d.float_weights));
  return CheckFinite(origin, "dense float_bias", d.float_bias);
}

}  // namespace

Status Validate(const ModelFile& model, const std::string& origin) {
  TINYKWS_RETURN_IF_ERROR(CheckShapes(model, origin));
  TINYKWS_RETURN_IF_ERROR(CheckLabels(model, origin));
  TINYKWS_RETURN_IF_ERROR(CheckMetadata(model, origin));
  if (model.has_detector) {
    TINYKWS_RETURN_IF_ERROR(ValidateDetectorParams(model.detector,
                                                   model.labels.size(),
                                                   model.features.num_frames())
                                .WithPrefix(origin));
  }
  return model.precision == Precision::kInt8 ? CheckInt8(model, origin)
                                             : CheckFloat32(model, origin);
}

}  // namespace tinykws::format
