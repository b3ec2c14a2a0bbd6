// Renders a report JSON (e.g. the committed fixture) to HTML and Markdown
// without running an evaluation; used to make docs/report.png.
//   render_report REPORT.json OUT.html [OUT.md]
#include <cstdio>
#include <fstream>
#include <sstream>

#include "eval/report.hpp"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s REPORT.json OUT.html [OUT.md]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json report =
      nlohmann::json::parse(text.str(), nullptr, false);
  if (!in || report.is_discarded()) {
    std::fprintf(stderr, "error: %s: not a readable JSON file\n", argv[1]);
    return 1;
  }
  std::ofstream(argv[2]) << tinykws::eval::RenderHtml(report);
  if (argc == 4)
    std::ofstream(argv[3]) << tinykws::eval::RenderMarkdown(report);
  return 0;
}
