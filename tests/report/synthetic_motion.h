// A rigid synthetic dancer in 3D for the export tests: every bone keeps its length while the
// pelvis turns, the trunk leans and the limbs swing, written as MediaPipe world landmarks
// (metres, y down, z away from the camera) at a constant frame rate.
#pragma once

#include <cmath>
#include <numbers>

#include "pose/pose_frame.h"
#include "report/motion_track.h"

namespace dd::testing {

// Export axes (Y up, Z towards the camera) to MediaPipe's world axes.
inline pose::Landmark world_landmark(report::Vec3 p) {
  return {static_cast<float>(p.x), static_cast<float>(-p.y), static_cast<float>(-p.z), 0.99f, 0.99f};
}

// A unit vector from spherical angles: polar from straight down (-Y), azimuth about Y.
inline report::Vec3 down_direction(double polar, double azimuth) {
  return {std::sin(polar) * std::cos(azimuth), -std::cos(polar), std::sin(polar) * std::sin(azimuth)};
}

// Rotation of v about the Y axis.
inline report::Vec3 turn_about_y(report::Vec3 v, double angle) {
  return {v.x * std::cos(angle) + v.z * std::sin(angle), v.y, -v.x * std::sin(angle) + v.z * std::cos(angle)};
}

// The landmarks at time t (export axes); bone lengths never change.
inline std::array<report::Vec3, pose::kLandmarkCount> rigid_dancer_at(double t) {
  using namespace pose;
  using report::Vec3;
  const double w = 2 * std::numbers::pi;
  std::array<Vec3, kLandmarkCount> p{};
  const double yaw = 0.6 * std::sin(w * 0.4 * t);
  const Vec3 mid_hip{0.05 * std::sin(w * 0.3 * t), 0.9, 0};
  const Vec3 hip_axis = turn_about_y({1, 0, 0}, yaw);
  p[kLeftHip] = mid_hip + 0.11 * hip_axis;
  p[kRightHip] = mid_hip - 0.11 * hip_axis;
  // Trunk leans forward and sideways; the shoulder line twists against the pelvis.
  const Vec3 trunk = report::normalized(Vec3{0.25 * std::sin(w * 0.7 * t), 1, 0.35 * std::sin(w * 0.5 * t)});
  const Vec3 mid_shoulder = mid_hip + 0.5 * trunk;
  const Vec3 twist = turn_about_y({1, 0.15 * std::sin(w * 1.1 * t), 0}, yaw + 0.4 * std::sin(w * 0.9 * t));
  const Vec3 shoulder_axis = report::normalized(twist);
  p[kLeftShoulder] = mid_shoulder + 0.17 * shoulder_axis;
  p[kRightShoulder] = mid_shoulder - 0.17 * shoulder_axis;
  // Head: the ear midpoint on a nodding neck, the ear line turning with the head.
  const Vec3 neck = report::normalized(Vec3{0.2 * std::sin(w * 0.6 * t), 1, 0.3 * std::cos(w * 0.45 * t)});
  const Vec3 mid_ear = mid_shoulder + 0.2 * neck;
  const Vec3 ear_axis = report::normalized(turn_about_y({1, 0.1, 0}, yaw + 0.5 * std::sin(w * 0.8 * t)));
  p[kLeftEar] = mid_ear + 0.075 * ear_axis;
  p[kRightEar] = mid_ear - 0.075 * ear_axis;
  const Vec3 face = report::normalized(cross(ear_axis, neck));
  p[kNose] = mid_ear + 0.1 * face;
  for (int i : {kLeftEyeInner, kLeftEye, kLeftEyeOuter, kMouthLeft}) p[i] = p[kNose] + 0.03 * ear_axis;
  for (int i : {kRightEyeInner, kRightEye, kRightEyeOuter, kMouthRight}) p[i] = p[kNose] - 0.03 * ear_axis;
  // Arms and legs: each bone swings on its own rhythm.
  struct Limb {
    int root, middle, end, tip_a, tip_b;
    double side, lengths[3];
  };
  const Limb limbs[4] = {
      {kLeftShoulder, kLeftElbow, kLeftWrist, kLeftIndex, kLeftPinky, 1, {0.28, 0.25, 0.08}},
      {kRightShoulder, kRightElbow, kRightWrist, kRightIndex, kRightPinky, -1, {0.27, 0.26, 0.08}},
      {kLeftHip, kLeftKnee, kLeftAnkle, kLeftFootIndex, kLeftHeel, 1, {0.42, 0.40, 0.16}},
      {kRightHip, kRightKnee, kRightAnkle, kRightFootIndex, kRightHeel, -1, {0.43, 0.39, 0.15}}};
  for (int i = 0; i < 4; ++i) {
    const auto& limb = limbs[i];
    const bool arm = i < 2;
    const double phase = i * 0.9;
    const Vec3 upper = down_direction((arm ? 1.1 : 0.35) + (arm ? 0.8 : 0.3) * std::sin(w * 0.5 * t + phase),
                                      limb.side > 0 ? 0.3 * std::sin(w * 0.3 * t) : std::numbers::pi + 0.2);
    const Vec3 lower = down_direction((arm ? 1.5 : 0.2) + 0.5 * std::sin(w * 0.8 * t + phase),
                                      (limb.side > 0 ? 0.0 : std::numbers::pi) + 0.7 * std::sin(w * 0.4 * t));
    p[limb.middle] = p[limb.root] + limb.lengths[0] * upper;
    p[limb.end] = p[limb.middle] + limb.lengths[1] * lower;
    if (arm) {
      const Vec3 hand = down_direction(1.2 + 0.3 * std::sin(w * 0.7 * t + phase), limb.side > 0 ? 0.1 : 3.0);
      const Vec3 spread = report::normalized(cross(hand, Vec3{0, 0, 1}));
      p[limb.tip_a] = p[limb.end] + limb.lengths[2] * hand + 0.02 * spread;
      p[limb.tip_b] = p[limb.end] + limb.lengths[2] * hand - 0.02 * spread;
      p[limb.side > 0 ? kLeftThumb : kRightThumb] = p[limb.end] + 0.04 * hand;
    } else {
      const Vec3 foot = report::normalized(turn_about_y({0, -0.3 + 0.2 * std::sin(w * t), 1}, yaw));
      p[limb.tip_a] = p[limb.end] + limb.lengths[2] * foot;
      p[limb.tip_b] = p[limb.end] + Vec3{0, -0.05, 0} - 0.05 * foot;  // heel
    }
  }
  return p;
}

// The rigid dancer rendered at `fps` for `frame_count` frames.
inline pose::PoseSequence rigid_dancer_sequence(int frame_count, double fps) {
  pose::PoseSequence sequence;
  sequence.width = 1280;
  sequence.height = 720;
  sequence.fps = fps;
  for (int k = 0; k < frame_count; ++k) {
    pose::PoseFrame frame;
    frame.index = k;
    frame.timestamp_s = k / fps;
    frame.detected = true;
    const auto points = rigid_dancer_at(frame.timestamp_s);
    for (int i = 0; i < pose::kLandmarkCount; ++i) {
      frame.world[static_cast<size_t>(i)] = world_landmark(points[static_cast<size_t>(i)]);
      frame.landmarks[static_cast<size_t>(i)] = {0.5f, 0.5f, 0.0f, 0.99f, 0.99f};
    }
    sequence.frames.push_back(frame);
  }
  return sequence;
}

}  // namespace dd::testing
