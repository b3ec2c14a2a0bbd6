// kws_micro_classify against the C++ runtime: label, softmax scores and
// logits bit for bit (logits from quant::RunInt8Reference, which the C++
// kernels match bit for bit), on synthetic clips, both MFCC front ends, and
// every testing-split clip of the shared Speech Commands data when present.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "micro_test_util.hpp"
#include "quant/int8_reference.hpp"
#include "test_models.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/runtime.hpp"

namespace tinykws::micro_test {
namespace {

// Compares one clip; returns false (with failures recorded) on a mismatch.
class Reference {
 public:
  explicit Reference(const std::string& bytes, bool with_tables = false)
      : micro_(bytes, with_tables), file_(format::Parse(bytes, "model")) {
    EXPECT_TRUE(micro_.ok()) << micro_.error();
    EXPECT_TRUE(file_.ok()) << file_.status().message();
    auto model = Model::LoadFromBuffer(bytes.data(), bytes.size());
    EXPECT_TRUE(model.ok()) << model.status().message();
    auto session = Session::Create(*model);
    EXPECT_TRUE(session.ok());
    session_ = std::make_unique<Session>(std::move(*session));
    auto extractor = MfccExtractor::Create(file_->features);
    EXPECT_TRUE(extractor.ok());
    extractor_ = std::make_unique<MfccExtractor>(std::move(*extractor));
  }

  bool Check(const std::vector<int16_t>& pcm, const std::string& what) {
    const FeatureConfig& f = file_->features;
    ClassifyResult expected;
    const Status s =
        session_->Classify(pcm.data(), pcm.size(), f.sample_rate, &expected);
    EXPECT_TRUE(s.ok()) << s.message();
    std::vector<float> mfcc(f.num_features());
    extractor_->Compute(pcm.data(), pcm.size(), mfcc.data(), mfcc.size());
    quant::Int8Trace trace;
    quant::RunInt8Reference(*file_, mfcc.data(), &trace);

    // The features themselves, every float (the int8 input quantization
    // would hide a last-bit difference).
    std::vector<float> micro_mfcc(mfcc.size());
    EXPECT_EQ(kws_micro_features(micro_.get(), pcm.data(), pcm.size(),
                                 micro_mfcc.data(), micro_mfcc.size()),
              KWS_MICRO_OK);
    size_t mfcc_mismatches = 0;
    for (size_t i = 0; i < mfcc.size(); ++i) {
      if (FloatBits(mfcc[i]) != FloatBits(micro_mfcc[i])) {
        if (++mfcc_mismatches <= 3) {
          ADD_FAILURE() << what << ": MFCC " << i << " " << micro_mfcc[i]
                        << " vs " << mfcc[i];
        }
      }
    }

    const size_t labels = file_->labels.size();
    std::vector<float> scores(labels), logits(labels);
    int label = -1;
    EXPECT_EQ(kws_micro_classify(micro_.get(), pcm.data(), pcm.size(), &label,
                                 scores.data(), logits.data()),
              KWS_MICRO_OK);
    bool same = label == expected.label && mfcc_mismatches == 0;
    EXPECT_EQ(label, expected.label) << what;
    for (size_t k = 0; k < labels; ++k) {
      same = same && FloatBits(scores[k]) == FloatBits(expected.scores[k]) &&
             FloatBits(logits[k]) == FloatBits(trace.logits[k]);
      EXPECT_EQ(FloatBits(scores[k]), FloatBits(expected.scores[k]))
          << what << ": score " << k << " " << scores[k] << " vs "
          << expected.scores[k];
      EXPECT_EQ(FloatBits(logits[k]), FloatBits(trace.logits[k]))
          << what << ": logit " << k << " " << logits[k] << " vs "
          << trace.logits[k];
    }
    return same;
  }

  const FeatureConfig& features() const { return file_->features; }

