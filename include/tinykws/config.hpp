// Experiment configuration files (TOML): the one place a recipe's numbers
// live. Unknown keys and wrong types are errors naming the key and the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinykws/features.hpp"
#include "tinykws/status.hpp"

namespace tinykws {

enum class BlockType { kConv, kBatchNorm, kRelu, kDropout };
enum class Padding { kSame, kValid };  // "same" as TF: extra pad at the end

const char* BlockTypeName(BlockType type);

struct BlockSpec {
  BlockType type = BlockType::kRelu;
  // conv
  // Sizes along the frames (h) and MFCC (w) axes; "kernel = 3" in a config
  // means 3 x 3, "kernel = [3, 10]" means 3 frames x 10 coefficients.
  int filters = 0;
  int kernel_h = 0, kernel_w = 0;
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  Padding padding = Padding::kSame;
  bool bias = true;
  // dropout
  float rate = 0.0f;
};

// Blocks run in order on a [frames x num_mfcc] image with one channel; global
// average pooling and a dense layer to the labels always follow.
struct ModelSpec {
  std::vector<BlockSpec> blocks;
  float batch_norm_momentum = 0.1f;  // PyTorch convention (Keras 0.99 = 0.01)
  float batch_norm_eps = 1e-5f;
  std::string init = "torch";  // "torch" (PyTorch default) or "glorot_uniform"
};

struct TrainingSpec {
  int batch_size = 0;
  int epochs = 0;
  std::string optimizer;  // "adam"
  float learning_rate = 0.0f;
  float final_learning_rate = 0.0f;
  std::string lr_schedule = "linear";  // per step: "linear", "cosine"
  float warmup_epochs = 0.0f;          // linear warm-up from 0, then schedule
  float adam_beta1 = 0.9f;
  float adam_beta2 = 0.999f;
  float adam_eps = 1e-8f;
  float weight_decay = 0.0f;  // decoupled (AdamW) when > 0
  float label_smoothing = 0.0f;
  // Exponential moving average of the weights (0 = off): validation, best.pt
  // and the export use the average, updated after every step.
  float weight_average = 0.0f;
  int seed = 1;
};

struct DataSpec {
  // Only with the _unknown_ / _silence_ labels: the share of each training
  // epoch (and of the validation/testing sets) given to those classes.
  float unknown_share = 0.0f;
  float silence_share = 0.0f;
  float silence_max_volume = 1.0f;  // silence crops are scaled by U(0, max)
  // Speaker-hash split, used only when the data folder has no split lists.
  float validation_percent = 10.0f;
  float testing_percent = 10.0f;
  // Further data folders for training (`--data` given more than once adds
  // to these): their training clips join the main folder's; validation and
  // testing come from folders that are not training-only. Relative paths
  // are relative to the working directory, like --data.
  std::vector<std::string> extra;
  // Share of every class's training draws taken from synthetic folders
  // (those whose manifest says "synthetic"): keyword clips and _unknown_
  // alike, so that "sounds synthetic" is no cue for any class.
  float synthetic_share = 0.0f;
  // Shares of the _unknown_ draws made of: 1 s windows of the folders'
  // _speech_ recordings; real clips played backwards; the onset of a real
  // other word joined to the rest of another real clip; real other words
  // with pitch and tempo shifted by up to 25 %. With synthetic_share, at
  // most 0.5 in all: real other words keep at least half of the draws.
  float long_negative_share = 0.0f;
  float reversed_share = 0.0f;
  float spliced_share = 0.0f;
  float shifted_share = 0.0f;
};

// Training-time augmentation; every field 0 = off. Audio-domain changes are
// applied before the MFCC, so training sees exactly the runtime's features.
struct AugmentSpec {
  float time_shift_ms = 0.0f;  // shift by U(-t, t), zero fill
  // _unknown_ clips shift by U(-u, u) with u = max(this, time_shift_ms):
  // a stream shows other words at every position of the window, partly
  // cut off too, and each position must not look like a keyword.
  float unknown_time_shift_ms = 0.0f;
  float noise_probability = 0.0f;  // mix a background-noise crop ...
  float noise_max_volume = 0.0f;   // ... scaled by U(0, max)
  float gain_db = 0.0f;            // scale by U(-g, g) dB
  float speed = 0.0f;              // resample by U(1 - s, 1 + s)
  int time_masks = 0;              // SpecAugment on the MFCC image:
  int time_mask_frames = 0;        //   masks of up to this many frames
  int freq_masks = 0;
  int freq_mask_coeffs = 0;
};

struct KwsConfig {
  std::string source_path;  // file the config was read from
  std::string name;
  std::vector<std::string> labels;
  FeatureConfig features;
  ModelSpec model;
  TrainingSpec training;
  DataSpec data;
  AugmentSpec augment;
};

// Reads and validates a config file.
StatusOr<KwsConfig> LoadConfig(const std::string& path);

// Same, from TOML text; origin names the text in error messages.
StatusOr<KwsConfig> ParseConfig(const std::string& toml_text,
                                const std::string& origin);

// Every field spelled out as TOML (the resolved config of a run);
// ParseConfig of the result gives back an equal config. Its first line is
// kResolvedConfigHeader (how a run folder recognizes its own config.toml).
std::string ConfigToToml(const KwsConfig& config);
inline constexpr const char* kResolvedConfigHeader =
    "# Resolved config: every value in effect, defaults included.";

// Shape of the activation after each block, and the cost of the network.
struct LayerShape {
  int height = 0;  // frames axis
  int width = 0;   // MFCC axis
  int channels = 0;
};
struct ConvGeometry {
  int out_height = 0, out_width = 0;
  int pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
};
ConvGeometry ConvOutput(const BlockSpec& conv, int in_height, int in_width);

struct ModelShape {
  std::vector<LayerShape> after_block;  // one per block
  LayerShape input;
  int64_t parameters = 0;  // trainable, BN included
  int64_t macs = 0;        // multiply-accumulates per clip (conv + dense)
};
// Fails (naming the block) when a block shrinks the image below 1x1 or the
// sequence is not one the runtime can fuse (see docs/design.md).
StatusOr<ModelShape> InferModelShape(const ModelSpec& model,
                                     const FeatureConfig& features,
                                     int num_labels);

}  // namespace tinykws
