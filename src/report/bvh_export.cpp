#include "report/bvh_export.h"

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

struct BodyPoint {
  int a;
  int b;  // == a for a single landmark
};
constexpr BodyPoint at(int landmark) {
  return {landmark, landmark};
}
constexpr BodyPoint kMidHip{kLeftHip, kRightHip};
constexpr BodyPoint kMidShoulder{kLeftShoulder, kRightShoulder};
constexpr BodyPoint kMidEar{kLeftEar, kRightEar};
constexpr BodyPoint kLeftHand{kLeftIndex, kLeftPinky};
constexpr BodyPoint kRightHand{kRightIndex, kRightPinky};

enum class RestDirection { kNone, kUp, kDown, kLeft, kRight, kForward };

// How a joint's rotation is solved:
//  kPelvis: X along the hip line (right to left), Y towards the shoulders.
//  kTrunk:  Y along mid-hip -> mid-shoulder, X towards the shoulder line.
//  kShoulderLine: X along the shoulder line, Y towards the trunk direction.
//  kHead:   Y along mid-shoulder -> mid-ear, X towards the ear line.
//  kAim:    the smallest turn from the parent that points the bone to `aim` (a limb).
enum class Solve { kPelvis, kTrunk, kShoulderLine, kHead, kAim };

struct JointDefinition {
  std::string_view name;
  int parent;          // index into kJoints, -1 for the root
  BodyPoint position;  // where the joint sits
  RestDirection rest;  // direction of the offset from the parent in the T-pose
  Solve solve;
  BodyPoint aim;           // kAim: the point the joint's bone points to
  RestDirection aim_rest;  // kAim: the bone's direction in the T-pose
  bool end_site;           // the bone ends in an End Site at `aim`
};

// Depth-first order; a parent always comes before its children.
constexpr std::array<JointDefinition, 16> kJoints = {{
    {"Hips", -1, kMidHip, RestDirection::kNone, Solve::kPelvis, kMidHip, RestDirection::kNone, false},
    {"Spine", 0, kMidHip, RestDirection::kNone, Solve::kTrunk, kMidHip, RestDirection::kNone, false},
    {"Neck", 1, kMidShoulder, RestDirection::kUp, Solve::kShoulderLine, kMidHip, RestDirection::kNone, false},
    {"Head", 2, kMidShoulder, RestDirection::kNone, Solve::kHead, kMidEar, RestDirection::kUp, true},
    {"LeftShoulder", 2, at(kLeftShoulder), RestDirection::kLeft, Solve::kAim, at(kLeftElbow),
     RestDirection::kLeft, false},
    {"LeftElbow", 4, at(kLeftElbow), RestDirection::kLeft, Solve::kAim, at(kLeftWrist), RestDirection::kLeft,
     false},
    {"LeftWrist", 5, at(kLeftWrist), RestDirection::kLeft, Solve::kAim, kLeftHand, RestDirection::kLeft,
     true},
    {"RightShoulder", 2, at(kRightShoulder), RestDirection::kRight, Solve::kAim, at(kRightElbow),
     RestDirection::kRight, false},
    {"RightElbow", 7, at(kRightElbow), RestDirection::kRight, Solve::kAim, at(kRightWrist),
     RestDirection::kRight, false},
    {"RightWrist", 8, at(kRightWrist), RestDirection::kRight, Solve::kAim, kRightHand, RestDirection::kRight,
     true},
    {"LeftHip", 0, at(kLeftHip), RestDirection::kLeft, Solve::kAim, at(kLeftKnee), RestDirection::kDown,
     false},
    {"LeftKnee", 10, at(kLeftKnee), RestDirection::kDown, Solve::kAim, at(kLeftAnkle), RestDirection::kDown,
     false},
    {"LeftAnkle", 11, at(kLeftAnkle), RestDirection::kDown, Solve::kAim, at(kLeftFootIndex),
     RestDirection::kForward, true},
    {"RightHip", 0, at(kRightHip), RestDirection::kRight, Solve::kAim, at(kRightKnee), RestDirection::kDown,
     false},
    {"RightKnee", 13, at(kRightKnee), RestDirection::kDown, Solve::kAim, at(kRightAnkle),
     RestDirection::kDown, false},
    {"RightAnkle", 14, at(kRightAnkle), RestDirection::kDown, Solve::kAim, at(kRightFootIndex),
     RestDirection::kForward, true},
}};
constexpr size_t kJointCount = kJoints.size();

Vec3 unit_vector(RestDirection direction) {
  switch (direction) {
    case RestDirection::kNone: return {};
    case RestDirection::kUp: return {0, 1, 0};
    case RestDirection::kDown: return {0, -1, 0};
    case RestDirection::kLeft: return {1, 0, 0};
    case RestDirection::kRight: return {-1, 0, 0};
    case RestDirection::kForward: return {0, 0, 1};
  }
  return {};
}

