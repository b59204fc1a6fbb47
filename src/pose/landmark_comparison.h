// Agreement between two landmark sequences of the same video (ours vs a reference run):
// per-landmark distance as a percentage of the frame's longer side, and detection agreement.
#pragma once

#include "core/result.h"
#include "pose/pose_frame.h"

namespace dd::pose {

struct LandmarkComparison {
  int64_t frames_compared = 0;  // frames present (by index) in both sequences
  int64_t frames_both_detected = 0;
  int64_t frames_only_ours = 0;        // we found a pose, the reference did not
  int64_t frames_only_reference = 0;   // the reference found a pose, we did not
  double detection_agreement_pct = 0;  // frames where both agree on pose/no pose, of those compared
  double median_error_pct = 0;         // over all 33 landmarks of frames both detected
  double p95_error_pct = 0;
  double max_error_pct = 0;
};

// Compares frames matched by index; InvalidArgument if the frame sizes differ or no frame
// index is shared.
Result<LandmarkComparison> compare_landmarks(const PoseSequence& ours, const PoseSequence& reference);

}  // namespace dd::pose
