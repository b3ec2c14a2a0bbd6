// bytes -> ModelFile: container checks (container.cpp), then each section's
// record, then Validate. Arrays are sized from the graph only after the
// graph's shapes passed CheckShapes and the implied byte counts equal the
// section lengths, so no allocation exceeds the file's own size.
#include <string>
#include <utility>
#include <vector>

#include "common/atomic_file.hpp"
#include "format/byte_io.hpp"
#include "format/container.hpp"
#include "format/errors.hpp"
#include "format/layout.hpp"

namespace tinykws::format {

namespace {

using Sections = std::vector<SectionView>;

struct Payload {
  const char* data = nullptr;
  uint64_t size = 0;
};

Payload PayloadOf(const std::string& bytes, const SectionView& view) {
  return {bytes.data() + view.offset, view.length};
}

std::string SectionLabel(SectionType type) {
  return "section " + Quoted(SectionName(static_cast<uint32_t>(type)));
}

Status CheckLength(const std::string& origin, SectionType type, uint64_t found,
                   uint64_t expected, const std::string& formula) {
  if (found == expected) return Status::Ok();
  return Malformed(origin, SectionLabel(type) +
                               " has the wrong size (expected " + formula +
                               std::to_string(expected) + " bytes, found " +
                               std::to_string(found) + ")");
}

// Exactly once for required sections, at most once for the others;
// unknown types are ignored (their CRC was checked with the container).
Status FindSections(const Sections& sections, const std::string& origin,
                    const SectionView* found[kNumKnownSectionTypes + 1]) {
  int count[kNumKnownSectionTypes + 1] = {};
  for (const SectionView& view : sections) {
    if (view.type < 1 || view.type > kNumKnownSectionTypes) continue;
    found[view.type] = &view;
    if (++count[view.type] > 1) {
      return Malformed(origin,
                       SectionLabel(static_cast<SectionType>(view.type)) +
                           " appears more than once (expected once)");
    }
  }
  for (uint32_t type = 1; type <= kNumKnownSectionTypes; ++type) {
    if (type == static_cast<uint32_t>(SectionType::kQuant) ||
        type == static_cast<uint32_t>(SectionType::kDetector)) {
      continue;  // optional
    }
    if (count[type] == 0) {
      return Malformed(origin, "required section " + Quoted(SectionName(type)) +
                                   " is missing");
    }
  }
  return Status::Ok();
}

// A u32 byte length then the bytes; what names the string in messages.
Status ReadString(ByteReader& r, const std::string& origin,
                  const std::string& what, int64_t max_bytes,
                  std::string* out) {
  uint32_t length = 0;
  if (!r.U32(&length)) {
    return Malformed(origin,
                     what + ": length runs past the end of the section");
  }
  if (length > max_bytes) {
    return TooLarge(origin, what + " is too long (expected at most " +
                                std::to_string(max_bytes) + " bytes, found " +
                                std::to_string(length) + ")");
  }
  if (!r.Chars(length, out)) {
    return Malformed(origin, what +
                                 " runs past the end of the section "
                                 "(expected " +
                                 std::to_string(length) + " bytes, " +
                                 std::to_string(r.remaining()) + " left)");
  }
  return Status::Ok();
}

Status CheckConsumed(const ByteReader& r, const std::string& origin,
                     SectionType type) {
  if (r.remaining() == 0) return Status::Ok();
  return Malformed(origin, SectionLabel(type) + " has " +
                               std::to_string(r.remaining()) +
                               " unexpected bytes at its end (expected 0)");
}

Status DecodeFeatures(Payload p, uint32_t version, const std::string& origin,
                      FeatureConfig* f) {
  const bool v1 = version == kFirstFormatVersion;
  TINYKWS_RETURN_IF_ERROR(CheckLength(origin, SectionType::kFeatures, p.size,
                                      v1 ? kFeaturesBytes : kFeaturesBytesV2,
                                      ""));
  ByteReader r(p.data, p.size);
  r.I32(&f->sample_rate);
  r.I32(&f->clip_samples);
  r.I32(&f->frame_length);
  r.I32(&f->frame_step);
  r.I32(&f->mel_bins);
  r.F32(&f->fmin_hz);
  r.F32(&f->fmax_hz);
  r.I32(&f->num_mfcc);
  r.F32(&f->log_offset);
  f->precision = FeaturePrecision::kFloat64;
  if (!v1) {
    uint32_t precision = 0;
    r.U32(&precision);
    // One encoding per model: version 2 exists for the float32 front end.
    if (precision == 0) {
      return Malformed(origin,
                       "section 'features': format version 2 records a "
                       "float32 front end; a float64 model is written as "
                       "version 1");
    }
    // Range-checked by ValidateFeatureConfig (CheckShapes), whose message
    // names the field.
    f->precision = static_cast<FeaturePrecision>(static_cast<int>(precision));
  }
  return Status::Ok();
}

Status DecodeLabels(Payload p, const std::string& origin,
                    std::vector<std::string>* labels) {
  ByteReader r(p.data, p.size);
  uint32_t count = 0;
  if (!r.U32(&count)) {
    return Malformed(origin, "section 'labels' is too short for its count");
  }
  if (count > kMaxLabels) {
    return TooLarge(origin, "label count " + std::to_string(count) +
                                " exceeds the limit of " +
                                std::to_string(kMaxLabels));
  }
  if (count > r.remaining() / 4) {
    return Malformed(origin, "label count " + std::to_string(count) +
                                 " does not fit in section 'labels' (expected "
                                 "at least 4 bytes per label, found " +
                                 std::to_string(r.remaining()) + " bytes)");
  }
  labels->resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    TINYKWS_RETURN_IF_ERROR(ReadString(r, origin, "label " + std::to_string(i),
                                       kMaxLabelBytes, &(*labels)[i]));
  }
  return CheckConsumed(r, origin, SectionType::kLabels);
}

Status DecodeMetadata(Payload p, const std::string& origin,
                      std::vector<std::pair<std::string, std::string>>* out) {
  ByteReader r(p.data, p.size);
  uint32_t count = 0;
  if (!r.U32(&count)) {
    return Malformed(origin, "section 'metadata' is too short for its count");
  }
  if (count > kMaxMetadataPairs) {
    return TooLarge(origin, "metadata count " + std::to_string(count) +
                                " exceeds the limit of " +
                                std::to_string(kMaxMetadataPairs));
  }
  if (count > r.remaining() / 8) {
    return Malformed(origin,
                     "metadata count " + std::to_string(count) +
                         " does not fit in section 'metadata' "
                         "(expected at least 8 bytes per entry, found " +
                         std::to_string(r.remaining()) + " bytes)");
  }
  out->resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    const std::string what = "metadata entry " + std::to_string(i);
    TINYKWS_RETURN_IF_ERROR(ReadString(r, origin, what + " key",
                                       kMaxMetadataKeyBytes, &(*out)[i].first));
    TINYKWS_RETURN_IF_ERROR(ReadString(
        r, origin, what + " value", kMaxMetadataValueBytes, &(*out)[i].second));
  }
  return CheckConsumed(r, origin, SectionType::kMetadata);
}

