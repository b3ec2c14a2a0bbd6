// One model shared by many threads, each with its own Session, Spotter or
// C API handles: every thread gets exactly the serial results. Meant for the
// ThreadSanitizer build (scripts/test.sh runs it there), where any data race
// on the shared model, its tables or the kernels' lazy setup is a report.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "../common/tone_model.hpp"
#include "format/model_file.hpp"
#include "tinykws/runtime.hpp"
#include "tinykws/spotter.hpp"
#include "tinykws/tinykws.h"

namespace tinykws {
namespace {

constexpr int kThreads = 8;

std::string ToneBytes(bool int8) {
  format::ModelFile file = testing::ToneModelFile(int8);
  file.has_detector = true;
  file.detector.hop_frames = 2;
  file.detector.smoothing_runs = 3;
  file.detector.refractory_ms = 1000.0f;
  file.detector.thresholds = {0.8f, 0.8f, 1.0f};
  return format::Serialize(file);
}

const std::vector<testing::ToneEvent> kEvents = {
    {0.5, 0.6, false}, {2.5, 0.5, true}, {4.5, 0.7, false}};

// What one thread computes: scores of 1 s slices and the stream's
// detections, as raw bits so that "equal" means bit for bit.
struct Answers {
  std::vector<uint32_t> scores;
  std::vector<int64_t> detections;  // label, sample, score bits
  bool operator==(const Answers& o) const {
    return scores == o.scores && detections == o.detections;
  }
};

uint32_t Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

Answers RunCpp(const std::shared_ptr<const Model>& model,
               const std::vector<int16_t>& pcm) {
  Answers a;
  StatusOr<Session> session = Session::Create(model);
  StatusOr<Spotter> spotter = Spotter::Create(model);
  if (!session.ok() || !spotter.ok()) return a;
  const size_t clip = static_cast<size_t>(model->features().clip_samples);
  for (size_t at = 0; at + clip <= pcm.size(); at += clip / 4) {
    ClassifyResult r;
    if (!session->Classify(pcm.data() + at, clip, 16000, &r).ok()) return {};
    for (size_t k = 0; k < model->labels().size(); ++k) {
      a.scores.push_back(Bits(r.scores[k]));
    }
  }
  for (size_t at = 0; at < pcm.size(); at += 1000) {
    const size_t n = std::min<size_t>(1000, pcm.size() - at);
    const Status s =
        spotter->Push(pcm.data() + at, n, 16000, [&](const Detection& d) {
          a.detections.insert(a.detections.end(),
                              {d.label, d.sample, Bits(d.score)});
        });
    if (!s.ok()) return {};
  }
  return a;
}

void OnDetection(const kws_detection* d, void* user_data) {
  auto* out = static_cast<std::vector<int64_t>*>(user_data);
  out->insert(out->end(), {d->label, d->sample, Bits(d->score)});
}

Answers RunC(const kws_model* model, const std::vector<int16_t>& pcm) {
  Answers a;
  kws_session* session = nullptr;
  kws_spotter* spotter = nullptr;
  if (kws_session_create(model, kws_session_default_params(), &session,
                         nullptr) != KWS_OK ||
      kws_spotter_create(model, kws_spotter_default_params(), &spotter,
                         nullptr) != KWS_OK) {
    kws_session_free(session);
    return a;
  }
  const size_t clip = static_cast<size_t>(kws_model_clip_samples(model));
  for (size_t at = 0; at + clip <= pcm.size(); at += clip / 4) {
    kws_result r;
    if (kws_classify(session, pcm.data() + at, clip, 16000, &r) != KWS_OK) {
      a.scores.clear();
      break;
    }
    for (int k = 0; k < kws_model_num_labels(model); ++k) {
      a.scores.push_back(Bits(r.scores[k]));
    }
  }
  kws_spotter_push(spotter, pcm.data(), pcm.size(), 16000, OnDetection,
                   &a.detections);
  kws_spotter_free(spotter);
  kws_session_free(session);
  return a;
}

class SharedModel : public ::testing::TestWithParam<bool> {};

TEST_P(SharedModel, EveryThreadGetsTheSerialAnswers) {
  const std::string bytes = ToneBytes(GetParam());
  StatusOr<std::shared_ptr<const Model>> model =
      Model::LoadFromBuffer(bytes.data(), bytes.size(), "tone.kws");
  ASSERT_TRUE(model.ok()) << model.status().message();
  const std::vector<int16_t> pcm = testing::ToneStream(kEvents, 6.0);
  const Answers serial = RunCpp(*model, pcm);
  ASSERT_FALSE(serial.scores.empty());
  ASSERT_EQ(serial.detections.size(), 3u * kEvents.size());

  // Threads start together so that first uses (kernel choice, tables)
  // overlap as much as they can.
  std::vector<Answers> answers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) answers[t] = RunCpp(*model, pcm);
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(answers[t] == serial) << "thread " << t;
  }
}

TEST_P(SharedModel, TheCApiToo) {
  const std::string bytes = ToneBytes(GetParam());
  kws_model* model = nullptr;
  ASSERT_EQ(
      kws_model_load_from_buffer(bytes.data(), bytes.size(), &model, nullptr),
      KWS_OK);
  const std::vector<int16_t> pcm = testing::ToneStream(kEvents, 6.0);
  const Answers serial = RunC(model, pcm);
  ASSERT_FALSE(serial.scores.empty());
  ASSERT_EQ(serial.detections.size(), 3u * kEvents.size());
  std::vector<Answers> answers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { answers[t] = RunC(model, pcm); });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(answers[t] == serial) << "thread " << t;
  }
  kws_model_free(model);
}

std::string PrecisionName(const ::testing::TestParamInfo<bool>& p) {
  return p.param ? "Int8" : "Float32";
}

INSTANTIATE_TEST_SUITE_P(Int8AndFloat, SharedModel, ::testing::Bool(),
                         PrecisionName);

}  // namespace
}  // namespace tinykws
