#include "xnnpack/xnn_net.hpp"

#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tinykws::bench {
namespace {

void Check(xnn_status status, const std::string& what) {
  if (status == xnn_status_success) return;
  std::fprintf(stderr, "error: XNNPACK %s failed (xnn_status %d)\n",
               what.c_str(), static_cast<int>(status));
  std::exit(1);
}

int8_t ToInt8(int32_t v, const char* what) {
  if (v < -128 || v > 127) {
    std::fprintf(stderr, "error: %s %d does not fit int8\n", what, v);
    std::exit(1);
  }
  return static_cast<int8_t>(v);
}

// Output size along one axis, as XNNPACK computes it (explicit padding).
int OutSize(int in, int pad, int kernel, int dilation, int stride) {
  return (in + pad - (dilation * (kernel - 1) + 1)) / stride + 1;
}

}  // namespace

Quant QuantForRange(float lo, float hi) {
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  Quant q;
  q.scale = hi > lo ? (hi - lo) / 255.0f : 1.0f;
  q.zero_point = std::clamp(
      static_cast<int32_t>(std::lround(-128.0f - lo / q.scale)), -128, 127);
  return q;
}

XnnNet::XnnNet(const format::ModelFile& model, Quant pooled, Quant logits)
    : logits_(logits) {
  Check(xnn_initialize(nullptr), "initialize");
  AddBuffer(static_cast<size_t>(model.features.num_features()));
  Quant in{model.input_scale, model.input_zero_point};
  for (const format::ConvLayer& c : model.convs) {
    const Quant out{c.output_scale, c.output_zero_point};
    AddConv(c, in, out);
    in = out;
  }
  AddPool(model.dense.pool_count, model.dense.in_channels, in, pooled);
  AddDense(model, pooled, logits);
}

XnnNet::~XnnNet() {
  for (xnn_operator* op : ops_) xnn_delete_operator(op);
}

void XnnNet::AddBuffer(size_t size) {
  sizes_.push_back(size);
  buffers_.emplace_back(size + XNN_EXTRA_BYTES, int8_t{0});
}

void XnnNet::AddConv(const format::ConvLayer& c, Quant in, Quant out) {
  const int i = num_ops();
  const int oh = OutSize(c.in_height, c.pad_top + c.pad_bottom, c.kernel_h,
                         c.dilation_h, c.stride_h);
  const int ow = OutSize(c.in_width, c.pad_left + c.pad_right, c.kernel_w,
                         c.dilation_w, c.stride_w);
  if (oh != c.out_height || ow != c.out_width) {
    std::fprintf(stderr, "error: conv%d: XNNPACK output %dx%d, model %dx%d\n",
                 i, oh, ow, c.out_height, c.out_width);
    std::exit(1);
  }
  // ReLU is the clamp's lower bound, as in the reference executor.
  const int8_t lowest =
      c.relu ? ToInt8(std::max(-128, out.zero_point), "zero point") : -128;
  xnn_operator_t op = nullptr;
  Check(xnn_create_convolution2d_nhwc_qc8(
            c.pad_top, c.pad_right, c.pad_bottom, c.pad_left, c.kernel_h,
            c.kernel_w, c.stride_h, c.stride_w, c.dilation_h, c.dilation_w,
            /*groups=*/1, c.in_channels, c.out_channels,
            /*input_channel_stride=*/c.in_channels,
            /*output_channel_stride=*/c.out_channels,
            ToInt8(in.zero_point, "input zero point"), in.scale,
            c.weight_scales.data(), c.weights.data(), c.bias.data(),
            ToInt8(out.zero_point, "output zero point"), out.scale, lowest, 127,
            /*flags=*/0, &op),
        "create conv" + std::to_string(i));
  ops_.push_back(op);
  AddBuffer(static_cast<size_t>(oh) * ow * c.out_channels);
  Check(xnn_setup_convolution2d_nhwc_qc8(op, /*batch_size=*/1, c.in_height,
                                         c.in_width, buffer(i), buffer(i + 1),
                                         /*threadpool=*/nullptr),
        "setup conv" + std::to_string(i));
  char name[160];
  std::snprintf(name, sizeof(name),
                "conv%d_in%d_out%d_k%dx%d_d%dx%d_s%dx%d_%dx%d", i,
                c.in_channels, c.out_channels, c.kernel_h, c.kernel_w,
                c.dilation_h, c.dilation_w, c.stride_h, c.stride_w, oh, ow);
  names_.push_back(name);
  macs_.push_back(int64_t{oh} * ow * c.out_channels * c.kernel_h * c.kernel_w *
                  c.in_channels);
}

