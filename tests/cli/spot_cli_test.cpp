// kws spot, kws spot-eval and kws calibrate on the tone model
// (tests/common/tone_model.hpp) and a tone data folder.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../common/run_command.hpp"
#include "../common/tone_data.hpp"
#include "../common/tone_model.hpp"

namespace tinykws::testing {
namespace {

const std::string kKws = TINYKWS_KWS_BINARY;
const std::string kToneModel = TINYKWS_TONE_MODEL;

class SpotCli : public ToneDataTest {
 protected:
  // A 12 s recording: low at 1 s, high at 4 s, low at 8 s.
  std::string WriteStream() {
    const std::vector<int16_t> pcm = ToneStream(
        {{1.0, 0.5, false}, {4.0, 0.6, true}, {8.0, 0.5, false}}, 12.0);
    const std::string path = Path("stream.wav");
    EXPECT_TRUE(WriteWav(path, pcm.data(), pcm.size(), 16000).ok());
    std::ofstream raw(Path("stream.raw"), std::ios::binary);
    raw.write(reinterpret_cast<const char*>(pcm.data()),
              static_cast<std::streamsize>(pcm.size() * 2));
    return path;
  }
};

TEST_F(SpotCli, PrintsDetectionsWithTimes) {
  const CommandResult r =
      RunCommand({kKws, "spot", "--model", kToneModel, WriteStream()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  const char* labels[] = {"low", "high", "low"};
  const double starts[] = {1.0, 4.0, 8.0};
  for (size_t i = 0; i < 3; ++i) {
    const size_t tab1 = lines[i].find('\t'), tab2 = lines[i].rfind('\t');
    const double time = std::stod(lines[i].substr(0, tab1));
    EXPECT_EQ(lines[i].substr(tab1 + 1, tab2 - tab1 - 1), labels[i]);
    EXPECT_GT(time, starts[i]);
    EXPECT_LT(time, starts[i] + 1.7);
    EXPECT_GE(std::stod(lines[i].substr(tab2 + 1)), 0.8);
  }
  EXPECT_NE(r.err.find("spotted 12.0 s of audio"), std::string::npos) << r.err;
}

// A 48 kHz microphone: `arecord -r 48000 ... | kws spot --rate 48000 -`
// finds the same tones (thresholds at 0.5: the tone model's scores drop
// after any rate conversion, tests/runtime/spotter_rate_test.cpp).
TEST_F(SpotCli, StdinAtAnotherRateIsConverted) {
  const std::vector<int16_t> pcm = ToneStream(
      {{1.0, 0.5, false}, {4.0, 0.6, true}, {8.0, 0.5, false}}, 12.0, 48000);
  std::ofstream raw(Path("stream48.raw"), std::ios::binary);
  raw.write(reinterpret_cast<const char*>(pcm.data()),
            static_cast<std::streamsize>(pcm.size() * 2));
  raw.close();
  const CommandResult r = RunCommand(
      {"/bin/sh", "-c",
       "'" + kKws + "' spot --model '" + kToneModel +
           "' --rate 48000 --threshold low=0.5 --threshold high=0.5 - < '" +
           Path("stream48.raw") + "'"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  const char* labels[] = {"low", "high", "low"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_NE(lines[i].find(std::string("\t") + labels[i] + "\t"),
              std::string::npos)
        << lines[i];
  }
  EXPECT_NE(r.err.find("spotted 12.0 s of audio"), std::string::npos) << r.err;
  // --rate is for stdin only: a usage error.
  const CommandResult refused =
      RunCommand({kKws, "spot", "--model", kToneModel, "--rate", "48000",
                  Path("stream48.raw")});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--rate is for raw PCM on stdin"),
            std::string::npos)
      << refused.err;
}

TEST_F(SpotCli, JsonAndStdinPipeGiveTheSameDetectionsAsTheFile) {
  const std::string wav = WriteStream();
  const CommandResult file =
      RunCommand({kKws, "spot", "--model", kToneModel, wav, "--json"});
  ASSERT_EQ(file.exit_code, 0) << file.err;
  const nlohmann::json j = nlohmann::json::parse(file.out);
  ASSERT_EQ(j["detections"].size(), 3u);
  EXPECT_EQ(j["detections"][1]["label"], "high");
  EXPECT_GT(j["detections"][1]["score"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(j["audio_seconds"].get<double>(), 12.0);
  // Raw S16_LE through a pipe, as `arecord -t raw ... | kws spot -`.
  const CommandResult pipe =
      RunCommand({"/bin/sh", "-c",
                  "cat '" + Path("stream.raw") + "' | '" + kKws +
                      "' spot --model '" + kToneModel + "' - --json"});
  ASSERT_EQ(pipe.exit_code, 0) << pipe.err;
  EXPECT_EQ(pipe.out, file.out);
  const CommandResult text_file =
      RunCommand({kKws, "spot", "--model", kToneModel, wav});
  const CommandResult text_pipe =
      RunCommand({"/bin/sh", "-c",
                  "'" + kKws + "' spot --model '" + kToneModel + "' - < '" +
                      Path("stream.raw") + "'"});
  EXPECT_EQ(text_pipe.out, text_file.out);
}

TEST_F(SpotCli, OverridesAndErrors) {
  const std::string wav = WriteStream();
  const CommandResult high_off = RunCommand(
      {kKws, "spot", "--model", kToneModel, wav, "--threshold", "high=1"});
  ASSERT_EQ(high_off.exit_code, 0) << high_off.err;
  EXPECT_EQ(Lines(high_off.out).size(), 2u);
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--threshold", "_silence_=0.5"},
        {"--threshold", "nope=0.5"},
        {"--threshold", "low"},
        {"--threshold", "low=x"},
        {"--threshold", "low=1.5"},
        {"--hop-frames", "99"}}) {
    std::vector<std::string> argv = {kKws, "spot", "--model", kToneModel, wav};
    argv.insert(argv.end(), bad.begin(), bad.end());
    const CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 2) << bad[1];  // usage errors (flags_cli_test)
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  }
  const CommandResult missing =
      RunCommand({kKws, "spot", "--model", kToneModel, Path("none.wav")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("none.wav"), std::string::npos);
}

TEST_F(SpotCli, PredictSaysWhenAFileIsLongerThanAClip) {
  const std::string wav = WriteStream();
  const CommandResult r =
      RunCommand({kKws, "predict", "--model", kToneModel, wav});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).size(), 1u);
  EXPECT_NE(r.err.find("12.00 s long"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kws spot"), std::string::npos) << r.err;
}

TEST_F(SpotCli, SpotEvalReportsFoundAndFalseAlarms) {
  const CommandResult r = RunCommand(
      {kKws, "spot-eval", "--model", kToneModel, "--data", dir_, "--split",
       "all", "--keyword-free-minutes", "3", "--report", Path("r.json"),
       "--html", Path("r.html"), "--markdown", Path("r.md"), "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("found: ", 0), 0u) << lines.back();
  std::ifstream in(Path("r.json"));
  const nlohmann::json j = nlohmann::json::parse(in);
  // Every tone keyword of the folder is placed once and found; the 1 kHz
  // "other" words and the noise bed never fire.
  EXPECT_EQ(j["results"]["keywords"], 12);
  EXPECT_EQ(j["results"]["found"], 12);
  EXPECT_EQ(j["results"]["false_alarms"], 0);
  EXPECT_GT(j["results"]["hours"].get<double>(), 3.0 / 60);
  EXPECT_EQ(j["streams"].size(), 2u);
  EXPECT_EQ(j["per_keyword"].size(), 2u);
  EXPECT_FALSE(j["det"].empty());
  EXPECT_GT(j["timing"]["network_runs"].get<int>(), 1000);
  std::ifstream html(Path("r.html"));
  const std::string page((std::istreambuf_iterator<char>(html)), {});
  EXPECT_NE(page.find("Keyword spotting on continuous audio"),
            std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  // An output folder that does not exist fails before the evaluation.
  const CommandResult bad =
      RunCommand({kKws, "spot-eval", "--model", kToneModel, "--data", dir_,
                  "--html", Path("no/such/r.html")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("does not exist"), std::string::npos) << bad.err;
}

TEST_F(SpotCli, CalibrateWritesAModelWithNewThresholds) {
  // A keyword-free recording of 1 kHz "other" tones.
  const std::vector<int16_t> others = ToneStream({}, 120.0);
  std::vector<int16_t> pcm = others;
  for (size_t t = 0; t < pcm.size(); ++t) {
    if ((t / 16000) % 3 == 0) {
      pcm[t] = static_cast<int16_t>(
          std::lround(5000 * std::sin(2 * M_PI * 1000.0 * t / 16000)));
    }
  }
  ASSERT_TRUE(WriteWav(Path("room.wav"), pcm.data(), pcm.size(), 16000).ok());
  const std::string out = Path("calibrated.kws");
  const CommandResult r =
      RunCommand({kKws, "calibrate", "--model", kToneModel, "--positives", dir_,
                  "--negatives", Path("room.wav"), "--target-fa-per-hour",
                  "0.5", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("wrote " + out), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("found 12/12"), std::string::npos) << r.out;
  // The new model spots as well as the old one, with its own thresholds.
  const CommandResult spot =
      RunCommand({kKws, "spot", "--model", out, WriteStream(), "--json"});
  ASSERT_EQ(spot.exit_code, 0) << spot.err;
  EXPECT_EQ(nlohmann::json::parse(spot.out)["detections"].size(), 3u);
  // It is not replaced without --force.
  const CommandResult again =
      RunCommand({kKws, "calibrate", "--model", kToneModel, "--positives", dir_,
                  "--negatives", Path("room.wav"), "--out", out});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
}

TEST_F(SpotCli, CalibrateHonoursTheTargetAndWarnsWhenAudioIsShort) {
  // Eleven minutes of quiet room: longer than a clip reader would take
  // whole (the old 10-minute limit), streamed.
  const std::vector<int16_t> room(16000 * 660, 0);
  ASSERT_TRUE(
      WriteWav(Path("long_room.wav"), room.data(), room.size(), 16000).ok());
  auto calibrate = [&](const char* target, const char* out) {
    return RunCommand({kKws, "calibrate", "--model", kToneModel, "--positives",
                       dir_, "--negatives", Path("long_room.wav"),
                       "--target-fa-per-hour", target, "--out", Path(out)});
  };
  // About 12 minutes in all: 0.5 per hour allows none, 20 per hour four.
  const CommandResult strict = calibrate("0.5", "strict.kws");
  ASSERT_EQ(strict.exit_code, 0) << strict.err;
  EXPECT_NE(strict.out.find("target 0.5 per hour: 0 allowed"),
            std::string::npos)
      << strict.out;
  EXPECT_NE(strict.err.find("warning: "), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("0 false alarms allowed"), std::string::npos);
  EXPECT_NE(strict.err.find("record >= 2 h"), std::string::npos) << strict.err;
  const CommandResult loose = calibrate("20", "loose.kws");
  ASSERT_EQ(loose.exit_code, 0) << loose.err;
  EXPECT_NE(loose.out.find("target 20 per hour: 4 allowed"), std::string::npos)
      << loose.out;
  EXPECT_EQ(loose.err.find("warning: "), std::string::npos) << loose.err;
}

// --save-stream writes the stream as it renders it: 40 minutes (a 77 MB
// WAV, 230 MB of buffers when the stream was built in memory first) under a
// 150 MB address-space cap. (No sanitizer build runs the CLI tests. Under
// qemu-user, scripts/cross_test.sh sets TINYKWS_EMULATED: the cap would
// bound qemu's own 128 MB JIT buffer, so the stream is checked uncapped.)
TEST_F(SpotCli, SpotEvalSavesALongStreamInConstantMemory) {
  const std::string saved = Path("saved.wav");
  const bool emulated = std::getenv("TINYKWS_EMULATED") != nullptr;
  const CommandResult r =
      RunCommand({"/bin/sh",
                  "-c",
                  emulated ? "exec \"$@\"" : "ulimit -v 150000 && exec \"$@\"",
                  "sh",
                  kKws,
                  "spot-eval",
                  "--model",
                  kToneModel,
                  "--data",
                  dir_,
                  "--split",
                  "all",
                  "--keyword-free-minutes",
                  "0",
                  "--minutes",
                  "40",
                  "--threads",
                  "1",
                  "--save-stream",
                  saved});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  AudioReadOptions options;
  options.max_seconds = 3600;
  auto stream = AudioFileStream::Open(saved, 16000, options);
  ASSERT_TRUE(stream.ok()) << stream.status().message();
  EXPECT_EQ((*stream)->header_frames(), 40 * 60 * 16000);
  int64_t frames = 0, loud = 0;
  std::vector<int16_t> chunk;
  for (bool end = false; !end;) {
    ASSERT_TRUE((*stream)->Read(&chunk, &end).ok());
    frames += static_cast<int64_t>(chunk.size());
    for (int16_t v : chunk) loud += std::abs(v) > 3000;
  }
  EXPECT_EQ(frames, 40 * 60 * 16000);
  EXPECT_GT(loud, 16000 * 60);  // tones all along, not a silent file
  EXPECT_FALSE((*stream)->truncated());
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos)
        << e.path();
  }
}

// A WAV whose data chunk holds half of what its header claims (a cut
// download): every command reads what is there and warns once per file.
TEST_F(SpotCli, TruncatedWavFilesAreReadWithOneWarningEach) {
  const std::vector<int16_t> pcm = ToneStream({}, 3.0);  // keyword-free
  const auto le32 = [](uint32_t v) {
    return std::string{
        static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF),
        static_cast<char>((v >> 16) & 0xFF), static_cast<char>(v >> 24)};
  };
  const uint32_t bytes = static_cast<uint32_t>(pcm.size() * 2);
  const std::string header =
      "RIFF" + le32(36 + 2 * bytes) + "WAVEfmt " + le32(16) +
      std::string("\x01\x00\x01\x00", 4) + le32(16000) + le32(32000) +
      std::string("\x02\x00\x10\x00", 4) + "data" + le32(2 * bytes);
  const std::string cut = Path("cut.wav");
  {
    std::ofstream out(cut, std::ios::binary);
    out << header;
    out.write(reinterpret_cast<const char*>(pcm.data()), bytes);
  }
  const std::string warning =
      "warning: " + cut + ": shorter than its header says (truncated file?)";
  const auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  };
  const std::vector<std::vector<std::string>> commands = {
      {kKws, "predict", "--model", kToneModel, cut},
      {kKws, "features", "--model", kToneModel, cut},
      {kKws, "spot", "--model", kToneModel, cut},
      {kKws, "spot-eval", "--model", kToneModel, "--data", dir_, "--split",
       "all", "--keyword-free-minutes", "0", "--negatives", cut},
      {kKws, "calibrate", "--model", kToneModel, "--positives", dir_,
       "--negatives", cut, "--out", Path("c.kws")},
  };
  for (const std::vector<std::string>& argv : commands) {
    const CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 0) << argv[1] << ": " << r.err;
    EXPECT_EQ(count(r.err, warning), 1u) << argv[1] << ": " << r.err;
  }
  // The spotter heard the 3 s that are there, not 6.
  const CommandResult spot =
      RunCommand({kKws, "spot", "--model", kToneModel, cut, "--json"});
  EXPECT_EQ(nlohmann::json::parse(spot.out)["audio_seconds"], 3.0);
  // A clip of a data folder: kws eval warns and lists it in its report.
  std::filesystem::copy_file(cut, Path("low/spk0_nohash_0.wav"),
                             std::filesystem::copy_options::overwrite_existing);
  const std::string clip = Path("low/spk0_nohash_0.wav");
  const CommandResult eval =
      RunCommand({kKws, "eval", "--model", kToneModel, "--data", dir_,
                  "--split", "all", "--report", Path("r.json")});
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_EQ(count(eval.err, "warning: " + clip + ": shorter than"), 1u)
      << eval.err;
  std::ifstream in(Path("r.json"));
  EXPECT_EQ(nlohmann::json::parse(in)["data"]["truncated"],
            nlohmann::json::array({clip}));
}

}  // namespace
}  // namespace tinykws::testing
