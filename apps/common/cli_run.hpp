// Running a tinykws command line (kws, kws-train) the same way: an unknown or
// mistyped option is named (with the nearest known one) before anything
// else is checked, every usage error prints one "error: " line and exits 2
// (docs/cli.md), --help and --version exit 0, and no exception escapes.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "common/nearest_word.hpp"

namespace tinykws::cli {

inline constexpr int kUsageError = 2;
inline constexpr int kInternalError = 3;

inline bool LooksLikeNumber(const std::string& s) {
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0';
}

// The first option of argv that neither the chosen subcommand nor the app
// knows, as an error message ("" when all are known).
inline std::string UnknownOption(CLI::App& app, int argc, char** argv) {
  CLI::App* scope = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-' || LooksLikeNumber(arg)) {
      if (scope == &app) {
        const std::vector<CLI::App*> subs = app.get_subcommands(
            [&](CLI::App* sub) { return sub->check_name(arg); });
        if (subs.empty()) {
          std::string nearest;
          size_t best = 3;
          for (CLI::App* sub : app.get_subcommands({})) {
            const size_t d = EditDistance(arg, sub->get_name());
            if (d < best) {
              best = d;
              nearest = sub->get_name();
            }
          }
          return "unknown command '" + arg + "'" +
                 (nearest.empty() ? "" : " (did you mean " + nearest + "?)");
        }
        scope = subs.front();
      }
      continue;
    }
    const std::string name = arg.substr(0, arg.find('='));
    if (scope->get_option_no_throw(name) != nullptr ||
        app.get_option_no_throw(name) != nullptr) {
      continue;
    }
    std::string nearest;
    size_t best = 3;  // suggest only close matches
    for (const CLI::Option* opt : scope->get_options()) {
      for (const std::string& l : opt->get_lnames()) {
        const size_t d = EditDistance(name, "--" + l);
        if (d < best) {
          best = d;
          nearest = "--" + l;
        }
      }
    }
    return "unknown option '" + name + "'" +
           (nearest.empty() ? "" : " (did you mean " + nearest + "?)") +
           (scope == &app ? "" : " for '" + scope->get_name() + "'");
  }
  return "";
}

// Parses and runs app; *exit_code is what the subcommand's callback set.
inline int Run(CLI::App& app, int argc, char** argv, const int* exit_code) {
  try {
    const std::string unknown = UnknownOption(app, argc, argv);
    if (!unknown.empty()) {
      std::fprintf(stderr, "error: %s; see --help\n", unknown.c_str());
      return kUsageError;
    }
    app.parse(argc, argv);
    return *exit_code;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s; see --help\n", e.what());
    return kUsageError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: internal: %s\n", e.what());
    return kInternalError;
  } catch (...) {
    std::fprintf(stderr, "error: internal: unknown exception\n");
    return kInternalError;
  }
}

}  // namespace tinykws::cli
