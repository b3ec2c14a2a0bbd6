// A C++ program using the installed tinykws C++ API.
#include <cstdio>
#include <tinykws/runtime.hpp>
#include <tinykws/spotter.hpp>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  auto model = tinykws::Model::Load(argv[1]);
  if (!model.ok()) {
    std::fprintf(stderr, "error: %s\n", model.status().message().c_str());
    return 1;
  }
  auto session = tinykws::Session::Create(*model);
  if (!session.ok()) return 1;
  std::vector<int16_t> pcm((*model)->features().clip_samples, 0);
  tinykws::ClassifyResult result;
  const tinykws::Status s = session->Classify(
      pcm.data(), pcm.size(), (*model)->features().sample_rate, &result);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.message().c_str());
    return 1;
  }
  auto spotter = tinykws::Spotter::Create(*model);
  if (!spotter.ok()) return 1;
  int detections = 0;
  const tinykws::Status pushed =
      spotter->Push(pcm.data(), pcm.size(), (*model)->features().sample_rate,
                    [&](const tinykws::Detection&) { ++detections; });
  if (!pushed.ok() || spotter->samples_pushed() != pcm.size()) return 1;
  std::printf("silence: %s %.3f; C++ consumer ok (%s kernel)\n",
              (*model)->labels()[result.label].c_str(), result.score,
              session->kernel_name());
  return 0;
}
