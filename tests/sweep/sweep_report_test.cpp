// The sweep report's renderings from a hand-made SweepReport: every trial
// status, marks, a NaN latency and hostile strings. The HTML must be
// well-formed, plot exactly the finished trials and highlight the Pareto
// front; the Markdown must have one consistent row per trial; all text
// from the sweep must come out escaped.
#include "sweep/sweep_report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "../eval/markup_checks.hpp"
#include "make_trial.hpp"
#include "sweep/sweep_charts.hpp"

namespace tinykws::sweep {
namespace {

using eval::CheckMarkdownTables;
using eval::CheckWellFormed;
using eval::Count;
using eval::HasNonFiniteGeometry;

const char* kHostileId = "<script>alert(1)</script>|x&y";

using testing::Trial;

// Ok trials (val, µs, bytes): seed (.9712, 59.9, 6304), tuned (.9801, 80,
// 9000) and t000 (.95, 40, 5000) are the front; t002 and the hostile one
// are beaten by seed; t001 has no latency, so it is not eligible.
SweepReport Sample() {
  SweepReport r;
  r.name = "seed_study";
  r.space_path = "tools/sweeps/a|b<c>.toml";
  r.base_config = "configs/go_stop.toml";
  r.strategy = "grid";
  r.early_stopping = "halving";
  r.rungs = {5, 15};
  r.epochs = 40;
  r.seeds = 2;
  r.world_size = 2;
  r.wall_seconds = 3725;
  r.latency_kernel = "avx2";
  r.latency_clips = 200;
  r.data_dir = "data/go stop & more";

  TrialResult seed = Trial("seed", 0.9712, 59.9, 6304);
  seed.mark = true;
  seed.mark_config = "configs/go_stop.toml";
  seed.seeds = {1, 2};
  seed.val_accuracies = {0.97, 0.9724};
  seed.test_accuracy = 0.965;
  seed.macs = 133680;
  seed.pareto = true;
  seed.rank = 0;
  seed.epochs = 40;
  TrialResult tuned = Trial("tuned", 0.9801, 80, 9000);
  tuned.mark = true;
  tuned.mark_config = "configs/go_stop_tuned.toml";
  tuned.val_accuracies = {0.98, 0.9802};
  tuned.pareto = true;
  TrialResult t000 = Trial("t000", 0.95, 40, 5000);
  t000.overrides = {{"features.mel_bins", 20}, {"model.conv[*].filters", 12}};
  t000.pareto = true;
  TrialResult t001 = Trial("t001", 0.96, kNaN, 7000);
  TrialResult t002 = Trial("t002", 0.94, 90, 8000);
  TrialResult hostile = Trial(kHostileId, 0.93, 100, 10000);
  hostile.overrides = {{"training.note", "a|b\n<script>*_~`"}};
  // Better than every finished trial, but fp32 at a rung: never the best.
  TrialResult stopped = Trial("t004", 0.99, kNaN, 0, "stopped");
  stopped.epochs = 5;
  // Measured before it failed: still not a finished trial, never plotted.
  TrialResult failed = Trial("t005", 0.985, 35, 4000, "failed");
  failed.error = "CUDA <oom> | retry & \nsecond line";
  TrialResult pending = Trial("t006", kNaN, kNaN, 0, "pending");
  r.trials = {seed, tuned, t000, t001, t002, hostile, stopped, failed, pending};
  return r;
}

// The <svg> elements of a page, in order.
std::vector<std::string> Svgs(const std::string& html) {
  std::vector<std::string> svgs;
  for (size_t at = html.find("<svg"); at != std::string::npos;
       at = html.find("<svg", at + 1)) {
    svgs.push_back(html.substr(at, html.find("</svg>", at) + 6 - at));
  }
  return svgs;
}

// The Markdown lines of the trial table's body.
std::vector<std::string> TrialRows(const std::string& md) {
  std::istringstream lines(md.substr(md.find("## Trials")));
  std::vector<std::string> rows;
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("| ", 0) == 0) rows.push_back(line);
  }
  if (rows.size() >= 2) rows.erase(rows.begin(), rows.begin() + 2);
  return rows;
}

int UnescapedPipes(const std::string& line) {
  int pipes = 0;
  for (size_t k = 0; k < line.size(); ++k)
    pipes += line[k] == '|' && (k == 0 || line[k - 1] != '\\');
  return pipes;
}

