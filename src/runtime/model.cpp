#include "common/atomic_file.hpp"
#include "format/layout.hpp"
#include "runtime/model_impl.hpp"

namespace tinykws {

namespace {

void CountCost(const format::ModelFile& f, int64_t* parameters, int64_t* macs) {
  *parameters = 0;
  *macs = 0;
  for (const format::ConvLayer& c : f.convs) {
    const int64_t taps = int64_t{c.kernel_h} * c.kernel_w * c.in_channels;
    *parameters += taps * c.out_channels + c.out_channels;
    *macs += taps * c.out_channels * c.out_height * c.out_width;
  }
  *parameters += int64_t{f.dense.in_channels + 1} * f.dense.out_channels;
  *macs += int64_t{f.dense.in_channels} * f.dense.out_channels;
}

}  // namespace

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

const Model& runtime::Internals::Empty() {
  // Never destroyed: references to it may be held until exit.
  static const Model* const empty = new Model(std::make_unique<Model::Impl>());
  return *empty;
}

StatusOr<std::shared_ptr<const Model>> Model::LoadFromBuffer(
    const void* data, size_t size, const std::string& origin) {
  if (data == nullptr && size > 0) return InvalidArgument(origin + ": no data");
  try {
    auto impl = std::make_unique<Impl>();
    impl->bytes.assign(static_cast<const char*>(data), size);
    StatusOr<format::ModelFile> file =
        format::Parse(impl->bytes, origin, &impl->view);
    if (!file.ok()) return file.status();
    impl->file = std::move(*file);
    CountCost(impl->file, &impl->parameters, &impl->macs);
    impl->detector = impl->file.has_detector
                         ? impl->file.detector
                         : DefaultDetectorParams(impl->file.labels.size());
    if (impl->file.precision == format::Precision::kInt8) {
      impl->packed = runtime::PackModel(impl->file);
    } else {
      quant::FloatModel& m = impl->float_model;
      m.features = impl->file.features;
      m.labels = impl->file.labels;
      m.convs = impl->file.convs;
      m.dense = impl->file.dense;
    }
    return std::shared_ptr<const Model>(new Model(std::move(impl)));
  } catch (const std::bad_alloc&) {
    return OutOfRange(origin + ": out of memory while loading the model");
  }
}

StatusOr<std::shared_ptr<const Model>> Model::Load(const std::string& path) {
  StatusOr<std::string> bytes = ReadWholeFile(path, format::kMaxFileBytes);
  if (!bytes.ok()) return bytes.status();
  return LoadFromBuffer(bytes->data(), bytes->size(), path);
}

const FeatureConfig& Model::features() const { return impl_->file.features; }
const std::vector<std::string>& Model::labels() const {
  return impl_->file.labels;
}
bool Model::is_int8() const {
  return impl_->file.precision == format::Precision::kInt8;
}
size_t Model::file_bytes() const { return impl_->bytes.size(); }
int64_t Model::parameters() const { return impl_->parameters; }
int64_t Model::macs() const { return impl_->macs; }
const std::vector<std::pair<std::string, std::string>>& Model::metadata()
    const {
  return impl_->file.metadata;
}

const DetectorParams& Model::detector() const { return impl_->detector; }
size_t Model::session_bytes_bound() const {
  return static_cast<size_t>(
      format::EstimateWorkingSet(impl_->file).session_bytes);
}
size_t Model::spotter_bytes_bound() const {
  return static_cast<size_t>(
      format::EstimateWorkingSet(impl_->file).spotter_bytes);
}
bool Model::has_detector() const { return impl_->file.has_detector; }

}  // namespace tinykws
