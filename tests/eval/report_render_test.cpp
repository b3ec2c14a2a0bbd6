// Renders the committed report fixture (real `kws eval --reference --run`
// output) and variations of it: the HTML must be well-formed, self-contained
// and carry the report's numbers; the Markdown must carry the same numbers
// as consistent tables.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "eval/report.hpp"
#include "markup_checks.hpp"

namespace tinykws::eval {
namespace {

using nlohmann::json;

const char* kMicro = "\xC2\xB5";

json Fixture() {
  std::ifstream in(TINYKWS_SOURCE_DIR "/tests/eval/sample_report.json");
  return json::parse(in);
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

TEST(WellFormedChecker, RejectsBrokenMarkup) {
  EXPECT_EQ(CheckWellFormed("<p a=\"1\"><b>x</b><br/></p>"), "");
  EXPECT_NE(CheckWellFormed("<div><span></div></span>"), "");
  EXPECT_NE(CheckWellFormed("<div>"), "");
  EXPECT_NE(CheckWellFormed("<meta charset=\"utf-8\">"), "");
  EXPECT_NE(CheckWellFormed("<p class=x></p>"), "");
  EXPECT_NE(CheckWellFormed("<p>a & b</p>"), "");
  EXPECT_NE(CheckWellFormed("<p>a > b</p>"), "");
  EXPECT_NE(CheckWellFormed("<p>&amp</p>"), "");
  EXPECT_NE(CheckWellFormed("<p a=\"1\"b=\"2\"></p>"), "");
  EXPECT_FALSE(HasNonFiniteGeometry("<rect x=\"1\" class=\"info\"/>"));
  EXPECT_TRUE(HasNonFiniteGeometry("<rect x=\"-nan\"/>"));
  EXPECT_TRUE(HasNonFiniteGeometry("<path d=\"M0 0 L inf 2\"/>"));
}

TEST(RenderHtml, FixtureIsWellFormedAndSelfContained) {
  const std::string html = RenderHtml(Fixture());
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* banned :
       {"<script", "<SCRIPT", "<link", "<img", "@import", "url(", "https://"}) {
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  }
  EXPECT_EQ(Count(html, "http://"), Count(html, "http://www.w3.org/2000/svg"));
  EXPECT_GE(Count(html, "<svg "), 6);  // heatmap, bars, histogram, 3 curves
  EXPECT_FALSE(HasNonFiniteGeometry(html));
}

TEST(RenderHtml, FixtureCarriesTheNumbers) {
  const json r = Fixture();
  const std::string html = RenderHtml(r);
  // Headline: accuracy, n, balanced accuracy, model, latency split, savings.
  for (const std::string& s :
       {std::string("99.43%"), std::string("n = 174"), std::string("99.41%"),
        std::string("int8"), std::string("6.2 KiB"), std::string("133,680"),
        "59.9 " + std::string(kMicro) + "s",
        "51.0 " + std::string(kMicro) + "s", "8.9 " + std::string(kMicro) + "s",
        std::string(">37.2%<"), std::string(">12.5%<")}) {
    EXPECT_NE(html.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(CountCells(html), (std::vector<std::string>{"89", "0", "1", "84"}));
  for (const json& c : r["per_class"]) {
    const std::string label = c["label"];
    EXPECT_NE(html.find(">" + label + "<"), std::string::npos) << label;
    EXPECT_NE(html.find(">" + Fixed(c["recall"], 3) + "<"), std::string::npos)
        << label;
  }
  // Histogram: one bar per bin, median/p90/p99 marked.
  EXPECT_EQ(Count(html, " clips</title>"), 30);
  for (const char* marker : {">median 59.9<", ">p90 61.5<", ">p99 229.4<"}) {
    EXPECT_NE(html.find(marker), std::string::npos) << marker;
  }
  // Training curves, misclassified clip, data and model sections.
  EXPECT_NE(html.find("<h2>Training</h2>"), std::string::npos);
  EXPECT_EQ(Count(html, "<path d=\"M"), 5);  // loss x2, accuracy x2, lr
  EXPECT_NE(html.find("best epoch 38"), std::string::npos);
  EXPECT_NE(html.find("stop/46a153d8_nohash_2.flac"), std::string::npos);
  EXPECT_NE(html.find("go 0.897"), std::string::npos);
  EXPECT_NE(html.find(r["model"]["sha256"].get<std::string>()),
            std::string::npos);
  EXPECT_NE(html.find(r["reference"]["model"]["sha256"].get<std::string>()),
            std::string::npos);
  EXPECT_NE(html.find(">down</code>"), std::string::npos);  // skipped folder
  EXPECT_NE(html.find("minmax, 200 clips"), std::string::npos);
}

json WithLabel(json r, const std::string& old_label, const std::string& label) {
  for (json* labels : {&r["confusion"]["labels"], &r["model"]["labels"]}) {
    for (json& l : *labels) {
      if (l == old_label) l = label;
    }
  }
  for (json& c : r["per_class"]) {
    if (c["label"] == old_label) c["label"] = label;
  }
  json& per_label = r["data"]["clips_per_label"];
  per_label[label] = per_label[old_label];
  per_label.erase(old_label);
  for (json& m : r["misclassified"]) {
    if (m["label"] == old_label) m["label"] = label;
    m["scores"][label] = m["scores"][old_label];
    m["scores"].erase(old_label);
  }
  return r;
}

TEST(RenderHtml, EscapesLabelsAndPaths) {
  json r = WithLabel(Fixture(), "stop", "a<b&\"c");
  r["data"]["dir"] = "/data/<x&y>";
  r["model"]["metadata"]["note"] = "it's \"quoted\" <b>";
  const std::string html = RenderHtml(r);
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_EQ(html.find("a<b"), std::string::npos);
  EXPECT_EQ(html.find("<x&y>"), std::string::npos);
  EXPECT_GE(Count(html, "a&lt;b&amp;&quot;c"), 5);  // axes, bars, tables
  EXPECT_NE(html.find("/data/&lt;x&amp;y&gt;"), std::string::npos);
  EXPECT_NE(html.find("it&#39;s &quot;quoted&quot; &lt;b&gt;"),
            std::string::npos);

  const std::string md = RenderMarkdown(r);
  EXPECT_EQ(md.find("a<b"), std::string::npos);
  EXPECT_NE(md.find("| a\\<b\\&\"c | 1.0000 | 0.9882 |"), std::string::npos);
  EXPECT_EQ(CheckMarkdownTables(md), "");
}

// A 4-label report with no training run, no reference and no mistakes.
json FourLabels() {
  json r = Fixture();
  r.erase("run");
  r.erase("reference");
  const std::vector<std::string> labels = {"yes", "no", "up", "down"};
  r["model"]["labels"] = labels;
  r["confusion"] = {
      {"labels", labels},
      {"matrix", {{50, 0, 0, 0}, {0, 40, 0, 0}, {0, 0, 30, 0}, {0, 0, 0, 20}}}};
  r["per_class"] = json::array();
  r["data"]["clips_per_label"] = json::object();
  for (size_t i = 0; i < labels.size(); ++i) {
    r["per_class"].push_back({{"label", labels[i]},
                              {"precision", 1.0},
                              {"recall", 1.0},
                              {"f1", 1.0},
                              {"support", 50 - 10 * i}});
    r["data"]["clips_per_label"][labels[i]] = 50 - 10 * i;
  }
  r["misclassified"] = json::array();
  r["accuracy"] = 1.0;
  r["balanced_accuracy"] = 1.0;
  r["correct"] = 140;
  r["data"]["clips"] = 140;
  return r;
}

TEST(RenderHtml, FourLabelsWithoutRunOrReference) {
  const std::string html = RenderHtml(FourLabels());
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_EQ(CountCells(html), (std::vector<std::string>{
                                  "50", "0", "0", "0", "0", "40", "0", "0", "0",
                                  "0", "30", "0", "0", "0", "0", "20"}));
  EXPECT_NE(html.find("100.00%"), std::string::npos);
  EXPECT_NE(html.find("n = 140"), std::string::npos);
  EXPECT_EQ(html.find("<h2>Training</h2>"), std::string::npos);
  EXPECT_EQ(html.find("reference"), std::string::npos);
  EXPECT_NE(html.find("None: every clip was classified correctly."),
            std::string::npos);
  EXPECT_FALSE(HasNonFiniteGeometry(html));
}

TEST(RenderHtml, OneEpochRunAndManyMistakes) {
  json r = Fixture();
  r["run"]["metrics"] = json::array({r["run"]["metrics"][0]});
  r["run"]["summary"].erase("best_epoch");
  const json mistake = r["misclassified"][0];
  for (int i = 0; i < 149; ++i) r["misclassified"].push_back(mistake);
  const std::string html = RenderHtml(r);
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_FALSE(HasNonFiniteGeometry(html));
  EXPECT_EQ(Count(html, "<circle "), 5);  // single points drawn as dots
  EXPECT_EQ(html.find("best epoch"), std::string::npos);
  EXPECT_EQ(Count(html, "<td class=\"pred\">go</td>"), 100);
  EXPECT_NE(html.find("50 more are listed in the JSON report."),
            std::string::npos);
}

TEST(RenderHtml, EmptyOrBrokenReportStillRenders) {
  for (const json& r : {json::object(), json::array(),
                        json{{"accuracy", "high"}, {"confusion", 3}}}) {
    const std::string html = RenderHtml(r);
    EXPECT_EQ(CheckWellFormed(html), "") << r.dump();
    EXPECT_FALSE(HasNonFiniteGeometry(html));
    EXPECT_NE(html.find("n/a"), std::string::npos);
    EXPECT_EQ(CheckMarkdownTables(RenderMarkdown(r)), "") << r.dump();
  }
}

TEST(RenderMarkdown, FixtureTables) {
  const json r = Fixture();
  const std::string md = RenderMarkdown(r);
  EXPECT_EQ(CheckMarkdownTables(md), "");
  for (const char* s :
       {"| accuracy | 99.43% (173 of n = 174) |",
        "| balanced accuracy | 99.41% |",
        "| model | int8, 6.2 KiB (6,304 bytes) |",
        "| MACs per clip | 133,680 |",
        "| latency vs reference | 37.2% faster |",
        "| size vs reference | 12.5% smaller |", "| **go** | 89 | 0 |",
        "| **stop** | 1 | 84 |", "| total | 59.9 | 61.5 | 229.4 | 76.5 |",
        "| MFCC | 51.0 | 52.2 | 218.2 | 66.6 |",
        "| inference | 8.9 | 9.3 | 52.6 | 9.8 |", "| best epoch | 38 |",
        "| best val accuracy | 99.03% |", "go 0.897, stop 0.103",
        "`../shared/data/speech_commands/stop/46a153d8_nohash_2.flac`"}) {
    EXPECT_NE(md.find(s), std::string::npos) << s;
  }
  for (const json& c : r["per_class"]) {
    const std::string row = "| " + c["label"].get<std::string>() + " | " +
                            Fixed(c["precision"], 4) + " | " +
                            Fixed(c["recall"], 4) + " | " + Fixed(c["f1"], 4) +
                            " | " + std::to_string(c["support"].get<int>()) +
                            " |";
    EXPECT_NE(md.find(row), std::string::npos) << row;
  }
  EXPECT_NE(md.find("| 38 (best) |"), std::string::npos);
}

TEST(RenderMarkdown, FourLabelsWithoutRunOrReference) {
  const std::string md = RenderMarkdown(FourLabels());
  EXPECT_EQ(CheckMarkdownTables(md), "");
  for (const char* label : {"yes", "no", "up", "down"}) {
    EXPECT_NE(
        md.find(std::string("| ") + label + " | 1.0000 | 1.0000 | 1.0000 |"),
        std::string::npos);
  }
  EXPECT_NE(md.find("| **down** | 0 | 0 | 0 | 20 |"), std::string::npos);
  EXPECT_EQ(md.find("## Training"), std::string::npos);
  EXPECT_EQ(md.find("## Reference"), std::string::npos);
  EXPECT_EQ(md.find("vs reference"), std::string::npos);
  EXPECT_NE(md.find("None: every clip was classified correctly."),
            std::string::npos);
}

}  // namespace
}  // namespace tinykws::eval