// Row-major 3x3 rotation; columns are the rotated frame's axes.
struct Mat3 {
  std::array<double, 9> m{1, 0, 0, 0, 1, 0, 0, 0, 1};
  double operator()(int row, int col) const { return m[static_cast<size_t>(row * 3 + col)]; }
  double& operator()(int row, int col) { return m[static_cast<size_t>(row * 3 + col)]; }
};

Mat3 multiply(const Mat3& a, const Mat3& b) {
  Mat3 c;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c(i, j) = a(i, 0) * b(0, j) + a(i, 1) * b(1, j) + a(i, 2) * b(2, j);
  return c;
}

Mat3 transpose(const Mat3& a) {
  Mat3 t;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) t(i, j) = a(j, i);
  return t;
}

Vec3 apply(const Mat3& a, Vec3 v) {
  return {a(0, 0) * v.x + a(0, 1) * v.y + a(0, 2) * v.z, a(1, 0) * v.x + a(1, 1) * v.y + a(1, 2) * v.z,
          a(2, 0) * v.x + a(2, 1) * v.y + a(2, 2) * v.z};
}

Mat3 from_columns(Vec3 x, Vec3 y, Vec3 z) {
  Mat3 r;
  r.m = {x.x, y.x, z.x, x.y, y.y, z.y, x.z, y.z, z.z};
  return r;
}

// The frame whose `exact` axis (X or Y) is along `exact_direction` and whose other axis lies
// in the plane of `hint`; nullopt when the two are (nearly) parallel or zero.
std::optional<Mat3> frame_from(Vec3 exact_direction, Vec3 hint, bool exact_is_x) {
  const Vec3 e = normalized(exact_direction);
  const Vec3 h = hint - dot(hint, e) * e;
  constexpr double kMinLength = 1e-6;
  if (norm(e) < 0.5 || norm(h) < kMinLength) return std::nullopt;
  const Vec3 other = normalized(h);
  if (exact_is_x) return from_columns(e, other, cross(e, other));
  return from_columns(other, e, cross(other, e));
}

// The smallest rotation turning unit vector a onto unit vector b (Rodrigues).
Mat3 swing(Vec3 a, Vec3 b) {
  const Vec3 axis = cross(a, b);
  const double sin_angle = norm(axis);
  const double cos_angle = std::clamp(dot(a, b), -1.0, 1.0);
  Vec3 k;
  if (sin_angle > 1e-9) {
    k = (1.0 / sin_angle) * axis;
  } else if (cos_angle > 0) {
    return Mat3{};
  } else {
    // Opposite directions: half a turn about any axis perpendicular to a.
    k = normalized(std::abs(a.x) < 0.9 ? cross(a, Vec3{1, 0, 0}) : cross(a, Vec3{0, 1, 0}));
  }
  const double angle = std::atan2(sin_angle, cos_angle);
  const double c = std::cos(angle), s = std::sin(angle), t = 1 - c;
  Mat3 r;
  r.m = {t * k.x * k.x + c,       t * k.x * k.y - s * k.z, t * k.x * k.z + s * k.y,
         t * k.x * k.y + s * k.z, t * k.y * k.y + c,       t * k.y * k.z - s * k.x,
         t * k.x * k.z - s * k.y, t * k.y * k.z + s * k.x, t * k.z * k.z + c};
  return r;
}

// Z X Y Euler angles in degrees of R = Rz(a) Rx(b) Ry(c): R(2,1) = sin b,
// R(0,1) = -sin a cos b, R(1,1) = cos a cos b, R(2,0) = -cos b sin c, R(2,2) = cos b cos c.
Vec3 euler_zxy_deg(const Mat3& r) {
  constexpr double kDeg = 180.0 / std::numbers::pi;
  const double b = std::asin(std::clamp(r(2, 1), -1.0, 1.0));
  double a = 0, c = 0;
  if (std::abs(r(2, 1)) < 1 - 1e-9) {
    a = std::atan2(-r(0, 1), r(1, 1));
    c = std::atan2(-r(2, 0), r(2, 2));
  } else {
    // Gimbal lock (b = +-90 degrees): only a + c or a - c is defined; put it all in a.
    a = std::atan2(r(1, 0), r(0, 0));
  }
  return {a * kDeg, b * kDeg, c * kDeg};  // {Z, X, Y}
}

// Adds whole turns to `angle` to bring it within half a turn of `previous`, so the curves
// Blender interpolates do not jump by 360 degrees.
double unwrap_deg(double angle, double previous) {
  return angle + 360.0 * std::round((previous - angle) / 360.0);
}

