// Periodic Hann window, as tf.signal.hann_window(periodic=True).
#pragma once

#include <vector>

namespace tinykws::features {

// w[n] = 0.5 - 0.5 cos(2 pi n / length), n = 0..length-1. Computed in double.
std::vector<double> PeriodicHann(int length);

}  // namespace tinykws::features
