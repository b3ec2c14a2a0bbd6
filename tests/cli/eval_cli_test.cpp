// kws eval on a synthetic data folder: the report is consistent, folders
// that are not labels are skipped (or mapped to _unknown_), bad clips are
// listed (fatal with --strict), and results do not depend on threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../common/run_command.hpp"
#include "../train/synthetic_data.hpp"
#include "common/atomic_file.hpp"

namespace tinykws::testing {
namespace {

namespace fs = std::filesystem;
const std::string kKws = TINYKWS_KWS_BINARY;
const std::string kMakeModel = TINYKWS_MAKE_TEST_MODEL;

class EvalCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::string(MakeSyntheticData("eval_cli"));
    // A word folder that is not a label, and one unreadable clip.
    fs::create_directories(*data_ + "/other");
    fs::copy_file(*data_ + "/low/spk5_nohash_0.wav",
                  *data_ + "/other/spk5_nohash_0.wav");
    WriteFileAtomically(*data_ + "/high/spk6_nohash_9.wav", "not audio");
    ASSERT_EQ(
        RunCommand({kMakeModel, *data_ + "/two.kws", "low", "high"}).exit_code,
        0);
    ASSERT_EQ(
        RunCommand({kMakeModel, *data_ + "/unknown.kws", "low", "_unknown_"})
            .exit_code,
        0);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*data_);
    delete data_;
  }

  static nlohmann::json Eval(const std::string& model,
                             std::vector<std::string> extra,
                             CommandResult* result = nullptr) {
    const std::string report = *data_ + "/report.json";
    std::vector<std::string> argv = {
        kKws,   "eval",     "--model", *data_ + "/" + model, "--data",
        *data_, "--report", report,    "--latency-clips",    "20"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const CommandResult r = RunCommand(argv);
    if (result != nullptr) *result = r;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(report);
    return nlohmann::json::parse(in, nullptr, false);
  }

  static std::string* data_;
};

std::string* EvalCli::data_ = nullptr;

TEST_F(EvalCli, ReportIsConsistent) {
  CommandResult r;
  const nlohmann::json j = Eval("two.kws", {"--split", "all"}, &r);
  ASSERT_FALSE(j.is_discarded());
  const int n = j["data"]["clips"];
  EXPECT_EQ(n, 96);  // 97 clips of low/high, one unreadable
  int sum = 0, diagonal = 0;
  const auto& matrix = j["confusion"]["matrix"];
  for (size_t t = 0; t < matrix.size(); ++t) {
    int row = 0;
    for (size_t p = 0; p < matrix[t].size(); ++p) {
      sum += static_cast<int>(matrix[t][p]);
      row += static_cast<int>(matrix[t][p]);
    }
    diagonal += static_cast<int>(matrix[t][t]);
    const auto& c = j["per_class"][t];
    EXPECT_EQ(c["support"], row);
    if (row > 0) {
      EXPECT_DOUBLE_EQ(c["recall"], static_cast<double>(matrix[t][t]) / row);
    }
  }
  EXPECT_EQ(sum, n);
  EXPECT_EQ(j["correct"], diagonal);
  EXPECT_DOUBLE_EQ(j["accuracy"], static_cast<double>(diagonal) / n);
  EXPECT_EQ(j["misclassified"].size(), static_cast<size_t>(n - diagonal));
  EXPECT_EQ(j["data"]["skipped_folders"], nlohmann::json::array({"other"}));
  ASSERT_EQ(j["data"]["unreadable"].size(), 1u);
  EXPECT_NE(j["data"]["unreadable"][0]["path"].get<std::string>().find(
                "spk6_nohash_9.wav"),
            std::string::npos);
  for (const char* key : {"mfcc", "inference", "total"}) {
    EXPECT_GT(j["latency_us"][key]["median"].get<double>(), 0.0) << key;
  }
  EXPECT_EQ(j["model"]["sha256"].get<std::string>().size(), 64u);
  // The last stdout line, exactly.
  const std::vector<std::string> lines = Lines(r.out);
  char expected[64];
  std::snprintf(expected, sizeof(expected), "accuracy: %.4f (n=%d)",
                j["accuracy"].get<double>(), n);
  EXPECT_EQ(lines.back(), expected);
  EXPECT_NE(r.err.find("spk6_nohash_9.wav"), std::string::npos);  // warned
}

TEST_F(EvalCli, OtherFoldersMapToUnknownWhenTheModelHasIt) {
  const nlohmann::json j = Eval("unknown.kws", {"--split", "all"});
  EXPECT_TRUE(j["data"]["skipped_folders"].empty());
  EXPECT_EQ(j["data"]["clips_per_label"]["_unknown_"], 48 + 1);  // high + other
  EXPECT_EQ(j["data"]["clips_per_label"]["low"], 48);
}

