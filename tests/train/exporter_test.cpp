// Export of a trained run: the file is valid and small, the folded float
// model equals LibTorch, and the exporter's int8 simulation and the runtime
// agree bit for bit on every clip of the data set.
#include "train/exporter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "common/atomic_file.hpp"
#include "format/model_file.hpp"
#include "quant/int8_reference.hpp"
#include "runtime/model_impl.hpp"
#include "synthetic_data.hpp"
#include "tinykws/runtime.hpp"
#include "train/trainer.hpp"
#include "train/training_data.hpp"
#include "train_test_util.hpp"

namespace tinykws::train {
namespace {

namespace fs = std::filesystem;

TEST(Exporter, SimulationAndRuntimeAgreeBitForBitOnEveryClip) {
  const std::string data = testing::MakeSyntheticData("exporter");
  const std::string config = data + "/synthetic.toml";
  ASSERT_TRUE(WriteFileAtomically(config, testing::SyntheticConfig()).ok());
  const TrainOptions train =
      testing::QuietTrainOptions(config, data, data + "/run");
  TrainResult trained;
  ASSERT_TRUE(RunTraining(train, &trained).ok());

  for (const char* calibration : {"minmax", "percentile", "mse"}) {
    ExportOptions o;
    o.run_dir = train.out_dir;
    o.data_dir = data;
    o.out_path = data + "/model_" + calibration + ".kws";
    o.calibration = calibration;
    o.calibration_clips = 50;
    o.threads = 1;
    o.detector_minutes = 5;
    ExportReport report;
    const Status s = RunExport(o, &report);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_LT(report.torch_max_logit_diff, 1e-4) << calibration;
    EXPECT_EQ(report.val_acc_fp32, 1.0);
    EXPECT_GE(report.agreement, 0.99) << calibration;
    EXPECT_LT(report.file_bytes, 8192u);
    EXPECT_EQ(report.file_bytes, fs::file_size(o.out_path));

    StatusOr<format::ModelFile> file = format::ReadModelFile(o.out_path);
    ASSERT_TRUE(file.ok()) << file.status().message();
    StatusOr<std::shared_ptr<const Model>> model = Model::Load(o.out_path);
    ASSERT_TRUE(model.ok());
    // The calibrated detector survives export -> load, bit for bit; the
    // tone words are easy, so every validation keyword is found.
    ASSERT_TRUE(report.detector_calibrated);
    ASSERT_TRUE((*model)->has_detector());
    const DetectorParams& stored = (*model)->detector();
    EXPECT_EQ(stored.hop_frames, report.detector.hop_frames);
    EXPECT_EQ(stored.smoothing_runs, report.detector.smoothing_runs);
    EXPECT_EQ(stored.refractory_ms, report.detector.refractory_ms);
    EXPECT_EQ(stored.thresholds, report.detector.thresholds);
    EXPECT_NE(report.detector_calibration.find("found 12/12 keywords"),
              std::string::npos)
        << report.detector_calibration;
    bool described = false;
    for (const auto& [key, value] : (*model)->metadata()) {
      described |=
          key == "detector_calibration" && value == report.detector_calibration;
    }
    EXPECT_TRUE(described);
    StatusOr<Session> session = Session::Create(*model);
    ASSERT_TRUE(session.ok());
    StatusOr<KwsConfig> cfg = LoadConfig(train.out_dir + "/config.toml");
    StatusOr<std::unique_ptr<TrainingData>> clips =
        TrainingData::Prepare(*cfg, {data, "", 1, false, false});
    ASSERT_TRUE(clips.ok());
    LabeledSet all;
    (*clips)->CalibrationSet(1000, &all);  // every training clip
    const LabeledSet* sets[] = {&all, &(*clips)->validation(),
                                &(*clips)->testing()};
    for (const LabeledSet* set : sets) {
      const int per_clip = (*clips)->per_clip();
      for (size_t i = 0; i < set->size(); ++i) {
        const float* x = &set->features[i * per_clip];
        quant::Int8Trace trace;
        quant::RunInt8Reference(*file, x, &trace);
        ClassifyResult result;
        ASSERT_TRUE(session->ClassifyFeatures(x, per_clip, &result).ok());
        for (size_t k = 0; k < trace.logits.size(); ++k) {
          ASSERT_EQ(runtime::Internals::Logits(*session)[k], trace.logits[k])
              << "clip " << i;
        }
      }
    }
  }
  // fp32 export for comparison runs.
  ExportOptions fp32;
  fp32.run_dir = train.out_dir;
  fp32.data_dir = data;
  fp32.out_path = data + "/model_fp32.kws";
  fp32.precision = "fp32";
  fp32.calibrate_detector = false;
  ExportReport report;
  ASSERT_TRUE(RunExport(fp32, &report).ok());
  StatusOr<std::shared_ptr<const Model>> model = Model::Load(fp32.out_path);
  ASSERT_TRUE(model.ok());
  EXPECT_FALSE((*model)->is_int8());
  EXPECT_FALSE((*model)->has_detector());

  // An existing file (the user's) is not replaced without --force, and the
  // output folder is checked before any work.
  ExportOptions user_file = fp32;
  user_file.out_path = data + "/notes.txt";
  ASSERT_TRUE(WriteFileAtomically(user_file.out_path, "keep me\n").ok());
  Status refused = RunExport(user_file, &report);
  EXPECT_NE(refused.message().find("exists (use --force to replace it)"),
            std::string::npos)
      << refused.message();
  EXPECT_EQ(ReadWholeFile(user_file.out_path, 100).value(), "keep me\n");
  user_file.out_path = data + "/no/such/folder/m.kws";
  EXPECT_EQ(RunExport(user_file, &report).code(), StatusCode::kNotFound);
  // Temporaries of a killed export are cleaned up; --force replaces.
  ASSERT_TRUE(
      WriteFileAtomically(fp32.out_path + ".tmp.Xy12Zw", "partial").ok());
  fp32.force = true;
  ASSERT_TRUE(RunExport(fp32, &report).ok());
  EXPECT_FALSE(fs::exists(fp32.out_path + ".tmp.Xy12Zw"));

  ExportOptions bad = fp32;
  bad.precision = "int4";
  EXPECT_NE(RunExport(bad, &report).message().find("--precision"),
            std::string::npos);
  bad.precision = "int8";
  bad.run_dir = data + "/no_run";
  EXPECT_NE(RunExport(bad, &report).message().find("no_run"),
            std::string::npos);
  fs::remove_all(data);
}

}  // namespace
}  // namespace tinykws::train

