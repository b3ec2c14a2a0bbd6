// Typed access to one TOML table that remembers which keys were read, so any
// key left over is reported as unknown (typos never pass silently).
#pragma once

#include <toml++/toml.h>

#include <set>
#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws::config {

class TableReader {
 public:
  // origin: file name for messages; section: dotted table name ("" = root).
  TableReader(const toml::table& table, std::string origin,
              std::string section);

  bool Has(const std::string& key) const;
  // Each getter fails when the key is missing (unless it has a default
  // overload), has the wrong type, or is out of the type's range.
  Status Int(const std::string& key, int* out);
  Status Int(const std::string& key, int* out, int fallback);
  Status Float(const std::string& key, float* out);  // accepts integers too
  Status Float(const std::string& key, float* out, float fallback);
  // An integer n (meaning n, n) or an array [a, b].
  Status IntPair(const std::string& key, int* a, int* b);
  Status IntPair(const std::string& key, int* a, int* b, int fallback);
  Status Bool(const std::string& key, bool* out, bool fallback);
  Status String(const std::string& key, std::string* out);
  Status String(const std::string& key, std::string* out,
                const std::string& fallback);
  Status StringList(const std::string& key, std::vector<std::string>* out);
  // A sub-table; fails when missing or not a table.
  Status Table(const std::string& key, const toml::table** out);
  // Array of tables (e.g. [[model.blocks]] or inline tables).
  Status TableList(const std::string& key,
                   std::vector<const toml::table*>* out);

  // Error for every key present but never asked for.
  Status CheckAllKeysUsed() const;

  // "file:line: section.key" for messages about a key's value.
  std::string Where(const std::string& key) const;

 private:
  Status Missing(const std::string& key) const;
  Status WrongType(const std::string& key, const char* expected) const;

  const toml::table& table_;
  std::string origin_;
  std::string section_;
  std::set<std::string> used_;
};

}  // namespace tinykws::config
