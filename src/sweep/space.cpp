#include "sweep/space.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <utility>

#include "common/atomic_file.hpp"
#include "common/nearest_word.hpp"
#include "config/table_reader.hpp"
#include "sweep/auth.hpp"

namespace tinykws::sweep {

namespace {

const char* const kSections[] = {"features", "model", "training", "augment",
                                 "data"};
constexpr int kMaxChoices = 10000;

std::string Dir(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string Resolve(const std::string& dir, const std::string& path) {
  return !path.empty() && path[0] == '/' ? path : dir + "/" + path;
}

std::string Where(const std::string& origin, const toml::node& node) {
  return origin + ":" + std::to_string(node.source().begin.line);
}

// A node as the text of a TOML value ("20", "[3, 3]", "'cosine'").
std::string ValueText(const toml::node& node) {
  toml::table holder;
  node.visit([&](const auto& v) { holder.insert_or_assign("v", v); });
  std::ostringstream text;
  text << toml::toml_formatter{holder};
  std::string s = text.str();
  s = s.substr(s.find('=') + 1);
  while (!s.empty() && (s.front() == ' ')) s.erase(s.begin());
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

toml::table ParseValue(const std::string& toml_value) {
  return toml::parse("v = " + toml_value);
}

// { from = a, to = b, step = s } as a list of values, integers when all
// three are integers.
StatusOr<std::vector<std::string>> RangeChoices(const toml::table& range,
                                                const std::string& where,
                                                const std::string& key) {
  config::TableReader reader(range, where, key);
  for (const char* k : {"from", "to", "step"}) {
    if (!reader.Has(k)) {
      return InvalidArgument(where + ": " + key + ": a range needs from, to " +
                             "and step (missing '" + k + "')");
    }
  }
  const bool integers = range["from"].is_integer() &&
                        range["to"].is_integer() && range["step"].is_integer();
  float from = 0, to = 0, step = 0;
  TINYKWS_RETURN_IF_ERROR(reader.Float("from", &from));
  TINYKWS_RETURN_IF_ERROR(reader.Float("to", &to));
  TINYKWS_RETURN_IF_ERROR(reader.Float("step", &step));
  TINYKWS_RETURN_IF_ERROR(reader.CheckAllKeysUsed());
  if (!(step > 0) || !(to >= from)) {
    return InvalidArgument(where + ": " + key + ": empty range (from " +
                           ValueText(*range.get("from")) + " to " +
                           ValueText(*range.get("to")) + " step " +
                           ValueText(*range.get("step")) + ")");
  }
  const double first = *range["from"].value<double>();
  const double last = *range["to"].value<double>();
  const double stride = *range["step"].value<double>();
  if (std::fabs(first) > 1e15 || std::fabs(last) > 1e15) {  // int64-safe
    return InvalidArgument(where + ": " + key + ": range bounds beyond +-1e15");
  }
  const double count = std::floor((last - first) / stride + 1e-9) + 1;
  if (count > kMaxChoices) {
    return InvalidArgument(where + ": " + key + ": range has more than " +
                           std::to_string(kMaxChoices) + " values");
  }
  std::vector<std::string> values;
  for (int i = 0; i < static_cast<int>(count); ++i) {
    if (integers) {
      values.push_back(std::to_string(*range["from"].value<int64_t>() +
                                      i * *range["step"].value<int64_t>()));
    } else {
      char text[32];
      std::snprintf(text, sizeof text, "%.9g", first + i * stride);
      std::string s = text;
      if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
      values.push_back(s);
    }
  }
  return values;
}

// Every swept key of a section, recursing into dotted keys.
Status CollectDimensions(const toml::table& table, const std::string& prefix,
                         const std::string& origin,
                         std::vector<std::pair<int, Dimension>>* out) {
  for (const auto& [name, node] : table) {
    const std::string key = prefix + "." + std::string(name.str());
    const std::string where = Where(origin, node);
    Dimension d;
    d.key = key;
    if (const toml::array* list = node.as_array()) {
      if (list->empty()) {
        return InvalidArgument(where + ": " + key +
                               ": the list of values is "
                               "empty");
      }
      for (const toml::node& v : *list) d.choices.push_back(ValueText(v));
    } else if (const toml::table* sub = node.as_table()) {
      if (!sub->contains("from")) {
        TINYKWS_RETURN_IF_ERROR(CollectDimensions(*sub, key, origin, out));
        continue;
      }
      StatusOr<std::vector<std::string>> range = RangeChoices(*sub, where, key);
      if (!range.ok()) return range.status();
      d.choices = std::move(*range);
    } else {
      return InvalidArgument(
          where + ": " + key + ": give a list of values " +
          "([a, b, ...]) or a range ({ from = .., to = " + ".., step = .. })");
    }
    out->push_back({static_cast<int>(node.source().begin.line), d});
  }
  return Status::Ok();
}

// The tables a key's path selects in the resolved config and the key to set
// in each: "model.conv[*].filters" -> every conv block, "filters".
Status Targets(toml::table& root, const std::string& key,
               std::vector<toml::table*>* tables, std::string* leaf) {
  std::vector<std::string> parts;
  for (size_t at = 0; at <= key.size();) {
    const size_t dot = std::min(key.find('.', at), key.size());
    parts.push_back(key.substr(at, dot - at));
    at = dot + 1;
  }
  std::vector<toml::table*> current = {&root};
  for (size_t p = 0; p + 1 < parts.size(); ++p) {
    const std::string& part = parts[p];
    const size_t bracket = part.find('[');
    std::vector<toml::table*> next;
    for (toml::table* t : current) {
      if (bracket == std::string::npos) {
        toml::table* sub = (*t)[part].as_table();
        if (sub == nullptr) {
          return InvalidArgument("'" + part + "' in " + key +
                                 " is not a table of the config");
        }
        next.push_back(sub);
        continue;
      }
      const std::string name = part.substr(0, bracket);
      const std::string index =
          part.substr(bracket + 1, part.size() - bracket - 2);
      if (part.back() != ']' || (name != "blocks" && name != "conv")) {
        return InvalidArgument(key + ": only blocks[i] and conv[i] may be " +
                               "indexed (i a number or *)");
      }
      toml::array* blocks = (*t)["blocks"].as_array();
      if (blocks == nullptr) {
        return InvalidArgument(key + ": the config has no model.blocks");
      }
      std::vector<toml::table*> candidates;
      for (toml::node& b : *blocks) {
        toml::table* block = b.as_table();
        if (block == nullptr) continue;
        if (name == "conv" &&
            (*block)["type"].value_or(std::string()) != "conv") {
          continue;
        }
        candidates.push_back(block);
      }
      if (index == "*") {
        next.insert(next.end(), candidates.begin(), candidates.end());
        continue;
      }
      char* end = nullptr;
      const long i = std::strtol(index.c_str(), &end, 10);
      if (index.empty() || *end != '\0' || i < 0 ||
          i >= static_cast<long>(candidates.size())) {
        return InvalidArgument(
            key + ": the base model has " + std::to_string(candidates.size()) +
            " " + (name == "conv" ? "conv blocks" : "blocks") + " (" + name +
            "[0.." + std::to_string(candidates.size() - 1) + "])");
      }
      next.push_back(candidates[static_cast<size_t>(i)]);
    }
    current = std::move(next);
  }
  *leaf = parts.back();
  for (toml::table* t : current) {
    if (!t->contains(*leaf)) {
      std::vector<std::string> known;
      for (const auto& [k, v] : *t) known.emplace_back(k.str());
      const std::string nearest = NearestWord(*leaf, known);
      return InvalidArgument(
          key + ": no key '" + *leaf + "' there in the config" +
          (nearest.empty() ? "" : " (did you mean " + nearest + "?)"));
    }
  }
  *tables = std::move(current);
  return Status::Ok();
}

// Base config with the given (dimension, value) pairs applied.
StatusOr<KwsConfig> Apply(
    const SweepSpace& space,
    const std::vector<std::pair<const Dimension*, std::string>>& values) {
  toml::table root;
  try {
    root = toml::parse(space.base_toml, space.origin);
    for (const auto& [dim, value] : values) {
      std::vector<toml::table*> tables;
      std::string leaf;
      TINYKWS_RETURN_IF_ERROR(Targets(root, dim->key, &tables, &leaf));
      const toml::table parsed = ParseValue(value);
      for (toml::table* t : tables) {
        parsed.get("v")->visit(
            [&](const auto& v) { t->insert_or_assign(leaf, v); });
      }
    }
  } catch (const toml::parse_error& e) {
    return InvalidArgument(space.origin + ": " + std::string(e.description()));
  }
  std::ostringstream text;
  text << toml::toml_formatter{root};
  StatusOr<KwsConfig> config = ParseConfig(text.str(), space.origin);
  if (!config.ok()) return config.status();
  StatusOr<ModelShape> shape = InferModelShape(
      config->model, config->features, static_cast<int>(config->labels.size()));
  if (!shape.ok()) return shape.status();
  return config;
}

Status ReadSearch(const toml::table& search, const std::string& origin,
                  SweepSpace* s) {
  config::TableReader r(search, origin, "search");
  int sample_seed = 1;
  TINYKWS_RETURN_IF_ERROR(r.String("strategy", &s->strategy, "random"));
  TINYKWS_RETURN_IF_ERROR(r.Int("trials", &s->trials, 0));
  TINYKWS_RETURN_IF_ERROR(r.Int("seed", &sample_seed, 1));
  TINYKWS_RETURN_IF_ERROR(r.Int("seeds", &s->seeds, 1));
  TINYKWS_RETURN_IF_ERROR(
      r.String("early_stopping", &s->early_stopping, "none"));
  TINYKWS_RETURN_IF_ERROR(r.Int("min_epochs", &s->min_epochs, 0));
  TINYKWS_RETURN_IF_ERROR(r.Int("eta", &s->eta, 3));
  TINYKWS_RETURN_IF_ERROR(r.Int("latency_clips", &s->latency_clips, 300));
  TINYKWS_RETURN_IF_ERROR(r.CheckAllKeysUsed());
  s->sample_seed = static_cast<uint64_t>(sample_seed);
  if (s->strategy != "grid" && s->strategy != "random") {
    return InvalidArgument(r.Where("strategy") +
                           ": must be \"grid\" or \"random\", got \"" +
                           s->strategy + "\"");
  }
  if (s->early_stopping != "none" && s->early_stopping != "halving") {
    return InvalidArgument(r.Where("early_stopping") +
                           ": must be \"none\" or \"halving\", got \"" +
                           s->early_stopping + "\"");
  }
  if (s->strategy == "random" && s->trials < 1) {
    return InvalidArgument(r.Where("trials") +
                           ": a random search needs trials >= 1");
  }
  if (s->seeds < 1 || s->eta < 2 || s->min_epochs < 0 || s->latency_clips < 1) {
    return InvalidArgument(origin + ": [search] needs seeds >= 1, eta >= 2, " +
                           "min_epochs >= 0, latency_clips >= 1");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<SweepSpace> LoadSpace(const std::string& path) {
  StatusOr<std::string> text = ReadWholeFile(path, size_t{1} << 20);
  if (!text.ok()) return text.status();
  SweepSpace space;
  space.origin = path;
  toml::table root;
  try {
    root = toml::parse(*text, path);
  } catch (const toml::parse_error& e) {
    return FormatError(path + ":" + std::to_string(e.source().begin.line) +
                       ": " + std::string(e.description()));
  }
  std::vector<std::pair<int, Dimension>> dims;
  for (const auto& [name, node] : root) {
    const std::string key(name.str());
    const std::string where = Where(path, node);
    if (key == "base") {
      if (!node.is_string()) {
        return InvalidArgument(where + ": base must be a config file path");
      }
      space.base_as_written = *node.value<std::string>();
    } else if (key == "search" && node.is_table()) {
      TINYKWS_RETURN_IF_ERROR(ReadSearch(*node.as_table(), path, &space));
    } else if (key == "marks" && node.is_table()) {
      for (const auto& [mark, file] : *node.as_table()) {
        if (!file.is_string()) {
          return InvalidArgument(Where(path, file) + ": marks." +
                                 std::string(mark.str()) +
                                 " must be a config file path");
        }
        Mark m;
        m.name = std::string(mark.str());
        if (!IsValidTrialId(m.name)) {
          return InvalidArgument(Where(path, file) + ": mark name '" + m.name +
                                 "': use letters, digits, '_' and '-' (up "
                                 "to 64, starting with a letter or digit)");
        }
        m.as_written = *file.value<std::string>();
        StatusOr<KwsConfig> c = LoadConfig(Resolve(Dir(path), m.as_written));
        if (!c.ok()) return c.status();
        m.config_toml = ConfigToToml(*c);
        space.marks.push_back(std::move(m));
      }
    } else if (std::find(std::begin(kSections), std::end(kSections), key) !=
                   std::end(kSections) &&
               node.is_table()) {
      TINYKWS_RETURN_IF_ERROR(
          CollectDimensions(*node.as_table(), key, path, &dims));
    } else {
      const std::string nearest =
          NearestWord(key, {"base", "search", "marks", "features", "model",
                            "training", "augment", "data"});
      return InvalidArgument(
          where + ": unknown key '" + key + "'" +
          (nearest.empty() ? "" : " (did you mean " + nearest + "?)"));
    }
  }
  if (space.base_as_written.empty()) {
    return InvalidArgument(path + ": base = \"config.toml\" is missing");
  }
  StatusOr<KwsConfig> base =
      LoadConfig(Resolve(Dir(path), space.base_as_written));
  if (!base.ok()) return base.status();
  space.base_toml = ConfigToToml(*base);
  // toml++ iterates keys sorted; reports keep the file's order.
  std::stable_sort(dims.begin(), dims.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  for (auto& [line, d] : dims) {
    d.line = line;
    space.dimensions.push_back(std::move(d));
  }
  if (space.dimensions.empty()) {
    return InvalidArgument(path + ": no key is swept (add e.g. [features] " +
                           "mel_bins = [20, 40])");
  }
  for (const Dimension& d : space.dimensions) {
    if (d.key == "training.epochs" && space.early_stopping == "halving") {
      return InvalidArgument(path +
                             ": training.epochs cannot be swept with "
                             "early_stopping = \"halving\" (its rungs are "
                             "epochs of the base's length)");
    }
  }
  // Each value on its own must make a valid config.
  for (const Dimension& d : space.dimensions) {
    for (const std::string& v : d.choices) {
      StatusOr<KwsConfig> c = Apply(space, {{&d, v}});
      if (!c.ok()) {
        return InvalidArgument(path + ":" + std::to_string(d.line) + ": " +
                               d.key + " = " + v + ": " + c.status().message());
      }
    }
  }
  return space;
}

int64_t CombinationCount(const SweepSpace& space) {
  int64_t n = 1;
  for (const Dimension& d : space.dimensions) {
    const int64_t k = static_cast<int64_t>(d.choices.size());
    if (n > std::numeric_limits<int64_t>::max() / k) {
      return std::numeric_limits<int64_t>::max();
    }
    n *= k;
  }
  return n;
}

StatusOr<KwsConfig> ApplyChoices(const SweepSpace& space,
                                 const std::vector<int>& choice) {
  if (choice.size() != space.dimensions.size()) {
    return InternalError("ApplyChoices: one choice per dimension expected");
  }
  std::vector<std::pair<const Dimension*, std::string>> values;
  for (size_t d = 0; d < choice.size(); ++d) {
    const Dimension& dim = space.dimensions[d];
    if (choice[d] < 0 || choice[d] >= static_cast<int>(dim.choices.size())) {
      return InternalError("ApplyChoices: choice out of range for " + dim.key);
    }
    values.push_back({&dim, dim.choices[static_cast<size_t>(choice[d])]});
  }
  return Apply(space, values);
}

nlohmann::json ChoiceToJson(const std::string& toml_value) {
  try {
    const toml::table parsed = ParseValue(toml_value);
    std::ostringstream text;
    text << toml::json_formatter{parsed};
    return nlohmann::json::parse(text.str()).at("v");
  } catch (const std::exception&) {
    return toml_value;
  }
}

}  // namespace tinykws::sweep
