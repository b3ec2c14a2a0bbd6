// kws-train export: best.pt of a run -> folded float model -> calibrated
// int8 (or fp32) .kws file, with fp32 vs int8 accuracy on the validation
// split.
#pragma once

#include <string>
#include <vector>

#include "tinykws/detector.hpp"
#include "tinykws/status.hpp"

namespace tinykws::train {

struct ExportOptions {
  std::string run_dir;
  std::string data_dir;
  std::string out_path;
  std::string cache_dir;
  std::string precision = "int8";  // "int8" or "fp32"
  // "auto" tries minmax, percentile and mse and keeps the one whose int8
  // model agrees best with the float model on the calibration clips.
  std::string calibration = "auto";
  double percentile = 99.99;
  int calibration_clips = 200;
  int threads = 0;  // 0 = all cores
  bool quiet = false;
  bool force = false;  // replace out_path if it exists
  // The streaming detector: calibrated on streams from the validation split
  // (every keyword clip once, plus keyword-free audio of other words and
  // noise) for a target false-alarm rate, and stored in the model file.
  bool calibrate_detector = true;
  double target_fa_per_hour = 0.5;
  double detector_minutes = 180.0;  // keyword-free audio, minutes
  // Keyword-free recordings (files or folders) whose false alarms count in
  // the calibration too: continuous speech that training never heard.
  std::vector<std::string> detector_negatives;
  int hop_frames = 0;           // 0: DefaultDetectorParams
  float refractory_ms = -1.0f;  // < 0: DefaultDetectorParams
};

struct ExportReport {
  size_t file_bytes = 0;
  double val_acc_fp32 = 0.0;  // folded float model (tinykws executor)
  double val_acc_int8 = 0.0;  // int8 simulation (quant::RunInt8Reference)
  double agreement = 0.0;     // share of clips where both pick the same label
  double torch_max_logit_diff = 0.0;  // folded model vs LibTorch eval mode
  std::string calibration;            // the method used
  int64_t val_clips = 0;
  bool detector_calibrated = false;
  DetectorParams detector;           // stored in the model
  std::string detector_calibration;  // what it achieved on validation
  // The run has no summary.json: training stopped before its last epoch
  // (interrupted, killed, or still going), and best.pt is the best of the
  // epochs it had. The model records it (metadata "training").
  bool unfinished_run = false;
  std::string unfinished_note;  // "43 of 160 epochs", for the warning
};

Status RunExport(const ExportOptions& options, ExportReport* report);

}  // namespace tinykws::train
