// IndexDataset: walks a Speech Commands-style folder once and decides, for
// every clip, its label and split. Training and evaluation both call it, so
// they cannot disagree about which clips exist or where they belong.
#include "tinykws/dataset.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <filesystem>
#include <new>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "dataset/manifest.hpp"
#include "dataset/split_hash.hpp"
#include "dataset/split_lists.hpp"

namespace tinykws {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNoHash = "_nohash_";
constexpr const char* kAudioExtensions[] = {".wav",  ".flac", ".ogg", ".mp3",
                                            ".aiff", ".aif",  ".au"};
constexpr const char* kAudioExtensionText =
    "wav, flac, ogg, mp3, aiff, aif, au";

// Dot files are editor, OS or VCS droppings (".git", macOS "._x.wav"
// resource forks that carry a .wav extension but no audio).
bool IsHidden(const std::string& name) {
  return !name.empty() && name[0] == '.';
}

bool HasAudioExtension(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const char* audio : kAudioExtensions) {
    if (ext == audio) return true;
  }
  return false;
}

// The data set's rule (re.sub(r'_nohash_.*$', '', basename)): everything
// before the first "_nohash_", else the whole name, extension included.
std::string SpeakerOf(const std::string& file_name) {
  const size_t pos = file_name.find(kNoHash);
  return pos == std::string::npos ? file_name : file_name.substr(0, pos);
}

enum class EntryKind { kFolders, kAudioFiles };

// Names of the non-hidden sub-folders or audio files directly in dir, sorted
// byte-wise so the result does not depend on the file system or locale.
// Symlinks are followed, so a data folder may be assembled from links.
Status ListEntries(const fs::path& dir, EntryKind kind,
                   std::vector<std::string>* names) {
  names->clear();
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return IoError(dir.string() + ": cannot list: " + ec.message());
  for (const fs::directory_iterator end; it != end;) {
    const fs::directory_entry& entry = *it;
    const std::string name = entry.path().filename().string();
    if (!IsHidden(name)) {
      std::error_code type_ec;
      const bool wanted = kind == EntryKind::kFolders
                              ? entry.is_directory(type_ec)
                              : entry.is_regular_file(type_ec) &&
                                    HasAudioExtension(entry.path());
      // A broken symlink is simply not a folder or file (no error); any
      // other failure (e.g. permissions) must not silently drop clips.
      if (type_ec && type_ec != std::errc::no_such_file_or_directory) {
        return IoError(entry.path().string() +
                       ": cannot inspect: " + type_ec.message());
      }
      if (wanted) names->push_back(name);
    }
    it.increment(ec);
    if (ec) return IoError(dir.string() + ": cannot list: " + ec.message());
  }
  std::sort(names->begin(), names->end());
  return Status::Ok();
}

// Rejects label lists that could not name a word folder unambiguously.
Status CheckLabels(const std::vector<std::string>& labels) {
  if (labels.empty()) return InvalidArgument("labels: the label list is empty");
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i];
    const std::string where = "labels[" + std::to_string(i) + "]: ";
    if (label.empty()) return InvalidArgument(where + "empty label");
    if (label == "." || label == ".." || IsHidden(label) ||
        label.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
      return InvalidArgument(where + "'" + label +
                             "' is not a plain, non-hidden folder name");
    }
    if (label == kBackgroundNoiseFolder) {
      return InvalidArgument(where + "'" + label +
                             "' is the noise folder, not a word; use '" +
                             kSilenceLabel + "' for a silence class");
    }
    for (size_t j = 0; j < i; ++j) {
      if (labels[j] == label) {
        return InvalidArgument(where + "'" + label + "' duplicates labels[" +
                               std::to_string(j) + "]");
      }
    }
  }
  return Status::Ok();
}

Status CheckOptions(const DatasetOptions& options) {
  const double v = options.validation_percent;
  const double t = options.testing_percent;
  if (!std::isfinite(v) || !std::isfinite(t) || v < 0.0 || t < 0.0 ||
      v + t > 100.0) {
    return InvalidArgument(
        "dataset options: validation_percent=" + std::to_string(v) +
        " and testing_percent=" + std::to_string(t) +
        " must each be >= 0 with a sum <= 100");
  }
  return Status::Ok();
}

// _unknown_ and _silence_ gather clips from other folders; they need no
// folder of their own.
bool IsSpecialLabel(const std::string& label) {
  return label == kUnknownLabel || label == kSilenceLabel;
}

int IndexOf(const std::vector<std::string>& labels, const std::string& name) {
  const auto it = std::find(labels.begin(), labels.end(), name);
  return it == labels.end() ? -1 : static_cast<int>(it - labels.begin());
}

