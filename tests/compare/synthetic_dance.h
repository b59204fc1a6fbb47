// A synthetic dancer for comparison tests and benchmarks: a 33-landmark stick figure whose
// joints follow sums of incommensurate sines, so every moment of the dance is distinct.
#pragma once

#include <cmath>
#include <functional>
#include <optional>
#include <tuple>

#include "pose/pose_frame.h"

namespace dd::compare::testing {

struct DanceOptions {
  bool freeze_left_arm = false;  // the left arm keeps its starting angles
  bool mirror = false;           // as seen in a mirror: x flipped, left and right swapped
  bool stand_still = false;      // every joint at its starting angle
  int routine = 0;               // another number dances other choreography (other phases and tempi)
};

// The pose at dance time t_s (seconds) in a 640x480 frame.
inline pose::PoseFrame dance_pose(double t_s, const DanceOptions& options = {}) {
  using namespace pose;
  const double t = options.stand_still ? 0.0 : t_s;
  const double pace = 1 + 0.37 * options.routine, shift = 2.1 * options.routine;
  auto wave = [t, pace, shift](double a, double f1, double f2, double phase) {
    // Each joint's own shift (from its frequency), so the joints move in other combinations.
    const double own = shift * (1 + 7 * f1);
    return a * (std::sin(2 * M_PI * f1 * pace * t + phase + own) +
                0.6 * std::sin(2 * M_PI * f2 * pace * t + 2 * (phase + own)));
  };
  PoseFrame frame;
  frame.detected = true;
  frame.pose_score = 1;
  // Normalised coordinates use frame width for x and height for y; lengths below are in
  // height units, so x lengths are scaled by 480/640.
  const double kx = 480.0 / 640.0;
  auto set = [&](int index, double x, double y) {
    auto& l = frame.landmarks[static_cast<size_t>(index)];
    l.x = static_cast<float>(x);
    l.y = static_cast<float>(y);
    l.z = 0;
    l.visibility = 0.95f;
    l.presence = 0.95f;
  };
  auto from = [&](double x, double y, double angle, double length, double* ox, double* oy) {
    *ox = x + std::sin(angle) * length * kx;
    *oy = y + std::cos(angle) * length;  // angle 0 points down
  };
  const double hip_x = 0.5 + wave(0.04, 0.21, 0.53, 0.3), hip_y = 0.62 + wave(0.01, 0.37, 0.91, 1.1);
  const double lean = wave(0.3, 0.29, 0.71, 0.7);
  double shoulder_x, shoulder_y;
  from(hip_x, hip_y, M_PI + lean, 0.25, &shoulder_x, &shoulder_y);
  // Shoulder and hip lines tilt with the lean and rock on their own.
  const double shoulder_tilt = -lean + wave(0.25, 0.17, 0.59, 1.6), hip_tilt = wave(0.25, 0.13, 0.47, 0.8);
  const double half_shoulder = 0.08, half_hip = 0.055;
  set(kLeftShoulder, shoulder_x + half_shoulder * std::cos(shoulder_tilt) * kx,
      shoulder_y + half_shoulder * std::sin(shoulder_tilt));
  set(kRightShoulder, shoulder_x - half_shoulder * std::cos(shoulder_tilt) * kx,
      shoulder_y - half_shoulder * std::sin(shoulder_tilt));
  set(kLeftHip, hip_x + half_hip * std::cos(hip_tilt) * kx, hip_y + half_hip * std::sin(hip_tilt));
  set(kRightHip, hip_x - half_hip * std::cos(hip_tilt) * kx, hip_y - half_hip * std::sin(hip_tilt));
  double nose_x, nose_y;
  from(shoulder_x, shoulder_y, M_PI + lean + wave(0.4, 0.43, 1.07, 2.0), 0.1, &nose_x, &nose_y);
  set(kNose, nose_x, nose_y);
  for (int i : {kLeftEyeInner, kLeftEye, kLeftEyeOuter}) set(i, nose_x + 0.01 * (i - 0) * kx, nose_y - 0.01);
  for (int i : {kRightEyeInner, kRightEye, kRightEyeOuter})
    set(i, nose_x - 0.01 * (i - 3) * kx, nose_y - 0.01);
  const double roll = wave(0.3, 0.37, 0.83, 2.7);
  set(kLeftEar, nose_x + 0.04 * std::cos(roll) * kx, nose_y + 0.04 * std::sin(roll));
  set(kRightEar, nose_x - 0.04 * std::cos(roll) * kx, nose_y - 0.04 * std::sin(roll));
  set(kMouthLeft, nose_x + 0.015 * kx, nose_y + 0.02);
  set(kMouthRight, nose_x - 0.015 * kx, nose_y + 0.02);

  // Returns the end point and the direction of the second segment.
  auto limb = [&](int root, double side, double a1, double a2, double l1, double l2, int mid, int end) {
    const auto& r = frame.landmarks[static_cast<size_t>(root)];
    double mx, my, ex, ey;
    from(r.x, r.y, side * a1, l1, &mx, &my);
    from(mx, my, side * a2, l2, &ex, &ey);
    set(mid, mx, my);
    set(end, ex, ey);
    return std::tuple{ex, ey, side * a2};
  };
  const double lt = options.freeze_left_arm ? 0.0 : t;
  auto left_wave = [lt, pace, shift](double a, double f1, double f2, double phase) {
    const double own = shift * (1 + 7 * f1);
    return a * (std::sin(2 * M_PI * f1 * pace * lt + phase + own) +
                0.6 * std::sin(2 * M_PI * f2 * pace * lt + 2 * (phase + own)));
  };
  [[maybe_unused]] auto [lwx, lwy, lwa] =
      limb(kLeftShoulder, 1, 0.9 + left_wave(0.9, 0.31, 0.83, 0.1), 1.2 + left_wave(0.9, 0.47, 1.13, 0.9),
           0.12, 0.11, kLeftElbow, kLeftWrist);
  [[maybe_unused]] auto [rwx, rwy, rwa] =
      limb(kRightShoulder, -1, 0.9 + wave(0.9, 0.27, 0.77, 1.9), 1.2 + wave(0.9, 0.41, 0.97, 2.5), 0.12, 0.11,
           kRightElbow, kRightWrist);
  for (int i : {kLeftPinky, kLeftIndex, kLeftThumb}) set(i, lwx, lwy + 0.02);
  for (int i : {kRightPinky, kRightIndex, kRightThumb}) set(i, rwx, rwy + 0.02);
  auto [lax, lay, laa] = limb(kLeftHip, 1, 0.1 + wave(0.6, 0.23, 0.61, 0.4),
                              -0.1 - std::abs(wave(0.8, 0.33, 0.79, 1.3)), 0.17, 0.16, kLeftKnee, kLeftAnkle);
  auto [rax, ray, raa] =
      limb(kRightHip, -1, 0.1 + wave(0.6, 0.19, 0.67, 2.2), -0.1 - std::abs(wave(0.8, 0.39, 0.87, 0.2)), 0.17,
           0.16, kRightKnee, kRightAnkle);
  set(kLeftHeel, lax - 0.01 * kx, lay + 0.01);
  set(kRightHeel, rax + 0.01 * kx, ray + 0.01);
  double fx, fy;
  from(lax, lay, laa + 1.3, 0.05, &fx, &fy);  // the foot points out, at ~75 degrees to the shin
  set(kLeftFootIndex, fx, fy);
  from(rax, ray, raa - 1.3, 0.05, &fx, &fy);
  set(kRightFootIndex, fx, fy);

  if (options.mirror) {
    auto flipped = frame.landmarks;
    for (size_t i = 0; i < flipped.size(); ++i) {
      int j = static_cast<int>(i);
      if (j >= 1 && j <= 6)
        j = j <= 3 ? j + 3 : j - 3;
      else if (j >= 7)
        j = (j % 2 == 1) ? j + 1 : j - 1;
      flipped[i] = frame.landmarks[static_cast<size_t>(j)];
      flipped[i].x = 1.0f - flipped[i].x;
    }
    frame.landmarks = flipped;
  }
  frame.world = frame.landmarks;
  return frame;
}

// Frames at `fps` for duration_s seconds; pose_at(t) gives the pose at video time t, or
// nullopt for a frame without a pose.
inline pose::PoseSequence make_sequence(
    double duration_s, double fps, const std::function<std::optional<pose::PoseFrame>(double)>& pose_at) {
  pose::PoseSequence sequence;
  sequence.width = 640;
  sequence.height = 480;
  sequence.fps = fps;
  const auto count = static_cast<int64_t>(std::llround(duration_s * fps));
  for (int64_t i = 0; i < count; ++i) {
    const double t = double(i) / fps;
    pose::PoseFrame frame;
    if (auto pose = pose_at(t)) frame = *pose;
    frame.index = i;
    frame.timestamp_s = t;
    sequence.frames.push_back(frame);
  }
  return sequence;
}

}  // namespace dd::compare::testing
