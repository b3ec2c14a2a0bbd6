// The structural rules: ranges of every layer field and the shape chain
// features -> convs -> dense -> labels. Only scalars are read, so Parse can
// run this on a decoded GRAPH before sizing any array from it.
#include <cstdint>
#include <string>

#include "format/errors.hpp"
#include "format/layout.hpp"

namespace tinykws::format {

namespace {

std::string Range(int64_t lo, int64_t hi) {
  return std::to_string(lo) + ".." + std::to_string(hi);
}

Status CheckRange(const std::string& origin, const std::string& field,
                  int64_t value, int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return Status::Ok();
  return Invalid(origin, field + " out of range (expected " + Range(lo, hi) +
                             ", found " + std::to_string(value) + ")");
}

Status CheckEqual(const std::string& origin, const std::string& field,
                  int64_t value, int64_t expected, const std::string& why) {
  if (value == expected) return Status::Ok();
  return Invalid(origin, field + " does not match the shape chain (expected " +
                             std::to_string(expected) + ", " + why +
                             ", found " + std::to_string(value) + ")");
}

// Output length of one spatial axis, or -1 if the kernel does not fit.
int64_t OutputLength(int64_t in, int64_t pad_a, int64_t pad_b, int64_t span,
                     int64_t stride) {
  const int64_t room = in + pad_a + pad_b - span;
  return room < 0 ? -1 : room / stride + 1;
}

Status CheckConv(const ConvLayer& c, const std::string& origin,
                 const std::string& name, const std::string& previous,
                 int64_t in_h, int64_t in_w, int64_t in_c) {
  TINYKWS_RETURN_IF_ERROR(CheckRange(origin, name + " in_channels",
                                     c.in_channels, 1, kMaxChannels));
  TINYKWS_RETURN_IF_ERROR(CheckRange(origin, name + " out_channels",
                                     c.out_channels, 1, kMaxChannels));
  TINYKWS_RETURN_IF_ERROR(
      CheckRange(origin, name + " kernel_h", c.kernel_h, 1, kMaxKernel));
  TINYKWS_RETURN_IF_ERROR(
      CheckRange(origin, name + " kernel_w", c.kernel_w, 1, kMaxKernel));
  TINYKWS_RETURN_IF_ERROR(
      CheckRange(origin, name + " stride_h", c.stride_h, 1, kMaxStride));
  TINYKWS_RETURN_IF_ERROR(
      CheckRange(origin, name + " stride_w", c.stride_w, 1, kMaxStride));
  TINYKWS_RETURN_IF_ERROR(
      CheckRange(origin, name + " dilation_h", c.dilation_h, 1, kMaxDilation));
  TINYKWS_RETURN_IF_ERROR(
      CheckRange(origin, name + " dilation_w", c.dilation_w, 1, kMaxDilation));
  const int64_t span_h = int64_t{c.kernel_h - 1} * c.dilation_h + 1;
  const int64_t span_w = int64_t{c.kernel_w - 1} * c.dilation_w + 1;
  const struct {
    const char* field;
    int32_t value;
    int64_t span;
  } pads[] = {{" pad_top", c.pad_top, span_h},
              {" pad_bottom", c.pad_bottom, span_h},
              {" pad_left", c.pad_left, span_w},
              {" pad_right", c.pad_right, span_w}};
  for (const auto& pad : pads) {
    TINYKWS_RETURN_IF_ERROR(
        CheckRange(origin, name + pad.field, pad.value, 0, pad.span - 1));
  }
  TINYKWS_RETURN_IF_ERROR(CheckEqual(origin, name + " in_channels",
                                     c.in_channels, in_c,
                                     previous + "'s channels"));
  TINYKWS_RETURN_IF_ERROR(CheckEqual(origin, name + " in_height", c.in_height,
                                     in_h, previous + "'s height"));
  TINYKWS_RETURN_IF_ERROR(CheckEqual(origin, name + " in_width", c.in_width,
                                     in_w, previous + "'s width"));
  const int64_t out_h =
      OutputLength(in_h, c.pad_top, c.pad_bottom, span_h, c.stride_h);
  const int64_t out_w =
      OutputLength(in_w, c.pad_left, c.pad_right, span_w, c.stride_w);
  if (out_h < 1 || out_w < 1) {
    return Invalid(origin, name +
                               " output would be empty (expected input + "
                               "pads >= kernel span " +
                               std::to_string(span_h) + " x " +
                               std::to_string(span_w) + ", found " +
                               std::to_string(in_h) + " x " +
                               std::to_string(in_w) + " input)");
  }
  TINYKWS_RETURN_IF_ERROR(CheckEqual(origin, name + " out_height", c.out_height,
                                     out_h, "(in + pads - span) / stride + 1"));
  TINYKWS_RETURN_IF_ERROR(CheckEqual(origin, name + " out_width", c.out_width,
                                     out_w, "(in + pads - span) / stride + 1"));
  const int64_t values = out_h * out_w * c.out_channels;
  if (values > kMaxActivationValues) {
    return TooLarge(origin, name + " output of " + std::to_string(values) +
                                " values exceeds the limit of " +
                                std::to_string(kMaxActivationValues));
  }
  return Status::Ok();
}

}  // namespace

Status CheckShapes(const ModelFile& m, const std::string& origin) {
  if (m.precision != Precision::kInt8 && m.precision != Precision::kFloat32) {
    return Invalid(origin,
                   "precision " +
                       std::to_string(static_cast<uint32_t>(m.precision)) +
                       " is unknown (expected 1 = int8 or 2 = float32)");
  }
  TINYKWS_RETURN_IF_ERROR(ValidateFeatureConfig(m.features).WithPrefix(origin));
  const int64_t num_labels = static_cast<int64_t>(m.labels.size());
  if (num_labels > kMaxLabels) {
    return TooLarge(origin, std::to_string(num_labels) +
                                " labels exceed the limit of " +
                                std::to_string(kMaxLabels));
  }
  TINYKWS_RETURN_IF_ERROR(
      CheckRange(origin, "label count", num_labels, kMinLabels, kMaxLabels));
  const int64_t num_convs = static_cast<int64_t>(m.convs.size());
  if (num_convs > kMaxConvs) {
    return TooLarge(origin, std::to_string(num_convs) +
                                " conv layers exceed the limit of " +
                                std::to_string(kMaxConvs));
  }
  TINYKWS_RETURN_IF_ERROR(
      CheckRange(origin, "conv layer count", num_convs, 1, kMaxConvs));

  int64_t h = m.features.num_frames();
  int64_t w = m.features.num_mfcc;
  int64_t c = 1;
  if (h > kMaxFrames) {
    return TooLarge(origin, "the features give " + std::to_string(h) +
                                " MFCC frames per clip, more than the limit "
                                "of " +
                                std::to_string(kMaxFrames));
  }
  if (h * w > kMaxActivationValues) {
    return TooLarge(origin, "input of " + std::to_string(h) + " x " +
                                std::to_string(w) +
                                " MFCC values exceeds the limit of " +
                                std::to_string(kMaxActivationValues));
  }
  int64_t total_weights = 0;
  for (size_t i = 0; i < m.convs.size(); ++i) {
    const ConvLayer& conv = m.convs[i];
    const std::string previous =
        i == 0 ? "the MFCC input" : "conv[" + std::to_string(i - 1) + "]";
    TINYKWS_RETURN_IF_ERROR(CheckConv(
        conv, origin, "conv[" + std::to_string(i) + "]", previous, h, w, c));
    total_weights += int64_t{conv.out_channels} * conv.kernel_h *
                     conv.kernel_w * conv.in_channels;
    h = conv.out_height;
    w = conv.out_width;
    c = conv.out_channels;
  }
  const DenseLayer& d = m.dense;
  TINYKWS_RETURN_IF_ERROR(CheckEqual(origin, "dense in_channels", d.in_channels,
                                     c, "the last conv's out_channels"));
  TINYKWS_RETURN_IF_ERROR(CheckEqual(origin, "dense out_channels",
                                     d.out_channels, num_labels,
                                     "the number of labels"));
  TINYKWS_RETURN_IF_ERROR(CheckEqual(origin, "dense pool_count", d.pool_count,
                                     h * w,
                                     "the last conv's out_height * out_width"));
  total_weights += int64_t{d.out_channels} * d.in_channels;
  if (total_weights > kMaxTotalWeights) {
    return TooLarge(origin, std::to_string(total_weights) +
                                " weights exceed the limit of " +
                                std::to_string(kMaxTotalWeights));
  }
  return CheckWorkingSet(m, origin);
}

ImpliedSizes ComputeImpliedSizes(const ModelFile& m) {
  ImpliedSizes sizes;
  for (const ConvLayer& c : m.convs) {
    const uint64_t out = static_cast<uint64_t>(c.out_channels);
    sizes.weights += out * static_cast<uint64_t>(c.kernel_h) *
                     static_cast<uint64_t>(c.kernel_w) *
                     static_cast<uint64_t>(c.in_channels);
    sizes.biases += out;
    sizes.quant_bytes += out * 12;  // multiplier, shift, weight scale
  }
  const uint64_t out = static_cast<uint64_t>(m.dense.out_channels);
  sizes.weights += out * static_cast<uint64_t>(m.dense.in_channels);
  sizes.biases += out;
  sizes.quant_bytes += out * 8;  // weight scale, output scale
  return sizes;
}

}  // namespace tinykws::format
