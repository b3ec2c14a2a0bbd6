// The MFCC kernels compiled with -mavx2 (selected at run time), float64 and
// float32 front ends.
#define TINYKWS_KERNEL_NAMESPACE avx2
#define TINYKWS_KERNEL_LANES 4
#define TINYKWS_KERNEL_FLOAT32 0
#include "features/mfcc_kernel.inc"
#undef TINYKWS_KERNEL_NAMESPACE
#undef TINYKWS_KERNEL_LANES
#undef TINYKWS_KERNEL_FLOAT32

#define TINYKWS_KERNEL_NAMESPACE avx2_f32
#define TINYKWS_KERNEL_LANES 8
#define TINYKWS_KERNEL_FLOAT32 1
#include "features/mfcc_kernel.inc"
