// The MFCC kernel compiled with -mavx2 (selected at run time).
#define TINYKWS_KERNEL_NAMESPACE avx2
#define TINYKWS_KERNEL_LANES 4
#include "features/mfcc_kernel.inc"
