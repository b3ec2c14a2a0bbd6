// A sweep's result (sweep_result.hpp) as GitHub-flavoured Markdown, for pull
// requests and CI summaries, and as one self-contained HTML page (inline CSS
// and SVG, no scripts) in the style of the evaluation reports.
#pragma once

#include <string>
#include <vector>

#include "sweep/sweep_result.hpp"

namespace tinykws::sweep {

std::string RenderSweepMarkdown(const SweepReport& report);
std::string RenderSweepHtml(const SweepReport& report);

// ---- Pieces both renderings share (defined in sweep_report_markdown.cpp).
// They return plain text; each renderer escapes it for its own format.
namespace report_text {

// Shown for a value that was not measured (a pending or failed trial).
inline constexpr const char* kNotMeasured = "\xE2\x80\x94";  // em dash

struct StatusCounts {
  int ok = 0, stopped = 0, failed = 0, pending = 0;
};
StatusCounts CountStatuses(const std::vector<TrialResult>& trials);

// The "ok" trial with the highest finite validation accuracy (the first of
// equals), or nullptr. Stopped trials are fp32 at a rung: not comparable.
const TrialResult* BestTrial(const std::vector<TrialResult>& trials);
std::vector<const TrialResult*> ParetoTrials(
    const std::vector<TrialResult>& trials);

// "features.mel_bins=20, model.conv[*].filters=12"; for a mark
// "mark: configs/go_stop.toml"; "base config" when nothing is overridden.
std::string ConfigDiff(const TrialResult& trial);

// Sample standard deviation (n - 1); 0 for fewer than two finite values.
double SampleStd(const std::vector<double>& values);
// "97.12%", or "97.12 ± 0.20%" over several seeds; kNotMeasured for NaN.
std::string AccuracyText(double mean, const std::vector<double>& per_seed);
// "seed 1: 97.10%, seed 2: 97.35%" (empty for fewer than two seeds).
std::string PerSeedText(const std::vector<int64_t>& seeds,
                        const std::vector<double>& accuracies);

// Grouped counts and microseconds, kNotMeasured when <= 0 or not finite.
std::string CountText(int64_t count);
std::string MicrosText(double us);

// "none", or "halving at epochs 5, 15".
std::string EarlyStoppingText(const SweepReport& report);
// "42.0 s", "3 min 20 s", "1 h 02 min".
std::string DurationText(double seconds);

}  // namespace report_text
}  // namespace tinykws::sweep
