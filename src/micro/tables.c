/* The tables blob: the MFCC front end's tables (window, FFT twiddles and
 * roots, real-DFT split factors, mel bands and weights, DCT) computed on the
 * host by kws_micro_write_tables and read in place by the runtime, e.g. from
 * flash. The payload is laid out exactly as kws_mfcc_init places the tables
 * in the arena, so both paths read the same bits.
 *
 * Header (64 bytes, little-endian):
 *    0  magic "TKWSTAB1"          32  half (complex FFT length)
 *    8  format version (1)        36  lowest bin
 *   12  header bytes (64)         40  highest bin
 *   16  total bytes               44  mel weights
 *   20  CRC-32 of the payload     48  mel bins
 *   24  CRC-32 of the model's     52  MFCC coefficients
 *       features record           56  byte order mark 0x01020304
 *   28  real bytes (8 or 4)       60  CRC-32 of bytes 0..59
 * The payload is in the writer's byte order (the mark, stored natively,
 * says which; the runtime refuses the other one). The stage descriptors are
 * not stored: init recomputes them (integers). */
#include <string.h>

#include "micro/micro_internal.h"

#define KWS_TABLES_VERSION 1u

static const uint32_t kByteOrderMark = 0x01020304u;

static const uint8_t kMagic[8] = {'T', 'K', 'W', 'S', 'T', 'A', 'B', '1'};

