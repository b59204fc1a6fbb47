#include "pipeline/progress_model.h"

#include <algorithm>

namespace dd::pipeline {
namespace {

// Shares of a run's wall time, measured on the pipeline's generated test clip and the sample
// dance clips (lite and full models, 720p to 1080p, 2 cores): pose 92-95 % without the overlay
// video; with it, pose ~80 %, the overlay pass (second decode, drawing, x264) ~17 %. Analysis,
// audio decoding and writing the exports take the rest.
constexpr StageWeights kWithVideo{/*pose=*/0.80, /*analysis=*/0.03, /*encode=*/0.17};
constexpr StageWeights kWithoutVideo{/*pose=*/0.96, /*analysis=*/0.04, /*encode=*/0.0};

}  // namespace

StageWeights stage_weights(bool write_video) {
  return write_video ? kWithVideo : kWithoutVideo;
}

double overall_fraction(const StageWeights& weights, Stage stage, double stage_fraction) {
  const double within = std::clamp(stage_fraction, 0.0, 1.0);
  switch (stage) {
    case Stage::kProbe: return 0.0;
    case Stage::kPose: return weights.pose * within;
    case Stage::kAnalysis: return weights.pose + weights.analysis * within;
    case Stage::kEncode: return weights.pose + weights.analysis + weights.encode * within;
    case Stage::kDone: return 1.0;
  }
  return 0.0;
}

std::optional<double> estimate_eta_s(double fraction, double elapsed_s, int64_t frames_seen) {
  if (elapsed_s < kEtaMinElapsedS || frames_seen < kEtaMinFrames || !(fraction > 0)) return std::nullopt;
  if (fraction >= 1.0) return 0.0;
  return elapsed_s * (1.0 - fraction) / fraction;
}

}  // namespace dd::pipeline
