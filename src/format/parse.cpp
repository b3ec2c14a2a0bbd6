// bytes -> ModelFile. The rules are not here: the C99 core's reader
// (src/micro/container.c and checks.c, kws_read_model) is the one reader
// and validator of .kws files. This file turns its validated view into a
// ModelFile, and its refusals into Status values.
#include <string>
#include <utility>
#include <vector>

#include "common/atomic_file.hpp"
#include "format/layout.hpp"
#include "micro/micro_internal.h"

namespace tinykws::format {

namespace {

Status CoreError(kws_micro_status status, const char* message,
                 const std::string& origin) {
  const std::string text = origin + ": " + WithoutCorePrefix(message);
  switch (status) {
    case KWS_MICRO_UNSUPPORTED:
      return Unsupported(text);
    case KWS_MICRO_INVALID_ARGUMENT:
      return InvalidArgument(text);
    default:
      return FormatError(text);
  }
}

// Runs the core's reader; on success *m views bytes (which must outlive it).
Status ReadCore(const std::string& bytes, const std::string& origin,
                kws_view* m, const uint8_t** metadata) {
  char message[512];
  kws_text text;
  kws_text_init(&text, message, sizeof message);
  const kws_micro_status status =
      kws_read_model(reinterpret_cast<const uint8_t*>(bytes.data()),
                     bytes.size(), m, metadata, &text);
  if (status == KWS_MICRO_OK) return Status::Ok();
  return CoreError(status, message, origin);
}

// (u32 length, bytes) strings, validated by the core.
std::string TakeString(const uint8_t*& p) {
  const uint32_t length = kws_u32(p);
  std::string s(reinterpret_cast<const char*>(p + 4), length);
  p += 4 + length;
  return s;
}

template <typename T, typename Load>
std::vector<T> TakeArray(const uint8_t*& p, size_t count, size_t bytes,
                         Load load) {
  std::vector<T> out(count);
  for (size_t i = 0; i < count; ++i) out[i] = load(p + i * bytes);
  p += count * bytes;
  return out;
}

std::vector<int8_t> TakeI8(const uint8_t*& p, size_t n) {
  return TakeArray<int8_t>(p, n, 1, [](const uint8_t* q) {
    return static_cast<int8_t>(*q <= 127 ? *q : *q - 256);
  });
}
std::vector<int32_t> TakeI32(const uint8_t*& p, size_t n) {
  return TakeArray<int32_t>(p, n, 4, kws_i32);
}
std::vector<float> TakeF32(const uint8_t*& p, size_t n) {
  return TakeArray<float>(p, n, 4, kws_f32);
}

FeatureConfig DecodeFeatures(const kws_view& m) {
  FeatureConfig f;
  f.sample_rate = m.sample_rate;
  f.clip_samples = m.clip_samples;
  f.frame_length = m.frame_length;
  f.frame_step = m.frame_step;
  f.mel_bins = m.mel_bins;
  f.fmin_hz = m.fmin_hz;
  f.fmax_hz = m.fmax_hz;
  f.num_mfcc = m.num_mfcc;
  f.log_offset = m.log_offset;
  f.precision = static_cast<FeaturePrecision>(static_cast<int>(m.front_end));
  return f;
}

// The weights, biases and (int8) quant arrays, in file order.
void DecodeArrays(const kws_view& m, ModelFile* out) {
  const bool int8 = out->precision == Precision::kInt8;
  const uint8_t* w = m.weights;
  const uint8_t* b = m.biases;
  const uint8_t* q = m.quant;
  auto layer = [&](size_t weights, size_t channels, std::vector<int8_t>* qw,
                   std::vector<int32_t>* qb, std::vector<float>* fw,
                   std::vector<float>* fb) {
    if (int8) {
      *qw = TakeI8(w, weights);
      *qb = TakeI32(b, channels);
    } else {
      *fw = TakeF32(w, weights);
      *fb = TakeF32(b, channels);
    }
  };
  for (ConvLayer& c : out->convs) {
    const size_t channels = static_cast<size_t>(c.out_channels);
    layer(channels * static_cast<size_t>(c.kernel_h) *
              static_cast<size_t>(c.kernel_w) *
              static_cast<size_t>(c.in_channels),
          channels, &c.weights, &c.bias, &c.float_weights, &c.float_bias);
    if (int8) {
      c.multipliers = TakeI32(q, channels);
      c.shifts = TakeI32(q, channels);
      c.weight_scales = TakeF32(q, channels);
    }
  }
  DenseLayer& d = out->dense;
  const size_t labels = static_cast<size_t>(d.out_channels);
  layer(labels * static_cast<size_t>(d.in_channels), labels, &d.weights,
        &d.bias, &d.float_weights, &d.float_bias);
  if (int8) {
    d.weight_scales = TakeF32(q, labels);
    d.output_scales = TakeF32(q, labels);
  }
}

ModelFile Decode(const kws_view& m, const uint8_t* metadata) {
  ModelFile out;
  out.precision = static_cast<Precision>(m.precision);
  out.features = DecodeFeatures(m);
  const uint8_t* p = m.labels + 4;
  for (uint32_t i = 0; i < m.num_labels; ++i) {
    out.labels.push_back(TakeString(p));
  }
  p = metadata + 4;
  for (uint32_t i = kws_u32(metadata); i > 0; --i) {
    std::string key = TakeString(p);
    out.metadata.emplace_back(std::move(key), TakeString(p));
  }
  out.input_scale = m.input_scale;
  out.input_zero_point = m.input_zero_point;
  out.convs.resize(m.conv_count);
  for (uint32_t i = 0; i < m.conv_count; ++i) {
    kws_conv v;
    kws_decode_conv(m.convs + i * KWS_CONV_RECORD_BYTES, &v);
    ConvLayer& c = out.convs[i];
    c.in_channels = v.in_channels, c.out_channels = v.out_channels;
    c.kernel_h = v.kernel_h, c.kernel_w = v.kernel_w;
    c.stride_h = v.stride_h, c.stride_w = v.stride_w;
    c.dilation_h = v.dilation_h, c.dilation_w = v.dilation_w;
    c.pad_top = v.pad_top, c.pad_bottom = v.pad_bottom;
    c.pad_left = v.pad_left, c.pad_right = v.pad_right;
    c.in_height = v.in_height, c.in_width = v.in_width;
    c.out_height = v.out_height, c.out_width = v.out_width;
    c.relu = v.relu == 1;
    c.output_scale = v.output_scale;
    c.output_zero_point = v.output_zero_point;
  }
  out.dense.in_channels = m.dense_in;
  out.dense.out_channels = m.dense_out;
  out.dense.pool_count = m.pool_count;
  DecodeArrays(m, &out);
  out.has_detector = m.has_detector;
  if (m.has_detector) {
    out.detector.hop_frames = m.hop_frames;
    out.detector.smoothing_runs = m.smoothing_runs;
    out.detector.refractory_ms = m.refractory_ms;
    p = m.thresholds;
    out.detector.thresholds = TakeF32(p, m.num_labels);
  }
  return out;
}

}  // namespace

std::string WithoutCorePrefix(const char* message) {
  const std::string text = message;
  return text.rfind("model: ", 0) == 0 ? text.substr(7) : text;
}

StatusOr<ModelFile> Parse(const std::string& bytes, const std::string& origin,
                          kws_view* view) {
  const uint8_t* metadata = nullptr;
  TINYKWS_RETURN_IF_ERROR(ReadCore(bytes, origin, view, &metadata));
  return Decode(*view, metadata);
}

StatusOr<ModelFile> Parse(const std::string& bytes, const std::string& origin) {
  kws_view m;
  return Parse(bytes, origin, &m);
}

// The writer checks what it would write with the one reader: the rules
// cannot drift apart, and no file it writes is refused when read back.
Status Validate(const ModelFile& model, const std::string& origin) {
  kws_view m;
  const uint8_t* metadata = nullptr;
  const std::string bytes = Serialize(model);
  const Status status = ReadCore(bytes, origin, &m, &metadata);
  if (status.ok()) return status;
  return InvalidArgument(status.message());
}

uint32_t Crc32(const void* data, size_t size) {
  return kws_crc32(static_cast<const uint8_t*>(data), size);
}

Status WriteModelFile(const std::string& path, const ModelFile& model) {
  TINYKWS_RETURN_IF_ERROR(Validate(model, path));
  return WriteFileAtomically(path, Serialize(model));
}

StatusOr<ModelFile> ReadModelFile(const std::string& path) {
  StatusOr<std::string> bytes = ReadWholeFile(path, kMaxFileBytes);
  if (!bytes.ok()) return bytes.status();
  return Parse(*bytes, path);
}

}  // namespace tinykws::format