Status DecodeGraph(Payload p, const std::string& origin, ModelFile* m) {
  ByteReader r(p.data, p.size);
  uint32_t precision = 0, conv_count = 0;
  r.U32(&precision);
  r.F32(&m->input_scale);
  r.I32(&m->input_zero_point);
  r.U32(&conv_count);
  if (!r.ok()) {
    return CheckLength(origin, SectionType::kGraph, p.size, kGraphHeadBytes,
                       "at least ");
  }
  if (precision != static_cast<uint32_t>(Precision::kInt8) &&
      precision != static_cast<uint32_t>(Precision::kFloat32)) {
    return Malformed(origin,
                     "graph precision is unknown (expected 1 = int8 or "
                     "2 = float32, found " +
                         std::to_string(precision) + ")");
  }
  m->precision = static_cast<Precision>(precision);
  if (conv_count > kMaxConvs) {
    return TooLarge(origin, "graph conv count " + std::to_string(conv_count) +
                                " exceeds the limit of " +
                                std::to_string(kMaxConvs));
  }
  TINYKWS_RETURN_IF_ERROR(CheckLength(
      origin, SectionType::kGraph, p.size,
      kGraphHeadBytes + conv_count * kConvRecordBytes + kDenseRecordBytes,
      "16 + " + std::to_string(kConvRecordBytes) + " * " +
          std::to_string(conv_count) + " convs + 12 = "));
  m->convs.resize(conv_count);
  for (uint32_t i = 0; i < conv_count; ++i) {
    ConvLayer& c = m->convs[i];
    for (int32_t* field :
         {&c.in_channels, &c.out_channels, &c.kernel_h, &c.kernel_w,
          &c.stride_h, &c.stride_w, &c.dilation_h, &c.dilation_w, &c.pad_top,
          &c.pad_bottom, &c.pad_left, &c.pad_right, &c.in_height, &c.in_width,
          &c.out_height, &c.out_width}) {
      r.I32(field);
    }
    uint32_t relu = 0;
    r.U32(&relu);
    if (relu > 1) {
      return Malformed(origin, "graph conv[" + std::to_string(i) +
                                   "] relu flag is invalid (expected 0 or 1, "
                                   "found " +
                                   std::to_string(relu) + ")");
    }
    c.relu = relu == 1;
    r.F32(&c.output_scale);
    r.I32(&c.output_zero_point);
  }
  r.I32(&m->dense.in_channels);
  r.I32(&m->dense.out_channels);
  r.I32(&m->dense.pool_count);
  return Status::Ok();
}

