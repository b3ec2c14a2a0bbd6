// Model, Session and DetectorParams (tinykws/runtime.hpp, detector.hpp).
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "tinykws/detector.hpp"

namespace tinykws::python {

namespace {

// A session is used by one thread at a time; the lock makes sharing one
// between Python threads safe (taken with the GIL released).
struct LockedSession {
  std::unique_ptr<std::mutex> lock;
  Session session;
};

LockedSession CreateSession(const ModelHandle& model, bool use_simd,
                            std::optional<FeaturePrecision> front_end) {
  SessionOptions options;
  options.use_simd = use_simd;
  options.front_end = front_end;
  StatusOr<Session> created = [&] {
    py::gil_scoped_release release;
    return Session::Create(model.model, options);
  }();
  return LockedSession{std::make_unique<std::mutex>(),
                       ValueOrThrow(std::move(created))};
}

// Runs classify(result) on the session with the GIL released and returns
// (label, scores): the best label's name and a copy of every label's softmax
// probability, taken under the lock (the C++ result borrows the session's
// memory until its next call).
template <typename ClassifyFn>
py::tuple ClassifyLocked(LockedSession& self, ClassifyFn classify) {
  const Model& model = self.session.model();
  py::array_t<float> scores(static_cast<py::ssize_t>(model.labels().size()));
  float* scores_out = scores.mutable_data();
  int label = -1;
  Status status;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> hold(*self.lock);
    ClassifyResult result;
    status = classify(&result);
    if (status.ok()) {
      std::copy(result.scores, result.scores + model.labels().size(),
                scores_out);
      label = result.label;
    }
  }
  ThrowIfError(status);
  return py::make_tuple(model.labels()[static_cast<size_t>(label)], scores);
}

py::tuple Classify(LockedSession& self, const py::handle& audio,
                   std::optional<int> sample_rate) {
  const Samples samples = AudioSamples(audio, "audio", /*float_ok=*/false);
  const int rate =
      sample_rate.value_or(self.session.model().features().sample_rate);
  return ClassifyLocked(self, [&](ClassifyResult* result) {
    return self.session.Classify(static_cast<const int16_t*>(samples.data()),
                                 samples.size(), rate, result);
  });
}

// The C++ call sees a flat buffer: the shape is checked here, so that a
// transposed matrix of the right size is not taken for frames.
py::tuple ClassifyFeatures(LockedSession& self, const py::handle& mfcc) {
  const FeatureConfig& config = self.session.model().features();
  if (!py::isinstance<py::array_t<float>>(mfcc)) {
    throw py::type_error("mfcc must be a numpy float32 array");
  }
  const auto array = py::reinterpret_borrow<py::array>(mfcc);
  if (array.ndim() != 2 || array.shape(0) != config.num_frames() ||
      array.shape(1) != config.num_mfcc) {
    throw py::value_error("mfcc must have the model's shape (" +
                          std::to_string(config.num_frames()) + ", " +
                          std::to_string(config.num_mfcc) +
                          ") (frames x MFCC)");
  }
  const auto features =
      py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(
          array);
  return ClassifyLocked(self, [&](ClassifyResult* result) {
    return self.session.ClassifyFeatures(
        features.data(), static_cast<size_t>(features.size()), result);
  });
}

ModelHandle Load(const std::filesystem::path& path) {
  py::gil_scoped_release release;
  return ModelHandle{ValueOrThrow(Model::Load(path.string()))};
}

ModelHandle LoadFromBytes(const py::bytes& data, const std::string& origin) {
  const std::string_view bytes = data;
  py::gil_scoped_release release;
  return ModelHandle{
      ValueOrThrow(Model::LoadFromBuffer(bytes.data(), bytes.size(), origin))};
}

std::string Repr(const DetectorParams& p) {
  std::string thresholds;
  for (float t : p.thresholds) {
    thresholds += (thresholds.empty() ? "" : ", ") + FloatText(t);
  }
  return "DetectorParams(hop_frames=" + std::to_string(p.hop_frames) +
         ", smoothing_runs=" + std::to_string(p.smoothing_runs) +
         ", refractory_ms=" + FloatText(p.refractory_ms) + ", thresholds=[" +
         thresholds + "])";
}

}  // namespace

