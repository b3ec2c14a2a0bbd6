// The MFCC kernel compiled with -mavx512f (selected at run time).
#define TINYKWS_KERNEL_NAMESPACE avx512
#define TINYKWS_KERNEL_LANES 8
#include "features/mfcc_kernel.inc"
