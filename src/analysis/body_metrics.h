// Whole-clip movement metrics over the kinematics: intensity, body-part activity, left/right
// symmetry and joint angles.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "analysis/kinematics.h"
#include "analysis/movement_classifier.h"

namespace dd::analysis {

inline constexpr size_t kBodyPartCount = 6;
inline constexpr std::array<std::string_view, kBodyPartCount> kBodyPartNames = {
    "head", "torso", "left_arm", "right_arm", "left_leg", "right_leg"};

inline constexpr size_t kJointAngleCount = 8;
inline constexpr std::array<std::string_view, kJointAngleCount> kJointAngleNames = {
    "left_elbow", "right_elbow", "left_shoulder", "right_shoulder",
    "left_hip",   "right_hip",   "left_knee",     "right_knee"};

struct JointAngleStats {
  bool valid = false;  // false when the joint was never visible enough (visibility < 0.5)
  double mean_deg = 0;
  double min_deg = 0;
  double max_deg = 0;
  double range_deg = 0;  // range of motion: max - min
};

struct BodyMetrics {
  double intensity = 0;        // 0..100
  double mean_velocity30 = 0;  // mean body velocity per 1/30 s (body scales per second / 30)
  std::array<double, kBodyPartCount> part_activity{};  // 0..100, order of kBodyPartNames
  double symmetry = 100;                               // 0..100, 100 = left and right limbs equally active
  std::array<JointAngleStats, kJointAngleCount> joint_angles{};
};

// Saturating map of a velocity per 1/30 s (a root mean square over time for clip values) to
// 0..100, quadratic like kinetic energy at first: 100 * (1 - exp(-(v / 0.06)^2)), so
// kStillVelocity 0.01 -> 3, kActiveVelocity 0.03 -> 22, 0.06 -> 63, kVigorousVelocity 0.12 -> 98.
double activity_from_velocity(double velocity30);

// The 0..100 intensity of an effort per 1/30 s: 100 * (1 - exp(-(e / kEffortScale)^2)),
// calibrated on real clips so standing < walking < dancing < jumping (docs/analysis.md).
double intensity_from_effort(double effort30);

// Effort per 1/30 s at each sample of `track`, smoothed over 0.3 s: the mean speed of the limbs,
// shoulders and head relative to the hips, plus the hips' vertical speed (bounces, jumps) and
// sideways sway (velocity minus its 1 s mean) at full weight, plus their sideways travel (the
// 1 s mean) at a sixth: moving the body costs a dancer more than being carried across the frame.
// `types`: the track's movement types, or empty; while Walking the limbs count 0.35 (a walk's
// pendular leg swing is light work: 3.5 against 7 METs for dancing in Ainsworth's Compendium of
// Physical Activities).
std::vector<double> effort_velocity30(const Track& track, std::span<const MovementType> types);

// Intensity = intensity_from_effort(RMS of effort_velocity30 over all samples); RMS^2 =
// mean^2 + variance, so both how hard and how varied the motion is raise it. Part activity =
// the map of the RMS of the part's visibility-weighted joint velocity (head: nose and ears; torso: shoulders
// and hips; arms: elbow and wrist; legs: knee and ankle). Symmetry = 100 * (1 - |L - R| / (L + R)) of arm and
// leg activity, weighted by how much each pair moves. Joint angles are 2D angles in the image plane at
// samples where all three points have visibility >= 0.5. All zero (symmetry 100) with no tracks.
// `types`: per track, its movement types (classify_track), or empty.
BodyMetrics compute_body_metrics(const Kinematics& kinematics,
                                 std::span<const std::vector<MovementType>> types = {});

}  // namespace dd::analysis
