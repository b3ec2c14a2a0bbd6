// The runtime against the int8 reference executor: bit-identical logits for
// every kernel and many layer geometries; loading, errors, allocation.
#include "tinykws/runtime.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <thread>

#include "../common/alloc_counter.hpp"
#include "../common/random_model.hpp"
#include "common/cpu.hpp"
#include "format/model_file.hpp"
#include "quant/int8_reference.hpp"
#include "runtime/model_impl.hpp"
#include "tinykws/features.hpp"

namespace tinykws {
namespace {

using testing::ConvShape;

std::vector<const kws_kernels*> Kernels() {
  std::vector<const kws_kernels*> kernels = {&runtime::kPortableKernels};
#if defined(TINYKWS_HAVE_X86_KERNELS)
  if (CpuHasAvx2()) kernels.push_back(&runtime::kAvx2Kernels);
  if (CpuHasAvx512Vnni()) kernels.push_back(&runtime::kAvx512VnniKernels);
#endif
#if defined(__aarch64__)
  kernels.push_back(&runtime::kNeonKernels);
#endif
  return kernels;
}

std::shared_ptr<const Model> Load(const format::ModelFile& file) {
  const std::string bytes = format::Serialize(file);
  StatusOr<std::shared_ptr<const Model>> model =
      Model::LoadFromBuffer(bytes.data(), bytes.size(), "test.kws");
  EXPECT_TRUE(model.ok()) << model.status().message();
  return model.ok() ? *model : nullptr;
}

// Runs inputs through the reference and every kernel; logits must be equal.
void ExpectBitIdentical(const std::vector<ConvShape>& shapes, uint32_t seed) {
  const FeatureConfig f = testing::SmallFeatures();
  const quant::FloatModel float_model =
      testing::RandomFloatModel(f, shapes, 3, seed);
  const format::ModelFile file = testing::RandomInt8Model(float_model, seed);
  ASSERT_TRUE(format::Validate(file, "random").ok())
      << format::Validate(file, "random").message();
  const std::shared_ptr<const Model> model = Load(file);
  ASSERT_NE(model, nullptr);
  std::mt19937 rng(seed + 1);
  for (const kws_kernels* kernel : Kernels()) {
    StatusOr<Session> session = Session::Create(model);
    ASSERT_TRUE(session.ok());
    runtime::Internals::Of(*session).kernels = kernel;
    for (int trial = 0; trial < 10; ++trial) {
      const std::vector<float> x = testing::RandomMfcc(f, rng);
      quant::Int8Trace trace;
      quant::RunInt8Reference(file, x.data(), &trace);
      // A meaningful comparison: every layer's activations take many values.
      for (const std::vector<int8_t>& a : trace.activations) {
        std::set<int8_t> distinct(a.begin(), a.end());
        ASSERT_GT(distinct.size(), 8u) << "degenerate random model";
      }
      ClassifyResult result;
      ASSERT_TRUE(session->ClassifyFeatures(x.data(), x.size(), &result).ok());
      for (int k = 0; k < 3; ++k) {
        ASSERT_EQ(runtime::Internals::Logits(*session)[k], trace.logits[k])
            << kernel->name << " trial " << trial << " logit " << k;
      }
      const std::vector<float> scores = quant::Softmax(trace.logits);
      EXPECT_EQ(std::memcmp(result.scores, scores.data(), 3 * sizeof(float)),
                0);
    }
  }
}

TEST(Runtime, GoStopShapeIsBitIdenticalToTheReference) {
  ExpectBitIdentical({{24}, {24}}, 1);
}

TEST(Runtime, TemporalShapeIsBitIdentical) {
  ConvShape first{24, 3, 10};
  first.same = false;
  ConvShape second{24, 3, 1};
  second.dilation_h = 2;
  ConvShape third{24, 3, 1};
  third.dilation_h = 4;
  ExpectBitIdentical({first, second, third}, 2);
}

TEST(Runtime, OddGeometriesAreBitIdentical) {
  ConvShape strided{13, 3, 3, 2, 2};  // 13 channels: a partial vector
  ConvShape dilated{5, 3, 2};
  dilated.dilation_h = 2;
  dilated.relu = false;
  ConvShape valid{30, 2, 3};
  valid.same = false;
  ExpectBitIdentical({strided, dilated, valid}, 3);
  ExpectBitIdentical({{16, 5, 5}, {40, 1, 1}}, 4);
  ConvShape wide{128, 3, 3, 2, 2};  // the reference model's first layer
  ExpectBitIdentical({wide, {128}}, 5);
}

// Trained go/stop models (the tuned and the seed recipe, int8, from
// kws-train export; tests/runtime/data/README.md) on speech-like synthetic
// clips: every kernel gives the int8 reference's logits.
TEST(Runtime, TrainedModelsAreBitIdenticalOnEveryKernel) {
  for (const char* name : {"go_stop_tuned.kws", "go_stop_seed.kws"}) {
    SCOPED_TRACE(name);
    const std::string path =
        std::string(TINYKWS_SOURCE_DIR) + "/tests/runtime/data/" + name;
    StatusOr<format::ModelFile> file = format::ReadModelFile(path);
    ASSERT_TRUE(file.ok()) << file.status().message();
    StatusOr<std::shared_ptr<const Model>> model = Model::Load(path);
    ASSERT_TRUE(model.ok()) << model.status().message();
    StatusOr<MfccExtractor> extractor = MfccExtractor::Create(file->features);
    ASSERT_TRUE(extractor.ok());
    const int samples = file->features.clip_samples;
    std::vector<float> mfcc(file->features.num_features());
    std::mt19937 rng(11);
    std::normal_distribution<float> noise(0.0f, 300.0f);
    std::uniform_real_distribution<float> pitch(90.0f, 300.0f);
    int differing_labels = 0;
    for (int clip = 0; clip < 20; ++clip) {
      // A voiced tone with harmonics over noise, its onset moving.
      const float f0 = pitch(rng);
      std::vector<int16_t> pcm(samples);
      for (int i = 0; i < samples; ++i) {
        float v = noise(rng);
        if (i > clip * 400 && i < clip * 400 + 8000) {
          for (int h = 1; h <= 8; ++h)
            v += 2500.0f / h * std::sin(6.2831853f * f0 * h * i / 16000.0f);
        }
        pcm[i] = static_cast<int16_t>(std::clamp(v, -32768.0f, 32767.0f));
      }
      ASSERT_TRUE(
          extractor->Compute(pcm.data(), pcm.size(), mfcc.data(), mfcc.size())
              .ok());
      quant::Int8Trace trace;
      quant::RunInt8Reference(*file, mfcc.data(), &trace);
      for (const kws_kernels* kernel : Kernels()) {
        StatusOr<Session> session = Session::Create(*model);
        ASSERT_TRUE(session.ok());
        runtime::Internals::Of(*session).kernels = kernel;
        ClassifyResult result;
        ASSERT_TRUE(
            session->ClassifyFeatures(mfcc.data(), mfcc.size(), &result).ok());
        for (size_t k = 0; k < trace.logits.size(); ++k) {
          ASSERT_EQ(runtime::Internals::Logits(*session)[k], trace.logits[k])
              << kernel->name << " clip " << clip << " logit " << k;
        }
      }
      differing_labels += trace.logits[0] > trace.logits[1];
    }
    // The clips are not all one answer: the comparison covers both labels.
    EXPECT_GT(differing_labels, 0);
    EXPECT_LT(differing_labels, 20);
  }
}

// use_simd = false picks the portable kernel; the best kernel otherwise.
TEST(Runtime, SessionOptionsChooseThePortableKernel) {
  const FeatureConfig f = testing::SmallFeatures();
  const quant::FloatModel float_model =
      testing::RandomFloatModel(f, {{8}, {8}}, 3, 7);
  const std::shared_ptr<const Model> model =
      Load(testing::RandomInt8Model(float_model, 7));
  ASSERT_NE(model, nullptr);
  SessionOptions portable;
  portable.use_simd = false;
  StatusOr<Session> slow = Session::Create(model, portable);
  StatusOr<Session> fast = Session::Create(model);
  ASSERT_TRUE(slow.ok() && fast.ok());
  EXPECT_STREQ(slow->kernel_name(), "portable");
  EXPECT_STREQ(fast->kernel_name(), runtime::BestConvKernels().name);
  std::mt19937 rng(8);
  const std::vector<float> x = testing::RandomMfcc(f, rng);
  ClassifyResult a, b;
  ASSERT_TRUE(slow->ClassifyFeatures(x.data(), x.size(), &a).ok());
  ASSERT_TRUE(fast->ClassifyFeatures(x.data(), x.size(), &b).ok());
  EXPECT_EQ(std::memcmp(a.scores, b.scores, 3 * sizeof(float)), 0);
}

// The float network written out plainly (double accumulation, direct
// indexing), independent of quant::FloatExecutor.
std::vector<double> PlainForward(const quant::FloatModel& m,
                                 const std::vector<float>& x) {
  int h = m.features.num_frames(), w = m.features.num_mfcc, c = 1;
  std::vector<double> in(x.begin(), x.end());
  for (const format::ConvLayer& l : m.convs) {
    std::vector<double> out(static_cast<size_t>(l.out_height) * l.out_width *
                            l.out_channels);
    for (int oy = 0; oy < l.out_height; ++oy) {
      for (int ox = 0; ox < l.out_width; ++ox) {
        for (int o = 0; o < l.out_channels; ++o) {
          double acc = l.float_bias[o];
          for (int ky = 0; ky < l.kernel_h; ++ky) {
            for (int kx = 0; kx < l.kernel_w; ++kx) {
              const int iy = oy * l.stride_h + ky * l.dilation_h - l.pad_top;
              const int ix = ox * l.stride_w + kx * l.dilation_w - l.pad_left;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (int i = 0; i < c; ++i) {
                acc += in[(static_cast<size_t>(iy) * w + ix) * c + i] *
                       l.float_weights[((static_cast<size_t>(o) * l.kernel_h +
                                         ky) *
                                            l.kernel_w +
                                        kx) *
                                           c +
                                       i];
              }
            }
          }
          out[(static_cast<size_t>(oy) * l.out_width + ox) * l.out_channels +
              o] = l.relu ? std::max(0.0, acc) : acc;
        }
      }
    }
    in = std::move(out);
    h = l.out_height;
    w = l.out_width;
    c = l.out_channels;
  }
  std::vector<double> logits(m.dense.out_channels);
  for (int k = 0; k < m.dense.out_channels; ++k) {
    double acc = m.dense.float_bias[k];
    for (int i = 0; i < c; ++i) {
      double mean = 0;
      for (int p = 0; p < h * w; ++p)
        mean += in[static_cast<size_t>(p) * c + i];
      acc += m.dense.float_weights[static_cast<size_t>(k) * c + i] * mean /
             (h * w);
    }
    logits[k] = acc;
  }
  return logits;
}

TEST(Runtime, Float32ModelMatchesAPlainForwardPass) {
  const FeatureConfig f = testing::SmallFeatures();
  ConvShape strided{12, 3, 3, 2, 1};
  strided.dilation_h = 2;
  const quant::FloatModel float_model =
      testing::RandomFloatModel(f, {{8}, strided, {5, 2, 4}}, 3, 9);
  const std::shared_ptr<const Model> model =
      Load(quant::FloatModelFile(float_model));
  ASSERT_NE(model, nullptr);
  EXPECT_FALSE(model->is_int8());
  StatusOr<Session> session = Session::Create(model);
  ASSERT_TRUE(session.ok());
  EXPECT_STREQ(session->kernel_name(), "float");
  std::mt19937 rng(3);
  for (int trial = 0; trial < 5; ++trial) {
    const std::vector<float> x = testing::RandomMfcc(f, rng);
    const std::vector<double> expected = PlainForward(float_model, x);
    ClassifyResult result;
    ASSERT_TRUE(session->ClassifyFeatures(x.data(), x.size(), &result).ok());
    for (int k = 0; k < 3; ++k) {
      const double got = runtime::Internals::Logits(*session)[k];
      EXPECT_NEAR(got, expected[k], 1e-4 * (1.0 + std::fabs(expected[k])))
          << "trial " << trial << " logit " << k;
    }
  }
}

TEST(Runtime, ClassifyDoesNotAllocate) {
  const FeatureConfig f = testing::SmallFeatures();
  const format::ModelFile file = testing::RandomInt8Model(
      testing::RandomFloatModel(f, {{24}, {24}}, 2, 1), 1);
  const std::shared_ptr<const Model> model = Load(file);
  StatusOr<Session> session = Session::Create(model);
  ASSERT_TRUE(session.ok());
  std::vector<int16_t> pcm(16000);
  for (size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = static_cast<int16_t>((i * 7919) % 2000 - 1000);
  ClassifyResult result;
  ASSERT_TRUE(session->Classify(pcm.data(), pcm.size(), 16000, &result).ok());
  const size_t before = testing::AllocationCount();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(session->Classify(pcm.data(), pcm.size(), 16000, &result).ok());
  }
  EXPECT_EQ(testing::AllocationCount(), before);
  EXPECT_GT(result.mfcc_us, 0.0);
  EXPECT_GT(result.inference_us, 0.0);
  EXPECT_GE(result.label, 0);
  EXPECT_NEAR(result.scores[0] + result.scores[1], 1.0f, 1e-5f);
}

TEST(Runtime, SessionsShareAModelAcrossThreads) {
  const FeatureConfig f = testing::SmallFeatures();
  const std::shared_ptr<const Model> model = Load(testing::RandomInt8Model(
      testing::RandomFloatModel(f, {{16}, {16}}, 2, 4), 4));
  std::mt19937 rng(8);
  std::vector<std::vector<float>> inputs;
  for (int i = 0; i < 50; ++i) inputs.push_back(testing::RandomMfcc(f, rng));
  std::vector<float> first(50), second(50);
  auto run = [&](std::vector<float>* out) {
    StatusOr<Session> session = Session::Create(model);
    ClassifyResult result;
    for (int i = 0; i < 50; ++i) {
      session->ClassifyFeatures(inputs[i].data(), inputs[i].size(), &result);
      (*out)[i] = runtime::Internals::Logits(*session)[0];
    }
  };
  std::thread a(run, &first), b(run, &second);
  a.join();
  b.join();
  EXPECT_EQ(first, second);
}

TEST(Runtime, BadInputsAreErrors) {
  const FeatureConfig f = testing::SmallFeatures();
  const std::shared_ptr<const Model> model = Load(
      testing::RandomInt8Model(testing::RandomFloatModel(f, {{8}}, 2, 4), 4));
  StatusOr<Session> session = Session::Create(model);
  ASSERT_TRUE(session.ok());
  std::vector<int16_t> pcm(16000, 0);
  ClassifyResult result;
  Status s = session->Classify(pcm.data(), pcm.size(), 8000, &result);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("8000 Hz"), std::string::npos) << s.message();
  EXPECT_FALSE(session->Classify(pcm.data(), pcm.size(), 16000, nullptr).ok());
  EXPECT_FALSE(session->Classify(nullptr, 10, 16000, &result).ok());
  s = session->ClassifyFeatures(nullptr, 340, &result);
  EXPECT_NE(s.message().find("no MFCC values (null)"), std::string::npos)
      << s.message();
  std::vector<float> x(339);
  s = session->ClassifyFeatures(x.data(), x.size(), &result);
  EXPECT_NE(s.message().find("expected 340 MFCC values, got 339"),
            std::string::npos)
      << s.message();
  s = session->Classify(pcm.data(), 0, 16000, &result);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(Session::Create(nullptr).ok());

  const StatusOr<std::shared_ptr<const Model>> missing =
      Model::Load("/no/such/model.kws");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  const std::string junk =
      "not a model at all, just some bytes that are long enough..."
      "................................................";
  const StatusOr<std::shared_ptr<const Model>> corrupt =
      Model::LoadFromBuffer(junk.data(), junk.size(), "junk.kws");
  EXPECT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.status().message().find("junk.kws"), std::string::npos);
}

// Model::Load refuses what the format refuses: files over 128 MiB (it used
// to read up to 256 MiB), before reading them.
TEST(Runtime, FilesOverTheFormatLimitAreRefusedUnread) {
  const std::string path = ::testing::TempDir() + "huge_model.kws";
  const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, (off_t{128} << 20) + 1), 0);  // sparse
  ::close(fd);
  const StatusOr<std::shared_ptr<const Model>> model = Model::Load(path);
  EXPECT_EQ(model.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(model.status().message().find("134217728"), std::string::npos)
      << model.status().message();
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace tinykws