TEST(SweepReportText, SharedPieces) {
  using namespace report_text;  // NOLINT
  EXPECT_NEAR(SampleStd({0.97, 0.9724}), 0.0024 / std::sqrt(2.0), 1e-12);
  EXPECT_EQ(SampleStd({0.5}), 0.0);
  EXPECT_EQ(AccuracyText(kNaN, {}), kNotMeasured);
  EXPECT_EQ(AccuracyText(0.9712, {0.97}), "97.12%");
  EXPECT_EQ(AccuracyText(0.9712, {0.97, 0.9724}), "97.12 \xC2\xB1 0.17%");
  EXPECT_EQ(DurationText(42), "42.0 s");
  EXPECT_EQ(DurationText(200), "3 min 20 s");
  EXPECT_EQ(DurationText(3725), "1 h 02 min");
  const SweepReport r = Sample();
  EXPECT_EQ(EarlyStoppingText(r), "halving at epochs 5, 15");
  SweepReport plain;
  plain.early_stopping = "none";
  plain.rungs = {5};
  EXPECT_EQ(EarlyStoppingText(plain), "none");
  EXPECT_EQ(ConfigDiff(r.trials[2]),
            "features.mel_bins=20, model.conv[*].filters=12");
  EXPECT_EQ(ConfigDiff(r.trials[0]), "mark: configs/go_stop.toml");
  EXPECT_EQ(BestTrial(r.trials)->id, "tuned");  // not the stopped t004
  const StatusCounts n = CountStatuses(r.trials);
  EXPECT_EQ(n.ok, 6);
  EXPECT_EQ(n.stopped, 1);
  EXPECT_EQ(n.failed, 1);
  EXPECT_EQ(n.pending, 1);
  EXPECT_EQ(CountText(0), kNotMeasured);
  EXPECT_EQ(CountText(133680), "133,680");
}

TEST(ScatterChart, SkipsNonFiniteAndClassesEachPoint) {
  ScatterChart c;
  c.x_label = "x";
  c.y_label = "y";
  c.y_percent = true;
  c.points = {{1, 0.9, "a", "a <&>", true, false},
              {2, 0.95, "b", "b", false, false},
              {kNaN, 0.9, "c", "c", true, false},
              {3, INFINITY, "d", "d", false, false},
              {4, 0.99, "reference recipe", "ref", true, true}};
  const std::string svg = RenderScatterChart(c);
  EXPECT_EQ(CheckWellFormed(svg), "");
  EXPECT_FALSE(HasNonFiniteGeometry(svg));
  EXPECT_EQ(Count(svg, "class=\"point"), 3);
  EXPECT_EQ(Count(svg, " front\""), 2);
  EXPECT_EQ(Count(svg, "class=\"point mark front\""), 1);
  EXPECT_NE(svg.find("<title>a &lt;&amp;&gt;</title>"), std::string::npos);
  EXPECT_EQ(svg.find("<title>c</title>"), std::string::npos);
  // The mark sits at the right edge: its label must go left, not off-chart.
  EXPECT_NE(
      svg.find("text-anchor=\"end\" font-size=\"12\" font-weight=\"600\""),
      std::string::npos)
      << svg;
}

TEST(ScatterChart, JoinsThe2DFrontWithASteps) {
  ScatterChart c;
  // (3, .93) is beaten by (2, .95): the step line runs 1 -> 2 -> 4.
  c.points = {{1, 0.9, "", "", false, false},
              {3, 0.93, "", "", false, false},
              {2, 0.95, "", "", false, false},
              {4, 0.99, "", "", false, false}};
  const std::string svg = RenderScatterChart(c);
  const size_t at = svg.find("stroke-dasharray=\"4 3\" stroke-opacity");
  ASSERT_NE(at, std::string::npos);
  const size_t d = svg.rfind(" d=\"", at);
  const std::string path = svg.substr(d + 4, svg.find('"', d + 4) - d - 4);
  EXPECT_EQ(Count(path, "M"), 1) << path;
  EXPECT_EQ(Count(path, "L"), 4) << path;  // two steps, each across and up

  c.points.resize(1);  // one point: nothing to join
  EXPECT_EQ(RenderScatterChart(c).find("stroke-opacity"), std::string::npos);
  c.points[0].y = kNaN;
  const std::string empty = RenderScatterChart(c);
  EXPECT_NE(empty.find("no data"), std::string::npos);
  EXPECT_EQ(Count(empty, "class=\"point"), 0);
}

