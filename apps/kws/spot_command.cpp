// kws spot: detect keywords in a recording or a live raw PCM stream.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include "../common/cli_run.hpp"
#include "commands.hpp"
#include "detector_flags.hpp"
#include "eval/report_format.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/resampler.hpp"
#include "tinykws/spotter.hpp"

namespace kws {

namespace {

struct SpotParams {
  std::string model_path;
  std::string input;  // a file, or "-" for raw S16_LE mono on stdin
  bool json = false;
  int rate = 0;  // of the raw PCM on stdin; 0: the model's
  DetectorFlags detector;
};

struct Output {
  const tinykws::Model* model;
  bool json;
  std::vector<tinykws::Detection> detections;
  // A write to stdout failed: spotting stops, as nobody reads the results
  // (cli::Run reports the error).
  bool stdout_failed = false;
};

// Text mode prints each detection at once (live use); JSON collects them.
void OnDetection(const tinykws::Detection& d, void* user) {
  auto* out = static_cast<Output*>(user);
  if (out->json) {
    out->detections.push_back(d);
    return;
  }
  std::printf("%.3f\t%s\t%.6f\n", d.time_s,
              out->model->labels()[static_cast<size_t>(d.label)].c_str(),
              d.score);
  std::fflush(stdout);
  if (tinykws::cli::StdoutFailed()) out->stdout_failed = true;
}

// Raw little-endian int16 from stdin, pushed as it arrives.
tinykws::Status SpotStdin(tinykws::Spotter& spotter, int rate, Output* out) {
  std::vector<unsigned char> bytes(3200 + 1);  // 100 ms at 16 kHz
  std::vector<int16_t> pcm(bytes.size() / 2);
  size_t held = 0;  // a leftover odd byte
  for (;;) {
    const ssize_t got =
        ::read(STDIN_FILENO, bytes.data() + held, bytes.size() - held);
    if (got < 0) {
      if (errno == EINTR) continue;
      return tinykws::IoError(std::string("stdin: ") + std::strerror(errno));
    }
    if (got == 0) break;
    const size_t total = held + static_cast<size_t>(got);
    const size_t samples = total / 2;
    for (size_t i = 0; i < samples; ++i) {
      pcm[i] = static_cast<int16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
    }
    held = total % 2;
    if (held) bytes[0] = bytes[total - 1];
    TINYKWS_RETURN_IF_ERROR(
        spotter.Push(pcm.data(), samples, rate, OnDetection, out));
    if (out->stdout_failed) break;
  }
  return tinykws::Status::Ok();
}

tinykws::Status SpotFile(tinykws::Spotter& spotter, const std::string& path,
                         int rate, Output* out) {
  tinykws::AudioReadOptions options;
  options.max_seconds = 7 * 24 * 3600.0;  // streamed: length costs no memory
  tinykws::StatusOr<std::unique_ptr<tinykws::AudioFileStream>> file =
      tinykws::AudioFileStream::Open(path, rate, options);
  if (!file.ok()) return file.status();
  std::vector<int16_t> pcm;
  for (bool end = false; !end && !out->stdout_failed;) {
    TINYKWS_RETURN_IF_ERROR((*file)->Read(&pcm, &end));
    TINYKWS_RETURN_IF_ERROR(
        spotter.Push(pcm.data(), pcm.size(), rate, OnDetection, out));
  }
  if ((*file)->truncated()) WarnTruncated(path);
  return tinykws::Status::Ok();
}

int RunSpot(const SpotParams& p) {
  tinykws::StatusOr<std::shared_ptr<const tinykws::Model>> model =
      tinykws::Model::Load(p.model_path);
  if (!model.ok()) return ReportError(model.status());
  if (p.rate != 0 && p.input != "-") {
    return ReportUsageError(tinykws::InvalidArgument(
        "--rate is for raw PCM on stdin ('-'); files carry their rate"));
  }
  tinykws::SpotterOptions options;
  tinykws::Status s = ResolveDetectorFlags(**model, p.detector, &options);
  if (!s.ok()) return ReportUsageError(s);
  const int rate = (*model)->features().sample_rate;
  if (p.rate != 0 && p.rate != rate) {
    // A rate in range whose ratio to the model's the converter cannot do.
    const tinykws::StatusOr<tinykws::Resampler> converter =
        tinykws::Resampler::Create(p.rate, rate);
    if (!converter.ok()) {
      return ReportUsageError(
          tinykws::InvalidArgument("--rate: " + converter.status().message()));
    }
  }
  const int input_rate = p.rate != 0 ? p.rate : rate;
  options.input_sample_rate = input_rate;
  tinykws::StatusOr<tinykws::Spotter> spotter =
      tinykws::Spotter::Create(*model, options);
  if (!spotter.ok()) return ReportError(spotter.status());
  Output out{model->get(), p.json, {}};
  const auto start = std::chrono::steady_clock::now();
  s = p.input == "-" ? SpotStdin(*spotter, input_rate, &out)
                     : SpotFile(*spotter, p.input, rate, &out);
  if (!s.ok()) return ReportError(s);
  if (out.stdout_failed) return 1;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const double audio = static_cast<double>(spotter->samples_pushed()) / rate;
  if (p.json) {
    std::string text = "{\"detections\": [";
    for (size_t i = 0; i < out.detections.size(); ++i) {
      const tinykws::Detection& d = out.detections[i];
      char item[512];
      std::snprintf(item, sizeof item,
                    "%s{\"label\": \"%s\", \"time_s\": %.3f, \"score\": %.6f}",
                    i ? ", " : "",
                    (*model)->labels()[static_cast<size_t>(d.label)].c_str(),
                    d.time_s, d.score);
      text += item;
    }
    text +=
        "], \"audio_seconds\": " + tinykws::eval::FormatFixed(audio, 3) + "}\n";
    std::fputs(text.c_str(), stdout);
  }
  std::fprintf(stderr,
               "spotted %.1f s of audio in %.3f s (real-time factor %.6f)\n",
               audio, seconds, audio > 0 ? seconds / audio : 0.0);
  return 0;
}

}  // namespace

void AddSpotCommand(CLI::App& app, int* exit_code) {
  auto p = std::make_shared<SpotParams>();
  CLI::App* cmd = app.add_subcommand(
      "spot",
      "Detect keywords in a recording of any length, or in raw 16-bit mono "
      "PCM on standard input ('-', at --rate): one line per "
      "detection with time (s), label and score.");
  cmd->add_option("--model", p->model_path, "Model file (.kws)")->required();
  cmd->add_option("input", p->input,
                  "Audio file (WAV, FLAC, ...; resampled to the model's "
                  "rate) or - for raw S16_LE mono PCM on stdin")
      ->required();
  cmd->add_flag("--json", p->json,
                "Print {\"detections\": [{\"label\", \"time_s\", "
                "\"score\"}, ...]} at the end");
  cmd->add_option("--rate", p->rate,
                  "Sample rate of the raw PCM on stdin, 1000..384000 Hz "
                  "(default: the model's); other rates such as 44100 or "
                  "48000 are converted inside, as the library does")
      ->check(WholeIn(1000, 384000));
  AddDetectorFlags(cmd, &p->detector);
  cmd->callback([p, exit_code] { *exit_code = RunSpot(*p); });
}

}  // namespace kws
