#include "runtime/packed_model.hpp"

#include <algorithm>

#include "common/cpu.hpp"

namespace tinykws::runtime {

namespace {

int RoundUp(int value, int multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace

PackedModel PackModel(const format::ModelFile& model) {
  PackedModel packed;
  packed.input_inv_scale = 1.0f / model.input_scale;
  packed.input_zero_point = model.input_zero_point;
  packed.convs.resize(model.convs.size());
  // The first layer reads the quantized MFCC (one channel, padded to a
  // pair); later layers read the previous output (padded to whole blocks).
  int pixel_stride = RoundUp(model.convs[0].in_channels, 2);
  int32_t zero_point = model.input_zero_point;
  for (size_t i = 0; i < model.convs.size(); ++i) {
    const format::ConvLayer& c = model.convs[i];
    PackedConv& p = packed.convs[i];
    ConvPlan& plan = p.plan;
    const int blocks = (c.out_channels + kBlock - 1) / kBlock;
    const int taps = c.kernel_h * c.kernel_w;
    plan.pixel_stride = pixel_stride;
    plan.pairs = pixel_stride / 2;
    plan.kernel_h = c.kernel_h;
    plan.kernel_w = c.kernel_w;
    plan.stride_h = c.stride_h;
    plan.stride_w = c.stride_w;
    plan.dilation_h = c.dilation_h;
    plan.dilation_w = c.dilation_w;
    plan.out_height = c.out_height;
    plan.out_width = c.out_width;
    plan.blocks = blocks;
    p.in_height = c.in_height;
    p.in_width = c.in_width;
    p.pad_top = c.pad_top;
    p.pad_left = c.pad_left;
    p.padded_height = c.in_height + c.pad_top + c.pad_bottom;
    p.padded_width = c.in_width + c.pad_left + c.pad_right;
    plan.row_stride = p.padded_width * pixel_stride;
    p.input_zero_point = zero_point;
    // [block][tap][pair][lane][2]
    p.weights.assign(
        static_cast<size_t>(blocks) * taps * plan.pairs * kBlock * 2, 0);
    for (int oc = 0; oc < c.out_channels; ++oc) {
      const int block = oc / kBlock, lane = oc % kBlock;
      for (int t = 0; t < taps; ++t) {
        for (int ic = 0; ic < c.in_channels; ++ic) {
          const size_t at =
              ((static_cast<size_t>(block) * taps + t) * plan.pairs + ic / 2) *
                  kBlock * 2 +
              lane * 2 + ic % 2;
          p.weights[at] =
              c.weights[(static_cast<size_t>(oc) * taps + t) * c.in_channels +
                        ic];
        }
      }
    }
    const int lanes = blocks * kBlock;
    p.bias.assign(lanes, 0);
    p.multiplier.assign(lanes, 1 << 30);
    p.right_shift.assign(lanes, 0);
    for (int oc = 0; oc < c.out_channels; ++oc) {
      p.bias[oc] = c.bias[oc];
      p.multiplier[oc] = c.multipliers[oc];
      p.right_shift[oc] = -c.shifts[oc];
    }
    // Stored values have the output zero point removed; ReLU clamps at the
    // quantized 0.
    const int32_t lowest = c.relu ? std::max(-128, c.output_zero_point) : -128;
    plan.lowest = lowest - c.output_zero_point;
    plan.highest = 127 - c.output_zero_point;
    pixel_stride = lanes;
    zero_point = c.output_zero_point;
  }
  for (size_t i = 0; i + 1 < packed.convs.size(); ++i) {
    PackedConv& p = packed.convs[i];
    const PackedConv& next = packed.convs[i + 1];
    p.out_offset = static_cast<size_t>(next.pad_top) * next.plan.row_stride +
                   static_cast<size_t>(next.pad_left) * next.plan.pixel_stride;
    p.out_row_stride = next.plan.row_stride;
    p.out_pixel_stride = next.plan.pixel_stride;
  }
  for (PackedConv& p : packed.convs) {
    p.plan.weights = p.weights.data();
    p.plan.bias = p.bias.data();
    p.plan.multiplier = p.multiplier.data();
    p.plan.right_shift = p.right_shift.data();
  }
  packed.pool_channels = packed.convs.back().plan.blocks * kBlock;
  return packed;
}

namespace {

// A kernel as the core's graph code calls it.
template <ConvKernel kKernel>
void RunPacked(const kws_layer*, const void* prepared, const void* in,
               void* out, int32_t* pool) {
  const PackedConv& p = *static_cast<const PackedConv*>(prepared);
  ConvTarget target;
  if (out == nullptr) {
    target.pool = pool;
  } else {
    target.data = static_cast<int16_t*>(out) + p.out_offset;
    target.row_stride = p.out_row_stride;
    target.pixel_stride = p.out_pixel_stride;
  }
  kKernel(p.plan, static_cast<const int16_t*>(in), target);
}

}  // namespace

const kws_kernels kPortableKernels = {"portable", RunPacked<ConvPortable>};
#if defined(TINYKWS_HAVE_X86_KERNELS)
const kws_kernels kAvx2Kernels = {"avx2", RunPacked<ConvAvx2>};
const kws_kernels kAvx512VnniKernels = {"avx512vnni",
                                        RunPacked<ConvAvx512Vnni>};
#endif
#if defined(__aarch64__)
const kws_kernels kNeonKernels = {"neon", RunPacked<ConvNeon>};
#endif

const kws_kernels& BestConvKernels() {
#if defined(TINYKWS_HAVE_X86_KERNELS)
  if (CpuHasAvx512Vnni()) return kAvx512VnniKernels;
  if (CpuHasAvx2()) return kAvx2Kernels;
#endif
#if defined(__aarch64__)
  return kNeonKernels;
#else
  return kPortableKernels;
#endif
}

}  // namespace tinykws::runtime
