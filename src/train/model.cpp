#include "train/model.hpp"

#include <algorithm>
#include <cmath>

#include "train/rng.hpp"

namespace tinykws::train {

KwsNetImpl::KwsNetImpl(const ModelSpec& spec, const FeatureConfig& features,
                       int num_labels) {
  int channels = 1;
  int height = features.num_frames();
  int width = features.num_mfcc;
  for (const BlockSpec& block : spec.blocks) {
    if (block.type == BlockType::kConv) {
      ConvUnit unit;
      unit.spec = block;
      unit.geometry = ConvOutput(block, height, width);
      const std::string name = "conv" + std::to_string(units_.size());
      // Symmetric padding goes into the convolution itself (one op fewer
      // per step); TF's asymmetric "same" padding needs an explicit pad.
      const ConvGeometry& g = unit.geometry;
      unit.symmetric_padding =
          g.pad_top == g.pad_bottom && g.pad_left == g.pad_right;
      auto options =
          torch::nn::Conv2dOptions(
              channels, block.filters,
              torch::ExpandingArray<2>({block.kernel_h, block.kernel_w}))
              .stride(
                  torch::ExpandingArray<2>({block.stride_h, block.stride_w}))
              .dilation(torch::ExpandingArray<2>(
                  {block.dilation_h, block.dilation_w}))
              .bias(block.bias);
      if (unit.symmetric_padding) {
        options.padding(torch::ExpandingArray<2>({g.pad_top, g.pad_left}));
      }
      unit.conv = register_module(name, torch::nn::Conv2d(options));
      if (spec.init == "glorot_uniform") {
        torch::NoGradGuard no_grad;
        torch::nn::init::xavier_uniform_(unit.conv->weight);
        if (block.bias) unit.conv->bias.zero_();
      }
      units_.push_back(unit);
      channels = block.filters;
      height = unit.geometry.out_height;
      width = unit.geometry.out_width;
    } else if (block.type == BlockType::kBatchNorm) {
      const std::string name = "bn" + std::to_string(units_.size() - 1);
      units_.back().batch_norm = register_module(
          name, torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(channels)
                                           .momentum(spec.batch_norm_momentum)
                                           .eps(spec.batch_norm_eps)));
    } else if (block.type == BlockType::kRelu) {
      units_.back().relu = true;
    } else {
      units_.back().dropout = block.rate;
    }
  }
  dense_ = register_module("dense", torch::nn::Linear(channels, num_labels));
  if (spec.init == "glorot_uniform") {
    torch::NoGradGuard no_grad;
    torch::nn::init::xavier_uniform_(dense_->weight);
    dense_->bias.zero_();
  }
}

torch::Tensor KwsNetImpl::forward(
    torch::Tensor x, const std::vector<torch::Tensor>* dropout_masks) {
  size_t mask = 0;
  for (ConvUnit& unit : units_) {
    const ConvGeometry& g = unit.geometry;
    if (!unit.symmetric_padding) {
      x = torch::constant_pad_nd(
          x, {g.pad_left, g.pad_right, g.pad_top, g.pad_bottom});
    }
    x = unit.conv->forward(x);
    if (unit.batch_norm) x = unit.batch_norm->forward(x);
    if (unit.relu) x = torch::relu(x);
    if (unit.dropout > 0.0f && is_training() && dropout_masks != nullptr) {
      x = x * (*dropout_masks)[mask++];
    }
  }
  return dense_->forward(x.mean({2, 3}));
}

std::vector<std::vector<int64_t>> KwsNetImpl::DropoutShapes() const {
  std::vector<std::vector<int64_t>> shapes;
  for (const ConvUnit& unit : units_) {
    if (unit.dropout > 0.0f) {
      shapes.push_back({unit.spec.filters, unit.geometry.out_height,
                        unit.geometry.out_width});
    }
  }
  return shapes;
}

void MakeDropoutMasks(const KwsNetImpl& net, int64_t batch, uint64_t seed,
                      int64_t step, std::vector<torch::Tensor>* masks) {
  const std::vector<std::vector<int64_t>> shapes = net.DropoutShapes();
  masks->resize(shapes.size());
  thread_local std::vector<uint16_t> draws;
  size_t layer = 0;
  for (const ConvUnit& unit : net.units()) {
    if (unit.dropout <= 0.0f) continue;
    const std::vector<int64_t>& s = shapes[layer];
    torch::Tensor& mask = (*masks)[layer];
    if (!mask.defined() || mask.size(0) != batch) {
      mask = torch::empty({batch, s[0], s[1], s[2]});
    }
    // Keep with probability 1 - rate, at 16-bit resolution: the generator
    // (serial) fills 16-bit draws, then a branch-free loop (vectorized by
    // the compiler) turns them into the mask.
    const uint16_t drop_below =
        static_cast<uint16_t>(std::lround(unit.dropout * 65536.0));
    const float keep_scale = 1.0f / (1.0f - unit.dropout);
    const int64_t n = mask.numel();
    draws.resize((n + 3) / 4 * 4);
    Rng rng(seed, Stream::kDropout, static_cast<uint64_t>(step) * 64 + layer);
    for (size_t i = 0; i < draws.size(); i += 4) {
      const uint64_t bits = rng.Next();
      for (int j = 0; j < 4; ++j)
        draws[i + j] = static_cast<uint16_t>(bits >> (16 * j));
    }
    float* out = mask.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) {
      out[i] = draws[i] < drop_below ? 0.0f : keep_scale;
    }
    ++layer;
  }
}

Evaluation Evaluate(KwsNetImpl& net, const float* features,
                    const int64_t* labels, int64_t count, int frames,
                    int coeffs) {
  Evaluation e;
  if (count == 0) return e;
  torch::NoGradGuard no_grad;
  net.eval();
  const torch::Tensor x = torch::from_blob(const_cast<float*>(features),
                                           {count, 1, frames, coeffs});
  const torch::Tensor y =
      torch::from_blob(const_cast<int64_t*>(labels), {count}, torch::kInt64);
  const torch::Tensor logits = net.forward(x, nullptr);
  e.loss = torch::nn::functional::cross_entropy(logits, y).item<double>();
  e.accuracy =
      logits.argmax(1).eq(y).sum().item<int64_t>() / static_cast<double>(count);
  e.clips = count;
  net.train();
  return e;
}

}  // namespace tinykws::train