 private:
  MicroInstance micro_;
  StatusOr<format::ModelFile> file_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<MfccExtractor> extractor_;
};

// Tables computed at init, and read from a tables blob
// (kws_micro_write_tables).
TEST(MicroClassify, SyntheticClipsAreBitIdentical) {
  for (const auto& [name, bytes] : TestModels()) {
    for (bool with_tables : {false, true}) {
      SCOPED_TRACE(name + (with_tables ? ", tables blob" : ""));
      Reference reference(bytes, with_tables);
      for (const auto& [what, pcm] :
           TestClips(static_cast<size_t>(reference.features().clip_samples))) {
        reference.Check(pcm, name + ", " + what);
      }
    }
  }
}

// The float32 front end: the same models written with
// features.precision = float32 (format version 2).
TEST(MicroClassify, Float32FrontEndIsBitIdentical) {
  for (const auto& [name, float64_bytes] : TestModels()) {
    SCOPED_TRACE(name);
    const std::string bytes = WithFloat32FrontEnd(float64_bytes);
    ASSERT_FALSE(bytes.empty());
    ASSERT_EQ(bytes[8], 2) << "a float32 front end is format version 2";
    for (bool with_tables : {false, true}) {
      SCOPED_TRACE(with_tables ? "tables blob" : "");
      Reference reference(bytes, with_tables);
      for (const auto& [what, pcm] :
           TestClips(static_cast<size_t>(reference.features().clip_samples))) {
        reference.Check(pcm, name + ", " + what);
      }
    }
  }
}

// Other FFT lengths than the default 400 (frame_length 800): radix 2 and 3
// in place, and a generic radix (7), whose inputs go through the scratch;
// both front ends, with and without a tables blob. The trained weights run
// on them unchanged (34 frames still).
TEST(MicroClassify, OtherFftLengthsAreBitIdentical) {
  for (int frame_length : {882, 972, 1000, 1024}) {
    StatusOr<format::ModelFile> file =
        format::Parse(TrainedModel("go_stop_tuned.kws"), "model");
    ASSERT_TRUE(file.ok());
    file->features.frame_length = frame_length;
    ASSERT_EQ(file->features.num_frames(), 34);
    const std::string f64 = format::Serialize(*file);
    for (const std::string& bytes : {f64, WithFloat32FrontEnd(f64)}) {
      for (bool with_tables : {false, true}) {
        SCOPED_TRACE("frame_length " + std::to_string(frame_length) +
                     (bytes[8] == 2 ? ", float32" : ", float64") +
                     (with_tables ? ", tables blob" : ""));
        Reference reference(bytes, with_tables);
        for (const auto& [what, pcm] : TestClips(16000)) {
          reference.Check(pcm, what);
        }
      }
    }
  }
}

// The float32 front end really is another computation (so the test above
// compares what it should): a loud tone gives different last bits.
TEST(MicroClassify, Float32FrontEndDiffersFromFloat64) {
  const std::string f64 = TrainedModel("go_stop_tuned.kws");
  MicroInstance a(f64), b(WithFloat32FrontEnd(f64));
  ASSERT_TRUE(a.ok() && b.ok());
  const int n = kws_micro_num_frames(a.get()) * kws_micro_num_mfcc(a.get());
  std::vector<float> x(n), y(n);
  const std::vector<int16_t> pcm = Tone(16000, 1000.0, 0.9);
  ASSERT_EQ(kws_micro_features(a.get(), pcm.data(), pcm.size(), x.data(), n),
            KWS_MICRO_OK);
  ASSERT_EQ(kws_micro_features(b.get(), pcm.data(), pcm.size(), y.data(), n),
            KWS_MICRO_OK);
  EXPECT_NE(x, y);
}

// Every clip of the testing split, through both trained models and the
// four-class model, both front ends; the tuned model also with its tables
// blob.
TEST(MicroClassify, EveryTestingClipIsBitIdentical) {
  const std::string dir = DataDir();
  std::ifstream list(dir + "/testing_list.txt");
  if (!list) GTEST_SKIP() << dir << "/testing_list.txt is absent";
  std::vector<std::string> clips;
  for (std::string line; std::getline(list, line);) {
    if (!line.empty()) clips.push_back(line);
  }
  std::vector<std::unique_ptr<Reference>> references;
  for (const auto& [name, bytes] : TestModels()) {
    if (name == "tone") continue;
    references.push_back(std::make_unique<Reference>(bytes));
    references.push_back(
        std::make_unique<Reference>(WithFloat32FrontEnd(bytes)));
    if (name == "go_stop_tuned") {
      references.push_back(std::make_unique<Reference>(bytes, true));
      references.push_back(
          std::make_unique<Reference>(WithFloat32FrontEnd(bytes), true));
    }
  }
  size_t mismatches = 0;
  for (const std::string& clip : clips) {
    StatusOr<AudioClip> audio = ReadAudio(dir + "/" + clip, 16000);
    ASSERT_TRUE(audio.ok()) << audio.status().message();
    for (auto& reference : references) {
      if (!reference->Check(audio->samples, clip)) ++mismatches;
    }
    if (mismatches > 10) FAIL() << "stopping after 10 mismatching clips";
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(clips.size(), 0u);
}

}  // namespace
}  // namespace tinykws::micro_test
