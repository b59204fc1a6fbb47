#include "pipeline/warnings.h"

#include <cmath>

namespace dd::pipeline {
namespace {

// A container's frame count can be a frame or two off (edit lists, a dropped last frame);
// one estimated from duration x fps more so.
constexpr double kMissingFramesTolerance = 0.05;
constexpr double kEstimatedMissingFramesTolerance = 0.10;
constexpr int64_t kMinMissingFrames = 2;
// The decoded frames end this far before the container's duration: the tail is missing.
constexpr double kTailMissingShare = 0.9;

bool frames_missing(const RunFacts& facts) {
  if (facts.frames_expected <= 0 || facts.frames_decoded >= facts.frames_expected) return false;
  const int64_t missing = facts.frames_expected - facts.frames_decoded;
  const double tolerance =
      facts.frames_expected_estimated ? kEstimatedMissingFramesTolerance : kMissingFramesTolerance;
  return missing >= kMinMissingFrames && static_cast<double>(missing) > tolerance * facts.frames_expected;
}

}  // namespace

std::vector<std::string> run_warnings(const RunFacts& facts) {
  std::vector<std::string> warnings;
  if (frames_missing(facts)) {
    const bool tail_missing =
        facts.decode_stopped_early || facts.last_frame_s < kTailMissingShare * facts.duration_s;
    warnings.push_back("only " + std::to_string(facts.frames_decoded) + " of " +
                       std::to_string(facts.frames_expected) + " frames could be decoded (" +
                       (tail_missing ? "the file looks truncated" : "the file looks damaged") +
                       "), so the results cover only part of the video");
  } else if (facts.corrupt_packets > 0) {
    warnings.push_back(std::to_string(facts.corrupt_packets) +
                       " damaged parts of the video were skipped; the pose may be missing around them");
  }
  if (facts.frames_decoded > 0) {
    const double rate =
        static_cast<double>(facts.frames_with_pose) / static_cast<double>(facts.frames_decoded);
    if (facts.frames_with_pose == 0) {
      warnings.push_back("no person was found in the video");
    } else if (rate < kLowDetectionRate) {
      warnings.push_back("a person was found in only " + std::to_string(std::lround(rate * 100)) +
                         "% of the frames; the analysis covers those frames only");
    }
  }
  if (facts.audio_undecodable)
    warnings.push_back("the audio track could not be decoded, so the music was not analysed");
  return warnings;
}

}  // namespace dd::pipeline
