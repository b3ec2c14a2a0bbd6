// Text formatting shared by the Markdown and HTML reports, so both print a
// number the same way, and tolerant readers of the report JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinykws::eval {

// Escapes & < > " ' for XML text and attribute values; control characters
// other than tab/newline (not allowed in XML) become U+FFFD.
std::string XmlEscape(std::string_view text);
// "%.<decimals>f", or "n/a" when the value is not finite (missing in JSON).
std::string FormatFixed(double value, int decimals);
// A score or threshold: six decimals, so values near 1 (0.999612 against a
// threshold of 0.9996) can be compared.
std::string FormatScore(double score);
// A false-alarm rate with its 95 % interval from the report's results:
// "0.30 per hour (95 % interval 0.01-1.67)".
std::string FormatRateInterval(const nlohmann::json& results);
// How much distinct sound the streams and recordings of a spot-eval report
// were (its "audio" object), as one sentence.
std::string DescribeAudioUse(const nlohmann::json& audio);
// 0.99425 -> "99.43%" with decimals = 2.
std::string FormatPercent(double fraction, int decimals);
// 133680 -> "133,680".
std::string FormatGrouped(double value);
// 6304 -> "6.2 KiB" (1 KiB = 1024 bytes, the unit used everywhere).
std::string FormatKilobytes(double bytes);
// 59.919 -> "59.9 µs".
std::string FormatMicros(double us);
// A config-like JSON value (sample rate, metadata) as written, "%g" for
// floats: 1e-06 rather than 0.000001.
std::string FormatValue(const nlohmann::json& value);
// "a/b/model.kws" -> "model.kws".
std::string Basename(const std::string& path);

// Markdown pieces shared by the evaluation, stream and sweep reports.
// Report text is data, not markup: backslash-escapes what Markdown or inline
// HTML would interpret ('|' would also split a table cell); newlines become
// spaces.
std::string MarkdownText(const std::string& s);
// Paths and hashes as code spans: readable raw, no escapes needed inside
// except '|' (tables); the fence is longer than any backtick run in s.
std::string MarkdownCode(const std::string& s);
// "| a | b |\n".
std::string MarkdownRow(const std::vector<std::string>& cells);

// "1 clip", "2 clips".
std::string Plural(double count, const char* noun);

// Tolerant readers: the report may come from an older or hand-edited JSON,
// so a missing key or a wrong type reads as null / NaN / "" instead of
// throwing.
const nlohmann::json& Field(const nlohmann::json& object, const char* key);
double NumberField(const nlohmann::json& object, const char* key);
std::string TextField(const nlohmann::json& object, const char* key);
// "float32" or, when the clips went through another front end than the
// model was trained with, "float32 (trained with float64)".
std::string FrontEndText(const nlohmann::json& report);

// A misclassified clip's {"label": score} object as (label, score) pairs,
// highest score first.
std::vector<std::pair<std::string, double>> ScoresHighestFirst(
    const nlohmann::json& scores);
// "testing (from the list files)" from the report's "data" object.
std::string SplitDescription(const nlohmann::json& data);

// The headline values of a training run's summary.json (best epoch, best
// validation accuracy, ...), formatted, in display order; missing ones left
// out.
std::vector<std::pair<std::string, std::string>> TrainingHighlights(
    const nlohmann::json& summary);

}  // namespace tinykws::eval
