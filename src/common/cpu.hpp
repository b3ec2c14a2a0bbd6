// What the CPU we run on supports, for picking SIMD kernels at run time.
#pragma once

namespace tinykws {

bool CpuHasAvx2();        // AVX2 (and the OS saves its registers)
bool CpuHasAvx512();      // AVX-512 F, BW, VL
bool CpuHasAvx512Vnni();  // the above and AVX-512 VNNI

}  // namespace tinykws
