// One int8 conv of a model on a given int8 input, computed as our int8
// reference (src/quant/int8_reference.cpp) computes every conv: the oracle
// for checking ONNX Runtime's QLinearConv layer by layer, each on the input
// ONNX Runtime itself gave it, so one layer's rounding does not carry into
// the next one's check.
#pragma once

#include <cstdint>
#include <vector>

#include "format/model_file.hpp"
#include "quant/int8_reference.hpp"
#include "quant/requantize.hpp"

namespace tinykws::testing {

// in: [in_height][in_width][in_channels]; returns [out_height][out_width]
// [out_channels].
inline std::vector<int8_t> ReferenceConv(const format::ConvLayer& c,
                                         const int8_t* in, int32_t in_zp) {
  std::vector<int8_t> out(static_cast<size_t>(c.out_height) * c.out_width *
                          c.out_channels);
  quant::RunInt8Conv(
      c, in, in_zp,
      [&c](int32_t acc, int channel) {
        return quant::Requantize(acc, c.multipliers[channel],
                                 c.shifts[channel]);
      },
      out.data());
  return out;
}

}  // namespace tinykws::testing