// WEIGHTS, BIASES and QUANT, whose sizes the (shape-checked) graph implies.
Status DecodeArrays(const std::string& bytes, const std::string& origin,
                    const SectionView* weights_view,
                    const SectionView* biases_view,
                    const SectionView* quant_view, ModelFile* m) {
  const ImpliedSizes implied = ComputeImpliedSizes(*m);
  const bool int8 = m->precision == Precision::kInt8;
  const uint64_t weight_bytes = int8 ? 1 : 4;
  const std::string kind = int8 ? " int8" : " float32";
  TINYKWS_RETURN_IF_ERROR(
      CheckLength(origin, SectionType::kWeights, weights_view->length,
                  implied.weights * weight_bytes,
                  std::to_string(implied.weights) + kind + " weights = "));
  TINYKWS_RETURN_IF_ERROR(CheckLength(
      origin, SectionType::kBiases, biases_view->length, implied.biases * 4,
      std::to_string(implied.biases) + kind + " biases = "));
  if (int8 && quant_view == nullptr) {
    return Malformed(origin,
                     "required section 'quant' is missing (the model "
                     "is int8)");
  }
  if (!int8 && quant_view != nullptr) {
    return Malformed(origin,
                     "section 'quant' is present in a float32 model "
                     "(expected none)");
  }
  if (int8) {
    TINYKWS_RETURN_IF_ERROR(CheckLength(origin, SectionType::kQuant,
                                        quant_view->length, implied.quant_bytes,
                                        "12 * conv channels + 8 * labels = "));
  }

  const Payload wp = PayloadOf(bytes, *weights_view);
  const Payload bp = PayloadOf(bytes, *biases_view);
  ByteReader w(wp.data, wp.size), b(bp.data, bp.size);
  auto read_layer =
      [&](size_t num_weights, size_t num_bias, std::vector<int8_t>* q_weights,
          std::vector<int32_t>* q_bias, std::vector<float>* f_weights,
          std::vector<float>* f_bias) {
        if (int8) {
          w.I8Array(num_weights, q_weights);
          b.I32Array(num_bias, q_bias);
        } else {
          w.F32Array(num_weights, f_weights);
          b.F32Array(num_bias, f_bias);
        }
      };
  for (ConvLayer& c : m->convs) {
    const size_t out = static_cast<size_t>(c.out_channels);
    read_layer(out * static_cast<size_t>(c.kernel_h) *
                   static_cast<size_t>(c.kernel_w) *
                   static_cast<size_t>(c.in_channels),
               out, &c.weights, &c.bias, &c.float_weights, &c.float_bias);
  }
  DenseLayer& d = m->dense;
  const size_t dense_out = static_cast<size_t>(d.out_channels);
  read_layer(dense_out * static_cast<size_t>(d.in_channels), dense_out,
             &d.weights, &d.bias, &d.float_weights, &d.float_bias);
  if (!w.ok() || !b.ok()) {
    return InternalError(origin +
                         ": weight/bias sizes disagree with the "
                         "checked section lengths");
  }
  if (!int8) return Status::Ok();

  const Payload qp = PayloadOf(bytes, *quant_view);
  ByteReader q(qp.data, qp.size);
  for (ConvLayer& c : m->convs) {
    const size_t out = static_cast<size_t>(c.out_channels);
    q.I32Array(out, &c.multipliers);
    q.I32Array(out, &c.shifts);
    q.F32Array(out, &c.weight_scales);
  }
  q.F32Array(dense_out, &d.weight_scales);
  q.F32Array(dense_out, &d.output_scales);
  if (!q.ok()) {
    return InternalError(origin +
                         ": quant sizes disagree with the checked "
                         "section length");
  }
  return Status::Ok();
}