void XnnNet::AddPool(int pool_count, int channels, Quant in, Quant out) {
  const int i = num_ops();
  xnn_operator_t op = nullptr;
  Check(xnn_create_global_average_pooling_nwc_qs8(
            channels, channels, channels, ToInt8(in.zero_point, "zero point"),
            in.scale, ToInt8(out.zero_point, "pooled zero point"), out.scale,
            -128, 127, /*flags=*/0, &op),
        "create global average pooling");
  ops_.push_back(op);
  AddBuffer(static_cast<size_t>(channels));
  Check(
      xnn_setup_global_average_pooling_nwc_qs8(
          op, /*batch_size=*/1, pool_count, buffer(i), buffer(i + 1), nullptr),
      "setup global average pooling");
  names_.push_back("pool");
  macs_.push_back(int64_t{pool_count} * channels);  // additions
}

// tinykws: logit[k] = output_scales[k] * (bias[k] + sum_c w[k][c] * S[c]),
// S[c] = sum over the pool_count positions of (q - zp), at the last conv's
// scale s. XNNPACK pools to A[c] - zp_p ~= S[c] * s / (n * s_p), so the same
// real logits need kernel scale output_scales[k] * n / s (the exporter's
// weight_scales[k] when it is consistent) and the bias rescaled to s_p * that.
void XnnNet::AddDense(const format::ModelFile& model, Quant in, Quant out) {
  const format::DenseLayer& d = model.dense;
  const float last_scale =
      model.convs.empty() ? model.input_scale : model.convs.back().output_scale;
  std::vector<float> kernel_scales(d.out_channels);
  std::vector<int32_t> bias(d.out_channels);
  for (int k = 0; k < d.out_channels; ++k) {
    kernel_scales[k] = d.output_scales[k] * d.pool_count / last_scale;
    if (std::fabs(kernel_scales[k] / d.weight_scales[k] - 1.0f) > 1e-4f) {
      std::fprintf(stderr,
                   "warning: dense %d: output_scale * n / s = %g but "
                   "weight_scale = %g; using the former\n",
                   k, kernel_scales[k], d.weight_scales[k]);
    }
    const double real_bias =
        static_cast<double>(d.bias[k]) * d.output_scales[k];
    bias[k] = static_cast<int32_t>(
        std::llround(real_bias / (double{in.scale} * kernel_scales[k])));
  }
  const int i = num_ops();
  xnn_operator_t op = nullptr;
  Check(xnn_create_convolution2d_nhwc_qc8(
            0, 0, 0, 0, 1, 1, 1, 1, 1, 1, /*groups=*/1, d.in_channels,
            d.out_channels, d.in_channels, d.out_channels,
            ToInt8(in.zero_point, "pooled zero point"), in.scale,
            kernel_scales.data(), d.weights.data(), bias.data(),
            ToInt8(out.zero_point, "logit zero point"), out.scale, -128, 127,
            /*flags=*/0, &op),
        "create dense (1x1 conv)");
  ops_.push_back(op);
  AddBuffer(static_cast<size_t>(d.out_channels));
  Check(xnn_setup_convolution2d_nhwc_qc8(op, 1, 1, 1, buffer(i), buffer(i + 1),
                                         nullptr),
        "setup dense");
  names_.push_back("dense");
  macs_.push_back(int64_t{d.in_channels} * d.out_channels);
}

void XnnNet::RunOp(int i) { Check(xnn_run_operator(ops_[i], nullptr), "run"); }

void XnnNet::Run() {
  for (xnn_operator* op : ops_) xnn_run_operator(op, nullptr);
}

}  // namespace tinykws::bench
