// MotionTrack: one dancer's world landmarks as the exports (TRC, BVH, angles.csv) write them:
// resampled to a constant rate from the real timestamps, short gaps filled and marked,
// filtered, in metres with Y up and the feet on the floor.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "analysis/trajectory_filter.h"
#include "core/result.h"
#include "pose/pose_frame.h"

namespace dd::report {

struct Vec3 {
  double x = 0;
  double y = 0;
  double z = 0;
};

inline Vec3 operator+(Vec3 a, Vec3 b) {
  return {a.x + b.x, a.y + b.y, a.z + b.z};
}
inline Vec3 operator-(Vec3 a, Vec3 b) {
  return {a.x - b.x, a.y - b.y, a.z - b.z};
}
inline Vec3 operator*(double s, Vec3 v) {
  return {s * v.x, s * v.y, s * v.z};
}
double dot(Vec3 a, Vec3 b);
Vec3 cross(Vec3 a, Vec3 b);
double norm(Vec3 v);
// v / |v|; the zero vector stays zero.
Vec3 normalized(Vec3 v);

// The state of one landmark in one sample.
enum class SampleState : uint8_t {
  kMissing,   // no pose near this time, or a gap longer than kMaxFilledGapSamples
  kMeasured,  // interpolated between the two video frames around the sample time
  kFilled,    // inside a short gap: interpolated between the measured samples around it
};

struct MotionSample {
  double time_s = 0;  // the video's time of this sample
  // Metres. X to the right as seen from the camera, Y up, Z towards the camera (right-handed;
  // MediaPipe's world axes with Y and Z flipped), origin below the hips with the lowest foot
  // landmark of the sample on the floor (Y = 0). Missing points are NaN.
  std::array<Vec3, pose::kLandmarkCount> points{};
  std::array<SampleState, pose::kLandmarkCount> states{};

  bool has(int landmark) const { return states[static_cast<size_t>(landmark)] != SampleState::kMissing; }
  const Vec3& at(int landmark) const { return points[static_cast<size_t>(landmark)]; }
};

struct MotionTrack {
  double rate_hz = 0;  // samples per second (the video's average frame rate)
  std::vector<MotionSample> samples;
};

// The dancer's track at the video's frame rate (sequence.fps, or the median frame interval
// when fps is unknown): sample k at first_time + k / rate, linearly interpolated between the
// two frames around it when both have the landmark. Then gaps of up to kMaxFilledGapSamples
// are filled, the filter runs over each coordinate, and each sample is lifted so its lowest
// foot point (ankles, heels, toes) rests on Y = 0. World landmarks carry no travel across
// the floor: the hips stay above the origin. InvalidArgument when timestamps go backwards.
Result<MotionTrack> build_motion_track(const pose::PoseSequence& dancer,
                                       const analysis::TrajectoryFilter& filter);

}  // namespace dd::report
