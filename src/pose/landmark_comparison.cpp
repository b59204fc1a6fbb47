#include "pose/landmark_comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

namespace dd::pose {
namespace {

// Linear interpolation between closest ranks of sorted values (q in [0,1]).
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

Result<LandmarkComparison> compare_landmarks(const PoseSequence& ours, const PoseSequence& reference) {
  if (ours.width != reference.width || ours.height != reference.height || ours.width <= 0 ||
      ours.height <= 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("frame sizes differ or are invalid: {}x{} vs {}x{}", ours.width,
                                  ours.height, reference.width, reference.height));
  }
  std::unordered_map<int64_t, const PoseFrame*> reference_by_index;
  for (const PoseFrame& frame : reference.frames) reference_by_index[frame.index] = &frame;

  const double w = ours.width;
  const double h = ours.height;
  const double longer_side = std::max(w, h);
  LandmarkComparison result;
  int64_t agreeing = 0;
  std::vector<double> errors;
  for (const PoseFrame& frame : ours.frames) {
    auto it = reference_by_index.find(frame.index);
    if (it == reference_by_index.end()) continue;
    const PoseFrame& ref = *it->second;
    ++result.frames_compared;
    if (frame.detected == ref.detected) ++agreeing;
    if (frame.detected && !ref.detected) ++result.frames_only_ours;
    if (!frame.detected && ref.detected) ++result.frames_only_reference;
    if (!frame.detected || !ref.detected) continue;
    ++result.frames_both_detected;
    for (int i = 0; i < kLandmarkCount; ++i) {
      const double dx = (frame.landmarks[i].x - ref.landmarks[i].x) * w;
      const double dy = (frame.landmarks[i].y - ref.landmarks[i].y) * h;
      errors.push_back(std::hypot(dx, dy) / longer_side * 100.0);
    }
  }
  if (result.frames_compared == 0) {
    return make_error(ErrorCode::kInvalidArgument, "the sequences share no frame index");
  }
  result.detection_agreement_pct =
      100.0 * static_cast<double>(agreeing) / static_cast<double>(result.frames_compared);
  std::sort(errors.begin(), errors.end());
  result.median_error_pct = quantile(errors, 0.5);
  result.p95_error_pct = quantile(errors, 0.95);
  result.max_error_pct = errors.empty() ? 0.0 : errors.back();
  return result;
}

}  // namespace dd::pose