std::optional<Vec3> point_of(const MotionSample& sample, BodyPoint point) {
  if (!sample.has(point.a) || !sample.has(point.b)) return std::nullopt;
  return 0.5 * (sample.at(point.a) + sample.at(point.b));
}

std::optional<double> distance(const MotionSample& sample, BodyPoint from, BodyPoint to) {
  const auto p = point_of(sample, from);
  const auto q = point_of(sample, to);
  if (!p || !q) return std::nullopt;
  return norm(*q - *p);
}

// The median over the samples where both points are known; nullopt when none.
std::optional<double> median_distance(const MotionTrack& track, BodyPoint from, BodyPoint to) {
  std::vector<double> lengths;
  for (const auto& sample : track.samples)
    if (auto d = distance(sample, from, to)) lengths.push_back(*d);
  if (lengths.empty()) return std::nullopt;
  const auto middle = lengths.begin() + static_cast<std::ptrdiff_t>(lengths.size() / 2);
  std::nth_element(lengths.begin(), middle, lengths.end());
  return *middle;
}

struct Skeleton {
  std::array<Vec3, kJointCount> offsets{};  // from the parent, in the parent's rest frame
  std::array<Vec3, kJointCount> end_sites{};
};

Result<Skeleton> measure_skeleton(const MotionTrack& track) {
  Skeleton skeleton;
  for (size_t j = 0; j < kJointCount; ++j) {
    const auto& joint = kJoints[j];
    if (joint.rest != RestDirection::kNone) {
      const auto length =
          median_distance(track, kJoints[static_cast<size_t>(joint.parent)].position, joint.position);
      if (!length) {
        return make_error(
            ErrorCode::kFailedPrecondition,
            "export: no pose with a whole skeleton in the video: nothing to write to skeleton.bvh");
      }
      skeleton.offsets[j] = *length * unit_vector(joint.rest);
    }
    if (joint.end_site) {
      const auto length = median_distance(track, joint.position, joint.aim);
      if (!length) {
        return make_error(
            ErrorCode::kFailedPrecondition,
            "export: no pose with a whole skeleton in the video: nothing to write to skeleton.bvh");
      }
      skeleton.end_sites[j] = *length * unit_vector(joint.aim_rest);
    }
  }
  return skeleton;
}

// World rotations of every joint in one sample; nullopt for joints whose points are missing
// or degenerate (and for their children, which need the parent's rotation).
std::array<std::optional<Mat3>, kJointCount> solve_world_rotations(const MotionSample& sample) {
  std::array<std::optional<Mat3>, kJointCount> world{};
  const auto point = [&sample](BodyPoint p) { return point_of(sample, p); };
  const auto left_hip = point(at(kLeftHip)), right_hip = point(at(kRightHip));
  const auto left_shoulder = point(at(kLeftShoulder)), right_shoulder = point(at(kRightShoulder));
  const auto mid_hip = point(kMidHip), mid_shoulder = point(kMidShoulder);
  const auto left_ear = point(at(kLeftEar)), right_ear = point(at(kRightEar)), mid_ear = point(kMidEar);
  const bool trunk_known = mid_hip && mid_shoulder && left_shoulder && right_shoulder;
  for (size_t j = 0; j < kJointCount; ++j) {
    const auto& joint = kJoints[j];
    const std::optional<Mat3> parent =
        joint.parent < 0 ? std::optional<Mat3>(Mat3{}) : world[static_cast<size_t>(joint.parent)];
    if (!parent) continue;
    switch (joint.solve) {
      case Solve::kPelvis:
        if (left_hip && right_hip && trunk_known)
          world[j] = frame_from(*left_hip - *right_hip, *mid_shoulder - *mid_hip, /*exact_is_x=*/true);
        break;
      case Solve::kTrunk:
        if (trunk_known)
          world[j] =
              frame_from(*mid_shoulder - *mid_hip, *left_shoulder - *right_shoulder, /*exact_is_x=*/false);
        break;
      case Solve::kShoulderLine:
        if (trunk_known)
          world[j] =
              frame_from(*left_shoulder - *right_shoulder, *mid_shoulder - *mid_hip, /*exact_is_x=*/true);
        break;
      case Solve::kHead:
        if (mid_shoulder && mid_ear && left_ear && right_ear)
          world[j] = frame_from(*mid_ear - *mid_shoulder, *left_ear - *right_ear, /*exact_is_x=*/false);
        break;
      case Solve::kAim: {
        const auto from = point(joint.position);
        const auto to = point(joint.aim);
        if (!from || !to || !(norm(*to - *from) > 0)) break;
        const Vec3 local_target = apply(transpose(*parent), normalized(*to - *from));
        world[j] = multiply(*parent, swing(unit_vector(joint.aim_rest), local_target));
        break;
      }
    }
  }
  return world;
}

