// kws spot-eval: the detector on streams built from a data split (a keyword
// stream with every keyword clip of the split once, keyword-free streams of
// other words and noise) plus the user's keyword-free recordings. Reports
// keywords found, false alarms per hour, detection delay, a DET curve and
// the timeline of detections, as JSON (the single source) rendered to
// Markdown and HTML.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tinykws/spotter.hpp"

namespace tinykws::eval {

struct SpotEvalOptions {
  std::string model_path;
  std::string data_dir;
  std::string split = "testing";
  // Keyword stream length; 0: until every keyword clip was placed once.
  double minutes = 0.0;
  // Keyword-free synthetic audio from the split's other words and noise.
  double keyword_free_minutes = 180.0;
  std::vector<std::string> negatives;  // keyword-free recordings
  uint64_t seed = 1;
  int threads = 0;           // 0 = all cores
  SpotterOptions overrides;  // of the model's detector
  std::string save_stream;   // write the keyword stream as WAV ("" = no)
};

// Runs the evaluation; returns the report JSON.
StatusOr<nlohmann::json> SpotEvaluate(const SpotEvalOptions& options);

std::string RenderSpotMarkdown(const nlohmann::json& report);
std::string RenderSpotHtml(const nlohmann::json& report);

}  // namespace tinykws::eval
