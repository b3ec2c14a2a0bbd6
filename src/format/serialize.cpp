// ModelFile -> bytes. The only writer of the layout in docs/model-format.md.
// Vectors are written as they are (never indexed by a shape), so even a model
// that breaks the Validate precondition serializes without undefined
// behaviour; Parse then reports what is wrong with it.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "format/byte_io.hpp"
#include "format/layout.hpp"
#include "format/model_file.hpp"

namespace tinykws::format {

namespace {

std::string EncodeFeatures(const FeatureConfig& f) {
  std::string out;
  ByteWriter w(&out);
  w.I32(f.sample_rate);
  w.I32(f.clip_samples);
  w.I32(f.frame_length);
  w.I32(f.frame_step);
  w.I32(f.mel_bins);
  w.F32(f.fmin_hz);
  w.F32(f.fmax_hz);
  w.I32(f.num_mfcc);
  w.F32(f.log_offset);
  if (f.precision != FeaturePrecision::kFloat64) {
    w.U32(static_cast<uint32_t>(f.precision));
  }
  return out;
}

std::string EncodeLabels(const std::vector<std::string>& labels) {
  std::string out;
  ByteWriter w(&out);
  w.U32(static_cast<uint32_t>(labels.size()));
  for (const std::string& label : labels) w.String(label);
  return out;
}

std::string EncodeGraph(const ModelFile& m) {
  std::string out;
  ByteWriter w(&out);
  w.U32(static_cast<uint32_t>(m.precision));
  w.F32(m.input_scale);
  w.I32(m.input_zero_point);
  w.U32(static_cast<uint32_t>(m.convs.size()));
  for (const ConvLayer& c : m.convs) out += EncodeConvRecord(c);
  w.I32(m.dense.in_channels);
  w.I32(m.dense.out_channels);
  w.I32(m.dense.pool_count);
  return out;
}

std::string EncodeWeights(const ModelFile& m) {
  std::string out;
  ByteWriter w(&out);
  const bool int8 = m.precision == Precision::kInt8;
  for (const ConvLayer& c : m.convs) {
    if (int8) {
      w.I8Array(c.weights);
    } else {
      w.F32Array(c.float_weights);
    }
  }
  if (int8) {
    w.I8Array(m.dense.weights);
  } else {
    w.F32Array(m.dense.float_weights);
  }
  return out;
}

std::string EncodeBiases(const ModelFile& m) {
  std::string out;
  ByteWriter w(&out);
  const bool int8 = m.precision == Precision::kInt8;
  for (const ConvLayer& c : m.convs) {
    if (int8) {
      w.I32Array(c.bias);
    } else {
      w.F32Array(c.float_bias);
    }
  }
  if (int8) {
    w.I32Array(m.dense.bias);
  } else {
    w.F32Array(m.dense.float_bias);
  }
  return out;
}

std::string EncodeQuant(const ModelFile& m) {
  std::string out;
  ByteWriter w(&out);
  for (const ConvLayer& c : m.convs) {
    w.I32Array(c.multipliers);
    w.I32Array(c.shifts);
    w.F32Array(c.weight_scales);
  }
  w.F32Array(m.dense.weight_scales);
  w.F32Array(m.dense.output_scales);
  return out;
}

std::string EncodeMetadata(
    const std::vector<std::pair<std::string, std::string>>& metadata) {
  std::string out;
  ByteWriter w(&out);
  w.U32(static_cast<uint32_t>(metadata.size()));
  for (const auto& [key, value] : metadata) {
    w.String(key);
    w.String(value);
  }
  return out;
}

std::string EncodeDetector(const DetectorParams& d) {
  std::string out;
  ByteWriter w(&out);
  w.U32(static_cast<uint32_t>(d.hop_frames));
  w.U32(static_cast<uint32_t>(d.smoothing_runs));
  w.F32(d.refractory_ms);
  w.F32Array(d.thresholds);
  return out;
}

}  // namespace

std::string EncodeConvRecord(const ConvLayer& c) {
  std::string out;
  ByteWriter w(&out);
  for (int32_t v : {c.in_channels, c.out_channels, c.kernel_h, c.kernel_w,
                    c.stride_h, c.stride_w, c.dilation_h, c.dilation_w,
                    c.pad_top, c.pad_bottom, c.pad_left, c.pad_right,
                    c.in_height, c.in_width, c.out_height, c.out_width}) {
    w.I32(v);
  }
  w.U32(c.relu ? 1u : 0u);
  w.F32(c.output_scale);
  w.I32(c.output_zero_point);
  return out;
}

std::string Serialize(const ModelFile& model) {
  std::vector<std::pair<SectionType, std::string>> sections;
  sections.emplace_back(SectionType::kFeatures, EncodeFeatures(model.features));
  sections.emplace_back(SectionType::kLabels, EncodeLabels(model.labels));
  sections.emplace_back(SectionType::kGraph, EncodeGraph(model));
  sections.emplace_back(SectionType::kWeights, EncodeWeights(model));
  sections.emplace_back(SectionType::kBiases, EncodeBiases(model));
  if (model.precision == Precision::kInt8) {
    sections.emplace_back(SectionType::kQuant, EncodeQuant(model));
  }
  sections.emplace_back(SectionType::kMetadata, EncodeMetadata(model.metadata));
  if (model.has_detector) {
    sections.emplace_back(SectionType::kDetector,
                          EncodeDetector(model.detector));
  }

  // Header and table first (filled in below), then the aligned payloads.
  std::string out(kHeaderSize + kEntrySize * sections.size(), '\0');
  std::vector<uint64_t> offsets;
  for (const auto& section : sections) {
    out.append(AlignUp(out.size()) - out.size(), '\0');
    offsets.push_back(out.size());
    out += section.second;
  }

  auto* bytes = reinterpret_cast<unsigned char*>(&out[0]);
  for (size_t i = 0; i < sections.size(); ++i) {
    unsigned char* entry = bytes + kHeaderSize + kEntrySize * i;
    const std::string& payload = sections[i].second;
    StoreU32(entry + kEntryOffType, static_cast<uint32_t>(sections[i].first));
    StoreU64(entry + kEntryOffOffset, offsets[i]);
    StoreU64(entry + kEntryOffLength, payload.size());
    StoreU32(entry + kEntryOffCrc, Crc32(payload.data(), payload.size()));
  }
  std::copy(kMagic, kMagic + sizeof kMagic, bytes + kOffMagic);
  StoreU32(bytes + kOffVersion,
           model.features.precision == FeaturePrecision::kFloat64
               ? kFirstFormatVersion
               : kFormatVersion);
  StoreU32(bytes + kOffHeaderSize, kHeaderSize);
  StoreU32(bytes + kOffSectionCount, static_cast<uint32_t>(sections.size()));
  StoreU64(bytes + kOffFileSize, out.size());
  StoreU32(bytes + kOffTableCrc,
           Crc32(bytes + kHeaderSize, kEntrySize * sections.size()));
  StoreU32(bytes + kOffHeaderCrc, Crc32(bytes, kHeaderSize));
  return out;
}

}  // namespace tinykws::format
