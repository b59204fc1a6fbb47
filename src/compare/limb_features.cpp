#include "compare/limb_features.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dd::compare {
namespace {

using namespace pose;

// A segment end is one landmark or the midpoint of two.
struct End {
  int a, b;
};
struct Segment {
  End from, to;
};

constexpr End kMidShoulder{kLeftShoulder, kRightShoulder};
constexpr End kMidHip{kLeftHip, kRightHip};
constexpr End one(int i) {
  return End{i, i};
}

constexpr std::array<Segment, kSegmentCount> kSegments = {{
    {kMidShoulder, one(kNose)},                 // head: tilt and nod
    {one(kLeftEar), one(kRightEar)},            // head: turn and roll
    {kMidHip, kMidShoulder},                    // torso: lean
    {one(kLeftShoulder), one(kRightShoulder)},  // torso: shoulder line
    {one(kLeftHip), one(kRightHip)},            // torso: hip line
    {one(kLeftShoulder), one(kLeftElbow)},      // left arm
    {one(kLeftElbow), one(kLeftWrist)},
    {one(kRightShoulder), one(kRightElbow)},  // right arm
    {one(kRightElbow), one(kRightWrist)},
    {one(kLeftHip), one(kLeftKnee)},  // left leg
    {one(kLeftKnee), one(kLeftAnkle)},
    {one(kLeftAnkle), one(kLeftFootIndex)},
    {one(kRightHip), one(kRightKnee)},  // right leg
    {one(kRightKnee), one(kRightAnkle)},
    {one(kRightAnkle), one(kRightFootIndex)},
}};

// BlazePose pairs left/right from index 1 on: the eye/ear/mouth pairs below 11, then odd = left.
int mirror_index(int i) {
  if (i == kNose) return i;
  if (i <= kRightEyeOuter) return i <= kLeftEyeOuter ? i + 3 : i - 3;
  return (i % 2 == 1) ? i + 1 : i - 1;
}

}  // namespace

const std::array<size_t, kSegmentCount> kSegmentPart = {0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5};

LimbFeatures limb_features(const PoseFrame& frame, int width, int height, bool mirror) {
  LimbFeatures features;
  if (!frame.detected) return features;
  features.valid = true;
  // Without a frame size the aspect is unknown; square pixels of a unit frame keep directions usable.
  const float w = width > 0 ? static_cast<float>(width) : 1.0f;
  const float h = height > 0 ? static_cast<float>(height) : 1.0f;
  auto landmark = [&](int i) -> const Landmark& {
    return frame.landmarks[static_cast<size_t>(mirror ? mirror_index(i) : i)];
  };
  auto point = [&](End e, float* x, float* y, float* visibility) {
    const Landmark& a = landmark(e.a);
    const Landmark& b = landmark(e.b);
    *x = 0.5f * (a.x + b.x) * w;
    *y = 0.5f * (a.y + b.y) * h;
    *visibility = std::min(a.visibility, b.visibility);
  };
  for (size_t s = 0; s < kSegmentCount; ++s) {
    float x0, y0, v0, x1, y1, v1;
    point(kSegments[s].from, &x0, &y0, &v0);
    point(kSegments[s].to, &x1, &y1, &v1);
    float dx = x1 - x0;
    const float dy = y1 - y0;
    if (mirror) dx = -dx;
    const float length = std::hypot(dx, dy);
    const float visibility = std::clamp(std::min(v0, v1), 0.0f, 1.0f);
    if (!(length > 1e-6f) || !std::isfinite(length)) continue;  // degenerate: weight stays 0
    features.dx[s] = dx / length;
    features.dy[s] = dy / length;
    features.weight[s] = visibility;
  }
  return features;
}

PartDeviation part_deviation(const LimbFeatures& reference, const LimbFeatures& student) {
  PartDeviation result;
  if (!reference.valid || !student.valid) return result;
  for (size_t s = 0; s < kSegmentCount; ++s) {
    const double weight = double(reference.weight[s]) * double(student.weight[s]);
    if (weight <= 0) continue;
    const double dot = double(reference.dx[s]) * student.dx[s] + double(reference.dy[s]) * student.dy[s];
    const double angle_deg = std::acos(std::clamp(dot, -1.0, 1.0)) * 180.0 / std::numbers::pi;
    result.angle_deg[kSegmentPart[s]] += weight * angle_deg;
    result.weight[kSegmentPart[s]] += weight;
  }
  for (size_t p = 0; p < analysis::kBodyPartCount; ++p)
    if (result.weight[p] > 0) result.angle_deg[p] /= result.weight[p];
  return result;
}

SegmentLine segment_line(const PoseFrame& frame, size_t segment) {
  auto mid = [&](End e, float* x, float* y) {
    const Landmark& a = frame.landmarks[static_cast<size_t>(e.a)];
    const Landmark& b = frame.landmarks[static_cast<size_t>(e.b)];
    *x = 0.5f * (a.x + b.x);
    *y = 0.5f * (a.y + b.y);
    return std::min(a.visibility, b.visibility);
  };
  SegmentLine line;
  const Segment& s = kSegments[segment];
  const float v0 = mid(s.from, &line.x0, &line.y0);
  const float v1 = mid(s.to, &line.x1, &line.y1);
  line.visibility = std::min(v0, v1);
  return line;
}

size_t mirrored_part(size_t part) {
  if (part < 2) return part;
  return (part % 2 == 0) ? part + 1 : part - 1;
}

}  // namespace dd::compare
