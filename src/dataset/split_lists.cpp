// The data set ships its validation and test splits as text files of paths;
// when present they override the speaker-hash rule, so a run reproduces
// exactly the published split even if a loader's rule differs slightly.
#include "dataset/split_lists.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace tinykws {
namespace dataset {
namespace {

namespace fs = std::filesystem;

// Lists edited on Windows end lines with CR, and editors add stray blanks;
// neither can be part of a clip path in this data set.
std::string Trim(const std::string& s) {
  static constexpr const char* kBlank = " \t\r\n\v\f";
  const size_t first = s.find_first_not_of(kBlank);
  if (first == std::string::npos) return std::string();
  const size_t last = s.find_last_not_of(kBlank);
  return s.substr(first, last - first + 1);
}

Status ReadOneList(const fs::path& dir, const char* file_name, Split split,
                   SplitLists* lists) {
  const fs::path list_path = dir / file_name;
  const std::string list = list_path.string();
  std::error_code ec;
  const fs::file_status st = fs::status(list_path, ec);
  // libstdc++ also sets ec for a missing file; the type tells them apart.
  if (st.type() == fs::file_type::not_found) return Status::Ok();
  if (ec) return IoError(list + ": cannot inspect: " + ec.message());
  if (!fs::is_regular_file(st)) {
    return InvalidArgument(list + ": is not a regular file");
  }
  lists->present = true;

  std::ifstream in(list_path, std::ios::binary);
  if (!in.is_open()) return IoError(list + ": cannot open for reading");
  std::string line;
  for (int line_number = 1; std::getline(in, line); ++line_number) {
    // A UTF-8 byte-order mark from a Windows editor is not part of a path.
    if (line_number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) {
      line.erase(0, 3);
    }
    const std::string entry = Trim(line);
    if (entry.empty()) continue;
    const std::string where = list + ":" + std::to_string(line_number) + ": ";
    const fs::path relative(entry);
    // dir / "/abs" would silently drop dir; the lists are relative by
    // definition.
    if (relative.is_absolute()) {
      return InvalidArgument(where + "'" + entry +
                             "' is absolute; expected a path relative to " +
                             dir.string());
    }
    const fs::path full = dir / relative;
    const fs::file_status clip = fs::status(full, ec);
    if (clip.type() == fs::file_type::not_found) {
      return NotFound(where + "listed clip '" + entry + "' does not exist (" +
                      full.string() + ")");
    }
    if (ec) {
      return IoError(where + "cannot inspect " + full.string() + ": " +
                     ec.message());
    }
    if (!fs::is_regular_file(clip)) {
      return InvalidArgument(where + "listed clip '" + entry +
                             "' is not a file");
    }
    // "./go/a.wav" and "go/a.wav" name the same clip as the index's
    // "go/a.wav".
    const std::string key = relative.lexically_normal().generic_string();
    const auto [it, inserted] = lists->split_of.emplace(key, split);
    if (!inserted && it->second != split) {
      return FormatError(where + "'" + entry + "' is also listed in " +
                         (dir / kValidationListFile).string() +
                         "; a clip belongs to one split");
    }
  }
  if (in.bad()) return IoError(list + ": read failed");
  return Status::Ok();
}

}  // namespace

Status ReadSplitLists(const std::string& data_dir, SplitLists* lists) {
  const fs::path dir(data_dir);
  // Validation first: an overlap is then reported against the testing list,
  // which is read second.
  TINYKWS_RETURN_IF_ERROR(
      ReadOneList(dir, kValidationListFile, Split::kValidation, lists));
  return ReadOneList(dir, kTestingListFile, Split::kTesting, lists);
}

}  // namespace dataset
}  // namespace tinykws
