// Spotter and Detection (tinykws/spotter.hpp): streaming keyword detection.
#include <pybind11/stl.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "tinykws/spotter.hpp"

namespace tinykws::python {

namespace {

// tinykws::Detection with its label's name resolved.
struct PyDetection {
  std::string label;
  int label_index = -1;
  float score = 0.0f;
  int64_t sample = 0;
  double time_s = 0.0;
};

struct LockedSpotter {
  ModelHandle model;
  std::unique_ptr<std::mutex> lock;  // one thread at a time, as in C++
  Spotter spotter;
  int input_sample_rate = 0;  // push()'s default rate
};

int LabelIndex(const Model& model, const std::string& name) {
  const std::vector<std::string>& labels = model.labels();
  const auto it = std::find(labels.begin(), labels.end(), name);
  if (it == labels.end()) {
    std::string known;
    for (const std::string& label : labels) {
      known += (known.empty() ? "" : ", ") + label;
    }
    throw py::value_error("'" + name + "' is not a label of the model (" +
                          known + ")");
  }
  return static_cast<int>(it - labels.begin());
}

// thresholds: one per label (a sequence), or {label: value} over the
// model's own thresholds. The C++ Create validates the values.
std::vector<float> ThresholdsFrom(const Model& model,
                                  const py::object& thresholds) {
  if (thresholds.is_none()) return {};
  try {
    if (!py::isinstance<py::dict>(thresholds)) {
      return thresholds.cast<std::vector<float>>();
    }
    std::vector<float> values = model.detector().thresholds;
    for (const auto& [name, value] : thresholds.cast<py::dict>()) {
      values[static_cast<size_t>(LabelIndex(model, name.cast<std::string>()))] =
          value.cast<float>();
    }
    return values;
  } catch (const py::cast_error&) {
    throw py::type_error(
        "thresholds must be a sequence of numbers (one per label) or a "
        "{label: number} dict");
  }
}

template <typename T>
void RequireAtLeast(const char* name, const std::optional<T>& value, T least) {
  if (value && !(*value >= least)) {  // NaN too
    throw py::value_error(
        std::string(name) +
        " must be >= " + std::string(py::repr(py::cast(least))) + ", got " +
        std::string(py::repr(py::cast(*value))) + " (None keeps the model's)");
  }
}

LockedSpotter CreateSpotter(const ModelHandle& model,
                            std::optional<int> hop_frames,
                            std::optional<int> smoothing_runs,
                            std::optional<float> refractory_ms,
                            const py::object& thresholds, bool use_simd,
                            std::optional<int> input_sample_rate) {
  SpotterOptions options;
  options.hop_frames = hop_frames.value_or(0);
  options.smoothing_runs = smoothing_runs.value_or(0);
  options.refractory_ms = refractory_ms.value_or(-1.0f);
  options.thresholds = ThresholdsFrom(*model.model, thresholds);
  options.use_simd = use_simd;
  options.input_sample_rate = input_sample_rate.value_or(0);
  // In C++ 0 (or -1 ms) means "the model's"; here None does, so an
  // explicit 0 is refused instead of silently meaning the model's value.
  RequireAtLeast("hop_frames", hop_frames, 1);
  RequireAtLeast("smoothing_runs", smoothing_runs, 1);
  RequireAtLeast("refractory_ms", refractory_ms, 0.0f);
  RequireAtLeast("input_sample_rate", input_sample_rate, 1);
  StatusOr<Spotter> created = [&] {
    py::gil_scoped_release release;
    return Spotter::Create(model.model, options);
  }();
  const int rate =
      input_sample_rate.value_or(model.model->features().sample_rate);
  return LockedSpotter{model, std::make_unique<std::mutex>(),
                       ValueOrThrow(std::move(created)), rate};
}

py::list Push(LockedSpotter& self, const py::handle& audio,
              std::optional<int> sample_rate) {
  const Samples samples = AudioSamples(audio, "audio", /*float_ok=*/true);
  const int rate = sample_rate.value_or(self.input_sample_rate);
  std::vector<Detection> detections;
  auto collect = [&detections](const Detection& d) { detections.push_back(d); };
  Status status;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> hold(*self.lock);
    status =
        samples.type == SampleType::kInt16
            ? self.spotter.Push(static_cast<const int16_t*>(samples.data()),
                                samples.size(), rate, collect)
            : self.spotter.Push(static_cast<const float*>(samples.data()),
                                samples.size(), rate, collect);
  }
  ThrowIfError(status);
  const std::vector<std::string>& labels = self.model.model->labels();
  py::list out;
  for (const Detection& d : detections) {
    out.append(PyDetection{labels[static_cast<size_t>(d.label)], d.label,
                           d.score, d.sample, d.time_s});
  }
  return out;
}

// Runs fn(spotter) under the spotter's lock, the GIL released.
template <typename Fn>
auto Locked(LockedSpotter& self, Fn fn) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> hold(*self.lock);
  return fn(self.spotter);
}

