// What a converted model carries besides its graph: the MFCC front end's
// parameters (the one FeatureConfig), the labels, the input quantization and
// the detector, as key/value pairs, so a consumer of the .onnx or .tflite
// file can compute the same features without the .kws file.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "format/model_file.hpp"

namespace tinykws::interop {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// Keys start with "tinykws."; the front end's are named as in the config
// file's [features] section ("tinykws.features.frame_length", ...). Labels are
// one comma-separated value in label order. The model's own metadata
// (provenance) follows under "tinykws.meta.<key>".
KeyValues FrontEndMetadata(const format::ModelFile& model);

// The same pairs as one JSON object (keys in order, values as strings), for
// formats whose metadata is a single named blob. Bytes that are not UTF-8
// (a model's free-form metadata may hold any) become U+FFFD.
std::string FrontEndMetadataJson(const format::ModelFile& model);

// The labels in order, comma-separated ("go,stop,_unknown_").
std::string JoinedLabels(const format::ModelFile& model);

}  // namespace tinykws::interop
