// Everything the MFCC kernels need, computed once per FeatureConfig
// (MfccTables), and the working memory they write (MfccScratch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/aligned_buffer.hpp"
#include "features/fft_plan.hpp"
#include "features/mel.hpp"
#include "tinykws/features.hpp"

namespace tinykws::features {

// Frames are processed several at a time, one frame per SIMD lane; the
// scratch buffers hold the widest variant's lanes: 8 doubles (or 16 floats)
// in the DFT buffers, 16 floats in the magnitude and mel buffers.
constexpr int kMaxBatchLanes = 8;
constexpr int kMaxFloatLanes = 16;

struct MfccTables {
  FeatureConfig config;
  int num_frames = 0;
  int fft_size = 0;  // complex FFT length = frame_length / 2
  // Hann window split into even and odd samples, times 1/32768 (the int16
  // scaling folded in: a power of two, so the products are unchanged).
  std::vector<double> window_even, window_odd;
  FftPlan plan;
  // exp(-2 pi i k / frame_length), k = 0..fft_size: untangles the real DFT
  // from the half-length complex one.
  std::vector<double> split_re, split_im;
  // The window and split factors rounded to float once (float32 front end
  // only; the float64 ones above are then empty, and vice versa).
  std::vector<float> window_even32, window_odd32, split_re32, split_im32;
  MelBands mel;
  std::vector<float> dct;  // [num_mfcc][mel_bins]
};

MfccTables MakeMfccTables(const FeatureConfig& config);

struct MfccScratch {
  explicit MfccScratch(const MfccTables& tables);
  AlignedBuffer<float> clip;        // clip_samples, int16 values as float
  AlignedBuffer<float> zero_frame;  // source for lanes past the last frame
  AlignedBuffer<double> re, im;     // fft_size * kMaxBatchLanes each
  AlignedBuffer<double> work_re, work_im;
  AlignedBuffer<float> magnitude;  // used bins * kMaxFloatLanes
  AlignedBuffer<float> log_mel;    // mel_bins * kMaxFloatLanes
};

// Bytes the tables and the scratch hold (vector capacities and aligned
// buffers), for working-set accounting.
size_t MemoryBytes(const MfccTables& tables, const MfccScratch& scratch);

// An upper bound of MemoryBytes for any MfccTables/MfccScratch made from
// this (valid) config, computed from the config alone so that a model file
// can be judged before anything is allocated.
size_t MemoryBound(const FeatureConfig& config);

// One implementation per instruction set and precision, all from
// mfcc_kernel.inc; those of one precision give bit-identical results (no FMA
// contraction, same operation order). ComplexFftBatch transforms kLanes
// interleaved sequences at once.
#define TINYKWS_DECLARE_MFCC_KERNELS(isa, Real)                                \
  namespace isa {                                                              \
  extern const int kLanes;                                                     \
  void ComplexFftBatch(const FftPlan& plan, Real* re, Real* im, Real* work_re, \
                       Real* work_im);                                         \
  void ComputeMfcc(const MfccTables& tables, MfccScratch& scratch,             \
                   const int16_t* pcm, size_t num_samples, float* out);        \
  void ComputeFrames(const MfccTables& tables, MfccScratch& scratch,           \
                     const float* samples, size_t stride, int count,           \
                     float* out);                                              \
  }

TINYKWS_DECLARE_MFCC_KERNELS(portable, double)
TINYKWS_DECLARE_MFCC_KERNELS(portable_f32, float)
#if defined(TINYKWS_HAVE_X86_KERNELS)
TINYKWS_DECLARE_MFCC_KERNELS(avx2, double)
TINYKWS_DECLARE_MFCC_KERNELS(avx2_f32, float)
TINYKWS_DECLARE_MFCC_KERNELS(avx512, double)
TINYKWS_DECLARE_MFCC_KERNELS(avx512_f32, float)
#endif
#undef TINYKWS_DECLARE_MFCC_KERNELS

}  // namespace tinykws::features

namespace tinykws::features {

using MfccKernelFn = void (*)(const MfccTables&, MfccScratch&, const int16_t*,
                              size_t, float*);
// `count` frames starting at samples, stride samples apart (int16 values held
// as float); writes count x num_mfcc floats. A frame's result does not depend
// on the other frames of the call (each runs in its own lane).
using MfccFramesFn = void (*)(const MfccTables&, MfccScratch&, const float*,
                              size_t, int, float*);
struct MfccKernel {
  const char* name;
  MfccKernelFn compute;
  MfccFramesFn frames;
};

// The fastest kernel of this precision this CPU runs (use_simd false: the
// portable one).
MfccKernel BestMfccKernel(FeaturePrecision precision, bool use_simd = true);

// The fastest kernel for a batch of `frames` frames: a batch narrower than
// the widest vector wastes its lanes, so few frames run faster on narrower
// vectors (all kernels of a precision give the same bits).
MfccKernel MfccKernelForFrames(int frames, FeaturePrecision precision);

}  // namespace tinykws::features
