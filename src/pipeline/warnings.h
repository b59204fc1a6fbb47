// Warnings a run's results carry (results.json `warnings`): what went wrong without failing
// the run, in words a user can act on, such as a truncated file or a person rarely in view.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dd::pipeline {

struct RunFacts {
  int64_t frames_expected = 0;             // the container's frame count (0: unknown)
  bool frames_expected_estimated = false;  // duration x fps rather than a stored count
  int64_t frames_decoded = 0;
  double duration_s = 0;              // the container's duration
  double last_frame_s = 0;            // timestamp of the last decoded frame
  bool decode_stopped_early = false;  // the file ended in an error, not at its end
  int64_t corrupt_packets = 0;        // packets or frames the decoder rejected
  int64_t frames_with_pose = 0;
  bool audio_undecodable = false;  // an audio track that could not be decoded
};

// Share of frames with a person below which the results get a warning.
inline constexpr double kLowDetectionRate = 0.5;

// The warnings for a run, most serious first; empty when all is well.
std::vector<std::string> run_warnings(const RunFacts& facts);

}  // namespace dd::pipeline
