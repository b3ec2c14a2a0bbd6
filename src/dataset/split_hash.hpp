// Internal pieces of the dataset library shared by its source files and its
// tests; not part of the public API.
#pragma once

#include <string>

#include "tinykws/dataset.hpp"

namespace tinykws {
namespace dataset {

// The data set's speaker bucket in [0, 100]:
//   (int(sha1(speaker).hexdigest(), 16) % 2**27) * (100.0 / (2**27 - 1))
// computed with the same double operations as the Python original, so the
// value is bit-identical. NaN only if OpenSSL itself fails.
double SpeakerHashPercent(const std::string& speaker);

// The thresholds of the rule applied to a bucket from SpeakerHashPercent.
// NaN falls through to training (every comparison with NaN is false).
Split SplitForPercent(double percent, double validation_percent,
                      double testing_percent);

}  // namespace dataset
}  // namespace tinykws
