// [model] blocks: parsing, validation, and shape / cost inference.
#include <algorithm>

#include "config/sections.hpp"

namespace tinykws {

const char* BlockTypeName(BlockType type) {
  switch (type) {
    case BlockType::kConv:
      return "conv";
    case BlockType::kBatchNorm:
      return "batch_norm";
    case BlockType::kRelu:
      return "relu";
    case BlockType::kDropout:
      return "dropout";
  }
  return "?";
}

namespace config {

namespace {

Status ReadBlock(const toml::table& table, const std::string& origin,
                 const std::string& section, BlockSpec* block) {
  TableReader r(table, origin, section);
  std::string type;
  TINYKWS_RETURN_IF_ERROR(r.String("type", &type));
  if (type == "conv") {
    block->type = BlockType::kConv;
    TINYKWS_RETURN_IF_ERROR(r.Int("filters", &block->filters));
    TINYKWS_RETURN_IF_ERROR(
        r.IntPair("kernel", &block->kernel_h, &block->kernel_w));
    TINYKWS_RETURN_IF_ERROR(
        r.IntPair("stride", &block->stride_h, &block->stride_w, 1));
    TINYKWS_RETURN_IF_ERROR(
        r.IntPair("dilation", &block->dilation_h, &block->dilation_w, 1));
    TINYKWS_RETURN_IF_ERROR(r.Bool("bias", &block->bias, true));
    std::string padding;
    TINYKWS_RETURN_IF_ERROR(r.String("padding", &padding, "same"));
    if (padding != "same" && padding != "valid") {
      return InvalidArgument(r.Where("padding") +
                             " must be \"same\" or \"valid\", got \"" +
                             padding + "\"");
    }
    block->padding = padding == "same" ? Padding::kSame : Padding::kValid;
    if (block->filters < 1 || block->filters > 1024) {
      return InvalidArgument(r.Where("filters") + " must be in 1..1024");
    }
    auto in = [](int v, int hi) { return v >= 1 && v <= hi; };
    if (!in(block->kernel_h, 64) || !in(block->kernel_w, 64)) {
      return InvalidArgument(r.Where("kernel") + " must be in 1..64");
    }
    if (!in(block->stride_h, 8) || !in(block->stride_w, 8)) {
      return InvalidArgument(r.Where("stride") + " must be in 1..8");
    }
    if (!in(block->dilation_h, 8) || !in(block->dilation_w, 8)) {
      return InvalidArgument(r.Where("dilation") + " must be in 1..8");
    }
  } else if (type == "batch_norm") {
    block->type = BlockType::kBatchNorm;
  } else if (type == "relu") {
    block->type = BlockType::kRelu;
  } else if (type == "dropout") {
    block->type = BlockType::kDropout;
    TINYKWS_RETURN_IF_ERROR(r.Float("rate", &block->rate));
    if (!(block->rate >= 0.0f && block->rate < 1.0f)) {
      return InvalidArgument(r.Where("rate") + " must be in [0, 1)");
    }
  } else {
    return InvalidArgument(
        r.Where("type") + " must be conv, batch_norm, relu or dropout, got \"" +
        type + "\"");
  }
  return r.CheckAllKeysUsed();
}

}  // namespace

Status ReadModel(const toml::table& table, const std::string& origin,
                 ModelSpec* model) {
  TableReader r(table, origin, "model");
  std::vector<const toml::table*> blocks;
  TINYKWS_RETURN_IF_ERROR(r.TableList("blocks", &blocks));
  if (blocks.empty()) {
    return InvalidArgument(r.Where("blocks") + " must list at least one block");
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    BlockSpec block;
    TINYKWS_RETURN_IF_ERROR(ReadBlock(
        *blocks[i], origin, "model.blocks[" + std::to_string(i) + "]", &block));
    model->blocks.push_back(block);
  }
  TINYKWS_RETURN_IF_ERROR(
      r.Float("batch_norm_momentum", &model->batch_norm_momentum, 0.1f));
  TINYKWS_RETURN_IF_ERROR(
      r.Float("batch_norm_eps", &model->batch_norm_eps, 1e-5f));
  TINYKWS_RETURN_IF_ERROR(r.String("init", &model->init, "torch"));
  if (model->init != "torch" && model->init != "glorot_uniform") {
    return InvalidArgument(r.Where("init") +
                           " must be \"torch\" or \"glorot_uniform\"");
  }
  if (!(model->batch_norm_momentum > 0.0f &&
        model->batch_norm_momentum <= 1.0f)) {
    return InvalidArgument(r.Where("batch_norm_momentum") +
                           " must be in (0, 1]");
  }
  if (!(model->batch_norm_eps > 0.0f)) {
    return InvalidArgument(r.Where("batch_norm_eps") + " must be > 0");
  }
  return r.CheckAllKeysUsed();
}

}  // namespace config

ConvGeometry ConvOutput(const BlockSpec& conv, int in_height, int in_width) {
  ConvGeometry g;
  auto axis = [&](int in, int kernel, int stride, int dilation, int* out,
                  int* before, int* after) {
    const int span = (kernel - 1) * dilation + 1;
    if (conv.padding == Padding::kValid) {
      *out = in >= span ? (in - span) / stride + 1 : 0;
      *before = *after = 0;
      return;
    }
    *out = (in + stride - 1) / stride;
    const int total = std::max((*out - 1) * stride + span - in, 0);
    *before = total / 2;
    *after = total - *before;
  };
  axis(in_height, conv.kernel_h, conv.stride_h, conv.dilation_h, &g.out_height,
       &g.pad_top, &g.pad_bottom);
  axis(in_width, conv.kernel_w, conv.stride_w, conv.dilation_w, &g.out_width,
       &g.pad_left, &g.pad_right);
  return g;
}

StatusOr<ModelShape> InferModelShape(const ModelSpec& model,
                                     const FeatureConfig& features,
                                     int num_labels) {
  ModelShape shape;
  shape.input = {features.num_frames(), features.num_mfcc, 1};
  LayerShape s = shape.input;
  // What may come next: a conv starts a unit; batch_norm only right after
  // its conv; one relu and one dropout per unit (they commute at inference).
  bool in_unit = false, bn_allowed = false, relu_seen = false,
       drop_seen = false;
  for (size_t i = 0; i < model.blocks.size(); ++i) {
    const BlockSpec& b = model.blocks[i];
    const std::string where = "model.blocks[" + std::to_string(i) + "] (" +
                              BlockTypeName(b.type) + ")";
    if (b.type == BlockType::kConv) {
      const ConvGeometry g = ConvOutput(b, s.height, s.width);
      if (g.out_height < 1 || g.out_width < 1) {
        return InvalidArgument(where + ": input " + std::to_string(s.height) +
                               "x" + std::to_string(s.width) +
                               " is too small for this kernel");
      }
      const int64_t taps =
          static_cast<int64_t>(b.kernel_h) * b.kernel_w * s.channels;
      shape.parameters += taps * b.filters + (b.bias ? b.filters : 0);
      shape.macs += taps * b.filters * g.out_height * g.out_width;
      s = {g.out_height, g.out_width, b.filters};
      in_unit = bn_allowed = true;
      relu_seen = drop_seen = false;
    } else if (!in_unit) {
      return InvalidArgument(where + ": the first block must be a conv");
    } else if (b.type == BlockType::kBatchNorm) {
      if (!bn_allowed) {
        return InvalidArgument(where +
                               ": batch_norm must directly follow a "
                               "conv (it is folded into it on export)");
      }
      shape.parameters += 2 * s.channels;
      bn_allowed = false;
    } else if (b.type == BlockType::kRelu) {
      if (relu_seen)
        return InvalidArgument(where + ": second relu after a conv");
      relu_seen = true;
      bn_allowed = false;
    } else {
      if (drop_seen)
        return InvalidArgument(where + ": second dropout after a conv");
      drop_seen = true;
      bn_allowed = false;
    }
    shape.after_block.push_back(s);
  }
  shape.parameters += static_cast<int64_t>(s.channels + 1) * num_labels;
  shape.macs += static_cast<int64_t>(s.channels) * num_labels;
  return shape;
}

}  // namespace tinykws
