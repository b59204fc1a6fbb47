#include "analysis/body_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/movement_classifier.h"

namespace dd::analysis {
namespace {

constexpr double kActivityScale = 0.06;
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

BodyMetrics compute_body_metrics(const Kinematics& kinematics) {
  BodyMetrics metrics;
  double sum = 0, sum_sq = 0;
  size_t count = 0;
  std::array<double, kBodyPartCount> part_sum{};
  std::array<double, kJointAngleCount> angle_sum{};
  std::array<size_t, kJointAngleCount> angle_count{};
  for (auto& stats : metrics.joint_angles) {
    stats.min_deg = std::numeric_limits<double>::max();
    stats.max_deg = std::numeric_limits<double>::lowest();
  }
  for (const Track& track : kinematics.tracks) {
    const std::vector<double> body = moving_average(joint_speed(track, kKeyJoints), 9);
    for (double v : body) {
      const double v30 = v / kGridRate_hz;
      sum += v30;
      sum_sq += v30 * v30;
    }
    count += body.size();
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
  metrics.intensity = activity_from_velocity(std::sqrt(sum_sq / n));
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
