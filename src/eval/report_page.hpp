// The HTML page shared by the reports (report_html.cpp for clips,
// spot_report_html.cpp for streams): escaping helpers, tiles, and the page
// around the cards (inline CSS, header, footer).
#pragma once

#include <string>

namespace tinykws::eval::html {

// Escaped text, and text as <code>.
std::string E(const std::string& text);
std::string Code(const std::string& text);

// A headline tile: key, big value, a line below; cls "hero" for the first.
std::string Tile(const char* cls, const std::string& key,
                 const std::string& value_html, const std::string& sub_html,
                 const std::string& extra_html = "");

// Doctype, <head> with the style sheet, and the header: title on the left,
// meta lines on the right. The *_html arguments are already escaped.
std::string PageStart(const std::string& title, const std::string& heading,
                      const std::string& subtitle_html,
                      const std::string& meta_html);
std::string PageEnd();

}  // namespace tinykws::eval::html