StatusOr<DatasetIndex> IndexDatasetImpl(const std::string& data_dir,
                                        const std::vector<std::string>& labels,
                                        const DatasetOptions& options) {
  TINYKWS_RETURN_IF_ERROR(CheckLabels(labels));
  TINYKWS_RETURN_IF_ERROR(CheckOptions(options));
  const fs::path dir(data_dir);
  std::error_code ec;
  const fs::file_status dir_status = fs::status(dir, ec);
  if (dir_status.type() == fs::file_type::not_found) {
    return NotFound(data_dir + ": data folder does not exist");
  }
  if (ec) return IoError(data_dir + ": cannot inspect: " + ec.message());
  if (!fs::is_directory(dir_status)) {
    return InvalidArgument(data_dir + ": is not a folder");
  }

  DatasetIndex index;
  index.data_dir = data_dir;
  index.labels = labels;
  const int unknown = IndexOf(labels, kUnknownLabel);
  const int silence = IndexOf(labels, kSilenceLabel);

  std::vector<std::string> folders;
  TINYKWS_RETURN_IF_ERROR(ListEntries(dir, EntryKind::kFolders, &folders));
  const auto noise_it =
      std::find(folders.begin(), folders.end(), kBackgroundNoiseFolder);
  const bool has_noise_folder = noise_it != folders.end();
  if (has_noise_folder) folders.erase(noise_it);
  const auto speech_it =
      std::find(folders.begin(), folders.end(), kSpeechFolder);
  const bool has_speech_folder = speech_it != folders.end();
  if (has_speech_folder) folders.erase(speech_it);
  TINYKWS_RETURN_IF_ERROR(
      dataset::ReadManifest(data_dir, &index.training_only, &index.synthetic));

  // Every word label needs a folder; special labels are not folders.
  for (const std::string& label : labels) {
    if (IsSpecialLabel(label) || !options.require_every_label) continue;
    if (!std::binary_search(folders.begin(), folders.end(), label)) {
      return NotFound(data_dir + ": label '" + label + "' has no folder " +
                      (dir / label).string());
    }
  }

  dataset::SplitLists lists;
  TINYKWS_RETURN_IF_ERROR(dataset::ReadSplitLists(data_dir, &lists));
  index.split_from_lists = lists.present;

  std::vector<std::string> files;
  size_t unknown_clips = 0;
  for (const std::string& folder : folders) {
    int label = IndexOf(labels, folder);
    if (label < 0) label = unknown;
    if (label < 0) {
      index.skipped_folders.push_back(folder);
      continue;
    }
    const fs::path folder_path = dir / folder;
    TINYKWS_RETURN_IF_ERROR(
        ListEntries(folder_path, EntryKind::kAudioFiles, &files));
    // A word label must have clips; a folder that only feeds _unknown_ (or
    // is literally named like a special label) may be empty.
    if (files.empty() && labels[label] == folder && !IsSpecialLabel(folder) &&
        options.require_every_label) {
      return NotFound(data_dir + ": label '" + folder +
                      "' has no audio clips in " + folder_path.string() +
                      " (expected files ending in " + kAudioExtensionText +
                      ")");
    }
    if (label == unknown) unknown_clips += files.size();
    for (const std::string& file : files) {
      ClipInfo clip;
      clip.path = (folder_path / file).string();
      clip.relative = folder + "/" + file;
      clip.folder = folder;
      clip.speaker = SpeakerOf(file);
      clip.label = label;
      if (index.training_only) {
        clip.split = Split::kTraining;
      } else if (lists.present) {
        const auto listed = lists.split_of.find(clip.relative);
        clip.split =
            listed == lists.split_of.end() ? Split::kTraining : listed->second;
      } else {
        const double percent = dataset::SpeakerHashPercent(clip.speaker);
        if (std::isnan(percent)) {
          return InternalError(clip.path + ": OpenSSL SHA-1 failed");
        }
        clip.split = dataset::SplitForPercent(
            percent, options.validation_percent, options.testing_percent);
      }
      index.clips.push_back(std::move(clip));
    }
  }
  if (unknown >= 0 && unknown_clips == 0 && options.require_every_label) {
    return NotFound(data_dir + ": label '" + kUnknownLabel +
                    "' needs word folders that are not labels, with audio "
                    "clips; found none");
  }

  // Long recordings: the noise, and keyword-free speech.
  for (const auto& [present, folder, out] :
       {std::make_tuple(has_noise_folder, kBackgroundNoiseFolder,
                        &index.background_noise_files),
        std::make_tuple(has_speech_folder, kSpeechFolder,
                        &index.speech_files)}) {
    if (!present) continue;
    StatusOr<std::vector<std::string>> listed =
        ListAudioFiles((dir / folder).string());
    if (!listed.ok()) return listed.status();
    *out = std::move(*listed);
  }
  if (silence >= 0 && index.background_noise_files.empty() &&
      options.require_every_label && options.silence_needs_noise) {
    return NotFound(data_dir + ": label '" + kSilenceLabel +
                    "' needs audio files in " +
                    (dir / kBackgroundNoiseFolder).string() +
                    (has_noise_folder ? "; it has none" : "; it is missing"));
  }

  // Folders are visited in name order, but "go-x/..." sorts before "go/..."
  // as a path string; the contract is order by relative path.
  std::sort(index.clips.begin(), index.clips.end(),
            [](const ClipInfo& a, const ClipInfo& b) {
              return a.relative < b.relative;
            });
  return index;
}

}  // namespace

StatusOr<std::vector<std::string>> ListAudioFiles(const std::string& folder) {
  std::vector<std::string> names;
  try {
    TINYKWS_RETURN_IF_ERROR(
        ListEntries(fs::path(folder), EntryKind::kAudioFiles, &names));
  } catch (const std::exception& e) {
    return IoError(folder + ": " + e.what());
  }
  for (std::string& name : names) name = (fs::path(folder) / name).string();
  return names;
}

StatusOr<DatasetIndex> IndexDataset(const std::string& data_dir,
                                    const std::vector<std::string>& labels,
                                    const DatasetOptions& options) {
  // Nothing may escape to the caller: a huge folder can exhaust memory, and
  // any std::filesystem call missed by the error_code discipline would throw.
  try {
    return IndexDatasetImpl(data_dir, labels, options);
  } catch (const std::bad_alloc&) {
    return OutOfRange(data_dir + ": out of memory while indexing");
  } catch (const std::exception& e) {
    return InternalError(data_dir + ": " + e.what());
  }
}

}  // namespace tinykws
