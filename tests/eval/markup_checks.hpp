// Checks of rendered reports shared by the report tests: XHTML
// well-formedness, finite SVG geometry, consistent Markdown tables.
#pragma once

#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tinykws::eval {

inline bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
         c == ':' || c == '.';
}

// Length of the entity reference at s[i] ("&amp;", "&#39;", "&#x27;"), or 0.
inline size_t EntityLength(const std::string& s, size_t i) {
  size_t j = i + 1;
  const bool numeric = j < s.size() && s[j] == '#';
  const bool hex = numeric && j + 1 < s.size() && s[j + 1] == 'x';
  j += numeric + hex;
  const size_t start = j;
  while (j < s.size() && j - i < 12 &&
         (hex       ? std::isxdigit(static_cast<unsigned char>(s[j]))
          : numeric ? std::isdigit(static_cast<unsigned char>(s[j]))
                    : std::isalpha(static_cast<unsigned char>(s[j])))) {
    ++j;
  }
  return j > start && j < s.size() && s[j] == ';' ? j + 1 - i : 0;
}

// ` name="value"` repeated, nothing else; no '<' or '>' inside values.
inline bool AttributesWellFormed(const std::string& a) {
  size_t i = 0;
  while (true) {
    const size_t spaces = i;
    while (i < a.size() && std::isspace(static_cast<unsigned char>(a[i]))) ++i;
    if (i == a.size()) return true;
    if (i == spaces) return false;  // attributes are separated by space
    const size_t name = i;
    while (i < a.size() && IsNameChar(a[i])) ++i;
    if (i == name || a.compare(i, 2, "=\"") != 0) return false;
    const size_t close = a.find('"', i + 2);
    if (close == std::string::npos) return false;
    if (a.find_first_of("<>", i + 2) < close) return false;
    i = close + 1;
  }
}

// Element balance for XHTML-style markup: every element closed in order,
// void elements self-closed, attributes quoted, '&' only as an entity and
// '<' / '>' only as markup. Returns "" or what is wrong and where.
inline std::string CheckWellFormed(const std::string& html) {
  static const std::set<std::string> kVoid = {"area", "base",   "br",    "col",
                                              "hr",   "img",    "input", "link",
                                              "meta", "source", "wbr"};
  std::vector<std::string> open;
  size_t i = 0;
  while (i < html.size()) {
    const std::string at = " at offset " + std::to_string(i);
    if (html[i] == '&') {
      const size_t n = EntityLength(html, i);
      if (n == 0) return "bare '&'" + at;
      i += n;
      continue;
    }
    if (html[i] == '>') return "stray '>'" + at;
    if (html[i] != '<') {
      ++i;
      continue;
    }
    const size_t end = html.find('>', i);
    if (end == std::string::npos) return "unterminated tag" + at;
    std::string tag = html.substr(i + 1, end - i - 1);
    i = end + 1;
    if (!tag.empty() && tag[0] == '!') continue;  // doctype
    if (!tag.empty() && tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty()) return "</" + name + "> closes nothing" + at;
      if (open.back() != name) {
        return "</" + name + "> closes <" + open.back() + ">" + at;
      }
      open.pop_back();
      continue;
    }
    const bool self_closed = !tag.empty() && tag.back() == '/';
    if (self_closed) tag.pop_back();
    size_t name_end = 0;
    while (name_end < tag.size() &&
           std::isalnum(static_cast<unsigned char>(tag[name_end]))) {
      ++name_end;
    }
    const std::string name = tag.substr(0, name_end);
    if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) {
      return "bad tag name in <" + tag + ">" + at;
    }
    if (!AttributesWellFormed(tag.substr(name_end))) {
      return "unquoted or malformed attributes in <" + name + ">" + at;
    }
    if (kVoid.count(name) && !self_closed) {
      return "void <" + name + "> not self-closed" + at;
    }
    if (!self_closed) open.push_back(name);
    if (name == "style") {  // raw text up to its end tag
      const size_t close = html.find("</style>", i);
      if (close == std::string::npos) return "unclosed <style>";
      i = close;
    }
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

// Texts of the confusion-matrix count cells, in document order.
inline std::vector<std::string> CountCells(const std::string& html) {
  const std::string open = "<text class=\"count\"";
  std::vector<std::string> cells;
  for (size_t at = html.find(open); at != std::string::npos;
       at = html.find(open, at + 1)) {
    const size_t start = html.find('>', at) + 1;
    cells.push_back(html.substr(start, html.find('<', start) - start));
  }
  return cells;
}

inline int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// No NaN or infinity leaked into geometry attributes.
inline bool HasNonFiniteGeometry(const std::string& html) {
  static const std::set<std::string> kGeometry = {
      "x",  "y",     "x1",     "x2", "y1", "y2",        "cx",
      "cy", "width", "height", "d",  "r",  "transform", "viewBox"};
  for (size_t at = html.find("=\""); at != std::string::npos;
       at = html.find("=\"", at + 1)) {
    size_t name = at;
    while (name > 0 && IsNameChar(html[name - 1])) --name;
    if (!kGeometry.count(html.substr(name, at - name))) continue;
    std::string value = html.substr(at + 2, html.find('"', at + 2) - at - 2);
    for (char& c : value) c = static_cast<char>(std::tolower(c));
    if (value.find("nan") != std::string::npos ||
        value.find("inf") != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Every Markdown table has the same number of cells in each of its rows.
inline std::string CheckMarkdownTables(const std::string& md) {
  std::istringstream lines(md);
  std::string line;
  int columns = -1, line_number = 0;
  while (std::getline(lines, line)) {
    ++line_number;
    if (line.empty() || line[0] != '|') {
      columns = -1;
      continue;
    }
    int pipes = 0;
    for (size_t k = 0; k < line.size(); ++k)
      pipes += line[k] == '|' && (k == 0 || line[k - 1] != '\\');
    if (columns >= 0 && pipes != columns)
      return "line " + std::to_string(line_number) + ": " + line;
    columns = pipes;
  }
  return "";
}

}  // namespace tinykws::eval