// A _silence_ folder (recorded silence) is scored as the model's _silence_
// label, not as _unknown_ (it used to count as as many wrong answers).
TEST_F(EvalCli, ASilenceFolderIsScoredAsTheSilenceLabel) {
  const std::string data = MakeSyntheticData("eval_cli_silence");
  fs::create_directories(data + "/_silence_");
  for (int i = 0; i < 5; ++i) {
    fs::copy_file(
        data + "/low/spk5_nohash_" + std::to_string(i % 3) + ".wav",
        data + "/_silence_/rec" + std::to_string(i) + "_nohash_0.wav");
  }
  fs::create_directories(data + "/other");
  fs::copy_file(data + "/high/spk5_nohash_0.wav",
                data + "/other/spk5_nohash_0.wav");
  const std::string model = data + "/silence.kws";
  ASSERT_EQ(RunCommand({kMakeModel, model, "low", "_unknown_", "_silence_"})
                .exit_code,
            0);
  const CommandResult r =
      RunCommand({kKws, "eval", "--model", model, "--data", data, "--split",
                  "all", "--report", data + "/r.json", "--latency-clips", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(data + "/r.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  const int crops = j["data"]["silence_clips"];  // cut from the noise
  EXPECT_EQ(j["data"]["clips_per_label"]["_silence_"], 5 + crops);
  EXPECT_EQ(j["data"]["clips_per_label"]["_unknown_"], 48 + 1);  // high, other
  EXPECT_EQ(j["data"]["clips_per_label"]["low"], 48);
  // Without noise recordings the folder is still scored (no crops).
  fs::remove_all(data + "/_background_noise_");
  const CommandResult quiet =
      RunCommand({kKws, "eval", "--model", model, "--data", data, "--split",
                  "all", "--report", data + "/r.json", "--latency-clips", "5"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  std::ifstream again(data + "/r.json");
  EXPECT_EQ(
      nlohmann::json::parse(again)["data"]["clips_per_label"]["_silence_"], 5);
  fs::remove_all(data);
}

TEST_F(EvalCli, StrictMakesUnreadableClipsFatal) {
  const CommandResult r =
      RunCommand({kKws, "eval", "--model", *data_ + "/two.kws", "--data",
                  *data_, "--split", "all", "--strict"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("spk6_nohash_9.wav"), std::string::npos) << r.err;
}

TEST_F(EvalCli, SameResultWhateverTheThreads) {
  const nlohmann::json a = Eval("two.kws", {"--threads", "1"});
  const nlohmann::json b = Eval("two.kws", {"--threads", "2"});
  const nlohmann::json c = Eval("two.kws", {"--threads", "2"});
  EXPECT_EQ(a["confusion"], b["confusion"]);
  EXPECT_EQ(b["confusion"], c["confusion"]);
  EXPECT_EQ(a["accuracy"], b["accuracy"]);
  EXPECT_EQ(a["misclassified"], b["misclassified"]);
  EXPECT_EQ(a["data"]["split"], "testing");
  EXPECT_EQ(a["data"]["clips"], 12);
}

TEST_F(EvalCli, ReferenceGivesSavings) {
  const nlohmann::json j =
      Eval("two.kws", {"--reference", *data_ + "/two.kws"});
  ASSERT_TRUE(j.contains("reference"));
  EXPECT_DOUBLE_EQ(j["reference"]["savings_percent"]["size"], 0.0);
  EXPECT_GT(j["reference"]["latency_us"]["total"]["median"].get<double>(), 0.0);
}

TEST_F(EvalCli, BadArgumentsAreOneLineErrors) {
  CommandResult r =
      RunCommand({kKws, "eval", "--model", "/no/model.kws", "--data", *data_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  r = RunCommand(
      {kKws, "eval", "--model", *data_ + "/two.kws", "--data", "/no/data"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/no/data"), std::string::npos);
  // A report folder that does not exist fails first, before any evaluation
  // (it used to run the whole evaluation, then fail).
  r = RunCommand({kKws, "eval", "--model", *data_ + "/two.kws", "--data",
                  *data_, "--html", "/no/such/dir/r.html"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/no/such/dir/r.html: folder '/no/such/dir' does not "
                       "exist"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("accuracy"), std::string::npos) << r.out;
}

// --front-end: the clips go through the other MFCC path, and the report
// says which one ran and which one the model was trained with.
TEST_F(EvalCli, FrontEndCanBeTheOtherPrecision) {
  CommandResult r;
  const nlohmann::json own = Eval("two.kws", {"--split", "all"}, &r);
  EXPECT_EQ(own["front_end"], "float64");
  EXPECT_NE(r.out.find("MFCC front end: float64 (the model was trained with "
                       "float64)"),
            std::string::npos)
      << r.out;
  const nlohmann::json other =
      Eval("two.kws", {"--split", "all", "--front-end", "float32"}, &r);
  EXPECT_EQ(other["front_end"], "float32");
  EXPECT_EQ(other["model"]["features"]["precision"], "float64");
  EXPECT_NE(r.out.find("MFCC front end: float32 (the model was trained with "
                       "float64)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(other["data"]["clips"], own["data"]["clips"]);
  const CommandResult bad =
      RunCommand({kKws, "eval", "--model", *data_ + "/two.kws", "--data",
                  *data_, "--front-end", "float16"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

// On a full disk (a file-size cap with SIGXFSZ ignored: writes fail with
// the same error path as ENOSPC) kws eval exits 1 with one error line
// naming the report; a report is complete or absent, no temporary stays.
TEST_F(EvalCli, AFullDiskLeavesNoPartialReport) {
  const std::string dir = *data_ + "/reports";
  fs::create_directories(dir);
  const CommandResult r = RunCommand(
      {"/bin/sh", "-c", "trap '' XFSZ; ulimit -f 1; exec \"$@\"", "sh", kKws,
       "eval", "--model", *data_ + "/two.kws", "--data", *data_, "--report",
       dir + "/r.json", "--html", dir + "/r.html", "--latency-clips", "5"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_EQ(Lines(r.err).size(), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("error: " + dir + "/r.", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/r.html"));
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos)
        << entry.path();
    std::ifstream in(entry.path());
    EXPECT_FALSE(nlohmann::json::parse(in, nullptr, false).is_discarded())
        << entry.path() << " is not a complete report";
  }
}

}  // namespace
}  // namespace tinykws::testing
