// Byte layout constants and limits of the .kws file (docs/model-format.md),
// shared by the writer, the reader and the tests. Internal: not installed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "format/model_file.hpp"
#include "tinykws/detector.hpp"
#include "tinykws/model_limits.h"

namespace tinykws::format {

// "TKWS", CR LF, Ctrl-Z, LF: catches text-mode transfers like PNG's magic.
inline constexpr char kMagic[8] = {'T',  'K',  'W',    'S',
                                   '\r', '\n', '\x1a', '\n'};

// Header (64 bytes). The magic and the version field never move, so any
// future version can be recognised and refused with a clear message.
inline constexpr size_t kHeaderSize = KWS_HEADER_BYTES;
inline constexpr size_t kOffMagic = 0;
inline constexpr size_t kOffVersion = 8;
inline constexpr size_t kOffHeaderSize = 12;
inline constexpr size_t kOffSectionCount = 16;
inline constexpr size_t kOffFlags = 20;
inline constexpr size_t kOffFileSize = 24;
inline constexpr size_t kOffHeaderCrc = 32;
inline constexpr size_t kOffTableCrc = 36;
inline constexpr size_t kOffReserved = 40;  // zero up to kHeaderSize

// Section table entry (32 bytes), right after the header.
inline constexpr size_t kEntrySize = KWS_SECTION_ENTRY_BYTES;
inline constexpr size_t kEntryOffType = 0;
inline constexpr size_t kEntryOffFlags = 4;
inline constexpr size_t kEntryOffOffset = 8;
inline constexpr size_t kEntryOffLength = 16;
inline constexpr size_t kEntryOffCrc = 24;
inline constexpr size_t kEntryOffReserved = 28;

inline constexpr uint64_t kAlignment = KWS_SECTION_ALIGNMENT;
inline constexpr uint32_t kMaxSections = KWS_MAX_SECTIONS;

enum class SectionType : uint32_t {
  kFeatures = KWS_SECTION_FEATURES,
  kLabels = KWS_SECTION_LABELS,
  kGraph = KWS_SECTION_GRAPH,
  kWeights = KWS_SECTION_WEIGHTS,
  kBiases = KWS_SECTION_BIASES,
  kQuant = KWS_SECTION_QUANT,
  kMetadata = KWS_SECTION_METADATA,
  kDetector = KWS_SECTION_DETECTOR,
};
inline constexpr uint32_t kNumKnownSectionTypes = KWS_NUM_SECTION_TYPES;

// Fixed record sizes.
inline constexpr uint64_t kFeaturesBytes = KWS_FEATURES_BYTES_V1;
// Version 2 appends the front end's precision (u32: 0 float64, 1 float32).
inline constexpr uint64_t kFeaturesBytesV2 = KWS_FEATURES_BYTES_V2;
// The writer emits version 1 for a float64 front end (so those files read
// everywhere, byte for byte as before) and 2 only when a model needs it.
inline constexpr uint32_t kFirstFormatVersion = KWS_FORMAT_VERSION_FIRST;
inline constexpr uint64_t kGraphHeadBytes = KWS_GRAPH_HEAD_BYTES;
inline constexpr uint64_t kConvRecordBytes = KWS_CONV_RECORD_BYTES;
inline constexpr uint64_t kDenseRecordBytes = KWS_DENSE_RECORD_BYTES;
// detector: hop, smoothing, refractory, then one f32 threshold per label.
inline constexpr uint64_t kDetectorHeadBytes = KWS_DETECTOR_HEAD_BYTES;

// Limits: far beyond any keyword-spotting model, small enough that nothing
// sized from a file can exhaust memory or overflow 64-bit arithmetic.
inline constexpr int64_t kMinLabels = KWS_MIN_LABELS;
inline constexpr int64_t kMaxLabels = KWS_MAX_LABELS;
inline constexpr int64_t kMaxLabelBytes = KWS_MAX_LABEL_BYTES;
inline constexpr int64_t kMaxConvs = KWS_MAX_CONVS;
inline constexpr int64_t kMaxChannels = KWS_MAX_CHANNELS;
inline constexpr int64_t kMaxKernel = KWS_MAX_KERNEL;
inline constexpr int64_t kMaxStride = KWS_MAX_STRIDE;
inline constexpr int64_t kMaxDilation = KWS_MAX_DILATION;
inline constexpr int64_t kMaxTotalWeights = KWS_MAX_TOTAL_WEIGHTS;
inline constexpr int64_t kMaxActivationValues = KWS_MAX_ACTIVATION_VALUES;
inline constexpr int64_t kMaxMetadataPairs = KWS_MAX_METADATA_PAIRS;
inline constexpr int64_t kMaxMetadataKeyBytes = KWS_MAX_METADATA_KEY_BYTES;
inline constexpr int64_t kMaxMetadataValueBytes = KWS_MAX_METADATA_VALUE_BYTES;
// ReadModelFile refuses larger files before reading them.
inline constexpr size_t kMaxFileBytes = size_t{128} << 20;
// What running a model may cost (EstimateWorkingSet): MFCC frames per clip,
// multiply-accumulates per network run, and the working memory of a spotter
// (a session's plus the streaming buffers).
inline constexpr int64_t kMaxFrames = KWS_MAX_FRAMES;
inline constexpr uint64_t kMaxMacs = KWS_MAX_MACS_PER_RUN;
inline constexpr uint64_t kMaxWorkingSetBytes = KWS_MAX_WORKING_SET_BYTES;
// Frames a spotter computes together at most (its MfccStream's batch).
inline constexpr int kStreamBatchFrames = 8;

// Largest logit magnitude an int8 model may produce (FLT_MAX is 3.4e38).
inline constexpr double kMaxLogit = 1e37;

// Requantization parameter ranges.
inline constexpr int64_t kMinMultiplier = KWS_MIN_MULTIPLIER;
inline constexpr int64_t kMaxMultiplier = (int64_t{1} << 31) - 1;
inline constexpr int32_t kMinShift = KWS_MIN_SHIFT;
// Right shifts only: the exporter keeps every real multiplier below 1.
inline constexpr int32_t kMaxShift = KWS_MAX_SHIFT;

inline uint64_t AlignUp(uint64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

struct WorkingSet {
  uint64_t session_bytes = 0;  // a Session: MFCC, network buffers, results
  uint64_t spotter_bytes = 0;  // a Spotter: its session and stream buffers
  uint64_t macs = 0;           // per network run
};
// Upper bounds from the feature config, the label count and the conv
// shapes (the model need not be valid otherwise); the core's formula.
WorkingSet EstimateWorkingSet(const ModelFile& model);

// The core's messages start with "model: " (the micro runtime has no file
// name); C++ callers drop it and name what they read instead.
std::string WithoutCorePrefix(const char* message);

// One conv's 76-byte graph record (the writer's; tests use it too).
std::string EncodeConvRecord(const ConvLayer& conv);

}  // namespace tinykws::format
