// The network a [model] section describes, as a LibTorch module:
// (conv [batch_norm] [relu] [dropout])+ -> global average pooling -> dense.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "tinykws/config.hpp"
#include "train/loop_state.hpp"

namespace tinykws::train {

struct ConvUnit {
  BlockSpec spec;
  ConvGeometry geometry;
  bool symmetric_padding = true;  // padding done by the conv itself
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d batch_norm{nullptr};  // null when the unit has none
  bool relu = false;
  float dropout = 0.0f;  // 0 = none
};

class KwsNetImpl : public torch::nn::Module {
 public:
  KwsNetImpl(const ModelSpec& spec, const FeatureConfig& features,
             int num_labels);

  // x: [batch, 1, frames, num_mfcc] -> logits [batch, labels]. In training
  // mode, dropout_masks holds one mask per unit with dropout (0 or
  // 1 / (1 - rate), shaped like that unit's output); in eval mode it is
  // ignored and may be null.
  torch::Tensor forward(torch::Tensor x,
                        const std::vector<torch::Tensor>* dropout_masks);

  const std::vector<ConvUnit>& units() const { return units_; }
  torch::nn::Linear& dense() { return dense_; }
  // Output shape [channels, height, width] of each unit with dropout.
  std::vector<std::vector<int64_t>> DropoutShapes() const;

 private:
  std::vector<ConvUnit> units_;
  torch::nn::Linear dense_{nullptr};
};
TORCH_MODULE(KwsNet);

// Fills masks (created or reshaped as needed for `batch`) from the
// counter-based RNG keyed by (seed, step): no generator state to save.
void MakeDropoutMasks(const KwsNetImpl& net, int64_t batch, uint64_t seed,
                      int64_t step, std::vector<torch::Tensor>* masks);

// Loss and accuracy of the network (eval mode, no gradients) on features
// [count][frames][coeffs] with labels; restores training mode after.
Evaluation Evaluate(KwsNetImpl& net, const float* features,
                    const int64_t* labels, int64_t count, int frames,
                    int coeffs);

}  // namespace tinykws::train