// DETECTOR: its size follows from the label count (already decoded).
Status DecodeDetector(Payload p, const std::string& origin, size_t labels,
                      DetectorParams* d) {
  TINYKWS_RETURN_IF_ERROR(CheckLength(
      origin, SectionType::kDetector, p.size, kDetectorHeadBytes + 4 * labels,
      "12 + 4 * " + std::to_string(labels) + " labels = "));
  ByteReader r(p.data, p.size);
  uint32_t hop = 0, smoothing = 0;
  r.U32(&hop);
  r.U32(&smoothing);
  // Out-of-range values stay out of range as int (Validate reports them).
  d->hop_frames = hop > 0x7fffffffu ? -1 : static_cast<int>(hop);
  d->smoothing_runs =
      smoothing > 0x7fffffffu ? -1 : static_cast<int>(smoothing);
  r.F32(&d->refractory_ms);
  r.F32Array(labels, &d->thresholds);
  return Status::Ok();
}

// Semantic errors found while parsing are errors in the file's content.
Status AsFileError(const Status& status) {
  if (status.code() != StatusCode::kInvalidArgument) return status;
  return FormatError(status.message());
}

}  // namespace

StatusOr<ModelFile> Parse(const std::string& bytes, const std::string& origin) {
  Sections sections;
  TINYKWS_RETURN_IF_ERROR(ParseContainer(bytes, origin, &sections));
  const SectionView* found[kNumKnownSectionTypes + 1] = {};
  TINYKWS_RETURN_IF_ERROR(FindSections(sections, origin, found));
  auto payload = [&](SectionType type) {
    return PayloadOf(bytes, *found[static_cast<uint32_t>(type)]);
  };

  ModelFile m;
  TINYKWS_RETURN_IF_ERROR(DecodeFeatures(
      payload(SectionType::kFeatures),
      LoadU32(reinterpret_cast<const unsigned char*>(bytes.data()) +
              kOffVersion),
      origin, &m.features));
  TINYKWS_RETURN_IF_ERROR(
      DecodeLabels(payload(SectionType::kLabels), origin, &m.labels));
  TINYKWS_RETURN_IF_ERROR(
      DecodeMetadata(payload(SectionType::kMetadata), origin, &m.metadata));
  TINYKWS_RETURN_IF_ERROR(
      DecodeGraph(payload(SectionType::kGraph), origin, &m));
  TINYKWS_RETURN_IF_ERROR(AsFileError(CheckShapes(m, origin)));
  TINYKWS_RETURN_IF_ERROR(DecodeArrays(
      bytes, origin, found[static_cast<uint32_t>(SectionType::kWeights)],
      found[static_cast<uint32_t>(SectionType::kBiases)],
      found[static_cast<uint32_t>(SectionType::kQuant)], &m));
  if (const SectionView* view =
          found[static_cast<uint32_t>(SectionType::kDetector)]) {
    m.has_detector = true;
    TINYKWS_RETURN_IF_ERROR(DecodeDetector(PayloadOf(bytes, *view), origin,
                                           m.labels.size(), &m.detector));
  }
  TINYKWS_RETURN_IF_ERROR(AsFileError(Validate(m, origin)));
  return m;
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
