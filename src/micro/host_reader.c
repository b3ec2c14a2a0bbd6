/* The reader as the host uses it (format::Parse and format::Validate): every
 * rule, float32 models included. A file of its own so that firmware, which
 * calls only kws_parse_model (int8), links none of this. */
#include <math.h>

#include "micro/micro_internal.h"

/* A float32 model (the C++ runtime runs it; the micro runtime does not):
 * the int8-only fields are zero, every weight and bias finite. */
kws_micro_status kws_check_float32(kws_view* m, kws_text* e) {
  const uint8_t* w = m->weights;
  const uint8_t* b = m->biases;
  uint64_t n;
  uint32_t i;
  kws_micro_status s;
  if (m->input_scale != 0.0f || m->input_zero_point != 0) {
    return kws_refuse(e, "input_scale/input_zero_point", -1, "", -1,
                      " must be 0 in a float32 model");
  }
  for (i = 0; i < m->conv_count; ++i) {
    kws_conv c;
    kws_decode_conv(m->convs + i * KWS_CONV_RECORD_BYTES, &c);
    n = (uint64_t)c.out_channels * (uint64_t)c.kernel_h * (uint64_t)c.kernel_w *
        (uint64_t)c.in_channels;
    if (c.output_scale != 0.0f || c.output_zero_point != 0) {
      return kws_refuse(e, "conv", i, " output_scale/output_zero_point", -1,
                        " must be 0 in a float32 model");
    }
    s = kws_check_values(e, "conv", i, " float_weights", w, n, KWS_FINITE);
    if (s == KWS_MICRO_OK) {
      s = kws_check_values(e, "conv", i, " float_bias", b,
                           (uint64_t)c.out_channels, KWS_FINITE);
    }
    if (s != KWS_MICRO_OK) return s;
    w += 4 * n;
    b += 4 * (uint64_t)c.out_channels;
  }
  n = (uint64_t)m->dense_out * (uint64_t)m->dense_in;
  s = kws_check_values(e, "dense", -1, " float_weights", w, n, KWS_FINITE);
  if (s != KWS_MICRO_OK) return s;
  return kws_check_values(e, "dense", -1, " float_bias", b,
                          (uint64_t)m->dense_out, KWS_FINITE);
}

kws_micro_status kws_read_model(const uint8_t* p, size_t size, kws_view* m,
                                const uint8_t** metadata, kws_text* e) {
  return kws_read_model_with(p, size, m, metadata, e, kws_check_float32);
}
