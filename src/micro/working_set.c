/* The memory bound of the C++ runtime for a model, which the reader caps
 * (checks.c); format::EstimateWorkingSet wraps it. Integer arithmetic
 * only. */
#include "micro/micro_internal.h"

/* multiple: a power of two (a mask, not a 64-bit division, on a MCU). */
static uint64_t RoundUp(uint64_t v, uint64_t multiple) {
  return (v + multiple - 1) & ~(multiple - 1);
}

/* The C++ runtime's memory bound (format::EstimateWorkingSet wraps this):
 * its MFCC (features::MemoryBound, with the x86-64 sizes of MfccTables
 * (592), MfccScratch (128) and FftStage (32); they matter only within a few
 * hundred bytes of the cap), its network buffers as runtime/packed_model.cpp
 * lays them out, and a spotter's stream buffers (8 frames a batch). */
void kws_working_set(const kws_view* m, uint64_t* session_bytes,
                     uint64_t* spotter_bytes, uint64_t* macs) {
  const uint64_t half = (uint64_t)m->frame_length / 2;
  const uint64_t mel = (uint64_t)m->mel_bins, labels = m->num_labels;
  const uint64_t frames = (uint64_t)m->num_frames, coeffs = m->num_mfcc;
  /* 592 + 128 + tables + scratch, summed by hand (the same integer; fewer
   * 64-bit operations on a MCU). tables: 2 * (2 * half * 8) + 2 * (64 * 32)
   * + 2 * (2 * (4 * half) * 12) + 2 * (2 * bins * 8) + 2 * (3 * mel * 4 +
   * 2 * bins * 4) + 2 * (coeffs * mel * 4); scratch: clip_samples * 4 +
   * frame_length * 4 + 4 * half * 8 * 8 + bins * 16 * 4 + mel * 16 * 4 +
   * 8 * 64 (tests/runtime/working_set_test.cpp pins it). */
  const uint64_t mfcc =
      5440 + 592 * half +
      4 * ((uint64_t)m->clip_samples + (uint64_t)m->frame_length) +
      8 * mel * (11 + coeffs);
  uint64_t network = 0, largest = frames * coeffs;
  uint32_t i;
  *macs = 0;
  for (i = 0; i < m->conv_count; ++i) {
    kws_conv c;
    uint64_t out;
    kws_decode_conv(m->convs + i * KWS_CONV_RECORD_BYTES, &c);
    /* int8: one padded int16 input buffer per conv (channels in pairs,
     * later in blocks of 8); float32: ping-pong buffers of the largest. */
    network += RoundUp((uint64_t)(c.in_height + c.pad_top + c.pad_bottom) *
                           (uint64_t)(c.in_width + c.pad_left + c.pad_right) *
                           RoundUp((uint64_t)c.in_channels, i == 0 ? 2 : 8) * 2,
                       64);
    out = (uint64_t)c.out_height * (uint64_t)c.out_width *
          (uint64_t)c.out_channels;
    if (out > largest) largest = out;
    *macs += (uint64_t)c.kernel_h * (uint64_t)c.kernel_w *
             (uint64_t)c.in_channels * out;
  }
  network += RoundUp(RoundUp((uint64_t)m->dense_in, 8) * 4, 64);
  if (m->precision != 1) network = 2 * largest * 4 + 8 * (uint64_t)m->dense_in;
  *macs += (uint64_t)m->dense_in * (uint64_t)m->dense_out;
  *session_bytes =
      mfcc + RoundUp(frames * coeffs * 4, 64) + network + 8 * labels + 4096;
  *spotter_bytes =
      *session_bytes + mfcc +
      RoundUp(((uint64_t)m->frame_length + 7 * (uint64_t)m->frame_step) * 4,
              64) +
      RoundUp(2 * frames * coeffs * 4, 64) + RoundUp(8 * coeffs * 4, 64) +
      (KWS_MAX_SMOOTHING_RUNS + 1) * labels * 4 + 8 * labels + 4096;
}