TEST(SweepHtml, IsWellFormedSelfContainedAndEscaped) {
  const std::string html = RenderSweepHtml(Sample());
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_FALSE(HasNonFiniteGeometry(html));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* banned : {"<script", "<SCRIPT", "<img", "url(", "https:"}) {
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  }
  EXPECT_EQ(Count(html, "http://"), Count(html, "http://www.w3.org/2000/svg"));
  EXPECT_GE(Count(html, "&lt;script&gt;alert(1)&lt;/script&gt;|x&amp;y"), 2);
  EXPECT_NE(html.find("CUDA &lt;oom&gt; | retry &amp;"), std::string::npos);
  EXPECT_NE(html.find("a|b&lt;c&gt;.toml"), std::string::npos);
  EXPECT_EQ(html.find("nan"), std::string::npos);
  EXPECT_EQ(html.find("n/a"), std::string::npos);  // not measured reads "—"
  EXPECT_EQ(html.find(" KB"), std::string::npos);  // KiB, never KB
}

TEST(SweepHtml, PlotsExactlyTheFinishedTrialsAndHighlightsTheFront) {
  const std::vector<std::string> svgs = Svgs(RenderSweepHtml(Sample()));
  ASSERT_EQ(svgs.size(), 2u);
  const std::string& latency = svgs[0];
  const std::string& size = svgs[1];
  EXPECT_NE(latency.find("median latency per clip"), std::string::npos);
  EXPECT_NE(size.find("model size (KiB)"), std::string::npos);
  // Six ok trials; t001 has no latency, so it is only in the size chart.
  EXPECT_EQ(Count(latency, "class=\"point"), 5);
  EXPECT_EQ(Count(size, "class=\"point"), 6);
  EXPECT_EQ(latency.find("<title>t001:"), std::string::npos);
  EXPECT_NE(size.find("<title>t001: val 96.00%, latency \xE2\x80\x94, "
                      "6.8 KiB (7,000 bytes)"),
            std::string::npos)
      << size;
  for (const std::string& svg : svgs) {
    EXPECT_EQ(Count(svg, " front\""), 3);  // seed, tuned, t000
    EXPECT_EQ(Count(svg, "class=\"point mark front\""), 2);
    EXPECT_NE(svg.find("<title>t000:"), std::string::npos);
    for (const char* absent : {"t004", "t005", "t006"}) {
      EXPECT_EQ(svg.find(absent), std::string::npos) << absent;
    }
    EXPECT_NE(svg.find(">tuned</text>"), std::string::npos);  // mark label
  }
  // Sizes are in KiB on the axis (4.9 to 9.8 here), bytes too in tooltips.
  EXPECT_NE(size.find("text-anchor=\"middle\">6</text>"), std::string::npos);
  EXPECT_EQ(size.find("text-anchor=\"middle\">6000</text>"), std::string::npos);
  EXPECT_NE(size.find("6.2 KiB (6,304 bytes)"), std::string::npos);
}

TEST(SweepHtml, TableHasOneRowPerTrialWithItsNumbers) {
  const std::string html = RenderSweepHtml(Sample());
  EXPECT_EQ(Count(html, "<tr class=\"trial\">"), 9);
  EXPECT_EQ(Count(html, "<b class=\"front\""), 3);
  EXPECT_LT(html.find("<b>seed</b>"), html.find(">t000<"));  // marks first
  EXPECT_NE(html.find("mark: <code>configs/go_stop_tuned.toml</code>"),
            std::string::npos);
  EXPECT_NE(html.find("features.mel_bins=20</code> <code "
                      "style=\"word-break:normal;white-space:nowrap\">model."
                      "conv[*].filters=12</code>"),
            std::string::npos);
  EXPECT_NE(html.find(">97.12 \xC2\xB1 0.17%"), std::string::npos);
  EXPECT_NE(html.find("title=\"seed 1: 97.00%, seed 2: 97.24%\""),
            std::string::npos);
  EXPECT_NE(html.find(">99.00%<br/><span class=\"sub\">fp32 at epoch 5"),
            std::string::npos);
  EXPECT_NE(html.find(">133,680<"), std::string::npos);
  // Settings and summary.
  EXPECT_NE(html.find("halving at epochs 5, 15"), std::string::npos);
  EXPECT_NE(html.find("2 processes"), std::string::npos);
  EXPECT_NE(html.find("1 h 02 min"), std::string::npos);
  EXPECT_NE(html.find("<code>avx2</code> kernel, 200 clips"),
            std::string::npos);
  EXPECT_NE(html.find(">98.01%<"), std::string::npos);  // best: tuned
  EXPECT_NE(html.find("<b>tuned</b>"), std::string::npos);
  EXPECT_NE(html.find("seed, tuned, t000"), std::string::npos);  // the front
}

