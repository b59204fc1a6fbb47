#include "pose/pose_smoother.h"

#include <cmath>

#include "pose/detection.h"

namespace dd::pose {
namespace {

constexpr float kVisibilityAlpha = 0.1f;
constexpr double kMinObjectScale = 1e-6;
constexpr OneEuroParams kLandmarkFilter{0.05, 80.0, 1.0};
constexpr OneEuroParams kWorldFilter{0.1, 40.0, 1.0};
constexpr OneEuroParams kAuxFilter{0.01, 10.0, 1.0};

Point2f point(const Landmark& lm) {
  return {lm.x, lm.y};
}

}  // namespace

int64_t filter_timestamp_ns(double timestamp_s) {
  const int64_t microseconds = std::llround((1.0 + timestamp_s) * 1e6);
  return microseconds * 1000;
}

PoseSmoother::PoseSmoother()
    : landmark_visibility_(kLandmarkCount, kVisibilityAlpha),
      landmark_filter_(kLandmarkCount, kLandmarkFilter),
      world_visibility_(kLandmarkCount, kVisibilityAlpha),
      world_filter_(kLandmarkCount, kWorldFilter),
      aux_visibility_(2, kVisibilityAlpha),
      aux_filter_(2, kAuxFilter) {}

void PoseSmoother::apply(std::array<Landmark, kLandmarkCount>& landmarks,
                         std::array<Landmark, kLandmarkCount>& world, std::array<Landmark, 2>& aux,
                         int64_t timestamp_ns, int width, int height, bool smooth) {
  const float w = static_cast<float>(width);
  const float h = static_cast<float>(height);
  // Object scale from the unfiltered aux landmarks: the alignment rect's mean side in px.
  const NormalizedRect scale_rect = alignment_points_to_rect(point(aux[0]), point(aux[1]), width, height);
  const double object_scale = (scale_rect.width * w + scale_rect.height * h) / 2.0;
  const bool scalable = object_scale >= kMinObjectScale;
  const double value_scale = scalable ? 1.0 / object_scale : 0.0;

  aux_visibility_.apply(aux);
  if (scalable) aux_filter_.apply(aux, timestamp_ns, value_scale, w, h, w);
  if (!smooth) return;
  landmark_visibility_.apply(landmarks);
  if (scalable) landmark_filter_.apply(landmarks, timestamp_ns, value_scale, w, h, w);
  world_visibility_.apply(world);
  world_filter_.apply(world, timestamp_ns, 1.0, 1.0f, 1.0f, 1.0f);
}

void PoseSmoother::on_pose_lost() {
  landmark_filter_.reset();
  aux_filter_.reset();
}

}  // namespace dd::pose
