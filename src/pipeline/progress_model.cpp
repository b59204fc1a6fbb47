#include "pipeline/progress_model.h"

#include <algorithm>

namespace dd::pipeline {
namespace {

// Shares of a run's wall time, measured with the full model on 2 loaded cores (pose, analysis
// with audio decoding and the exports, overlay pass): a generated 8 s 1080p clip 90.1 / 0.2 /
// 9.6 %, the 17 s 720p tai chi clip 95.9 / 0.1 / 3.9 %, the 10 s 1080p aerobics clip
// 89.5 / 0.4 / 10.0 %; without the overlay the 1080p clip spent 99.7 % in pose. The old bar
// gave pose 55 %, so its time-left estimate started out 1.7 times too long.
constexpr StageWeights kWithVideo{/*pose=*/0.90, /*analysis=*/0.01, /*encode=*/0.09};
constexpr StageWeights kWithoutVideo{/*pose=*/0.99, /*analysis=*/0.01, /*encode=*/0.0};

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
