// How far along a run is and how long it has left: each stage's share of the progress bar is
// its measured share of the run's time, and the time left is only estimated once the pace
// is known. Pure functions, no clock.
#pragma once

#include <cstdint>
#include <optional>

namespace dd::pipeline {

enum class Stage { kProbe, kPose, kAnalysis, kEncode, kDone };

// Shares of the progress bar (they sum to 1): the stages' shares of a run's wall time.
struct StageWeights {
  double pose = 0;
  double analysis = 0;
  double encode = 0;  // 0 when no overlay video is written
};

// The measured weights for a run that writes the overlay video or not.
StageWeights stage_weights(bool write_video);

// Position of the progress bar (0..1) when `stage` is `stage_fraction` (0..1) done.
// Never goes back when the stage advances or a later stage starts.
double overall_fraction(const StageWeights& weights, Stage stage, double stage_fraction);

// Seconds left, extrapolating the pace so far: elapsed * (1 - fraction) / fraction.
// nullopt until the pace means something: at least kEtaMinElapsedS of work and
// kEtaMinFrames frames seen, and some progress made.
inline constexpr double kEtaMinElapsedS = 1.0;
inline constexpr int64_t kEtaMinFrames = 5;
std::optional<double> estimate_eta_s(double fraction, double elapsed_s, int64_t frames_seen);

}  // namespace dd::pipeline
