// The MFCC kernel for any target: 16-byte vectors (SSE2, NEON, or scalar
// code where the target has no vectors).
#define TINYKWS_KERNEL_NAMESPACE portable
#define TINYKWS_KERNEL_LANES 2
#include "features/mfcc_kernel.inc"
