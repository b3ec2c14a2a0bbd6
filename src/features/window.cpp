#include "features/window.hpp"

#include <cmath>

namespace tinykws::features {

std::vector<double> PeriodicHann(int length) {
  std::vector<double> window(length > 0 ? length : 0);
  for (int n = 0; n < length; ++n) {
    window[n] = 0.5 - 0.5 * std::cos(2.0 * M_PI * n / length);
  }
  return window;
}

}  // namespace tinykws::features
