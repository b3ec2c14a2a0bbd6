#include "config/table_reader.hpp"

#include <cmath>
#include <limits>

namespace tinykws::config {

namespace {

const char* TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date/time";
  }
}

}  // namespace

TableReader::TableReader(const toml::table& table, std::string origin,
                         std::string section)
    : table_(table), origin_(std::move(origin)), section_(std::move(section)) {}

bool TableReader::Has(const std::string& key) const {
  return table_.contains(key);
}

std::string TableReader::Where(const std::string& key) const {
  std::string where = origin_;
  if (const toml::node* node = table_.get(key)) {
    where += ":" + std::to_string(node->source().begin.line);
  }
  return where + ": " + (section_.empty() ? key : section_ + "." + key);
}

Status TableReader::Missing(const std::string& key) const {
  return InvalidArgument(origin_ + ": missing key '" +
                         (section_.empty() ? key : section_ + "." + key) + "'");
}

Status TableReader::WrongType(const std::string& key,
                              const char* expected) const {
  return InvalidArgument(Where(key) + " must be " + expected + ", got " +
                         TypeName(*table_.get(key)));
}

Status TableReader::Int(const std::string& key, int* out) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return Missing(key);
  const auto value = node->value_exact<int64_t>();
  if (!value) return WrongType(key, "an integer");
  if (*value < std::numeric_limits<int>::min() ||
      *value > std::numeric_limits<int>::max()) {
    return InvalidArgument(Where(key) +
                           " is out of range: " + std::to_string(*value));
  }
  *out = static_cast<int>(*value);
  return Status::Ok();
}

Status TableReader::Int(const std::string& key, int* out, int fallback) {
  if (!Has(key)) {
    *out = fallback;
    return Status::Ok();
  }
  return Int(key, out);
}

Status TableReader::IntPair(const std::string& key, int* a, int* b) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return Missing(key);
  if (const toml::array* array = node->as_array()) {
    const auto first =
        array->size() == 2 ? (*array)[0].value_exact<int64_t>() : std::nullopt;
    const auto second =
        array->size() == 2 ? (*array)[1].value_exact<int64_t>() : std::nullopt;
    if (!first || !second || *first < 0 || *second < 0 || *first > 1 << 20 ||
        *second > 1 << 20) {
      return InvalidArgument(Where(key) +
                             " must be an integer or an array of two integers "
                             "[frames, coefficients]");
    }
    *a = static_cast<int>(*first);
    *b = static_cast<int>(*second);
    return Status::Ok();
  }
  int both = 0;
  used_.erase(key);
  TINYKWS_RETURN_IF_ERROR(Int(key, &both));
  *a = *b = both;
  return Status::Ok();
}

Status TableReader::IntPair(const std::string& key, int* a, int* b,
                            int fallback) {
  if (!Has(key)) {
    *a = *b = fallback;
    return Status::Ok();
  }
  return IntPair(key, a, b);
}

Status TableReader::Float(const std::string& key, float* out) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return Missing(key);
  double value;
  if (const auto f = node->value_exact<double>()) {
    value = *f;
  } else if (const auto i = node->value_exact<int64_t>()) {
    value = static_cast<double>(*i);
  } else {
    return WrongType(key, "a number");
  }
  if (!std::isfinite(value) || std::fabs(value) > 3.0e38) {
    return InvalidArgument(Where(key) + " is not a finite float value");
  }
  *out = static_cast<float>(value);
  return Status::Ok();
}

Status TableReader::Float(const std::string& key, float* out, float fallback) {
  if (!Has(key)) {
    *out = fallback;
    return Status::Ok();
  }
  return Float(key, out);
}

Status TableReader::Bool(const std::string& key, bool* out, bool fallback) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) {
    *out = fallback;
    return Status::Ok();
  }
  const auto value = node->value_exact<bool>();
  if (!value) return WrongType(key, "a boolean");
  *out = *value;
  return Status::Ok();
}

Status TableReader::String(const std::string& key, std::string* out) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return Missing(key);
  const auto value = node->value_exact<std::string>();
  if (!value) return WrongType(key, "a string");
  *out = *value;
  return Status::Ok();
}

Status TableReader::String(const std::string& key, std::string* out,
                           const std::string& fallback) {
  if (!Has(key)) {
    *out = fallback;
    return Status::Ok();
  }
  return String(key, out);
}

Status TableReader::StringList(const std::string& key,
                               std::vector<std::string>* out) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return Missing(key);
  const toml::array* array = node->as_array();
  if (array == nullptr) return WrongType(key, "an array of strings");
  out->clear();
  for (const toml::node& item : *array) {
    const auto value = item.value_exact<std::string>();
    if (!value) {
      return InvalidArgument(Where(key) + " must hold only strings, found " +
                             TypeName(item));
    }
    out->push_back(*value);
  }
  return Status::Ok();
}

Status TableReader::Table(const std::string& key, const toml::table** out) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return Missing(key);
  *out = node->as_table();
  if (*out == nullptr) return WrongType(key, "a table");
  return Status::Ok();
}

Status TableReader::TableList(const std::string& key,
                              std::vector<const toml::table*>* out) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return Missing(key);
  const toml::array* array = node->as_array();
  if (array == nullptr) return WrongType(key, "an array of tables");
  out->clear();
  for (const toml::node& item : *array) {
    const toml::table* table = item.as_table();
    if (table == nullptr) {
      return InvalidArgument(Where(key) + " must hold only tables, found " +
                             TypeName(item));
    }
    out->push_back(table);
  }
  return Status::Ok();
}

Status TableReader::CheckAllKeysUsed() const {
  for (const auto& [key, node] : table_) {
    const std::string name(key.str());
    if (used_.count(name) == 0) {
      return InvalidArgument(
          origin_ + ":" + std::to_string(node.source().begin.line) +
          ": unknown key '" +
          (section_.empty() ? name : section_ + "." + name) + "'");
    }
  }
  return Status::Ok();
}

}  // namespace tinykws::config