std::string Repr(const PyDetection& d) {
  return "Detection(label=" + std::string(py::repr(py::str(d.label))) +
         ", time_s=" + std::string(py::repr(py::float_(d.time_s))) +
         ", score=" + FloatText(d.score) +
         ", sample=" + std::to_string(d.sample) + ")";
}

}  // namespace

void BindSpotter(py::module_& m) {
  py::class_<PyDetection>(m, "Detection", "A keyword found by a Spotter.")
      .def_readonly("label", &PyDetection::label)
      .def_readonly("label_index", &PyDetection::label_index,
                    "Index into Model.labels.")
      .def_readonly("score", &PyDetection::score,
                    "The smoothed score when it fired.")
      .def_readonly("sample", &PyDetection::sample,
                    "The stream's sample (at the model's rate, from the start "
                    "or reset) that completed the network's input window.")
      .def_readonly("time_s", &PyDetection::time_s,
                    "Stream time at its end: (sample + 1) / sample rate.")
      .def("__eq__",
           [](const PyDetection& a, const PyDetection& b) {
             return a.label_index == b.label_index && a.score == b.score &&
                    a.sample == b.sample && a.time_s == b.time_s;
           })
      .def("__repr__", &Repr);

  py::class_<LockedSpotter>(
      m, "Spotter",
      "Streaming detection over one audio stream: push chunks of any size, "
      "get the detections they complete. Keyword overrides default to the "
      "model's DetectorParams (None keeps the model's value).")
      .def(py::init(&CreateSpotter), py::arg("model"), py::kw_only(),
           py::arg("hop_frames") = py::none(),
           py::arg("smoothing_runs") = py::none(),
           py::arg("refractory_ms") = py::none(),
           py::arg("thresholds") = py::none(), py::arg("use_simd") = true,
           py::arg("input_sample_rate") = py::none(),
           "thresholds: one per label, or {label: value} over the model's; "
           "input_sample_rate: push()'s default rate, converted inside when "
           "it is not the model's (44100, 48000, ...).")
      .def("push", &Push, py::arg("audio"), py::arg("sample_rate") = py::none(),
           "Feeds mono int16 samples (or float32 in [-1, 1]) and returns the "
           "detections, in order, as a list of Detection. A stream keeps one "
           "rate until reset(); a failed push raises and consumes nothing.")
      .def(
          "reset",
          [](LockedSpotter& self) {
            Locked(self, [](Spotter& s) { s.Reset(); });
          },
          "Starts a new stream at sample 0, keeping the memory.")
      .def(
          "set_threshold",
          [](LockedSpotter& self, const py::object& label, float threshold) {
            const int index =
                py::isinstance<py::str>(label)
                    ? LabelIndex(*self.model.model, label.cast<std::string>())
                    : label.cast<int>();
            ThrowIfError(Locked(self, [&](Spotter& s) {
              return s.SetThreshold(index, threshold);
            }));
          },
          py::arg("label"), py::arg("threshold"),
          "One label's threshold in [0, 1] from now on (label: name or "
          "index).")
      .def_property_readonly("params",
                             [](LockedSpotter& self) {
                               return Locked(
                                   self, [](Spotter& s) { return s.params(); });
                             })
      .def_property_readonly(
          "model", [](const LockedSpotter& self) { return self.model; })
      .def_property_readonly(
          "samples_pushed",
          [](LockedSpotter& self) {
            return Locked(self, [](Spotter& s) { return s.samples_pushed(); });
          })
      .def_property_readonly(
          "network_runs",
          [](LockedSpotter& self) {
            return Locked(self, [](Spotter& s) { return s.network_runs(); });
          })
      .def_property_readonly(
          "arena_bytes",
          [](LockedSpotter& self) {
            return Locked(self, [](Spotter& s) { return s.arena_bytes(); });
          })
      .def_property_readonly("kernel_name", [](const LockedSpotter& self) {
        return self.spotter.kernel_name();
      });
}

}  // namespace tinykws::python
