// ExecuteRun: the plan rendered by worker processes into the temporary
// folder, then the sentence log, the manifest and the rename to OUT.
#include "synth/synth.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/parallel.hpp"
#include "common/staged_folder.hpp"
#include "synth/render.hpp"
#include "synth/workers.hpp"
#include "tinykws/audio.hpp"
#include "tinykws/dataset.hpp"

namespace tinykws::synth {

namespace {

// Clips per worker process: large enough that starting the engines (~20 ms)
// is noise, small enough to balance the cores at the end. Fixed (not from
// --jobs): the batches are what makes the output independent of --jobs.
constexpr size_t kClipsPerBatch = 200;

std::string PartPath(const std::string& root, const SpeechFile& file) {
  return root + "/" + file.file + ".part";
}

Status WriteSpeechPart(const std::string& path,
                       const std::vector<SpeechLine>& lines) {
  std::ofstream out(path, std::ios::binary);
  for (const SpeechLine& l : lines) {
    char start[32];
    std::snprintf(start, sizeof start, "%.3f", l.start_s);
    out << start << '\t' << l.voice << '\t' << l.text << '\n';
  }
  out.flush();
  if (!out) return IoError(path + ": write failed");
  return Status::Ok();
}

// Runs in a worker process, with its own copy of the parent's renderer.
Status RenderBatch(const PreparedRun& run, Renderer& renderer,
                   const std::string& root, size_t batch,
                   WorkCounters& counters) {
  const Plan& plan = run.plan;
  std::vector<int16_t> pcm;
  if (batch < plan.speech.size()) {
    const SpeechFile& file = plan.speech[batch];
    std::vector<SpeechLine> lines;
    TINYKWS_RETURN_IF_ERROR(renderer.RenderSpeech(
        file, &pcm, &lines, [&counters] { counters.items += 1; }));
    counters.items += file.sentences.size() - lines.size();  // unused
    if (pcm.empty()) return Status::Ok();
    TINYKWS_RETURN_IF_ERROR(
        WriteWav(root + "/" + file.file, pcm.data(), pcm.size(), kSampleRate));
    TINYKWS_RETURN_IF_ERROR(WriteSpeechPart(PartPath(root, file), lines));
    counters.speech_samples += pcm.size();
    counters.sentences += lines.size();
    return Status::Ok();
  }
  const size_t first = (batch - plan.speech.size()) * kClipsPerBatch;
  const size_t last = std::min(plan.clips.size(), first + kClipsPerBatch);
  for (size_t i = first; i < last; ++i) {
    if (static_cast<long>(i) == run.options.fail_at_clip) {
      return InternalError("clip " + std::to_string(i) +
                           ": failing as the test asked (fail_at_clip)");
    }
    const ClipItem& item = plan.clips[i];
    ClipOutcome outcome;
    TINYKWS_RETURN_IF_ERROR(renderer.RenderClip(item, &pcm, &outcome));
    TINYKWS_RETURN_IF_ERROR(
        WriteWav(root + "/" + item.file, pcm.data(), pcm.size(), kSampleRate));
    if (!outcome.timed) counters.untimed += 1;
    counters.items += 1;
  }
  return Status::Ok();
}

// _speech_/sentences.txt from the workers' parts, in file order.
Status MergeSentenceLog(const PreparedRun& run, const std::string& root) {
  if (run.plan.speech.empty()) return Status::Ok();
  std::string log = "# file\tstart_s\tvoice\ttext\n";
  for (const SpeechFile& file : run.plan.speech) {
    const std::string part = PartPath(root, file);
    std::ifstream in(part, std::ios::binary);
    if (!in) continue;  // no sentence fitted: no file
    const std::string name =
        std::filesystem::path(file.file).filename().string();
    std::string line;
    while (std::getline(in, line)) log += name + "\t" + line + "\n";
    in.close();
    std::error_code ec;
    std::filesystem::remove(part, ec);
  }
  std::ofstream out(root + "/" + kSpeechFolder + "/sentences.txt",
                    std::ios::binary);
  out << log;
  out.flush();
  if (!out) {
    return IoError(root + "/" + kSpeechFolder + "/sentences.txt: write failed");
  }
  return Status::Ok();
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.flush();
  if (!out) return IoError(path + ": write failed");
  return Status::Ok();
}

}  // namespace

StatusOr<SynthSummary> ExecuteRun(const PreparedRun& run) {
  const auto start = std::chrono::steady_clock::now();
  const Plan& plan = run.plan;
  StatusOr<std::string> temporary = CreateStagingFolder(run.options.out_dir);
  if (!temporary.ok()) return temporary.status();
  const std::string root = *temporary;
  auto fail = [&](const Status& s) -> StatusOr<SynthSummary> {
    AbandonStagingFolder(root);
    return s;
  };
  for (const auto& [folder, kind] : plan.folders) {
    const Status s = MakeFolder(root + "/" + folder);
    if (!s.ok()) return fail(s);
  }
  const size_t clip_batches =
      (plan.clips.size() + kClipsPerBatch - 1) / kClipsPerBatch;
  uint64_t total_items = plan.clips.size();
  for (const SpeechFile& f : plan.speech) total_items += f.sentences.size();
  // The renderer's tables are made here, once; each worker gets a copy.
  Renderer renderer(run.options.augment_config,
                    run.noise.empty() ? nullptr : &run.noise,
                    run.options.augment);
  const Status warm = renderer.Warm();
  if (!warm.ok()) return fail(warm);
  WorkerOptions workers;
  workers.jobs =
      run.options.jobs > 0 ? run.options.jobs : tinykws::HardwareThreads();
  workers.total_items = total_items;
  workers.progress = run.options.progress;
  StatusOr<WorkerTotals> totals = RunBatches(
      plan.speech.size() + clip_batches,
      [&](size_t batch, WorkCounters& counters) {
        return RenderBatch(run, renderer, root, batch, counters);
      },
      workers);
  if (!totals.ok()) return fail(totals.status());

  SynthSummary summary;
  summary.out_dir = run.options.out_dir;
  summary.clips = plan.clips.size();
  summary.untimed_clips = totals->untimed;
  summary.sentences = totals->sentences;
  summary.speech_seconds =
      static_cast<double>(totals->speech_samples) / kSampleRate;
  for (const SpeechFile& f : plan.speech) {
    std::error_code ec;
    if (std::filesystem::exists(root + "/" + f.file, ec))
      ++summary.speech_files;
  }
  summary.notes = run.notes;
  if (!plan.speech.empty() &&
      summary.speech_seconds < plan.speech_target_s * 0.98) {
    char note[160];
    std::snprintf(
        note, sizeof note, "made %.3f h of speech of the %.3f h asked",
        summary.speech_seconds / 3600.0, plan.speech_target_s / 3600.0);
    summary.notes.push_back(note);
  }
  Status s = MergeSentenceLog(run, root);
  if (!s.ok()) return fail(s);
  s = WriteText(root + "/" + kDataManifestFile, ManifestJson(run, summary));
  if (!s.ok()) return fail(s);
  s = CommitStagingFolder(root, run.options.out_dir, run.options.force);
  if (!s.ok()) return fail(s);
  summary.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return summary;
}

}  // namespace tinykws::synth
