/* The float32 front end: fft.inc with float. */
#include <math.h>

#include "micro/micro_internal.h"

#define KWS_REAL float
#define KWS_NAME(name) name##_f32
#include "micro/fft.inc"
