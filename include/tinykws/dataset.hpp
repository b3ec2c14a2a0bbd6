// Speech Commands-style data folders: one sub-folder per word, optional
// validation_list.txt / testing_list.txt (paths relative to the folder), and
// _background_noise_/ with long noise recordings. Shared by training and
// evaluation so both see the same clips, labels and splits. No LibTorch.
#pragma once

#include <string>
#include <vector>

#include "tinykws/status.hpp"

namespace tinykws {

enum class Split { kTraining = 0, kValidation = 1, kTesting = 2 };

// "training", "validation", "testing".
const char* SplitName(Split split);
// Parses the names above; false for anything else.
bool ParseSplit(const std::string& name, Split* split);

// Special labels: every word folder that is not a label maps to kUnknownLabel
// when the label list has it; kSilenceLabel clips are cut from
// _background_noise_ (not indexed as files).
inline constexpr const char* kUnknownLabel = "_unknown_";
inline constexpr const char* kSilenceLabel = "_silence_";
inline constexpr const char* kBackgroundNoiseFolder = "_background_noise_";
// Long keyword-free speech recordings (not clips): training draws 1 s windows
// of them as _unknown_; evaluation counts false alarms on them.
inline constexpr const char* kSpeechFolder = "_speech_";
// A folder's description, written by `kws synth` and `kws-train mine`:
// {"training_only": true, "synthetic": true, ...}.
inline constexpr const char* kDataManifestFile = "tinykws-synth.json";

struct ClipInfo {
  std::string path;      // absolute or relative to the process, ready to open
  std::string relative;  // as in the split lists: "go/0132a06d_nohash_2.flac"
  std::string folder;    // word folder: "go"
  std::string speaker;   // name before "_nohash_" (whole file name if absent,
                         // as the data set's own rule has it)
  Split split = Split::kTraining;
  int label = -1;  // index into DatasetIndex::labels
};

struct DatasetIndex {
  std::string data_dir;
  std::vector<std::string> labels;
  std::vector<ClipInfo> clips;                      // sorted by relative path
  std::vector<std::string> background_noise_files;  // sorted, full paths
  std::vector<std::string> speech_files;  // _speech_/, sorted, full paths
  // Word folders that are not labels, when there is no _unknown_ label.
  std::vector<std::string> skipped_folders;
  bool split_from_lists = false;  // false: split by the speaker-hash rule
  // From the manifest (kDataManifestFile), when there is one.
  bool training_only = false;  // every clip is a training clip
  bool synthetic = false;      // made by a speech synthesizer
};

struct DatasetOptions {
  // Used only when the folder has neither list file.
  double validation_percent = 10.0;
  double testing_percent = 10.0;
  // false: a folder that only adds to some labels (an extra data root):
  // word labels without a folder and _unknown_ without clips are allowed.
  bool require_every_label = true;
  // false: _silence_ does not need _background_noise_ files (evaluation
  // scores the clips of a _silence_ folder, and makes silence clips from
  // noise only when there is some).
  bool silence_needs_noise = true;
};

// Lists every audio clip (by extension: wav, flac, ogg, mp3, aiff, au) of
// data_dir and assigns labels and splits. Errors (each names the path or
// label): data_dir missing or not a folder; a label without a folder; a
// label with no clips; a list naming a clip that does not exist; _silence_
// without background noise files; a manifest that is not valid JSON. With a
// manifest saying "training_only", every clip is a training clip.
StatusOr<DatasetIndex> IndexDataset(const std::string& data_dir,
                                    const std::vector<std::string>& labels,
                                    const DatasetOptions& options = {});

// The audio files directly in folder (by extension, as IndexDataset sees
// them; hidden files skipped), as full paths sorted byte-wise.
StatusOr<std::vector<std::string>> ListAudioFiles(const std::string& folder);

// The data set's own rule (Warden 2018, input_data.which_set): SHA-1 of the
// speaker name, hex digest taken as an integer, modulo 2^27, scaled to
// [0, 100]; < validation_percent -> validation, < validation + testing ->
// testing, else training.
Split SplitBySpeakerHash(const std::string& speaker, double validation_percent,
                         double testing_percent);

// Lowercase hex SHA-1 / SHA-256 of a byte string (OpenSSL).
std::string Sha1Hex(const std::string& bytes);
std::string Sha256Hex(const std::string& bytes);

}  // namespace tinykws