TEST(SweepHtml, UnfinishedSweepHasNoPoints) {
  SweepReport r = Sample();
  for (TrialResult& t : r.trials) {
    t = Trial(t.id, kNaN, kNaN, 0, "pending");
  }
  const std::string html = RenderSweepHtml(r);
  EXPECT_EQ(CheckWellFormed(html), "");
  EXPECT_EQ(Count(html, "class=\"point"), 0);
  EXPECT_EQ(Count(html, ">no data<"), 2);
  EXPECT_NE(html.find("no trial has finished yet"), std::string::npos);
  EXPECT_NE(RenderSweepMarkdown(r).find("none yet"), std::string::npos);
}

TEST(SweepMarkdown, OneConsistentRowPerTrial) {
  const std::string md = RenderSweepMarkdown(Sample());
  EXPECT_EQ(CheckMarkdownTables(md), "") << md;
  const std::vector<std::string> rows = TrialRows(md);
  ASSERT_EQ(rows.size(), 9u) << md;
  for (const std::string& row : rows) EXPECT_EQ(UnescapedPipes(row), 13) << row;
  EXPECT_EQ(rows[0].rfind("| **seed** | ok | mark: configs/go\\_stop.toml | "
                          "40 | 97.12 \xC2\xB1 0.17% | 96.50% | 6,304 | "
                          "133,680 | 59.9 | \xE2\x9C\x93 | 0 |  |",
                          0),
            0u)
      << rows[0];
  EXPECT_NE(rows[2].find("features.mel\\_bins=20, "
                         "model.conv\\[\\*\\].filters=12"),
            std::string::npos);
  EXPECT_NE(rows[3].find("| 7,000 | \xE2\x80\x94 | \xE2\x80\x94 |"),
            std::string::npos)
      << rows[3];  // no MACs, no latency
  EXPECT_NE(rows[6].find("99.00% (fp32 at epoch 5)"), std::string::npos);
  EXPECT_NE(rows[7].find("CUDA \\<oom\\> \\| retry \\&  second line |"),
            std::string::npos)
      << rows[7];
  int checks = 0;
  for (const std::string& row : rows) checks += Count(row, "\xE2\x9C\x93");
  EXPECT_EQ(checks, 3);
}

TEST(SweepMarkdown, EscapesSweepTextAndShowsSettings) {
  const std::string md = RenderSweepMarkdown(Sample());
  for (size_t at = md.find("<script"); at != std::string::npos;
       at = md.find("<script", at + 1)) {
    EXPECT_EQ(md[at - 1], '\\') << "raw <script at " << at;
  }
  EXPECT_NE(md.find("\\<script\\>alert(1)\\</script\\>\\|x\\&y"),
            std::string::npos);
  EXPECT_NE(md.find("training.note=a\\|b \\<script\\>\\*\\_\\~\\`"),
            std::string::npos);
  EXPECT_NE(md.find("| space | `tools/sweeps/a\\|b<c>.toml` |"),
            std::string::npos);
  EXPECT_NE(md.find("| early stopping | halving at epochs 5, 15 |"),
            std::string::npos);
  EXPECT_NE(md.find("| processes | 2 |"), std::string::npos);
  EXPECT_NE(md.find("| wall time | 1 h 02 min |"), std::string::npos);
  EXPECT_NE(md.find("| latency | `avx2` kernel, median of 200 clips"),
            std::string::npos);
  EXPECT_NE(md.find("**9 trials:** 6 ok, 1 stopped, 1 failed, 1 pending"),
            std::string::npos);
  EXPECT_NE(md.find("**Best validation accuracy:** tuned with 98.01 "
                    "\xC2\xB1 0.01% (test \xE2\x80\x94), 9,000 bytes "
                    "(8.8 KiB)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("latency and bytes down): seed, tuned, t000\n"),
            std::string::npos);
  EXPECT_EQ(md.find(" KB"), std::string::npos);
  EXPECT_EQ(md.find("nan"), std::string::npos);
  EXPECT_EQ(md.find("n/a"), std::string::npos);
}

}  // namespace
}  // namespace tinykws::sweep