void write_hierarchy(const Skeleton& skeleton, std::ostream& out) {
  char text[160];
  out << "HIERARCHY\n";
  std::vector<int> open;  // joints whose braces are still open
  const auto indent = [](size_t depth) { return std::string(depth * 2, ' '); };
  for (size_t j = 0; j < kJointCount; ++j) {
    const auto& joint = kJoints[j];
    while (!open.empty() && open.back() != joint.parent) {
      open.pop_back();
      out << indent(open.size()) << "}\n";
    }
    const std::string pad = indent(open.size());
    out << pad << (joint.parent < 0 ? "ROOT " : "JOINT ") << joint.name << '\n' << pad << "{\n";
    const Vec3& o = skeleton.offsets[j];
    std::snprintf(text, sizeof text, "%s  OFFSET %.6f %.6f %.6f\n", pad.c_str(), o.x, o.y, o.z);
    out << text;
    out << pad
        << (joint.parent < 0 ? "  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n"
                             : "  CHANNELS 3 Zrotation Xrotation Yrotation\n");
    if (joint.end_site) {
      const Vec3& e = skeleton.end_sites[j];
      std::snprintf(text, sizeof text, "%s  End Site\n%s  {\n%s    OFFSET %.6f %.6f %.6f\n%s  }\n",
                    pad.c_str(), pad.c_str(), pad.c_str(), e.x, e.y, e.z, pad.c_str());
      out << text;
    }
    open.push_back(static_cast<int>(j));
  }
  while (!open.empty()) {
    open.pop_back();
    out << indent(open.size()) << "}\n";
  }
}

}  // namespace

std::vector<std::string_view> bvh_joint_names() {
  std::vector<std::string_view> names;
  for (const auto& joint : kJoints) names.push_back(joint.name);
  return names;
}

Status write_bvh(const MotionTrack& track, std::ostream& out) {
  auto skeleton = measure_skeleton(track);
  if (!skeleton) return skeleton.error();

  // Solve every sample; a joint that cannot be solved keeps its last solved local rotation,
  // and samples before the first solved one take the first.
  const size_t sample_count = track.samples.size();
  std::vector<std::array<std::optional<Mat3>, kJointCount>> local(sample_count);
  std::vector<std::optional<Vec3>> root(sample_count);
  for (size_t k = 0; k < sample_count; ++k) {
    const auto world = solve_world_rotations(track.samples[k]);
    for (size_t j = 0; j < kJointCount; ++j) {
      if (!world[j]) continue;
      const int parent = kJoints[j].parent;
      if (parent < 0) {
        local[k][j] = world[j];
      } else if (world[static_cast<size_t>(parent)]) {
        local[k][j] = multiply(transpose(*world[static_cast<size_t>(parent)]), *world[j]);
      }
    }
    root[k] = point_of(track.samples[k], kMidHip);
  }
  const auto hold = [sample_count](auto& values) {
    for (size_t k = 1; k < sample_count; ++k)
      if (!values[k]) values[k] = values[k - 1];
    for (size_t k = sample_count; k-- > 1;)
      if (!values[k - 1]) values[k - 1] = values[k];
  };
  hold(root);
  for (size_t j = 0; j < kJointCount; ++j) {
    std::vector<std::optional<Mat3>> joint_rotations(sample_count);
    for (size_t k = 0; k < sample_count; ++k) joint_rotations[k] = local[k][j];
    hold(joint_rotations);
    for (size_t k = 0; k < sample_count; ++k) local[k][j] = joint_rotations[k];
  }

  write_hierarchy(*skeleton, out);
  char text[64];
  out << "MOTION\nFrames: " << sample_count << '\n';
  std::snprintf(text, sizeof text, "Frame Time: %.8f\n", track.rate_hz > 0 ? 1.0 / track.rate_hz : 0.0);
  out << text;
  std::array<Vec3, kJointCount> previous{};
  std::string line;
  for (size_t k = 0; k < sample_count; ++k) {
    const Vec3 position = root[k].value_or(Vec3{});
    std::snprintf(text, sizeof text, "%.6f %.6f %.6f", position.x, position.y, position.z);
    line = text;
    for (size_t j = 0; j < kJointCount; ++j) {
      Vec3 angles = euler_zxy_deg(local[k][j].value_or(Mat3{}));
      if (k > 0) {
        angles = {unwrap_deg(angles.x, previous[j].x), unwrap_deg(angles.y, previous[j].y),
                  unwrap_deg(angles.z, previous[j].z)};
      }
      previous[j] = angles;
      std::snprintf(text, sizeof text, " %.5f %.5f %.5f", angles.x, angles.y, angles.z);
      line += text;
    }
    out << line << '\n';
  }
  if (!out) return make_error(ErrorCode::kUnavailable, "report: skeleton.bvh write failed");
  return ok_status();
}

}  // namespace dd::report
