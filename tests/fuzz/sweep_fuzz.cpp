// libFuzzer target: hostile bytes where a sweep process reads the store.
// The first byte picks the path, the second whether the rest is signed
// with the run's secret first (so the checks behind the signature are
// reached too):
//   0  a work item: a decoded one names a folder inside the scratch folder
//   1  a result: decoded, compared with a published item
//   2  a store connection: the challenge answered, then the bytes as
//      requests (ServeConnection over memory)
//   3  packed run files: unpacked into a scratch folder; every file written
//      is an allowed name directly inside it
//   4  a "taken" value parsed as a rank
// Never crashes, never escapes the folder.
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "../common/memory_channel.hpp"
#include "fuzz_util.hpp"
#include "sweep/auth.hpp"
#include "sweep/kv_store.hpp"
#include "sweep/run_files.hpp"
#include "sweep/work_codec.hpp"

namespace {

using namespace tinykws;
namespace fs = std::filesystem;
const std::string kSecret = "fuzzing secret, 32 bytes long...";
const std::vector<std::string> kAllowed = {"config.toml", "best.pt",
                                           "model.kws"};

using testing::MemoryChannel;

const fs::path& Scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() /
                 ("tinykws_sweep_fuzz_" + std::to_string(getpid())) / "work";
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const int path = data[0] % 5;
  const bool sign = data[1] & 1;
  std::string body(reinterpret_cast<const char*>(data + 2), size - 2);
  switch (path) {
    case 0: {
      const std::string bytes =
          sign ? sweep::Sign(kSecret, sweep::keys::Item(0), body) : body;
      sweep::ItemMessage m;
      if (!sweep::Decode(bytes, kSecret, 0, &m).ok()) return 0;
      fuzz::Require(sweep::IsValidTrialId(m.trial_id));
      const std::string dir = Scratch().string() + "/" + m.trial_id + "/seed" +
                              std::to_string(m.item.seed_index);
      fuzz::Require(sweep::CheckInside(Scratch().string(), dir).ok());
      fuzz::Require(sweep::CheckInside(Scratch().string(), dir + ".toml").ok());
      return 0;
    }
    case 1: {
      const std::string bytes =
          sign ? sweep::Sign(kSecret, sweep::keys::Result(0), body) : body;
      sweep::ResultMessage r;
      if (!sweep::Decode(bytes, kSecret, 0, &r).ok()) return 0;
      fuzz::Require(r.index == 0);
      sweep::ItemMessage published;
      published.trial_id = "t000";
      published.item.epochs = 1;
      if (sweep::Answers(published, r).ok()) {
        fuzz::Require(r.trial_id == "t000" && r.epochs == 1);
      }
      return 0;
    }
    case 2: {
      const std::string nonce(32, 'n');
      const std::string proof =
          sign ? sweep::HmacSha256(kSecret, "tinykws-store-1 client\n" + nonce)
               : "";
      sweep::KvState state;
      MemoryChannel channel(proof + body);
      sweep::ServeConnection(channel, state, kSecret, nonce);
      return 0;
    }
    case 3: {
      const fs::path dir = Scratch() / "unpack";
      fs::remove_all(dir);
      if (!sweep::UnpackFiles(body, dir.string(), kAllowed).ok()) {
        fuzz::Require(!fs::exists(dir) || fs::is_empty(dir));
        return 0;
      }
      for (const auto& e : fs::recursive_directory_iterator(Scratch())) {
        const fs::path rel = fs::relative(e.path(), Scratch());
        fuzz::Require(rel == "unpack" ||
                      (rel.parent_path() == "unpack" &&
                       std::find(kAllowed.begin(), kAllowed.end(),
                                 rel.filename().string()) != kAllowed.end()));
      }
      return 0;
    }
    default: {
      const std::optional<int> rank = sweep::TakenRank(body);
      if (rank) fuzz::Require(*rank >= 0 && *rank < sweep::kMaxSweepRanks);
      return 0;
    }
  }
}
