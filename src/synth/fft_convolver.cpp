#include "synth/fft_convolver.hpp"

#include <algorithm>

#include "features/mfcc_tables.hpp"

namespace tinykws::synth {

namespace {

namespace kernel = features::portable_f32;

// Convolution lengths are rounded up to a multiple of this before the FFT
// size is chosen, so that a few plans serve every room.
constexpr size_t kLengthStep = 4000;

int SizeFor(size_t x_length, size_t h_length) {
  const size_t needed = x_length + h_length - 1;
  return FftConvolver::FftSize(
      static_cast<int>((needed + kLengthStep - 1) / kLengthStep * kLengthStep));
}

}  // namespace

int FftConvolver::FftSize(int n) {
  int best = 1;
  while (best < n) best *= 2;  // a power of two always fits
  for (long p5 = 1; p5 < best; p5 *= 5) {
    for (long p35 = p5; p35 < best; p35 *= 3) {
      long size = p35;
      while (size < n) size *= 2;
      if (size < best) best = static_cast<int>(size);
    }
  }
  return best;
}

void FftConvolver::Prepare(int size) {
  if (size == size_) return;
  size_ = size;
  auto it = plans_.find(size);
  if (it == plans_.end()) {
    it = plans_.emplace(size, features::MakeFftPlan(size)).first;
  }
  plan_ = &it->second;
  const size_t n = static_cast<size_t>(size) * kernel::kLanes;
  if (n > capacity_) {
    capacity_ = n;
    re_ = AlignedBuffer<float>(n);
    im_ = AlignedBuffer<float>(n);
    work_re_ = AlignedBuffer<float>(n);
    work_im_ = AlignedBuffer<float>(n);
  }
}

void FftConvolver::Convolve(const std::vector<float>& h,
                            std::vector<float>* x) {
  if (x->empty() || h.empty()) {
    std::fill(x->begin(), x->end(), 0.0f);
    return;
  }
  const size_t lanes = static_cast<size_t>(kernel::kLanes);
  Prepare(SizeFor(x->size(), h.size()));
  const size_t n = static_cast<size_t>(size_);
  // Lane 0: x, lane 1: h, both real; one batch transforms both.
  std::fill(re_.data(), re_.data() + n * lanes, 0.0f);
  std::fill(im_.data(), im_.data() + n * lanes, 0.0f);
  for (size_t t = 0; t < x->size(); ++t) re_[t * lanes] = (*x)[t];
  for (size_t t = 0; t < h.size(); ++t) re_[t * lanes + 1] = h[t];
  kernel::ComplexFftBatch(*plan_, re_.data(), im_.data(), work_re_.data(),
                          work_im_.data());
  // Y = X H; the inverse as conj(FFT(conj(Y))) / n, in lane 0.
  for (size_t k = 0; k < n; ++k) {
    const float xr = re_[k * lanes], xi = im_[k * lanes];
    const float hr = re_[k * lanes + 1], hi = im_[k * lanes + 1];
    re_[k * lanes] = xr * hr - xi * hi;
    im_[k * lanes] = -(xr * hi + xi * hr);
    re_[k * lanes + 1] = 0.0f;
    im_[k * lanes + 1] = 0.0f;
  }
  kernel::ComplexFftBatch(*plan_, re_.data(), im_.data(), work_re_.data(),
                          work_im_.data());
  const float scale = 1.0f / static_cast<float>(n);
  for (size_t t = 0; t < x->size(); ++t) (*x)[t] = re_[t * lanes] * scale;
}

void FftConvolver::Warm(size_t x_length, size_t max_h_length) {
  for (size_t h = 1; h <= max_h_length; h += kLengthStep) {
    Prepare(SizeFor(x_length, h));
  }
  Prepare(SizeFor(x_length, max_h_length));
}

std::vector<float> ConvolveDirect(const std::vector<float>& x,
                                  const std::vector<float>& h) {
  std::vector<float> y(x.size(), 0.0f);
  for (size_t t = 0; t < x.size(); ++t) {
    double sum = 0.0;
    for (size_t j = 0; j < h.size() && j <= t; ++j) {
      sum += static_cast<double>(h[j]) * x[t - j];
    }
    y[t] = static_cast<float>(sum);
  }
  return y;
}

}  // namespace tinykws::synth
