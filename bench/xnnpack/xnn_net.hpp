// The int8 network of a .kws model file as XNNPACK operators (benchmark peer
// only, never linked into the runtime). One thread: every operator runs on
// the caller's thread (no pthreadpool).
//   conv i      -> xnn convolution2d_nhwc_qc8 (per-channel weight scales)
//   pooling     -> xnn global_average_pooling_nwc_qs8
//   dense       -> xnn convolution2d_nhwc_qc8 with a 1x1 kernel on a 1x1
//                  image: a fully connected layer with per-channel weight
//                  scales (fully_connected_nc_qs8 takes one scale per tensor)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/model_file.hpp"

struct xnn_operator;  // xnnpack.h: typedef struct xnn_operator* xnn_operator_t

namespace tinykws::bench {

// Per-tensor int8 quantization: real = scale * (q - zero_point).
struct Quant {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// The affine int8 quantization covering [lo, hi] (which is widened to hold 0).
Quant QuantForRange(float lo, float hi);

class XnnNet {
 public:
  // pooled: quantization of the averaged last activation (XNNPACK's pooling
  // outputs int8 averages; tinykws keeps int32 sums). logits: quantization of
  // the int8 logits. Exits with a message if XNNPACK rejects an operator.
  XnnNet(const format::ModelFile& model, Quant pooled, Quant logits);
  ~XnnNet();
  XnnNet(const XnnNet&) = delete;
  XnnNet& operator=(const XnnNet&) = delete;

  // Operators in execution order: the convs, then "pool", then "dense".
  // Buffers: buffer(0) is the input, buffer(i + 1) the output of operator i.
  int num_ops() const { return static_cast<int>(ops_.size()); }
  const std::string& op_name(int i) const { return names_[i]; }
  int64_t op_macs(int i) const { return macs_[i]; }
  int8_t* buffer(int i) { return buffers_[i].data(); }
  size_t buffer_size(int i) const { return sizes_[i]; }

  void RunOp(int i);  // one operator, on the buffers it was set up with
  void Run();         // the whole network: buffer(0) -> logits()

  const int8_t* logits() const { return buffers_.back().data(); }
  int num_logits() const { return static_cast<int>(sizes_.back()); }
  Quant logit_quant() const { return logits_; }

 private:
  void AddBuffer(size_t size);
  void AddConv(const format::ConvLayer& c, Quant in, Quant out);
  void AddPool(int pool_count, int channels, Quant in, Quant out);
  void AddDense(const format::ModelFile& model, Quant in, Quant out);

  std::vector<xnn_operator*> ops_;
  std::vector<std::string> names_;
  std::vector<int64_t> macs_;
  std::vector<std::vector<int8_t>> buffers_;  // + XNN_EXTRA_BYTES each
  std::vector<size_t> sizes_;                 // without the extra bytes
  Quant logits_;
};

}  // namespace tinykws::bench
