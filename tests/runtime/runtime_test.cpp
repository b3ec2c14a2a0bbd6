// The runtime against the int8 reference executor: bit-identical logits for
// every kernel and many layer geometries; loading, errors, allocation.
#include "tinykws/runtime.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <thread>

#include "../common/alloc_counter.hpp"
#include "../common/random_model.hpp"
#include "common/cpu.hpp"
#include "format/model_file.hpp"
#include "quant/int8_reference.hpp"
#include "runtime/model_impl.hpp"

namespace tinykws {
namespace {

using testing::ConvShape;

std::vector<runtime::ConvKernelChoice> Kernels() {
  std::vector<runtime::ConvKernelChoice> kernels = {
      {"portable", runtime::ConvPortable}};
#if defined(TINYKWS_HAVE_X86_KERNELS)
  if (CpuHasAvx2()) kernels.push_back({"avx2", runtime::ConvAvx2});
  if (CpuHasAvx512Vnni())
    kernels.push_back({"avx512vnni", runtime::ConvAvx512Vnni});
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
  for (const runtime::ConvKernelChoice& kernel : Kernels()) {
    StatusOr<Session> session = Session::Create(model);
    ASSERT_TRUE(session.ok());
    session->impl().kernel = kernel;
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
        ASSERT_EQ(session->logits()[k], trace.logits[k])
            << kernel.name << " trial " << trial << " logit " << k;
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

TEST(Runtime, Float32ModelMatchesTheFloatExecutor) {
  const FeatureConfig f = testing::SmallFeatures();
  const quant::FloatModel float_model =
      testing::RandomFloatModel(f, {{8}, {8}}, 2, 9);
  const std::shared_ptr<const Model> model =
      Load(quant::FloatModelFile(float_model));
  ASSERT_NE(model, nullptr);
  EXPECT_FALSE(model->is_int8());
  StatusOr<Session> session = Session::Create(model);
  ASSERT_TRUE(session.ok());
  EXPECT_STREQ(session->kernel_name(), "float");
  quant::FloatExecutor executor(float_model);
  std::mt19937 rng(3);
  const std::vector<float> x = testing::RandomMfcc(f, rng);
  std::vector<float> logits(2);
  executor.Run(x.data(), logits.data(), nullptr);
  ClassifyResult result;
  ASSERT_TRUE(session->ClassifyFeatures(x.data(), x.size(), &result).ok());
  EXPECT_EQ(session->logits()[0], logits[0]);
  EXPECT_EQ(session->logits()[1], logits[1]);
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
      (*out)[i] = session->logits()[0];
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
  EXPECT_FALSE(session->ClassifyFeatures(nullptr, 340, &result).ok());
  std::vector<float> x(339);
  EXPECT_FALSE(session->ClassifyFeatures(x.data(), x.size(), &result).ok());
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

}  // namespace
}  // namespace tinykws