#if !defined(KWS_MICRO_NO_TABLE_BUILDER) /* the writer's */
static void Put32(uint8_t* p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
#endif

static kws_micro_status Bad(kws_text* e, const char* what) {
  kws_text_str(e, "tables: ");
  kws_text_str(e, what);
  return KWS_MICRO_BAD_TABLES;
}

static kws_micro_status OtherConfig(kws_text* e) {
  kws_text_str(e, "tables were made for another feature config");
  return KWS_MICRO_BAD_TABLES;
}

/* CRC-32 of the features record of a validated model (section type 1; the
 * section table was checked by kws_parse_model). */
static uint32_t FeaturesCrc(const kws_view* m) {
  const uint8_t* p = m->bytes;
  const uint32_t count = kws_u32(p + 16);
  uint32_t i;
  for (i = 0; i < count; ++i) {
    const uint8_t* entry = p + 64 + 32 * (size_t)i;
    if (kws_u32(entry) == 1) {
      return kws_crc32(p + kws_u64(entry + 8), kws_u64(entry + 16));
    }
  }
  return 0;
}

/* Total bytes of the blob for these sizes. */
static size_t BlobBytes(const kws_view* m, const kws_mfcc_sizes* sz) {
  return KWS_TABLES_HEADER_BYTES +
         kws_mfcc_tables_bytes(sz, m->mel_bins, m->num_mfcc);
}

/* Every band's bins and weights lie inside the stored ranges (the frame
 * code indexes the magnitudes and weights with them). */
static kws_micro_status CheckBands(const kws_view* m, const kws_mfcc_sizes* sz,
                                   const uint8_t* tables, kws_text* e) {
  const int32_t* first =
      (const int32_t*)(const void*)(tables + KWS_TABLES_HEADER_BYTES +
                                    kws_mfcc_bands_offset(sz, m->mel_bins,
                                                          m->num_mfcc));
  const int32_t* count = first + m->mel_bins;
  const int32_t* offset = count + m->mel_bins;
  int32_t b;
  for (b = 0; b < m->mel_bins; ++b) {
    if (count[b] < 0 || offset[b] < 0 ||
        (count[b] > 0 && (first[b] < sz->lowest_bin ||
                          (int64_t)first[b] + count[b] - 1 > sz->highest_bin ||
                          (int64_t)offset[b] + count[b] > sz->mel_weights))) {
      return Bad(e, "a mel band lies outside the stored bins or weights");
    }
  }
  return KWS_MICRO_OK;
}

kws_micro_status kws_check_tables(const kws_view* m, const uint8_t* p,
                                  size_t size, kws_mfcc_sizes* sz,
                                  kws_text* e) {
  kws_mfcc_sizes own;
  size_t total;
  uint32_t mark;
  if ((uintptr_t)p % 8 != 0) {
    kws_text_str(e,
                 "tables are not 8-byte aligned (they hold doubles and int32 "
                 "values; align the array, e.g. __attribute__((aligned(8))))");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  if (size < KWS_TABLES_HEADER_BYTES) {
    Bad(e, "too short (");
    kws_text_uint(e, size);
    kws_text_str(e, " bytes; the header alone is 64)");
    return KWS_MICRO_BAD_TABLES;
  }
  if (memcmp(p, kMagic, 8) != 0) {
    return Bad(e, "not a tinykws tables blob (expected the magic TKWSTAB1)");
  }
  if (kws_u32(p + 60) != kws_crc32(p, 60)) {
    return Bad(e, "header CRC mismatch");
  }
  if (kws_u32(p + 8) != KWS_TABLES_VERSION) {
    Bad(e, "format version ");
    kws_text_uint(e, kws_u32(p + 8));
    kws_text_str(e, " is not supported (this build reads 1)");
    return KWS_MICRO_BAD_TABLES;
  }
  if (kws_u32(p + 12) != KWS_TABLES_HEADER_BYTES) {
    return Bad(e, "header size is wrong (expected 64)");
  }
  memcpy(&mark, p + 56, 4);
  if (mark != kByteOrderMark) {
    return Bad(e, "written on a host of another byte order");
  }
  if (kws_u32(p + 16) != size) {
    Bad(e, "size mismatch (the header says ");
    kws_text_uint(e, kws_u32(p + 16));
    kws_text_str(e, " bytes, ");
    kws_text_uint(e, size);
    kws_text_str(e, " given)");
    return KWS_MICRO_BAD_TABLES;
  }
  if (kws_u32(p + 20) !=
      kws_crc32(p + KWS_TABLES_HEADER_BYTES, size - KWS_TABLES_HEADER_BYTES)) {
    return Bad(e, "payload CRC mismatch");
  }
  kws_mfcc_fft_sizes_of(m, &own);
  if (kws_u32(p + 24) != FeaturesCrc(m) || kws_u32(p + 28) != own.real_bytes ||
      kws_i32(p + 32) != own.half || kws_i32(p + 48) != m->mel_bins ||
      kws_i32(p + 52) != m->num_mfcc) {
    return OtherConfig(e);
  }
  own.lowest_bin = kws_i32(p + 36);
  own.highest_bin = kws_i32(p + 40);
  own.mel_weights = kws_i32(p + 44);
  if (own.lowest_bin < 0 || own.lowest_bin > own.highest_bin ||
      own.highest_bin > own.half || own.mel_weights < 0 ||
      (int64_t)own.mel_weights >
          (int64_t)m->mel_bins * (int64_t)(own.half + 1)) {
    return Bad(e, "bin or weight counts out of range");
  }
  total = BlobBytes(m, &own);
  if (total != size) {
    Bad(e, "size does not match its counts (expected ");
    kws_text_uint(e, total);
    kws_text_str(e, " bytes)");
    return KWS_MICRO_BAD_TABLES;
  }
  if (CheckBands(m, &own, p, e) != KWS_MICRO_OK) return KWS_MICRO_BAD_TABLES;
  *sz = own;
  return KWS_MICRO_OK;
}

#if !defined(KWS_MICRO_NO_TABLE_BUILDER)
kws_micro_status kws_micro_tables_size(const uint8_t* model, size_t model_bytes,
                                       size_t* tables_bytes, char* error,
                                       size_t error_size) {
  kws_text e;
  kws_view m;
  kws_mfcc_sizes sz;
  kws_micro_status s;
  kws_text_init(&e, error, error_size);
  if (tables_bytes == NULL) {
    kws_text_str(&e, "kws_micro_tables_size: tables_bytes is null");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  *tables_bytes = 0;
  s = kws_parse_model(model, model_bytes, &m, &e);
  if (s != KWS_MICRO_OK) return s;
  kws_mfcc_sizes_of(&m, &sz);
  *tables_bytes = BlobBytes(&m, &sz);
  return KWS_MICRO_OK;
}

kws_micro_status kws_micro_write_tables(const uint8_t* model,
                                        size_t model_bytes, void* out,
                                        size_t out_bytes, char* error,
                                        size_t error_size) {
  kws_text e;
  kws_view m;
  kws_mfcc_sizes sz;
  kws_micro_status s;
  uint8_t* p = (uint8_t*)out;
  size_t total;
  kws_text_init(&e, error, error_size);
  if (out == NULL) {
    kws_text_str(&e, "kws_micro_write_tables: out is null");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  if ((uintptr_t)out % 8 != 0) {
    kws_text_str(&e, "kws_micro_write_tables: out is not 8-byte aligned");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  s = kws_parse_model(model, model_bytes, &m, &e);
  if (s != KWS_MICRO_OK) return s;
  kws_mfcc_sizes_of(&m, &sz);
  total = BlobBytes(&m, &sz);
  if (out_bytes < total || total > 0xffffffffu) {
    kws_text_str(&e, "kws_micro_write_tables: ");
    kws_text_uint(&e, out_bytes);
    kws_text_str(&e, " bytes given, ");
    kws_text_uint(&e, total);
    kws_text_str(&e, " needed");
    return KWS_MICRO_ARENA_TOO_SMALL;
  }
  memset(p, 0, total);
  kws_mfcc_fill_tables(&sz, &m, p + KWS_TABLES_HEADER_BYTES);
  memcpy(p, kMagic, 8);
  Put32(p + 8, KWS_TABLES_VERSION);
  Put32(p + 12, KWS_TABLES_HEADER_BYTES);
  Put32(p + 16, (uint32_t)total);
  Put32(p + 20, kws_crc32(p + KWS_TABLES_HEADER_BYTES,
                          total - KWS_TABLES_HEADER_BYTES));
  Put32(p + 24, FeaturesCrc(&m));
  Put32(p + 28, (uint32_t)sz.real_bytes);
  Put32(p + 32, (uint32_t)sz.half);
  Put32(p + 36, (uint32_t)sz.lowest_bin);
  Put32(p + 40, (uint32_t)sz.highest_bin);
  Put32(p + 44, (uint32_t)sz.mel_weights);
  Put32(p + 48, (uint32_t)m.mel_bins);
  Put32(p + 52, (uint32_t)m.num_mfcc);
  memcpy(p + 56, &kByteOrderMark, 4);
  Put32(p + 60, kws_crc32(p, 60));
  return KWS_MICRO_OK;
}
#else
/* A firmware build that only reads blobs made on the host. */
static kws_micro_status NoBuilder(char* error, size_t error_size) {
  kws_text e;
  kws_text_init(&e, error, error_size);
  kws_text_str(&e,
               "this build computes no MFCC tables "
               "(KWS_MICRO_NO_TABLE_BUILDER): write the blob on the host "
               "(kws convert --tables)");
  return KWS_MICRO_UNSUPPORTED;
}

kws_micro_status kws_micro_tables_size(const uint8_t* model, size_t model_bytes,
                                       size_t* tables_bytes, char* error,
                                       size_t error_size) {
  (void)model;
  (void)model_bytes;
  if (tables_bytes != NULL) *tables_bytes = 0;
  return NoBuilder(error, error_size);
}

kws_micro_status kws_micro_write_tables(const uint8_t* model,
                                        size_t model_bytes, void* out,
                                        size_t out_bytes, char* error,
                                        size_t error_size) {
  (void)model;
  (void)model_bytes;
  (void)out;
  (void)out_bytes;
  return NoBuilder(error, error_size);
}
#endif
