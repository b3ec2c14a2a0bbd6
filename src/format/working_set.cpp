// The memory a session and a spotter of a model need, bounded from the model
// alone (docs/model-format.md, "Validation"). The formula is the core's
// (kws_working_set, src/micro/working_set.c), whose reader refuses a model
// whose bound exceeds KWS_MAX_WORKING_SET_BYTES; tests/runtime checks the
// runtime's actual allocations against it. The model need not be valid: only
// the feature config, the label count and the conv shapes are read.
#include "format/layout.hpp"
#include "micro/micro_internal.h"

namespace tinykws::format {

WorkingSet EstimateWorkingSet(const ModelFile& model) {
  const FeatureConfig& f = model.features;
  std::string convs;
  for (const ConvLayer& c : model.convs) convs += EncodeConvRecord(c);
  kws_view m = {};
  m.clip_samples = f.clip_samples;
  m.frame_length = f.frame_length;
  m.frame_step = f.frame_step;
  m.mel_bins = f.mel_bins;
  m.num_mfcc = f.num_mfcc;
  m.num_frames = f.num_frames();
  m.num_labels = static_cast<uint32_t>(model.labels.size());
  m.precision = static_cast<uint32_t>(model.precision);
  m.conv_count = static_cast<uint32_t>(model.convs.size());
  m.convs = reinterpret_cast<const uint8_t*>(convs.data());
  m.dense_in = model.dense.in_channels;
  m.dense_out = model.dense.out_channels;
  WorkingSet ws;
  kws_working_set(&m, &ws.session_bytes, &ws.spotter_bytes, &ws.macs);
  return ws;
}

}  // namespace tinykws::format
