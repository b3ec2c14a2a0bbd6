// The MFCC kernels for any target: 16-byte vectors (SSE2, NEON, or scalar
// code where the target has no vectors), float64 and float32 front ends.
#define TINYKWS_KERNEL_NAMESPACE portable
#define TINYKWS_KERNEL_LANES 2
#define TINYKWS_KERNEL_FLOAT32 0
#include "features/mfcc_kernel.inc"
#undef TINYKWS_KERNEL_NAMESPACE
#undef TINYKWS_KERNEL_LANES
#undef TINYKWS_KERNEL_FLOAT32

#define TINYKWS_KERNEL_NAMESPACE portable_f32
#define TINYKWS_KERNEL_LANES 4
#define TINYKWS_KERNEL_FLOAT32 1
#include "features/mfcc_kernel.inc"
