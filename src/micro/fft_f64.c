/* The float64 front end (the C++ default): fft.inc with double. */
#include <math.h>

#include "micro/micro_internal.h"

#if defined(KWS_MICRO_NO_FLOAT64)
/* ISO C forbids an empty translation unit. */
typedef int kws_micro_no_float64_build;
#else
#define KWS_REAL double
#define KWS_NAME(name) name##_f64
#include "micro/fft.inc"
#endif
