/* The int8 network: the graph code every build runs, and the reference
 * conv kernel, reading weights, biases and requantization parameters
 * straight from the model bytes. The arithmetic is that of
 * quant::RunInt8Reference (src/quant/int8_reference.cpp) and the host's
 * kernels: exact integers, so any loop order gives the same bits. */
#include <math.h>

#include "common/kws_math.h"
#include "micro/micro_internal.h"

/* x >> s rounding toward minus infinity, for negative x too (an arithmetic
 * shift, which C leaves implementation-defined). */
static int64_t FloorShift(int64_t x, int s) {
  return x >= 0 ? x >> s : ~(~x >> s);
}

/* gemmlowp's SaturatingRoundingDoublingHighMul for b > 0, then
 * RoundingDivideByPOT (src/quant/requantize.hpp). */
static int32_t Requantize(int32_t acc, int32_t multiplier, int32_t shift) {
  const int exponent = -shift;
  const int64_t product = (int64_t)acc * multiplier;
  const int32_t high = (int32_t)FloorShift(product + ((int64_t)1 << 30), 31);
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = high & mask;
  const int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (int32_t)FloorShift(high, exponent) + (remainder > threshold ? 1 : 0);
}

int8_t kws_quantize_input(float x, float inv_scale, int32_t zero_point) {
  const float q = nearbyintf(x * inv_scale) + (float)zero_point;
  if (!(q > -128.0f)) return -128; /* also NaN, like quant::QuantizeInput */
  if (q > 127.0f) return 127;
  return (int8_t)q;
}

void kws_softmax(const float* logits, size_t n, float* out) {
  float top = logits[0], sum = 0.0f;
  size_t i;
  for (i = 1; i < n; ++i) {
    if (top < logits[i]) top = logits[i];
  }
  for (i = 0; i < n; ++i) sum += out[i] = kws_expf(logits[i] - top);
  for (i = 0; i < n; ++i) out[i] /= sum;
}

void kws_net_sizes_of(const kws_view* m, kws_net_sizes* sz) {
  uint32_t i;
  sz->buffer_bytes[0] = 0;
  sz->buffer_bytes[1] = 0;
  for (i = 0; i + 1 < m->conv_count; ++i) {
    kws_conv c;
    size_t bytes;
    kws_decode_conv(m->convs + i * KWS_CONV_RECORD_BYTES, &c);
    bytes = (size_t)c.out_height * (size_t)c.out_width * (size_t)c.out_channels;
    if (bytes > sz->buffer_bytes[i % 2]) sz->buffer_bytes[i % 2] = bytes;
  }
}

/* The reference convolution: direct loops over the int8 activations. */
static void ReferenceConv(const kws_layer* layer, const void* prepared,
                          const void* input, void* output, int32_t* pool) {
  const int8_t* in = (const int8_t*)input;
  int8_t* out = (int8_t*)output;
  const int32_t in_zp = layer->input_zero_point;
  kws_conv c;
  int32_t lowest, oy, ox, oc, ky, kx, ic;
  (void)prepared;
  kws_decode_conv(layer->record, &c);
  /* ReLU is the clamp's lower bound: the quantized value of real 0. */
  lowest = c.relu && c.output_zero_point > -128 ? c.output_zero_point : -128;
  for (oy = 0; oy < c.out_height; ++oy) {
    for (ox = 0; ox < c.out_width; ++ox) {
      for (oc = 0; oc < c.out_channels; ++oc) {
        const int8_t* w_oc =
            layer->weights +
            (size_t)oc * (size_t)(c.kernel_h * c.kernel_w * c.in_channels);
        int32_t acc = kws_i32(layer->biases + 4 * oc), y;
        for (ky = 0; ky < c.kernel_h; ++ky) {
          int32_t iy = oy * c.stride_h + ky * c.dilation_h - c.pad_top;
          if (iy < 0 || iy >= c.in_height) continue; /* padding: real 0 */
          if (layer->first_row != 0) iy = (iy + layer->first_row) % c.in_height;
          for (kx = 0; kx < c.kernel_w; ++kx) {
            const int32_t ix = ox * c.stride_w + kx * c.dilation_w - c.pad_left;
            const int8_t* x;
            const int8_t* w;
            if (ix < 0 || ix >= c.in_width) continue;
            x = in + ((size_t)iy * (size_t)c.in_width + (size_t)ix) *
                         (size_t)c.in_channels;
            w = w_oc + ((size_t)ky * (size_t)c.kernel_w + (size_t)kx) *
                           (size_t)c.in_channels;
            for (ic = 0; ic < c.in_channels; ++ic) {
              acc += ((int32_t)x[ic] - in_zp) * w[ic];
            }
          }
        }
        y = Requantize(acc, kws_i32(layer->quant + 4 * oc),
                       kws_i32(layer->quant + 4 * (c.out_channels + oc))) +
            c.output_zero_point;
        y = y < lowest ? lowest : (y > 127 ? 127 : y);
        if (out == NULL) {
          pool[oc] += y - c.output_zero_point;
        } else {
          out[((size_t)oy * (size_t)c.out_width + (size_t)ox) *
                  (size_t)c.out_channels +
              (size_t)oc] = (int8_t)y;
        }
      }
    }
  }
}

const kws_kernels kws_reference_kernels = {"reference", ReferenceConv};

void kws_net_run(const kws_view* m, const kws_graph* g, int32_t first_row,
                 float* logits) {
  const uint8_t* weights = m->weights;
  const uint8_t* biases = m->biases;
  const uint8_t* quant = m->quant;
  kws_layer layer;
  uint32_t i;
  size_t lane;
  int32_t k, ic;
  layer.input_zero_point = m->input_zero_point;
  layer.first_row = first_row;
  for (lane = 0; lane < g->pool_lanes; ++lane) g->pool[lane] = 0;
  for (i = 0; i < m->conv_count; ++i) {
    const bool last = i + 1 == m->conv_count;
    const void* in = g->inputs[i == 0 ? 0 : 1 + (i - 1) % (g->input_count - 1)];
    kws_conv c;
    layer.record = m->convs + i * KWS_CONV_RECORD_BYTES;
    layer.weights = (const int8_t*)weights;
    layer.biases = biases;
    layer.quant = quant;
    kws_decode_conv(layer.record, &c);
    g->kernels->conv(&layer, g->prepared == NULL ? NULL : g->prepared[i], in,
                     last ? NULL : g->inputs[1 + i % (g->input_count - 1)],
                     last ? g->pool : NULL);
    weights += (size_t)c.out_channels *
               (size_t)(c.kernel_h * c.kernel_w * c.in_channels);
    biases += 4 * (size_t)c.out_channels;
    quant += 12 * (size_t)c.out_channels;
    layer.input_zero_point = c.output_zero_point;
    layer.first_row = 0;
  }
  for (k = 0; k < m->dense_out; ++k) {
    const int8_t* w = (const int8_t*)weights + (size_t)k * (size_t)m->dense_in;
    int32_t acc = kws_i32(biases + 4 * k);
    for (ic = 0; ic < m->dense_in; ++ic) acc += w[ic] * g->pool[ic];
    /* quant now points at the dense weight scales; output scales follow. */
    logits[k] = (float)acc * kws_f32(quant + 4 * (m->dense_out + k));
  }
}
