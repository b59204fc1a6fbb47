// Per-frame pose features for comparing two dancers: the 2D directions of 15 body segments as
// unit vectors (invariant to position, body size and camera distance) with a visibility weight,
// grouped by the six body parts of the analysis.
#pragma once

#include <array>
#include <cstddef>

#include "analysis/body_metrics.h"
#include "pose/pose_frame.h"

namespace dd::compare {

inline constexpr size_t kSegmentCount = 15;

// Body part (index into analysis::kBodyPartNames) of each segment.
extern const std::array<size_t, kSegmentCount> kSegmentPart;

struct LimbFeatures {
  bool valid = false;                           // false: no pose in the frame (a gap)
  std::array<float, kSegmentCount> dx{}, dy{};  // unit direction in displayed pixels
  std::array<float, kSegmentCount> weight{};    // min visibility of the segment's ends, 0..1
};

// The frame's features in a frame of width x height pixels. mirror: as seen in a mirror (x
// flipped, left and right swapped), so a student facing the teacher lines up with them.
LimbFeatures limb_features(const pose::PoseFrame& frame, int width, int height, bool mirror);

// Per body part, the visibility-weighted mean angle in degrees between corresponding segments,
// and the weight behind it (0 when the part is seen in neither frame; the angle is then 0).
struct PartDeviation {
  std::array<double, analysis::kBodyPartCount> angle_deg{};
  std::array<double, analysis::kBodyPartCount> weight{};
};
PartDeviation part_deviation(const LimbFeatures& reference, const LimbFeatures& student);

// Segment `segment` of the frame in normalised image coordinates (not mirrored), with the
// lower visibility of its two ends.
struct SegmentLine {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float visibility = 0;
};
SegmentLine segment_line(const pose::PoseFrame& frame, size_t segment);

// Name of the body part that `part` becomes when left and right are swapped (head and torso stay).
size_t mirrored_part(size_t part);

}  // namespace dd::compare
