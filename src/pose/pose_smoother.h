// PoseSmoother: the smoothing stage of MediaPipe's pose graph for one stream: visibility
// low-pass and one-euro filters for landmarks, world landmarks and the auxiliary (tracking)
// landmarks, with the graph's parameters and reset rules (POSE_FACTS.md §9).
#pragma once

#include <array>
#include <cstdint>

#include "pose/landmark_filters.h"
#include "pose/pose_frame.h"

namespace dd::pose {

class PoseSmoother {
 public:
  PoseSmoother();
  // Smooths this frame's landmarks in place: aux always, pose and world when smooth.
  // width/height are the frame size in pixels; aux is landmarks 33 and 34 (projected).
  void apply(std::array<Landmark, kLandmarkCount>& landmarks, std::array<Landmark, kLandmarkCount>& world,
             std::array<Landmark, 2>& aux, int64_t timestamp_ns, int width, int height, bool smooth);
  // The pose was lost: the landmark and aux one-euro filters restart; the visibility
  // and world filters keep their state, as in MediaPipe.
  void on_pose_lost();

 private:
  VisibilityFilter landmark_visibility_;
  LandmarksOneEuroFilter landmark_filter_;
  VisibilityFilter world_visibility_;
  LandmarksOneEuroFilter world_filter_;
  VisibilityFilter aux_visibility_;
  LandmarksOneEuroFilter aux_filter_;
};

// The filter timestamp MediaPipe's reference runs used for a frame at timestamp_s:
// 1000 ms + 1000*t ms as a packet time in microseconds, in nanoseconds (never 0).
int64_t filter_timestamp_ns(double timestamp_s);

}  // namespace dd::pose
