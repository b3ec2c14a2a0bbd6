// How much distinct sound an evaluation heard: streams built from clips and
// noise repeat their sources, and a false-alarm rate measured on ten
// minutes of sound looped for hours says little about an hour of speech.
// Reports state distinct seconds next to total seconds.
#pragma once

#include <string>
#include <vector>

#include "streaming/stream_builder.hpp"

namespace tinykws::streaming {

struct SourceUse {
  double seconds = 0.0;           // placed in the streams, repeats counted
  double distinct_seconds = 0.0;  // of different source audio
  int sources = 0;                // clips (or noise files) used
  int max_repeats = 0;            // most placements of one clip (speech)
  double mean_repeats() const {
    return distinct_seconds > 0 ? seconds / distinct_seconds : 0.0;
  }
};

struct StreamAudioUse {
  SourceUse speech;  // word clips
  SourceUse noise;   // the bed: samples of the noise recordings
};

// Over all the streams together (they share their sources).
StreamAudioUse AudioUseOf(const std::vector<const SyntheticStream*>& streams);

// The exact (Garwood) two-sided interval of a Poisson rate: `count` events in
// `hours`, at `confidence` (0.95): [low, high] events per hour. count 0 gives
// low 0. hours <= 0 gives NaN.
void PoissonRateInterval(int count, double hours, double confidence,
                         double* low, double* high);

}  // namespace tinykws::streaming
