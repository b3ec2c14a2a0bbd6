/* Error text, little-endian loads and CRC-32 (zlib's, bitwise: a 1 KB table
 * would cost more flash than the few microseconds it saves at init). */
#include <string.h>

#include "micro/micro_internal.h"

void kws_text_init(kws_text* t, char* buffer, size_t size) {
  t->text = buffer;
  t->size = buffer == NULL ? 0 : size;
  t->used = 0;
  if (t->size > 0) t->text[0] = '\0';
}

void kws_text_bytes(kws_text* t, const uint8_t* s, size_t n) {
  size_t i;
  for (i = 0; i < n && t->used + 1 < t->size; ++i) {
    t->text[t->used++] = (char)s[i];
  }
  if (t->size > 0) t->text[t->used] = '\0';
}

void kws_text_str(kws_text* t, const char* s) {
  kws_text_bytes(t, (const uint8_t*)s, strlen(s));
}

void kws_text_uint(kws_text* t, uint64_t v) {
  char digits[21];
  size_t n = 0;
  do {
    digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  kws_text_bytes(t, (const uint8_t*)digits + sizeof digits - n, n);
}

void kws_text_int(kws_text* t, int64_t v) {
  if (v < 0) {
    kws_text_str(t, "-");
    kws_text_uint(t, (uint64_t)0 - (uint64_t)v);
  } else {
    kws_text_uint(t, (uint64_t)v);
  }
}

void kws_text_hex32(kws_text* t, uint32_t v) {
  static const char kDigits[] = "0123456789ABCDEF";
  char text[10];
  int i;
  text[0] = '0';
  text[1] = 'x';
  for (i = 0; i < 8; ++i) text[2 + i] = kDigits[(v >> (28 - 4 * i)) & 15];
  kws_text_bytes(t, (const uint8_t*)text, sizeof text);
}

kws_micro_status kws_check_arena_size(size_t given, size_t needed,
                                      kws_text* error) {
  if (given >= needed) return KWS_MICRO_OK;
  kws_text_str(error, "arena too small: ");
  kws_text_uint(error, given);
  kws_text_str(error, " bytes given, ");
  kws_text_uint(error, needed);
  kws_text_str(error, " needed");
  return KWS_MICRO_ARENA_TOO_SMALL;
}

float kws_f32(const uint8_t* p) {
  const uint32_t bits = kws_u32(p);
  float value;
  memcpy(&value, &bits, sizeof value);
  return value;
}

uint32_t kws_crc32(const uint8_t* p, uint64_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  uint64_t i;
  int bit;
  for (i = 0; i < n; ++i) {
    crc ^= p[i];
    for (bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  }
  return crc ^ 0xFFFFFFFFu;
}

void kws_decode_conv(const uint8_t* r, kws_conv* c) {
  c->in_channels = kws_i32(r + 0);
  c->out_channels = kws_i32(r + 4);
  c->kernel_h = kws_i32(r + 8);
  c->kernel_w = kws_i32(r + 12);
  c->stride_h = kws_i32(r + 16);
  c->stride_w = kws_i32(r + 20);
  c->dilation_h = kws_i32(r + 24);
  c->dilation_w = kws_i32(r + 28);
  c->pad_top = kws_i32(r + 32);
  c->pad_bottom = kws_i32(r + 36);
  c->pad_left = kws_i32(r + 40);
  c->pad_right = kws_i32(r + 44);
  c->in_height = kws_i32(r + 48);
  c->in_width = kws_i32(r + 52);
  c->out_height = kws_i32(r + 56);
  c->out_width = kws_i32(r + 60);
  c->relu = kws_u32(r + 64);
  c->output_scale = kws_f32(r + 68);
  c->output_zero_point = kws_i32(r + 72);
}
