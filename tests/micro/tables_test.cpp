// The tables blob (kws_micro_write_tables, kws_micro_init_with_tables): exact
// sizes, and every damaged, foreign, short or misaligned blob is refused.
// Bit identity with tables is in classify_test.cpp and stream_test.cpp.
#include "format/model_file.hpp"
#include "micro_test_util.hpp"
#include "test_models.hpp"

namespace tinykws::micro_test {
namespace {

// A blob as 8-byte aligned words (a copy may be changed freely).
struct Blob {
  std::vector<uint64_t> words;
  size_t size = 0;
  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(words.data()); }
  const uint8_t* bytes() const {
    return reinterpret_cast<const uint8_t*>(words.data());
  }
};

Blob MakeBlob(const std::string& model) {
  Blob blob;
  size_t size = 0;
  std::string error;
  const Buffer tables = WriteTables(model, &size, &error);
  EXPECT_NE(tables, nullptr) << error;
  if (tables == nullptr) return blob;
  blob.words.resize((size + 7) / 8);
  std::memcpy(blob.words.data(), tables.get(), size);
  blob.size = size;
  return blob;
}

void Store32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// Recomputes the payload and header CRCs (so changes reach later checks).
void Reseal(Blob& blob) {
  Store32(blob.bytes() + 20, format::Crc32(blob.bytes() + 64, blob.size - 64));
  Store32(blob.bytes() + 60, format::Crc32(blob.bytes(), 60));
}

kws_micro_status Check(const std::string& model, const void* tables,
                       size_t size, std::string* message = nullptr) {
  char error[256] = "";
  size_t arena = 0;
  const kws_micro_status s = kws_micro_arena_size_with_tables(
      Bytes(model), model.size(), tables, size, &arena, error, sizeof error);
  if (message != nullptr) *message = error;
  EXPECT_TRUE(s == KWS_MICRO_OK || error[0] != '\0') << "no message";
  return s;
}

// Arena and blob bytes of the default shapes (docs/micro.md): a change of
// the layout shows here.
TEST(MicroTables, ArenaAndTablesBytesOfTheDefaultShapes) {
  const struct {
    std::string bytes;
    size_t arena64, tables64, arena32, tables32;
  } cases[] = {
      {TrainedModel("go_stop_tuned.kws"), 10136, 19504, 6936, 11240},
      {format::Serialize(FourClassModel()), 10192, 19504, 6992, 11240},
  };
  for (const auto& c : cases) {
    for (bool f32 : {false, true}) {
      const std::string model = f32 ? WithFloat32FrontEnd(c.bytes) : c.bytes;
      size_t plain = 0, with = 0, tables = 0;
      ASSERT_EQ(
          kws_micro_arena_size(Bytes(model), model.size(), &plain, nullptr, 0),
          KWS_MICRO_OK);
      ASSERT_EQ(kws_micro_tables_size(Bytes(model), model.size(), &tables,
                                      nullptr, 0),
                KWS_MICRO_OK);
      MicroInstance micro(model, true);
      ASSERT_TRUE(micro.ok()) << micro.error();
      EXPECT_EQ(micro.tables_bytes(), tables);
      with = micro.arena_bytes();
      EXPECT_EQ(with, f32 ? c.arena32 : c.arena64);
      EXPECT_EQ(tables, f32 ? c.tables32 : c.tables64);
      // NULL tables: the plain functions.
      ASSERT_EQ(kws_micro_arena_size_with_tables(Bytes(model), model.size(),
                                                 nullptr, 0, &with, nullptr, 0),
                KWS_MICRO_OK);
      EXPECT_EQ(with, plain);
    }
  }
}

TEST(MicroTables, WritingIsDeterministicAndSizeChecked) {
  const std::string model = TrainedModel("go_stop_tuned.kws");
  const Blob a = MakeBlob(model), b = MakeBlob(model);
  ASSERT_GT(a.size, 64u);
  EXPECT_EQ(a.words, b.words);
  EXPECT_EQ(std::memcmp(a.bytes(), "TKWSTAB1", 8), 0);
  std::vector<uint64_t> out(a.words.size() + 1, 0x5A5A5A5A5A5A5A5Aull);
  const std::vector<uint64_t> before = out;
  char error[256];
  EXPECT_EQ(kws_micro_write_tables(Bytes(model), model.size(), out.data(),
                                   a.size - 1, error, sizeof error),
            KWS_MICRO_ARENA_TOO_SMALL);
  EXPECT_EQ(out, before);
  EXPECT_EQ(kws_micro_write_tables(Bytes(model), model.size(),
                                   reinterpret_cast<uint8_t*>(out.data()) + 4,
                                   a.size, error, sizeof error),
            KWS_MICRO_INVALID_ARGUMENT);
  EXPECT_NE(std::string(error).find("aligned"), std::string::npos);
  EXPECT_EQ(kws_micro_write_tables(Bytes(model), model.size(), nullptr, 0,
                                   error, sizeof error),
            KWS_MICRO_INVALID_ARGUMENT);
  // A bad model is reported as such.
  EXPECT_EQ(kws_micro_write_tables(Bytes(model), 10, out.data(), a.size, error,
                                   sizeof error),
            KWS_MICRO_BAD_MODEL);
}

// Every byte of a blob changed (a single bit, the top bit, all bits): the
// CRCs, the magic or the header checks refuse it, with a message, both in
// kws_micro_arena_size_with_tables and kws_micro_init_with_tables.
TEST(MicroTables, EveryByteFlipIsRefused) {
  for (bool f32 : {true, false}) {
    SCOPED_TRACE(f32 ? "float32" : "float64");
    const std::string base = TrainedModel("go_stop_tuned.kws");
    const std::string model = f32 ? WithFloat32FrontEnd(base) : base;
    const Blob blob = MakeBlob(model);
    ASSERT_EQ(Check(model, blob.bytes(), blob.size), KWS_MICRO_OK);
    size_t need = 0;
    ASSERT_EQ(kws_micro_arena_size_with_tables(Bytes(model), model.size(),
                                               blob.bytes(), blob.size, &need,
                                               nullptr, 0),
              KWS_MICRO_OK);
    std::vector<uint64_t> arena(need / 8 + 1);
    Blob changed = blob;
    for (size_t i = 0; i < blob.size; ++i) {
      // Every byte in float32; every 7th (and the whole header) in float64.
      if (!f32 && i >= 64 && i % 7 != 0) continue;
      for (uint8_t mask : {0x01, 0x80, 0xFF}) {
        if (i >= 64 && mask != 0x01) continue;
        changed.bytes()[i] ^= mask;
        std::string message;
        EXPECT_EQ(Check(model, changed.bytes(), changed.size, &message),
                  KWS_MICRO_BAD_TABLES)
            << "byte " << i << " ^ " << int{mask};
        if (i % 97 == 0) {
          kws_micro* kws = nullptr;
          EXPECT_EQ(kws_micro_init_with_tables(
                        Bytes(model), model.size(), changed.bytes(),
                        changed.size, arena.data(), need, &kws, nullptr, 0),
                    KWS_MICRO_BAD_TABLES);
          EXPECT_EQ(kws, nullptr);
        }
        changed.bytes()[i] ^= mask;
      }
    }
  }
}

TEST(MicroTables, TooShortOrTruncatedIsRefused) {
  const std::string model = TrainedModel("go_stop_tuned.kws");
  const Blob blob = MakeBlob(model);
  std::string message;
  for (size_t n = 0; n < 64; ++n) {
    EXPECT_EQ(Check(model, blob.bytes(), n, &message), KWS_MICRO_BAD_TABLES);
    EXPECT_NE(message.find("too short"), std::string::npos) << message;
  }
  for (size_t n : {size_t{64}, size_t{65}, blob.size / 2, blob.size - 8,
                   blob.size - 1, blob.size + 1, blob.size + 8}) {
    Blob longer = blob;
    longer.words.resize(longer.words.size() + 2, 0);
    EXPECT_EQ(Check(model, longer.bytes(), n, &message), KWS_MICRO_BAD_TABLES)
        << n;
    EXPECT_NE(message.find("size mismatch"), std::string::npos) << message;
  }
  // Null tables with a size: the plain path (tables_bytes is ignored).
  EXPECT_EQ(Check(model, nullptr, 12345), KWS_MICRO_OK);
}

TEST(MicroTables, MisalignedTablesAreRefused) {
  const std::string model = TrainedModel("go_stop_tuned.kws");
  const Blob blob = MakeBlob(model);
  for (size_t shift : {1, 2, 4}) {
    std::vector<uint64_t> copy(blob.words.size() + 1);
    uint8_t* at = reinterpret_cast<uint8_t*>(copy.data()) + shift;
    std::memcpy(at, blob.bytes(), blob.size);
    std::string message;
    EXPECT_EQ(Check(model, at, blob.size, &message),
              KWS_MICRO_INVALID_ARGUMENT);
    EXPECT_NE(message.find("tables are not 8-byte aligned"), std::string::npos)
        << message;
  }
}

// A blob made for another feature config: the message says so. A model with
// the same features record (go_stop_seed: the same front end) may share it.
TEST(MicroTables, AnotherFeatureConfigIsRefused) {
  const std::string tuned = TrainedModel("go_stop_tuned.kws");
  const Blob blob = MakeBlob(tuned);
  StatusOr<format::ModelFile> narrower = format::Parse(tuned, "model");
  ASSERT_TRUE(narrower.ok());
  narrower->features.fmax_hz = 4000.0f;
  const std::string others[] = {WithFloat32FrontEnd(tuned),
                                format::Serialize(*narrower)};
  for (const std::string& other : others) {
    std::string message;
    EXPECT_EQ(Check(other, blob.bytes(), blob.size, &message),
              KWS_MICRO_BAD_TABLES);
    EXPECT_EQ(message, "tables were made for another feature config");
  }
  // The float32 blob on the float64 model, too.
  const Blob blob32 = MakeBlob(WithFloat32FrontEnd(tuned));
  std::string message;
  EXPECT_EQ(Check(tuned, blob32.bytes(), blob32.size, &message),
            KWS_MICRO_BAD_TABLES);
  EXPECT_EQ(message, "tables were made for another feature config");
  EXPECT_EQ(Check(TrainedModel("go_stop_seed.kws"), blob.bytes(), blob.size),
            KWS_MICRO_OK);
}

// Changes with both CRCs recomputed (a crafted blob): the geometry and band
// checks keep every index in range.
TEST(MicroTables, ResealedChangesAreRangeChecked) {
  const std::string model = TrainedModel("go_stop_tuned.kws");
  const Blob blob = MakeBlob(model);
  std::string message;
  {
    Blob b = blob;  // highest bin past the FFT
    Store32(b.bytes() + 40, 401);
    Reseal(b);
    EXPECT_EQ(Check(model, b.bytes(), b.size, &message), KWS_MICRO_BAD_TABLES);
    EXPECT_EQ(message, "tables: bin or weight counts out of range");
  }
  {
    Blob b = blob;  // half of another FFT length
    Store32(b.bytes() + 32, 200);
    Reseal(b);
    EXPECT_EQ(Check(model, b.bytes(), b.size, &message), KWS_MICRO_BAD_TABLES);
    EXPECT_EQ(message, "tables were made for another feature config");
  }
  {
    Blob b = blob;  // format version 2
    Store32(b.bytes() + 8, 2);
    Reseal(b);
    EXPECT_EQ(Check(model, b.bytes(), b.size, &message), KWS_MICRO_BAD_TABLES);
    EXPECT_EQ(message,
              "tables: format version 2 is not supported (this build reads "
              "1)");
  }
  // Every mel band's first / count / offset word set to a large, a negative
  // and an off-by-one value.
  // The band table of go_stop_tuned's float64 blob: after the header, the
  // window (2 x 400 doubles), the twiddles (2 x 385: stages 4, 4, 5, 5), no
  // roots and the split factors (2 x 248 bins).
  const size_t bands = 64 + 6400 + 6160 + 0 + 3968;
  {
    int32_t first_offset, first_count;
    std::memcpy(&first_offset, blob.bytes() + bands + 4 * 40, 4);
    std::memcpy(&first_count, blob.bytes() + bands + 4 * 20, 4);
    ASSERT_EQ(first_offset, 0);
    ASSERT_GT(first_count, 0);
  }
  const int32_t mels = 20;
  for (int32_t b = 0; b < mels; ++b) {
    for (int part = 0; part < 3; ++part) {
      for (int32_t value : {1 << 20, -1}) {
        Blob c = blob;
        // first: past the highest bin, or 0 (below the lowest, bin 2).
        const int32_t v = part == 0 && value == -1 ? 0 : value;
        std::memcpy(c.bytes() + bands + 4 * (part * mels + b), &v, 4);
        Reseal(c);
        EXPECT_EQ(Check(model, c.bytes(), c.size, &message),
                  KWS_MICRO_BAD_TABLES)
            << "band " << b << " part " << part;
        EXPECT_EQ(message,
                  "tables: a mel band lies outside the stored bins or weights");
      }
    }
  }
}

TEST(MicroTables, ArenaOneByteShortWritesNothing) {
  const std::string model = TrainedModel("go_stop_tuned.kws");
  const Blob blob = MakeBlob(model);
  size_t need = 0;
  char error[256];
  ASSERT_EQ(
      kws_micro_arena_size_with_tables(Bytes(model), model.size(), blob.bytes(),
                                       blob.size, &need, error, sizeof error),
      KWS_MICRO_OK);
  std::vector<uint64_t> buffer(need / 8 + 2, 0x5A5A5A5A5A5A5A5Aull);
  const std::vector<uint64_t> before = buffer;
  kws_micro* kws = nullptr;
  EXPECT_EQ(kws_micro_init_with_tables(Bytes(model), model.size(), blob.bytes(),
                                       blob.size, buffer.data(), need - 1, &kws,
                                       error, sizeof error),
            KWS_MICRO_ARENA_TOO_SMALL);
  EXPECT_EQ(std::string(error), "arena too small: " + std::to_string(need - 1) +
                                    " bytes given, " + std::to_string(need) +
                                    " needed");
  EXPECT_EQ(kws, nullptr);
  EXPECT_EQ(buffer, before);
  // The blob is read only: init with it leaves it as it was.
  const Blob copy = blob;
  ASSERT_EQ(kws_micro_init_with_tables(Bytes(model), model.size(), blob.bytes(),
                                       blob.size, buffer.data(), need, &kws,
                                       error, sizeof error),
            KWS_MICRO_OK);
  EXPECT_EQ(copy.words, blob.words);
}

}  // namespace
}  // namespace tinykws::micro_test
