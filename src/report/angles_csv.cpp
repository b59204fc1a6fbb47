#include "report/angles_csv.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <optional>
#include <string>

namespace dd::report {
namespace {

using namespace pose;

// A body point: one landmark, or the midpoint of two.
struct BodyPoint {
  int a;
  int b;
};
constexpr BodyPoint at(int landmark) {
  return {landmark, landmark};
}
constexpr BodyPoint kMidHip{kLeftHip, kRightHip};
constexpr BodyPoint kMidShoulder{kLeftShoulder, kRightShoulder};

enum class AngleKind {
  kJoint,      // the angle at `middle` between the segments to `first` and `last`, 0..180
  kTrunkLean,  // the angle between first->middle and straight up, 0..180
  kElevation,  // the angle of first->middle above the horizontal plane, -90..90
};

struct AngleDefinition {
  std::string_view name;
  AngleKind kind;
  BodyPoint first;
  BodyPoint middle;
  BodyPoint last;
};

constexpr std::array<AngleDefinition, 22> kAngles = {{
    {"left_elbow", AngleKind::kJoint, at(kLeftShoulder), at(kLeftElbow), at(kLeftWrist)},
    {"right_elbow", AngleKind::kJoint, at(kRightShoulder), at(kRightElbow), at(kRightWrist)},
    {"left_shoulder", AngleKind::kJoint, at(kLeftHip), at(kLeftShoulder), at(kLeftElbow)},
    {"right_shoulder", AngleKind::kJoint, at(kRightHip), at(kRightShoulder), at(kRightElbow)},
    {"left_hip", AngleKind::kJoint, at(kLeftShoulder), at(kLeftHip), at(kLeftKnee)},
    {"right_hip", AngleKind::kJoint, at(kRightShoulder), at(kRightHip), at(kRightKnee)},
    {"left_knee", AngleKind::kJoint, at(kLeftHip), at(kLeftKnee), at(kLeftAnkle)},
    {"right_knee", AngleKind::kJoint, at(kRightHip), at(kRightKnee), at(kRightAnkle)},
    {"left_ankle", AngleKind::kJoint, at(kLeftKnee), at(kLeftAnkle), at(kLeftFootIndex)},
    {"right_ankle", AngleKind::kJoint, at(kRightKnee), at(kRightAnkle), at(kRightFootIndex)},
    {"trunk_lean", AngleKind::kTrunkLean, kMidHip, kMidShoulder, kMidShoulder},
    {"trunk_elevation", AngleKind::kElevation, kMidHip, kMidShoulder, kMidShoulder},
    {"left_upper_arm_elevation", AngleKind::kElevation, at(kLeftShoulder), at(kLeftElbow), at(kLeftElbow)},
    {"right_upper_arm_elevation", AngleKind::kElevation, at(kRightShoulder), at(kRightElbow),
     at(kRightElbow)},
    {"left_forearm_elevation", AngleKind::kElevation, at(kLeftElbow), at(kLeftWrist), at(kLeftWrist)},
    {"right_forearm_elevation", AngleKind::kElevation, at(kRightElbow), at(kRightWrist), at(kRightWrist)},
    {"left_thigh_elevation", AngleKind::kElevation, at(kLeftHip), at(kLeftKnee), at(kLeftKnee)},
    {"right_thigh_elevation", AngleKind::kElevation, at(kRightHip), at(kRightKnee), at(kRightKnee)},
    {"left_shank_elevation", AngleKind::kElevation, at(kLeftKnee), at(kLeftAnkle), at(kLeftAnkle)},
    {"right_shank_elevation", AngleKind::kElevation, at(kRightKnee), at(kRightAnkle), at(kRightAnkle)},
    {"left_foot_elevation", AngleKind::kElevation, at(kLeftHeel), at(kLeftFootIndex), at(kLeftFootIndex)},
    {"right_foot_elevation", AngleKind::kElevation, at(kRightHeel), at(kRightFootIndex), at(kRightFootIndex)},
}};

constexpr double kDegreesPerRadian = 180.0 / std::numbers::pi;

std::optional<Vec3> point_of(const MotionSample& sample, BodyPoint point) {
  if (!sample.has(point.a) || !sample.has(point.b)) return std::nullopt;
  return 0.5 * (sample.at(point.a) + sample.at(point.b));
}

bool uses_filled(const MotionSample& sample, BodyPoint point) {
  return sample.states[static_cast<size_t>(point.a)] == SampleState::kFilled ||
         sample.states[static_cast<size_t>(point.b)] == SampleState::kFilled;
}

// Angle between two vectors in degrees; nullopt when either has no length.
std::optional<double> angle_between_deg(Vec3 u, Vec3 v) {
  const double lengths = norm(u) * norm(v);
  if (!(lengths > 0)) return std::nullopt;
  return std::acos(std::clamp(dot(u, v) / lengths, -1.0, 1.0)) * kDegreesPerRadian;
}

std::optional<double> angle_deg(const MotionSample& sample, const AngleDefinition& angle) {
  const auto first = point_of(sample, angle.first);
  const auto middle = point_of(sample, angle.middle);
  const auto last = point_of(sample, angle.last);
  if (!first || !middle || !last) return std::nullopt;
  switch (angle.kind) {
    case AngleKind::kJoint: return angle_between_deg(*first - *middle, *last - *middle);
    case AngleKind::kTrunkLean: return angle_between_deg(*middle - *first, Vec3{0, 1, 0});
    case AngleKind::kElevation: {
      const Vec3 segment = *middle - *first;
      const double length = norm(segment);
      if (!(length > 0)) return std::nullopt;
      return std::asin(std::clamp(segment.y / length, -1.0, 1.0)) * kDegreesPerRadian;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string_view> angle_column_names() {
  std::vector<std::string_view> names;
  for (const auto& angle : kAngles) names.push_back(angle.name);
  return names;
}

Status write_angles_csv(const MotionTrack& track, std::ostream& out) {
  out << "frame,time,filled";
  for (const auto& angle : kAngles) out << ',' << angle.name;
  out << '\n';
  std::string line;
  char number[32];
  for (size_t k = 0; k < track.samples.size(); ++k) {
    const auto& sample = track.samples[k];
    bool filled = false;
    line = std::to_string(k);
    std::snprintf(number, sizeof number, ",%.4f,", sample.time_s);
    line += number;
    std::string values;
    for (const auto& angle : kAngles) {
      values += ',';
      const auto degrees = angle_deg(sample, angle);
      if (!degrees) continue;
      filled = filled || uses_filled(sample, angle.first) || uses_filled(sample, angle.middle) ||
               uses_filled(sample, angle.last);
      std::snprintf(number, sizeof number, "%.3f", *degrees);
      values += number;
    }
    line += filled ? '1' : '0';
    line += values;
    line += '\n';
    out << line;
  }
  if (!out) return make_error(ErrorCode::kUnavailable, "report: angles.csv write failed");
  return ok_status();
}

}  // namespace dd::report
