// Byte layout constants and limits of the .kws file (docs/model-format.md),
// shared by the writer, the reader and the tests. Internal: not installed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "format/model_file.hpp"
#include "tinykws/detector.hpp"

namespace tinykws::format {

// "TKWS", CR LF, Ctrl-Z, LF: catches text-mode transfers like PNG's magic.
inline constexpr char kMagic[8] = {'T',  'K',  'W',    'S',
                                   '\r', '\n', '\x1a', '\n'};

// Header (64 bytes). The magic and the version field never move, so any
// future version can be recognised and refused with a clear message.
inline constexpr size_t kHeaderSize = 64;
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
inline constexpr size_t kEntrySize = 32;
inline constexpr size_t kEntryOffType = 0;
inline constexpr size_t kEntryOffFlags = 4;
inline constexpr size_t kEntryOffOffset = 8;
inline constexpr size_t kEntryOffLength = 16;
inline constexpr size_t kEntryOffCrc = 24;
inline constexpr size_t kEntryOffReserved = 28;

inline constexpr uint64_t kAlignment = 64;  // every payload starts here
inline constexpr uint32_t kMaxSections = 32;

enum class SectionType : uint32_t {
  kFeatures = 1,
  kLabels = 2,
  kGraph = 3,
  kWeights = 4,
  kBiases = 5,
  kQuant = 6,
  kMetadata = 7,
  kDetector = 8,
};
inline constexpr uint32_t kNumKnownSectionTypes = 8;

// "features", "labels", ... ; "type N" for an unknown type.
std::string SectionName(uint32_t type);

// Fixed record sizes.
inline constexpr uint64_t kFeaturesBytes = 9 * 4;  // format version 1
// Version 2 appends the front end's precision (u32: 0 float64, 1 float32).
inline constexpr uint64_t kFeaturesBytesV2 = 10 * 4;
// The writer emits version 1 for a float64 front end (so those files read
// everywhere, byte for byte as before) and 2 only when a model needs it.
inline constexpr uint32_t kFirstFormatVersion = 1;
inline constexpr uint64_t kGraphHeadBytes = 4 * 4;  // precision .. conv_count
inline constexpr uint64_t kConvRecordBytes = 19 * 4;
inline constexpr uint64_t kDenseRecordBytes = 3 * 4;
// detector: hop, smoothing, refractory, then one f32 threshold per label.
inline constexpr uint64_t kDetectorHeadBytes = 3 * 4;

// Limits: far beyond any keyword-spotting model, small enough that nothing
// sized from a file can exhaust memory or overflow 64-bit arithmetic.
inline constexpr int64_t kMinLabels = 2;
inline constexpr int64_t kMaxLabels = 1000;
inline constexpr int64_t kMaxLabelBytes = 256;
inline constexpr int64_t kMaxConvs = 64;
inline constexpr int64_t kMaxChannels = 1024;
inline constexpr int64_t kMaxKernel = 64;
inline constexpr int64_t kMaxStride = 8;
inline constexpr int64_t kMaxDilation = 8;
inline constexpr int64_t kMaxTotalWeights = int64_t{1} << 24;      // 16 M
inline constexpr int64_t kMaxActivationValues = int64_t{1} << 24;  // h*w*c
inline constexpr int64_t kMaxMetadataPairs = 256;
inline constexpr int64_t kMaxMetadataKeyBytes = 256;
inline constexpr int64_t kMaxMetadataValueBytes = 65536;
// ReadModelFile refuses larger files before reading them.
inline constexpr size_t kMaxFileBytes = size_t{128} << 20;
// What running a model may cost (EstimateWorkingSet): MFCC frames per clip,
// multiply-accumulates per network run, and the working memory of a spotter
// (a session's plus the streaming buffers).
inline constexpr int64_t kMaxFrames = 4096;
inline constexpr uint64_t kMaxMacs = uint64_t{1} << 31;
inline constexpr uint64_t kMaxWorkingSetBytes = uint64_t{64} << 20;
// Frames a spotter computes together at most (its MfccStream's batch).
inline constexpr int kStreamBatchFrames = 8;

// Largest logit magnitude an int8 model may produce (FLT_MAX is 3.4e38).
inline constexpr double kMaxLogit = 1e37;

// Requantization parameter ranges.
inline constexpr int64_t kMinMultiplier = int64_t{1} << 30;
inline constexpr int64_t kMaxMultiplier = (int64_t{1} << 31) - 1;
inline constexpr int32_t kMinShift = -31;
// Right shifts only: the exporter keeps every real multiplier below 1.
inline constexpr int32_t kMaxShift = 0;

inline uint64_t AlignUp(uint64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

// Element counts implied by a graph whose shapes passed CheckShapes (so they
// are small and cannot overflow): all conv weights then the dense weights,
// all biases, and the QUANT payload size in bytes (int8 only).
struct ImpliedSizes {
  uint64_t weights = 0;
  uint64_t biases = 0;
  uint64_t quant_bytes = 0;
};
ImpliedSizes ComputeImpliedSizes(const ModelFile& model);

struct WorkingSet {
  uint64_t session_bytes = 0;  // a Session: MFCC, network buffers, results
  uint64_t spotter_bytes = 0;  // a Spotter: its session and stream buffers
  uint64_t macs = 0;           // per network run
};
// Upper bounds from the file alone (the runtime allocates at most these).
// Precondition: CheckShapes passed.
WorkingSet EstimateWorkingSet(const ModelFile& model);
// kMaxMacs and kMaxWorkingSetBytes; run by CheckShapes.
Status CheckWorkingSet(const ModelFile& model, const std::string& origin);

// The structural part of Validate: precision, feature config, label count,
// every layer's ranges and the shape chain, the weight and activation
// limits. Reads only scalars (no vector is indexed), so Parse runs it on the
// GRAPH section before sizing anything from it.
Status CheckShapes(const ModelFile& model, const std::string& origin);

}  // namespace tinykws::format
