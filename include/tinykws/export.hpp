// Symbol visibility for the shared runtime library: only what is marked
// TINYKWS_API is exported from libtinykws.so.
#pragma once

#if defined(_WIN32)
#define TINYKWS_API
#elif defined(__GNUC__)
#define TINYKWS_API __attribute__((visibility("default")))
#else
#define TINYKWS_API
#endif