void BindModel(py::module_& m) {
  py::class_<DetectorParams>(
      m, "DetectorParams",
      "The streaming detector's parameters (tinykws/detector.hpp): a copy; "
      "override them per Spotter.")
      .def_readwrite("hop_frames", &DetectorParams::hop_frames)
      .def_readwrite("smoothing_runs", &DetectorParams::smoothing_runs)
      .def_readwrite("refractory_ms", &DetectorParams::refractory_ms)
      .def_readwrite("thresholds", &DetectorParams::thresholds,
                     "One per label, in label order.")
      .def("__repr__", &Repr);

  py::class_<ModelHandle>(
      m, "Model",
      "A loaded .kws model: immutable, shared by any number of threads.")
      .def(py::init(&Load), py::arg("path"),
           "Loads and validates a .kws file (FileNotFoundError, OSError, "
           "ValueError for a malformed or unsupported file).")
      .def_static("from_bytes", &LoadFromBytes, py::arg("data"),
                  py::arg("origin") = "buffer",
                  "Loads a model from the bytes of a .kws file; origin names "
                  "it in error messages.")
      .def(
          "classify",
          [](const ModelHandle& self, const py::handle& audio,
             std::optional<int> sample_rate) {
            // A session per call: any number of threads may classify with
            // one model at once. Reuse a Session to save its setup.
            LockedSession session = CreateSession(self, true, std::nullopt);
            return Classify(session, audio, sample_rate);
          },
          py::arg("audio"), py::arg("sample_rate") = py::none(),
          "int16 mono clip at the model's rate (sample_rate, when given, must "
          "be it) -> (label, float32 scores of every label). Shorter clips "
          "are zero-padded, longer ones cut to the model's clip length.")
      .def_property_readonly(
          "labels", [](const ModelHandle& h) { return h.model->labels(); })
      .def_property_readonly(
          "features", [](const ModelHandle& h) { return h.model->features(); },
          "The model's FeatureConfig (a copy).")
      .def_property_readonly(
          "sample_rate",
          [](const ModelHandle& h) { return h.model->features().sample_rate; })
      .def_property_readonly(
          "is_int8", [](const ModelHandle& h) { return h.model->is_int8(); })
      .def_property_readonly(
          "file_bytes",
          [](const ModelHandle& h) { return h.model->file_bytes(); })
      .def_property_readonly(
          "parameters",
          [](const ModelHandle& h) { return h.model->parameters(); })
      .def_property_readonly(
          "macs", [](const ModelHandle& h) { return h.model->macs(); })
      .def_property_readonly(
          "session_bytes_bound",
          [](const ModelHandle& h) { return h.model->session_bytes_bound(); })
      .def_property_readonly(
          "spotter_bytes_bound",
          [](const ModelHandle& h) { return h.model->spotter_bytes_bound(); })
      .def_property_readonly(
          "metadata",
          [](const ModelHandle& h) {
            py::dict entries;
            for (const auto& [key, value] : h.model->metadata()) {
              entries[py::str(key)] = value;
            }
            return entries;
          })
      .def_property_readonly(
          "detector", [](const ModelHandle& h) { return h.model->detector(); },
          "The stored DetectorParams, or the defaults when has_detector is "
          "False.")
      .def_property_readonly(
          "has_detector",
          [](const ModelHandle& h) { return h.model->has_detector(); })
      .def("__repr__", [](const ModelHandle& h) {
        return "<tinykws.Model labels=" +
               std::string(py::repr(py::cast(h.model->labels()))) +
               (h.model->is_int8() ? " int8 " : " float32 ") +
               std::to_string(h.model->file_bytes()) + " bytes>";
      });

  py::class_<LockedSession>(
      m, "Session",
      "Working memory for classifying clips with one model, set up once; "
      "for many clips. Calls on one session are serialized.")
      .def(py::init(&CreateSession), py::arg("model"), py::kw_only(),
           py::arg("use_simd") = true, py::arg("front_end") = py::none(),
           "use_simd=False: the portable int8 kernels (same results); "
           "front_end: a FeaturePrecision other than the model's.")
      .def("classify", &Classify, py::arg("audio"),
           py::arg("sample_rate") = py::none(), "As Model.classify.")
      .def("classify_features", &ClassifyFeatures, py::arg("mfcc"),
           "The network alone on float32 MFCCs [num_frames, num_mfcc] -> "
           "(label, scores).")
      .def_property_readonly(
          "arena_bytes",
          [](const LockedSession& s) { return s.session.arena_bytes(); })
      .def_property_readonly("kernel_name", [](const LockedSession& s) {
        return s.session.kernel_name();
      });
}

}  // namespace tinykws::python
