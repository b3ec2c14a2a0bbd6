#include "eval/report_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace tinykws::eval {

using nlohmann::json;

std::string XmlEscape(std::string_view text) {
  constexpr std::string_view kSpecial = "&<>\"'";
  const char* const kEntity[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const size_t k = kSpecial.find(ch);
    if (k != std::string_view::npos) {
      out += kEntity[k];
    } else if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' &&
               ch != '\n') {
      out += "\xEF\xBF\xBD";  // control characters are not allowed in XML
    } else {
      out += ch;
    }
  }
  return out;
}

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string FormatScore(double score) { return FormatFixed(score, 6); }

std::string FormatRateInterval(const nlohmann::json& results) {
  return FormatFixed(NumberField(results, "fa_per_hour"), 2) +
         " per hour (95 % interval " +
         FormatFixed(NumberField(results, "fa_per_hour_low"), 2) + "-" +
         FormatFixed(NumberField(results, "fa_per_hour_high"), 2) + ")";
}

std::string DescribeAudioUse(const nlohmann::json& audio) {
  const nlohmann::json& s = Field(audio, "streams");
  const nlohmann::json& speech = Field(s, "speech");
  const nlohmann::json& noise = Field(s, "noise");
  std::string text =
      "The built streams (" + FormatFixed(NumberField(s, "seconds") / 3600, 2) +
      " h) hold " +
      FormatFixed(NumberField(speech, "distinct_seconds") / 60, 1) +
      " min of distinct word clips, each used " +
      FormatFixed(NumberField(speech, "mean_repeats"), 1) +
      " times on average (at most " +
      FormatFixed(NumberField(speech, "max_repeats"), 0) + "), over " +
      FormatFixed(NumberField(noise, "distinct_seconds") / 60, 1) +
      " min of distinct noise, used " +
      FormatFixed(NumberField(noise, "mean_repeats"), 1) + " times.";
  const nlohmann::json& rec = Field(audio, "recordings");
  if (NumberField(rec, "files") > 0) {
    text += " Keyword-free recordings: " +
            FormatFixed(NumberField(rec, "seconds") / 3600, 2) + " h in " +
            Plural(NumberField(rec, "files"), "file") + ", each heard once.";
  }
  return text;
}

std::string FormatPercent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "n/a";
  return FormatFixed(fraction * 100, decimals) + "%";
}

std::string FormatGrouped(double value) {
  if (!std::isfinite(value) || std::abs(value) >= 1e18)
    return FormatFixed(value, 0);
  const long long v = std::llround(value);
  std::string digits = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(i, ",");
  return v < 0 ? "-" + digits : digits;
}

std::string FormatKilobytes(double bytes) {
  const double kb = bytes / 1024;
  if (kb >= 1024) return FormatFixed(kb / 1024, 1) + " MB";
  return FormatFixed(kb, kb < 100 ? 1 : 0) + " KiB";
}

std::string FormatMicros(double us) {
  return FormatFixed(us, 1) + " \xC2\xB5s";
}

std::string FormatValue(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v.get<double>());
    return buf;
  }
  return v.is_null() ? "n/a" : v.dump();
}

std::string Basename(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

const json& Field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

double NumberField(const json& object, const char* key) {
  const json& v = Field(object, key);
  return v.is_number() ? v.get<double>()
                       : std::numeric_limits<double>::quiet_NaN();
}

std::string TextField(const json& object, const char* key) {
  const json& v = Field(object, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return "";
}

std::string FrontEndText(const json& report) {
  const std::string used = TextField(report, "front_end");
  const std::string trained =
      TextField(Field(Field(report, "model"), "features"), "precision");
  if (used.empty()) return trained.empty() ? "float64" : trained;
  if (trained.empty() || trained == used) return used;
  return used + " (trained with " + trained + ")";
}

std::string Plural(double count, const char* noun) {
  return FormatGrouped(count) + " " + noun + (count == 1 ? "" : "s");
}

std::vector<std::pair<std::string, double>> ScoresHighestFirst(
    const json& scores) {
  std::vector<std::pair<std::string, double>> sorted;
  for (const auto& [label, score] : scores.items()) {
    sorted.emplace_back(label, score.is_number() ? score.get<double>() : NAN);
  }
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const auto& a, const auto& b) { return a.second > b.second; });
  return sorted;
}

std::string SplitDescription(const json& data) {
  const json& lists = Field(data, "split_from_lists");
  return TextField(data, "split") + (!lists.is_boolean() ? ""
                                     : lists.get<bool>()
                                         ? " (from the list files)"
                                         : " (by hash of the file name)");
}

std::vector<std::pair<std::string, std::string>> TrainingHighlights(
    const json& summary) {
  const double best = NumberField(summary, "best_epoch");
  const std::pair<std::string, std::string> all[] = {
      {"best epoch", FormatFixed(best, 0)},
      {"best val accuracy",
       FormatPercent(NumberField(summary, "best_val_acc"), 2)},
      {"best val loss", FormatFixed(NumberField(summary, "best_val_loss"), 4)},
      {"test accuracy (training run)",
       FormatPercent(NumberField(summary, "test_acc"), 2)},
      {"epochs", FormatFixed(NumberField(summary, "epochs"), 0)},
      {"train time",
       FormatFixed(NumberField(summary, "train_seconds"), 1) + " s"},
      {"ms per step", FormatFixed(NumberField(summary, "ms_per_step"), 2)},
      {"seed", FormatFixed(NumberField(summary, "seed"), 0)}};
  std::vector<std::pair<std::string, std::string>> present;
  for (const auto& item : all) {
    if (item.second.rfind("n/a", 0) != 0) present.push_back(item);
  }
  return present;
}

std::string MarkdownText(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\n' || ch == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>&|~").find(ch) != std::string_view::npos)
      out += '\\';
    out += ch;
  }
  return out;
}

std::string MarkdownCode(const std::string& s) {
  size_t run = 0, longest = 0;
  std::string body;
  for (char ch : s) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    body += ch == '|' ? "\\|" : ch == '\n' ? " " : std::string(1, ch);
  }
  const std::string fence(longest + 1, '`');
  const std::string pad =
      !s.empty() && (s.front() == '`' || s.back() == '`') ? " " : "";
  return fence + pad + body + pad + fence;
}

std::string MarkdownRow(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += " " + c + " |";
  return out + "\n";
}

}  // namespace tinykws::eval