namespace tinykws::train {
namespace {

// The real data: the tuned recipe for a few epochs, exported to int8, must
// pick the same label as its float model on >= 99 % of the validation split.
TEST(Exporter, Int8AgreesWithFp32OnTheSharedValidationSplit) {
  const std::string data =
      std::string(TINYKWS_SOURCE_DIR) + "/../shared/data/speech_commands";
  if (!std::filesystem::is_directory(data + "/go")) {
    GTEST_SKIP() << "shared data not found at " << data;
  }
  const std::string root = ::testing::TempDir() + "/tinykws_shared_export";
  std::filesystem::remove_all(root);
  TrainOptions train = testing::QuietTrainOptions(
      std::string(TINYKWS_SOURCE_DIR) + "/configs/go_stop_tuned.toml", data,
      root + "/run");
  train.epochs = 16;
  TrainResult trained;
  ASSERT_TRUE(RunTraining(train, &trained).ok());
  ExportOptions o;
  o.run_dir = train.out_dir;
  o.data_dir = data;
  o.out_path = root + "/model.kws";
  o.detector_minutes = 20;
  ExportReport report;
  const Status s = RunExport(o, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.val_clips, 206);
  EXPECT_GE(report.agreement, 0.99);
  EXPECT_GE(report.val_acc_fp32, 0.9);  // it learned something in 16 epochs
  EXPECT_LE(std::fabs(report.val_acc_int8 - report.val_acc_fp32), 0.01);
  EXPECT_LT(report.file_bytes, 8192u);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace tinykws::train
