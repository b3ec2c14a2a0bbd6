#include "xnnpack/synthetic_model.hpp"

#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>

#include "quant/float_model.hpp"
#include "quant/quantizer.hpp"
#include "xnnpack/inputs.hpp"

namespace tinykws::bench {

StatusOr<format::ModelFile> SyntheticModel(const format::ModelFile& base,
                                           const std::string& spec,
                                           uint32_t seed) {
  quant::FloatModel fm;
  fm.features = base.features;
  fm.labels = base.labels;
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  int h = base.features.num_frames(), w = base.features.num_mfcc, in = 1;
  std::stringstream layers(spec);
  std::string layer;
  while (std::getline(layers, layer, ',')) {
    int out = 0, kh = 0, kw = 0, dilation = 1, used = 0;
    if (std::sscanf(layer.c_str(), "%d:%dx%d%n", &out, &kh, &kw, &used) != 3) {
      return InvalidArgument("--synthetic: bad layer '" + layer + "'");
    }
    const char* rest = layer.c_str() + used;
    int more = 0;
    if (*rest == 'd' && std::sscanf(rest, "d%d%n", &dilation, &more) == 1) {
      rest += more;
    }
    const bool same = *rest == 's';
    if (same) ++rest;
    if (*rest != '\0' || out < 1 || kh < 1 || kw < 1 || dilation < 1) {
      return InvalidArgument("--synthetic: bad layer '" + layer + "'");
    }
    format::ConvLayer c;
    c.in_channels = in;
    c.out_channels = out;
    c.kernel_h = kh;
    c.kernel_w = kw;
    c.dilation_h = dilation;
    if (same) {
      c.pad_top = (kh - 1) * dilation / 2;
      c.pad_bottom = (kh - 1) * dilation - c.pad_top;
      c.pad_left = (kw - 1) / 2;
      c.pad_right = kw - 1 - c.pad_left;
    }
    c.in_height = h;
    c.in_width = w;
    c.out_height = h + c.pad_top + c.pad_bottom - (kh - 1) * dilation;
    c.out_width = w + c.pad_left + c.pad_right - (kw - 1);
    if (c.out_height < 1 || c.out_width < 1) {
      return InvalidArgument("--synthetic: '" + layer + "' leaves no output");
    }
    c.relu = true;
    const float stddev = std::sqrt(2.0f / (kh * kw * in));
    c.float_weights.resize(static_cast<size_t>(out) * kh * kw * in);
    for (float& v : c.float_weights) v = stddev * normal(rng);
    for (int o = 0; o < out; ++o) c.float_bias.push_back(0.1f * normal(rng));
    fm.convs.push_back(c);
    h = c.out_height;
    w = c.out_width;
    in = out;
  }
  if (fm.convs.empty()) return InvalidArgument("--synthetic: no layers");
  format::DenseLayer& d = fm.dense;
  d.in_channels = in;
  d.out_channels = static_cast<int32_t>(fm.labels.size());
  d.pool_count = h * w;
  for (int i = 0; i < in * d.out_channels; ++i) {
    d.float_weights.push_back(normal(rng) / std::sqrt(float(in)));
  }
  d.float_bias.assign(d.out_channels, 0.0f);

  quant::FloatExecutor executor(fm);
  quant::ActivationRanges ranges;
  std::vector<float> logits(d.out_channels);
  for (const std::vector<int8_t>& q : MfccLikeInputs(base, 32, seed + 1)) {
    const std::vector<float> mfcc =
        Dequantize(q, base.input_scale, base.input_zero_point);
    executor.Run(mfcc.data(), logits.data(), &ranges);
  }
  StatusOr<format::ModelFile> model =
      quant::QuantizeModel(fm, ranges, quant::QuantizeOptions());
  if (!model.ok()) return model.status();
  TINYKWS_RETURN_IF_ERROR(format::Validate(*model, "--synthetic " + spec));
  return model;
}

}  // namespace tinykws::bench
