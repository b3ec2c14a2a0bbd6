#include "sweep/pick.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <tuple>
#include <utility>

namespace tinykws::sweep {

namespace {

std::string Trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string Canonical(const std::string& name) {
  if (name == "size" || name == "bytes") return "size";
  if (name == "latency") return "latency";
  if (name == "accuracy" || name == "val" || name == "val_accuracy") {
    return "accuracy";
  }
  if (name == "test" || name == "test_accuracy") return "test_accuracy";
  if (name == "macs") return "macs";
  return "";
}

// The multiplier of a unit for a quantity, or 0 when it does not apply.
double UnitScale(const std::string& quantity, const std::string& unit,
                 double value) {
  if (quantity == "size") {
    const std::pair<const char*, double> units[] = {
        {"", 1},       {"B", 1},        {"KB", 1000},
        {"KiB", 1024}, {"MB", 1000000}, {"MiB", 1048576}};
    for (const auto& [name, scale] : units) {
      if (unit == name) return scale;
    }
    return 0;
  }
  if (quantity == "latency") {
    if (unit == "" || unit == "us" || unit == "\xC2\xB5s") return 1;
    if (unit == "ms") return 1e3;
    if (unit == "s") return 1e6;
    return 0;
  }
  if (quantity == "macs") return unit.empty() ? 1 : 0;
  // Accuracies: "99.5%" or 0.995 (a bare number above 1 reads as percent).
  if (unit == "%") return 0.01;
  if (unit.empty()) return value > 1 ? 0.01 : 1;
  return 0;
}

// The units UnitScale takes for a quantity, for error messages.
const char* UnitList(const std::string& quantity) {
  if (quantity == "size") return "B, KB, KiB, MB or MiB; none = bytes";
  if (quantity == "latency") return "us, ms or s; none = us";
  if (quantity == "macs") return "a plain number";
  return "% or a fraction, e.g. 97% or 0.97";
}

}  // namespace

StatusOr<std::vector<Constraint>> ParseConstraints(const std::string& text) {
  std::vector<Constraint> out;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    const std::string part = Trim(text.substr(at, comma - at));
    at = comma + 1;
    if (part.empty()) {
      if (comma == text.size() && !out.empty()) break;
      return InvalidArgument("--pick: empty constraint in \"" + text + "\"");
    }
    const size_t op = part.find_first_of("<>");
    if (op == std::string::npos || op == 0) {
      return InvalidArgument("--pick: \"" + part +
                             "\" is not QUANTITY<=VALUE or QUANTITY>=VALUE");
    }
    Constraint c;
    c.quantity = Canonical(Trim(part.substr(0, op)));
    if (c.quantity.empty()) {
      return InvalidArgument("--pick: unknown quantity \"" +
                             Trim(part.substr(0, op)) +
                             "\" (size, latency, accuracy, test_accuracy, "
                             "macs)");
    }
    c.at_most = part[op] == '<';
    size_t value_at = op + 1;
    c.strict = value_at >= part.size() || part[value_at] != '=';
    if (!c.strict) ++value_at;
    const std::string rest = Trim(part.substr(value_at));
    char* end = nullptr;
    const double number = std::strtod(rest.c_str(), &end);
    const std::string unit = Trim(end);
    const double scale = UnitScale(c.quantity, unit, number);
    if (end == rest.c_str() || !std::isfinite(number) || scale == 0) {
      return InvalidArgument("--pick: \"" + part + "\": bad value or unit " +
                             "for " + c.quantity + " (" + UnitList(c.quantity) +
                             ")");
    }
    c.value = number * scale;
    out.push_back(c);
  }
  return out;
}

bool Meets(const TrialResult& t, const Constraint& c) {
  double v = kNaN;
  if (c.quantity == "size") v = static_cast<double>(t.model_bytes);
  if (c.quantity == "latency") v = t.latency_us;
  if (c.quantity == "accuracy") v = t.val_accuracy;
  if (c.quantity == "test_accuracy") v = t.test_accuracy;
  if (c.quantity == "macs") v = static_cast<double>(t.macs);
  if (!std::isfinite(v)) return false;
  if (c.at_most) return c.strict ? v < c.value : v <= c.value;
  return c.strict ? v > c.value : v >= c.value;
}

int PickTrial(const std::vector<TrialResult>& trials,
              const std::vector<Constraint>& constraints) {
  int best = -1;
  for (size_t i = 0; i < trials.size(); ++i) {
    const TrialResult& t = trials[i];
    // Only fully measured trials (as on the Pareto front).
    if (t.status != "ok" || !std::isfinite(t.val_accuracy) ||
        !std::isfinite(t.latency_us) || t.model_bytes <= 0) {
      continue;
    }
    bool ok = true;
    for (const Constraint& c : constraints) ok = ok && Meets(t, c);
    if (!ok) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const TrialResult& b = trials[static_cast<size_t>(best)];
    const auto key = [](const TrialResult& r) {
      return std::make_tuple(-r.val_accuracy, r.latency_us, r.model_bytes);
    };
    if (key(t) < key(b)) best = static_cast<int>(i);
  }
  return best;
}

}  // namespace tinykws::sweep
