// FeatureConfig, FeaturePrecision, MfccExtractor and mfcc(): the MFCC front
// end exactly as the runtime computes it (tinykws/features.hpp).
#include <pybind11/operators.h>

#include <memory>
#include <mutex>
#include <string>

#include "bindings.hpp"
#include "tinykws/features.hpp"

namespace tinykws::python {

namespace {

// An extractor is not thread-safe; the lock lets Python threads share one
// (taken with the GIL released, so a waiting thread does not block others).
struct LockedExtractor {
  std::unique_ptr<std::mutex> lock = std::make_unique<std::mutex>();
  MfccExtractor extractor;
};

py::array_t<float> Compute(LockedExtractor& self, const py::handle& audio) {
  const Samples samples = AudioSamples(audio, "audio", /*float_ok=*/false);
  const FeatureConfig& config = self.extractor.config();
  py::array_t<float> out({config.num_frames(), config.num_mfcc});
  float* out_data = out.mutable_data();
  const auto out_size = static_cast<size_t>(out.size());
  Status status;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> hold(*self.lock);
    status = self.extractor.Compute(static_cast<const int16_t*>(samples.data()),
                                    samples.size(), out_data, out_size);
  }
  ThrowIfError(status);
  return out;
}

// Computing the tables (window, DFT plan, mel matrix) is the costly part.
LockedExtractor CreateExtractor(const FeatureConfig& config) {
  StatusOr<MfccExtractor> created = [&] {
    py::gil_scoped_release release;
    return MfccExtractor::Create(config);
  }();
  return LockedExtractor{std::make_unique<std::mutex>(),
                         ValueOrThrow(std::move(created))};
}

std::string Repr(const FeatureConfig& c) {
  return "FeatureConfig(sample_rate=" + std::to_string(c.sample_rate) +
         ", clip_samples=" + std::to_string(c.clip_samples) +
         ", frame_length=" + std::to_string(c.frame_length) +
         ", frame_step=" + std::to_string(c.frame_step) +
         ", mel_bins=" + std::to_string(c.mel_bins) +
         ", fmin_hz=" + FloatText(c.fmin_hz) +
         ", fmax_hz=" + FloatText(c.fmax_hz) +
         ", num_mfcc=" + std::to_string(c.num_mfcc) +
         ", log_offset=" + FloatText(c.log_offset) +
         ", precision=FeaturePrecision." + FeaturePrecisionName(c.precision) +
         ")";
}

}  // namespace

void BindFeatures(py::module_& m) {
  py::enum_<FeaturePrecision>(m, "FeaturePrecision",
                              "Arithmetic of the DFT stage of the MFCC.")
      .value("float64", FeaturePrecision::kFloat64)
      .value("float32", FeaturePrecision::kFloat32);

  const FeatureConfig zero;
  py::class_<FeatureConfig>(
      m, "FeatureConfig",
      "MFCC settings (tinykws/features.hpp). A model's own is Model.features; "
      "fields are in Hz and samples.")
      .def(py::init([](int sample_rate, int clip_samples, int frame_length,
                       int frame_step, int mel_bins, float fmin_hz,
                       float fmax_hz, int num_mfcc, float log_offset,
                       FeaturePrecision precision) {
             return FeatureConfig{sample_rate, clip_samples, frame_length,
                                  frame_step,  mel_bins,     fmin_hz,
                                  fmax_hz,     num_mfcc,     log_offset,
                                  precision};
           }),
           py::kw_only(), py::arg("sample_rate") = zero.sample_rate,
           py::arg("clip_samples") = zero.clip_samples,
           py::arg("frame_length") = zero.frame_length,
           py::arg("frame_step") = zero.frame_step,
           py::arg("mel_bins") = zero.mel_bins,
           py::arg("fmin_hz") = zero.fmin_hz, py::arg("fmax_hz") = zero.fmax_hz,
           py::arg("num_mfcc") = zero.num_mfcc,
           py::arg("log_offset") = zero.log_offset,
           py::arg("precision") = zero.precision)
      .def_readwrite("sample_rate", &FeatureConfig::sample_rate)
      .def_readwrite("clip_samples", &FeatureConfig::clip_samples)
      .def_readwrite("frame_length", &FeatureConfig::frame_length)
      .def_readwrite("frame_step", &FeatureConfig::frame_step)
      .def_readwrite("mel_bins", &FeatureConfig::mel_bins)
      .def_readwrite("fmin_hz", &FeatureConfig::fmin_hz)
      .def_readwrite("fmax_hz", &FeatureConfig::fmax_hz)
      .def_readwrite("num_mfcc", &FeatureConfig::num_mfcc)
      .def_readwrite("log_offset", &FeatureConfig::log_offset)
      .def_readwrite("precision", &FeatureConfig::precision)
      .def_property_readonly("num_frames", &FeatureConfig::num_frames,
                             "Frames per clip (valid configs only).")
      .def_property_readonly("num_fft_bins", &FeatureConfig::num_fft_bins)
      .def_property_readonly("num_features", &FeatureConfig::num_features)
      .def(
          "validate",
          [](const FeatureConfig& c) {
            ThrowIfError(ValidateFeatureConfig(c));
          },
          "Raises ValueError naming the first invalid field.")
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__copy__", [](const FeatureConfig& c) { return c; })
      .def(
          "__deepcopy__",
          [](const FeatureConfig& c, const py::dict&) { return c; },
          py::arg("memo"))
      .def("__repr__", &Repr);

  py::class_<LockedExtractor>(
      m, "MfccExtractor",
      "MFCC of one clip at a time with tables computed once (reuse it for "
      "many clips; mfcc() makes one per call).")
      .def(py::init(&CreateExtractor), py::arg("config"))
      .def("compute", &Compute, py::arg("audio"),
           "int16 mono clip at config.sample_rate -> float32 [num_frames, "
           "num_mfcc]; shorter clips are zero-padded, longer ones cut.")
      .def_property_readonly(
          "config",
          [](const LockedExtractor& e) { return e.extractor.config(); })
      .def_property_readonly(
          "kernel_name",
          [](const LockedExtractor& e) { return e.extractor.kernel_name(); })
      .def_property_readonly("memory_bytes", [](const LockedExtractor& e) {
        return e.extractor.memory_bytes();
      });

  m.def(
      "mfcc",
      [](const py::handle& audio, const FeatureConfig& config) {
        LockedExtractor extractor = CreateExtractor(config);
        return Compute(extractor, audio);
      },
      py::arg("audio"), py::arg("config"),
      "MFCC of one int16 mono clip: float32 [config.num_frames, "
      "config.num_mfcc], bit for bit what a model with this config sees.");
}

}  // namespace tinykws::python
