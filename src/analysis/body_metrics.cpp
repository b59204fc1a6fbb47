#include "analysis/body_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/movement_classifier.h"

namespace dd::analysis {
namespace {

constexpr double kActivityScale = 0.06;
// Effort: sideways travel counts a sixth, a walk's limbs 0.35 (a walk is light work);
// kEffortScale puts the aerobics routine of the labelled clips near 85 (docs/analysis.md).
constexpr double kTravelWeight = 1.0 / 6;
constexpr double kEffortScale = 0.08;
constexpr double kWalkingLimbWeight = 0.35;
// Everything the body moves relative to its hips: limbs, shoulders and head.
constexpr std::array<int, 11> kEffortJoints = {pose::kNose,       pose::kLeftShoulder, pose::kRightShoulder,
                                               pose::kLeftElbow,  pose::kRightElbow,   pose::kLeftWrist,
                                               pose::kRightWrist, pose::kLeftKnee,     pose::kRightKnee,
                                               pose::kLeftAnkle,  pose::kRightAnkle};
constexpr double kMinAngleVisibility = 0.5;

const std::array<std::vector<int>, kBodyPartCount> kPartJoints = {{
    {pose::kNose, pose::kLeftEar, pose::kRightEar},
    {pose::kLeftShoulder, pose::kRightShoulder, pose::kLeftHip, pose::kRightHip},
    {pose::kLeftElbow, pose::kLeftWrist},
    {pose::kRightElbow, pose::kRightWrist},
    {pose::kLeftKnee, pose::kLeftAnkle},
    {pose::kRightKnee, pose::kRightAnkle},
}};

// (a, vertex, c) per entry of kJointAngleNames.
constexpr std::array<std::array<int, 3>, kJointAngleCount> kAngleJoints = {{
    {pose::kLeftShoulder, pose::kLeftElbow, pose::kLeftWrist},
    {pose::kRightShoulder, pose::kRightElbow, pose::kRightWrist},
    {pose::kLeftHip, pose::kLeftShoulder, pose::kLeftElbow},
    {pose::kRightHip, pose::kRightShoulder, pose::kRightElbow},
    {pose::kLeftShoulder, pose::kLeftHip, pose::kLeftKnee},
    {pose::kRightShoulder, pose::kRightHip, pose::kRightKnee},
    {pose::kLeftHip, pose::kLeftKnee, pose::kLeftAnkle},
    {pose::kRightHip, pose::kRightKnee, pose::kRightAnkle},
}};

// The floor keeps rounding noise of a still body from reading as asymmetry.
double pair_symmetry(double left, double right) {
  return 1 - std::abs(left - right) / (left + right + 0.1 * kStillVelocity);
}

}  // namespace

double activity_from_velocity(double velocity30) {
  if (!(velocity30 > 0)) return 0;
  const double x = velocity30 / kActivityScale;
  return 100 * (1 - std::exp(-x * x));
}

double intensity_from_effort(double effort30) {
  if (!(effort30 > 0)) return 0;
  const double x = effort30 / kEffortScale;
  return 100 * (1 - std::exp(-x * x));
}

std::vector<double> effort_velocity30(const Track& track, std::span<const MovementType> types) {
  std::vector<double> effort(track.size()), hip_vx(track.size());
  for (size_t k = 0; k < track.size(); ++k)
    hip_vx[k] = midpoint(track.velocity[k], pose::kLeftHip, pose::kRightHip).x;
  // Travel is the hips' sideways velocity averaged over 1 s; what is left is sway, a dancer's work.
  const std::vector<double> travel = moving_average(hip_vx, static_cast<size_t>(kGridRate_hz));
  for (size_t k = 0; k < track.size(); ++k) {
    const Vec2 hip = midpoint(track.velocity[k], pose::kLeftHip, pose::kRightHip);
    double sum = 0, weight = 0;
    for (int joint : kEffortJoints) {
      const auto j = static_cast<size_t>(joint);
      const double w = track.visibility[k][j];
      sum += w * std::hypot(track.velocity[k][j].x - hip.x, track.velocity[k][j].y - hip.y);
      weight += w;
    }
    const bool walking = k < types.size() && types[k] == MovementType::kWalking;
    const double limbs = (weight > 0 ? sum / weight : 0) * (walking ? kWalkingLimbWeight : 1);
    effort[k] =
        (limbs + std::abs(hip.y) + std::abs(hip.x - travel[k]) + kTravelWeight * std::abs(travel[k])) /
        kGridRate_hz;
  }
  return moving_average(effort, 9);
}

BodyMetrics compute_body_metrics(const Kinematics& kinematics,
                                 std::span<const std::vector<MovementType>> types) {
  BodyMetrics metrics;
  double sum = 0, effort_sq = 0;
  size_t count = 0;
  std::array<double, kBodyPartCount> part_sum{};
  std::array<double, kJointAngleCount> angle_sum{};
  std::array<size_t, kJointAngleCount> angle_count{};
  for (auto& stats : metrics.joint_angles) {
    stats.min_deg = std::numeric_limits<double>::max();
    stats.max_deg = std::numeric_limits<double>::lowest();
  }
  for (size_t t = 0; t < kinematics.tracks.size(); ++t) {
    const Track& track = kinematics.tracks[t];
    for (double v : moving_average(joint_speed(track, kKeyJoints), 9)) sum += v / kGridRate_hz;
    const std::span<const MovementType> track_types =
        t < types.size() ? std::span<const MovementType>(types[t]) : std::span<const MovementType>();
    for (double e : effort_velocity30(track, track_types)) effort_sq += e * e;
    count += track.size();
    for (size_t p = 0; p < kBodyPartCount; ++p) {
      for (double v : joint_speed(track, kPartJoints[p]))
        part_sum[p] += v * v / (kGridRate_hz * kGridRate_hz);
    }
    for (size_t k = 0; k < track.size(); ++k) {
      for (size_t a = 0; a < kJointAngleCount; ++a) {
        const auto& [i, j, l] = kAngleJoints[a];
        const auto& vis = track.visibility[k];
        if (std::min({vis[static_cast<size_t>(i)], vis[static_cast<size_t>(j)],
                      vis[static_cast<size_t>(l)]}) < kMinAngleVisibility) {
          continue;
        }
        const auto& p = track.position[k];
        const double deg =
            joint_angle_deg(p[static_cast<size_t>(i)], p[static_cast<size_t>(j)], p[static_cast<size_t>(l)]);
        auto& stats = metrics.joint_angles[a];
        stats.min_deg = std::min(stats.min_deg, deg);
        stats.max_deg = std::max(stats.max_deg, deg);
        angle_sum[a] += deg;
        ++angle_count[a];
      }
    }
  }
  for (size_t a = 0; a < kJointAngleCount; ++a) {
    auto& stats = metrics.joint_angles[a];
    if (angle_count[a] == 0) {
      stats = JointAngleStats{};
      continue;
    }
    stats.valid = true;
    stats.mean_deg = angle_sum[a] / static_cast<double>(angle_count[a]);
    stats.range_deg = stats.max_deg - stats.min_deg;
  }
  if (count == 0) return metrics;
  const double n = static_cast<double>(count);
  metrics.mean_velocity30 = sum / n;
  metrics.intensity = intensity_from_effort(std::sqrt(effort_sq / n));
  std::array<double, kBodyPartCount> part_velocity{};
  for (size_t p = 0; p < kBodyPartCount; ++p) {
    part_velocity[p] = std::sqrt(part_sum[p] / n);
    metrics.part_activity[p] = activity_from_velocity(part_velocity[p]);
  }
  const double arms = part_velocity[2] + part_velocity[3];
  const double legs = part_velocity[4] + part_velocity[5];
  if (arms + legs > 0.1 * kStillVelocity) {
    metrics.symmetry = 100 *
                       (arms * pair_symmetry(part_velocity[2], part_velocity[3]) +
                        legs * pair_symmetry(part_velocity[4], part_velocity[5])) /
                       (arms + legs);
  }
  return metrics;
}

}  // namespace dd::analysis
