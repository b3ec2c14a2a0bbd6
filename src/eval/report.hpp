// The evaluation report as JSON (the single source of the numbers), and the
// Markdown and self-contained HTML renderings of that JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "eval/evaluate.hpp"

namespace tinykws::eval {

nlohmann::json ReportJson(const EvalReport& report);

// The "model" object of a report: path, bytes, sha256, labels, features...
nlohmann::json ModelJson(const ModelInfo& model);

// Adds "run": {"dir", "metrics": [one object per metrics.jsonl line],
// "summary": summary.json} from a training run folder.
Status AddRunToReport(const std::string& run_dir, nlohmann::json* report);

// Renderings of a report made by ReportJson (+ AddRunToReport).
std::string RenderMarkdown(const nlohmann::json& report);
std::string RenderHtml(const nlohmann::json& report);

}  // namespace tinykws::eval
