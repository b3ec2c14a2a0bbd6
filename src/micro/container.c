/* The one reader of .kws files (docs/model-format.md): header, section
 * table, every payload's place, padding and CRC, then the records' sizes,
 * then the semantic rules (checks.c). format::Parse and format::Validate
 * wrap it; nothing is read before its bounds are checked. */
#include <string.h>

#include "micro/micro_internal.h"

static const char* const kSectionNames[KWS_NUM_SECTION_TYPES + 1] = {
    "",       "features", "labels",   "graph",   "weights",
    "biases", "quant",    "metadata", "detector"};

static kws_micro_status Bad(kws_text* e, const char* what) {
  kws_text_str(e, "model: ");
  kws_text_str(e, what);
  return KWS_MICRO_BAD_MODEL;
}

static void SectionName(kws_text* e, uint32_t type) {
  kws_text_str(e, "section '");
  if (type >= 1 && type <= KWS_NUM_SECTION_TYPES) {
    kws_text_str(e, kSectionNames[type]);
  } else {
    kws_text_str(e, "type ");
    kws_text_uint(e, type);
  }
  kws_text_str(e, "'");
}

static bool AllZero(const uint8_t* p, uint64_t n) {
  uint64_t i;
  for (i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

static kws_micro_status CheckHeader(const uint8_t* p, uint64_t size,
                                    uint32_t* count, kws_text* e) {
  static const uint8_t kMagic[8] = {'T', 'K', 'W', 'S', '\r', '\n', 0x1a, '\n'};
  uint8_t header[KWS_HEADER_BYTES];
  uint32_t version;
  if (size < 8 || memcmp(p, kMagic, 8) != 0) {
    return Bad(e,
               "not a tinykws model file (expected the magic bytes 54 4B "
               "57 53 0D 0A 1A 0A)");
  }
  if (size >= 12) {
    version = kws_u32(p + 8);
    if (version > KWS_FORMAT_VERSION_NEWEST) {
      kws_text_str(e, "model: written by a newer tinykws (format version ");
      kws_text_uint(e, version);
      kws_text_str(e, ", this build reads up to ");
      kws_text_uint(e, KWS_FORMAT_VERSION_NEWEST);
      kws_text_str(e, ")");
      return KWS_MICRO_UNSUPPORTED;
    }
    if (version == 0) return Bad(e, "format version 0 is invalid");
  }
  if (size < KWS_HEADER_BYTES) {
    Bad(e, "truncated header (expected 64 bytes, file has ");
    kws_text_uint(e, size);
    kws_text_str(e, ")");
    return KWS_MICRO_BAD_MODEL;
  }
  memcpy(header, p, KWS_HEADER_BYTES);
  memset(header + 32, 0, 4);
  if (kws_u32(p + 32) != kws_crc32(header, KWS_HEADER_BYTES)) {
    return Bad(e, "header CRC mismatch");
  }
  if (kws_u32(p + 12) != KWS_HEADER_BYTES) {
    return Bad(e, "header size is wrong (expected 64)");
  }
  if (kws_u32(p + 20) != 0) return Bad(e, "header flags are set");
  if (!AllZero(p + 40, KWS_HEADER_BYTES - 40)) {
    return Bad(e, "header reserved bytes are not zero");
  }
  if (kws_u64(p + 24) != size) {
    Bad(e, "file size mismatch (expected ");
    kws_text_uint(e, kws_u64(p + 24));
    kws_text_str(e, " bytes as the header says, found ");
    kws_text_uint(e, size);
    kws_text_str(e, size < kws_u64(p + 24) ? ": truncated)" : ")");
    return KWS_MICRO_BAD_MODEL;
  }
  *count = kws_u32(p + 16);
  if (*count > KWS_MAX_SECTIONS) {
    Bad(e, "section count ");
    kws_text_uint(e, *count);
    kws_text_str(e, " exceeds the limit of ");
    kws_text_uint(e, KWS_MAX_SECTIONS);
    return KWS_MICRO_BAD_MODEL;
  }
  return KWS_MICRO_OK;
}

typedef struct {
  const uint8_t* data;
  uint64_t size;
  int count;
} Section;

static kws_micro_status ParseContainer(const uint8_t* p, uint64_t size,
                                       Section found[], kws_text* e) {
  uint32_t count = 0, i;
  uint64_t table_end, end;
  kws_micro_status s = CheckHeader(p, size, &count, e);
  if (s != KWS_MICRO_OK) return s;
  table_end = KWS_HEADER_BYTES + (uint64_t)count * KWS_SECTION_ENTRY_BYTES;
  if (table_end > size) return Bad(e, "section table runs past the end");
  if (kws_u32(p + 36) !=
      kws_crc32(p + KWS_HEADER_BYTES, table_end - KWS_HEADER_BYTES)) {
    return Bad(e, "section table CRC mismatch");
  }
  end = table_end;
  for (i = 0; i < count; ++i) {
    const uint8_t* entry =
        p + KWS_HEADER_BYTES + (uint64_t)i * KWS_SECTION_ENTRY_BYTES;
    const uint32_t type = kws_u32(entry);
    const uint64_t offset = kws_u64(entry + 8);
    const uint64_t length = kws_u64(entry + 16);
    const uint64_t expected = (end + KWS_SECTION_ALIGNMENT - 1) /
                              KWS_SECTION_ALIGNMENT * KWS_SECTION_ALIGNMENT;
    const char* problem = NULL;
    if (kws_u32(entry + 4) != 0 || kws_u32(entry + 28) != 0) {
      problem = " has flags or reserved bits set";
    } else if (offset != expected) {
      problem = " starts at the wrong offset";
    } else if (offset > size || length > size - offset) {
      problem = " runs past the end of the file";
    } else if (!AllZero(p + end, offset - end)) {
      problem = ": the padding before it is not zero";
    } else if (kws_u32(entry + 24) != kws_crc32(p + offset, length)) {
      problem = " CRC mismatch";
    }
    if (problem != NULL) {
      kws_text_str(e, "model: ");
      SectionName(e, type);
      kws_text_str(e, problem);
      return KWS_MICRO_BAD_MODEL;
    }
    end = offset + length;
    /* Unknown types were CRC-checked above and are skipped, like the C++
     * reader does. */
    if (type >= 1 && type <= KWS_NUM_SECTION_TYPES) {
      if (++found[type].count > 1) {
        kws_text_str(e, "model: ");
        SectionName(e, type);
        kws_text_str(e, " appears more than once (expected once)");
        return KWS_MICRO_BAD_MODEL;
      }
      found[type].data = p + offset;
      found[type].size = length;
    }
  }
  if (end != size) return Bad(e, "file continues after the last section");
  for (i = 1; i <= KWS_NUM_SECTION_TYPES; ++i) {
    if (i == KWS_SECTION_QUANT || i == KWS_SECTION_DETECTOR ||
        found[i].count == 1) {
      continue; /* optional, or there */
    }
    kws_text_str(e, "model: required ");
    SectionName(e, i);
    kws_text_str(e, " is missing");
    return KWS_MICRO_BAD_MODEL;
  }
  return KWS_MICRO_OK;
}

static kws_micro_status WrongSize(kws_text* e, uint32_t type, uint64_t found,
                                  uint64_t expected) {
  kws_text_str(e, "model: ");
  SectionName(e, type);
  kws_text_str(e, " has the wrong size (expected ");
  kws_text_uint(e, expected);
  kws_text_str(e, " bytes, found ");
  kws_text_uint(e, found);
  kws_text_str(e, ")");
  return KWS_MICRO_BAD_MODEL;
}

/* Well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF). */
static bool IsUtf8(const uint8_t* p, uint32_t n) {
  static const uint32_t kMinForLength[4] = {0, 0x80, 0x800, 0x10000};
  uint32_t i = 0, extra, k, cp;
  while (i < n) {
    const uint8_t b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      extra = 1, cp = b & 0x1Fu;
    } else if ((b & 0xF0) == 0xE0) {
      extra = 2, cp = b & 0x0Fu;
    } else if ((b & 0xF8) == 0xF0) {
      extra = 3, cp = b & 0x07u;
    } else {
      return false;
    }
    if (extra > n - i - 1) return false;
    for (k = 1; k <= extra; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (p[i + k] & 0x3Fu);
    }
    if (cp < kMinForLength[extra] || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

/* "model: label 3" or "model: metadata entry 3 key/value". */
static void EntryName(kws_text* e, uint32_t type, uint32_t i, int s) {
  kws_text_str(e, type == KWS_SECTION_LABELS ? "model: label "
                                             : "model: metadata entry ");
  kws_text_uint(e, i);
  if (type != KWS_SECTION_LABELS) kws_text_str(e, s == 0 ? " key" : " value");
}

/* A list of `count` (u32 length, bytes) strings, `per_item` of them per
 * entry (1 for labels, 2 for metadata key/value): lengths, limits, UTF-8 and
 * uniqueness of the first string of each entry. */
static kws_micro_status CheckStrings(const uint8_t* p, uint64_t size,
                                     uint32_t type, uint32_t max_count,
                                     int per_item, kws_text* e) {
  const bool labels = type == KWS_SECTION_LABELS;
  const uint32_t max_bytes[2] = {
      labels ? KWS_MAX_LABEL_BYTES : KWS_MAX_METADATA_KEY_BYTES,
      KWS_MAX_METADATA_VALUE_BYTES};
  const uint32_t min_bytes[2] = {1, 0};
  uint64_t at = 4;
  uint32_t count, i, j;
  int s;
  if (size < 4) return WrongSize(e, type, size, 4);
  count = kws_u32(p);
  if (count > max_count || count > (size - 4) / (4u * (uint32_t)per_item)) {
    kws_text_str(e, "model: ");
    SectionName(e, type);
    kws_text_str(e, " count ");
    kws_text_uint(e, count);
    kws_text_str(e, " exceeds its limit or the section");
    return KWS_MICRO_BAD_MODEL;
  }
  for (i = 0; i < count; ++i) {
    for (s = 0; s < per_item; ++s) {
      const char* problem = NULL;
      uint32_t length = 0;
      if (size - at < 4) {
        problem = " length runs past the end of the section";
      } else {
        length = kws_u32(p + at);
        at += 4;
        if (length > size - at) {
          problem = " runs past the end of the section";
        } else if (length > max_bytes[s]) {
          problem = " is too long for its limit";
        } else if (length < min_bytes[s]) {
          problem = " is empty";
        } else if (!IsUtf8(p + at, length)) {
          problem = " is not valid UTF-8";
        }
      }
      if (problem != NULL) {
        EntryName(e, type, i, s);
        kws_text_str(e, problem);
        return KWS_MICRO_BAD_MODEL;
      }
      at += length;
    }
  }
  if (at != size) {
    kws_text_str(e, "model: ");
    SectionName(e, type);
    kws_text_str(e, " has unexpected bytes at its end");
    return KWS_MICRO_BAD_MODEL;
  }
  /* Unique first strings (label names, metadata keys): entries are walked
   * again rather than indexed, so nothing is stored. */
  for (i = 0, at = 4; i < count; ++i) {
    const uint32_t n = kws_u32(p + at);
    uint64_t other = at;
    for (s = 0; s < per_item; ++s) other += 4 + kws_u32(p + other);
    for (j = i + 1; j < count; ++j) {
      const uint32_t m = kws_u32(p + other);
      if (m == n && memcmp(p + at + 4, p + other + 4, n) == 0) {
        EntryName(e, type, j, 0);
        kws_text_str(e, " '");
        kws_text_bytes(e, p + at + 4, n);
        kws_text_str(e, "' is a duplicate");
        return KWS_MICRO_BAD_MODEL;
      }
      for (s = 0; s < per_item; ++s) other += 4 + kws_u32(p + other);
    }
    for (s = 0; s < per_item; ++s) at += 4 + kws_u32(p + at);
  }
  return KWS_MICRO_OK;
}

static void DecodeFeatures(const uint8_t* p, bool v2, kws_view* m) {
  m->sample_rate = kws_i32(p);
  m->clip_samples = kws_i32(p + 4);
  m->frame_length = kws_i32(p + 8);
  m->frame_step = kws_i32(p + 12);
  m->mel_bins = kws_i32(p + 16);
  m->fmin_hz = kws_f32(p + 20);
  m->fmax_hz = kws_f32(p + 24);
  m->num_mfcc = kws_i32(p + 28);
  m->log_offset = kws_f32(p + 32);
  m->front_end = v2 ? kws_u32(p + 36) : 0;
}

kws_micro_status kws_read_model_with(const uint8_t* p, size_t size, kws_view* m,
                                     const uint8_t** metadata, kws_text* e,
                                     kws_check_fn float32_check) {
  Section found[KWS_NUM_SECTION_TYPES + 1];
  kws_micro_status s;
  uint64_t expected;
  memset(found, 0, sizeof found);
  memset(m, 0, sizeof *m);
  m->bytes = p;
  m->size = size;
  if (p == NULL) {
    kws_text_str(e, "model: no bytes (null pointer)");
    return KWS_MICRO_INVALID_ARGUMENT;
  }
  s = ParseContainer(p, size, found, e);
  if (s != KWS_MICRO_OK) return s;
  expected = kws_u32(p + 8) == KWS_FORMAT_VERSION_FIRST ? KWS_FEATURES_BYTES_V1
                                                        : KWS_FEATURES_BYTES_V2;
  if (found[1].size != expected) {
    return WrongSize(e, 1, found[1].size, expected);
  }
  DecodeFeatures(found[1].data, expected == KWS_FEATURES_BYTES_V2, m);
  if (expected == KWS_FEATURES_BYTES_V2 &&
      m->front_end == 0) { /* the C++ reader's rule */
    return Bad(e,
               "section 'features': format version 2 records a float32 "
               "front end; a float64 model is written as version 1");
  }
  s = CheckStrings(found[2].data, found[2].size, 2, KWS_MAX_LABELS, 1, e);
  if (s != KWS_MICRO_OK) return s;
  m->labels = found[2].data;
  if (metadata != NULL) *metadata = found[7].data;
  m->num_labels = kws_u32(found[2].data);
  s = CheckStrings(found[7].data, found[7].size, 7, KWS_MAX_METADATA_PAIRS, 2,
                   e);
  if (s != KWS_MICRO_OK) return s;
  if (found[3].size < KWS_GRAPH_HEAD_BYTES) {
    return WrongSize(e, 3, found[3].size, KWS_GRAPH_HEAD_BYTES);
  }
  m->precision = kws_u32(found[3].data);
  m->input_scale = kws_f32(found[3].data + 4);
  m->input_zero_point = kws_i32(found[3].data + 8);
  m->conv_count = kws_u32(found[3].data + 12);
  if (m->precision != 1 && m->precision != 2) {
    Bad(e,
        "graph precision is unknown (expected 1 = int8 or 2 = float32, found ");
    kws_text_uint(e, m->precision);
    kws_text_str(e, ")");
    return KWS_MICRO_BAD_MODEL;
  }
  if (m->conv_count > KWS_MAX_CONVS) {
    Bad(e, "graph conv count ");
    kws_text_uint(e, m->conv_count);
    kws_text_str(e, " exceeds the limit of ");
    kws_text_uint(e, KWS_MAX_CONVS);
    return KWS_MICRO_BAD_MODEL;
  }
  expected = KWS_GRAPH_HEAD_BYTES +
             (uint64_t)m->conv_count * KWS_CONV_RECORD_BYTES +
             KWS_DENSE_RECORD_BYTES;
  if (found[3].size != expected) {
    return WrongSize(e, 3, found[3].size, expected);
  }
  m->convs = found[3].data + KWS_GRAPH_HEAD_BYTES;
  {
    const uint8_t* dense = m->convs + m->conv_count * KWS_CONV_RECORD_BYTES;
    uint32_t i;
    for (i = 0; i < m->conv_count; ++i) {
      if (kws_u32(m->convs + i * KWS_CONV_RECORD_BYTES + 64) > 1) {
        return Bad(e, "graph conv relu flag is invalid (expected 0 or 1)");
      }
    }
    m->dense_in = kws_i32(dense);
    m->dense_out = kws_i32(dense + 4);
    m->pool_count = kws_i32(dense + 8);
  }
  m->weights = found[4].data;
  m->biases = found[5].data;
  m->quant = found[6].count ? found[6].data : NULL;
  m->weights_size = found[4].size;
  m->biases_size = found[5].size;
  m->quant_size = found[6].size;
  m->has_detector = found[8].count == 1;
  if (m->has_detector) {
    expected = KWS_DETECTOR_HEAD_BYTES + 4 * (uint64_t)m->num_labels;
    if (found[8].size != expected) {
      return WrongSize(e, 8, found[8].size, expected);
    }
    m->detector = found[8].data;
  }
  /* Shapes first (sizes of the arrays follow from them), then the arrays. */
  return kws_check_model(m, e, float32_check);
}

kws_micro_status kws_parse_model(const uint8_t* p, size_t size, kws_view* m,
                                 kws_text* e) {
  return kws_read_model_with(p, size, m, NULL, e, NULL);
}
