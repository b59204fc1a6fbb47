#include "analysis/movement_classifier.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dd::analysis {
namespace {

constexpr double kFlightLift_scales = 0.35;
constexpr double kMinGaitAlternation = 0.35;
constexpr double kCrouchHeightShare = 0.75;
constexpr double kBentCrouchHeightShare = 0.9;
constexpr double kBentKnee_deg = 120;
constexpr double kMinLegVisibility = 0.3;

size_t samples(double seconds) {
  return static_cast<size_t>(std::lround(seconds * kGridRate_hz));
}

std::vector<double> sliding_max(const std::vector<double>& v, size_t half) {
  std::vector<double> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const size_t lo = i >= half ? i - half : 0;
    const size_t hi = std::min(v.size(), i + half + 1);
    out[i] = *std::max_element(v.begin() + static_cast<std::ptrdiff_t>(lo),
                               v.begin() + static_cast<std::ptrdiff_t>(hi));
  }
  return out;
}

std::vector<MovementType> majority_filter(const std::vector<MovementType>& labels, size_t half) {
  std::vector<MovementType> out(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    std::array<int, kMovementTypeCount> counts{};
    const size_t lo = i >= half ? i - half : 0;
    const size_t hi = std::min(labels.size(), i + half + 1);
    for (size_t j = lo; j < hi; ++j) ++counts[static_cast<size_t>(labels[j])];
    // Ties keep the sample's own label.
    size_t best = static_cast<size_t>(labels[i]);
    for (size_t t = 0; t < counts.size(); ++t) {
      if (counts[t] > counts[best]) best = t;
    }
    out[i] = static_cast<MovementType>(best);
  }
  return out;
}

struct Run {
  size_t begin;
  size_t end;
  MovementType type;
};

std::vector<Run> runs_of(const std::vector<MovementType>& labels) {
  std::vector<Run> runs;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (runs.empty() || runs.back().type != labels[i]) {
      runs.push_back({i, i + 1, labels[i]});
    } else {
      runs.back().end = i + 1;
    }
  }
  return runs;
}

// Repeatedly gives the shortest too-short run to its longer neighbour.
void merge_short_runs(std::vector<MovementType>& labels, size_t min_length) {
  std::vector<Run> runs = runs_of(labels);
  while (runs.size() > 1) {
    size_t shortest = 0;
    for (size_t r = 1; r < runs.size(); ++r) {
      if (runs[r].end - runs[r].begin < runs[shortest].end - runs[shortest].begin) shortest = r;
    }
    if (runs[shortest].end - runs[shortest].begin >= min_length) break;
    size_t into;
    if (shortest == 0) {
      into = 1;
    } else if (shortest + 1 == runs.size()) {
      into = shortest - 1;
    } else {
      const size_t left = runs[shortest - 1].end - runs[shortest - 1].begin;
      const size_t right = runs[shortest + 1].end - runs[shortest + 1].begin;
      into = left >= right ? shortest - 1 : shortest + 1;
    }
    runs[shortest].type = runs[into].type;
    // Re-join equal neighbours.
    std::vector<Run> joined;
    for (const Run& run : runs) {
      if (!joined.empty() && joined.back().type == run.type) {
        joined.back().end = run.end;
      } else {
        joined.push_back(run);
      }
    }
    runs = std::move(joined);
  }
  for (const Run& run : runs)
    std::fill(labels.begin() + static_cast<std::ptrdiff_t>(run.begin),
              labels.begin() + static_cast<std::ptrdiff_t>(run.end), run.type);
}

}  // namespace

const char* movement_type_name(MovementType type) {
  switch (type) {
    case MovementType::kStanding: return "Standing";
    case MovementType::kWalking: return "Walking";
    case MovementType::kDancing: return "Dancing";
    case MovementType::kJumping: return "Jumping";
    case MovementType::kCrouching: return "Crouching";
  }
  return "Standing";
}

double joint_angle_deg(Vec2 a, Vec2 b, Vec2 c) {
  const double ux = a.x - b.x, uy = a.y - b.y, vx = c.x - b.x, vy = c.y - b.y;
  const double nu = std::hypot(ux, uy), nv = std::hypot(vx, vy);
  if (nu <= 1e-9 || nv <= 1e-9) return 180;
  const double cosine = std::clamp((ux * vx + uy * vy) / (nu * nv), -1.0, 1.0);
  return std::acos(cosine) * 180 / std::numbers::pi;
}

TrackLabels classify_track(const Track& track) {
  const size_t n = track.size();
  TrackLabels labels;
  const std::vector<double> body = moving_average(joint_speed(track, kKeyJoints), samples(0.3));
  labels.velocity30.resize(n);
  for (size_t k = 0; k < n; ++k) labels.velocity30[k] = body[k] / kGridRate_hz;

  std::vector<double> hip_vx(n), hip_vy_abs(n), hip_y(n), lower_ankle_y(n), leg_height(n), knee_deg(n);
  std::vector<double> ankle_diff(n), ankle_sum(n);
  std::vector<bool> legs_visible(n);
  for (size_t k = 0; k < n; ++k) {
    const LandmarkVec& p = track.position[k];
    const LandmarkVec& v = track.velocity[k];
    const Vec2 hip = midpoint(p, pose::kLeftHip, pose::kRightHip);
    const Vec2 hip_v = midpoint(v, pose::kLeftHip, pose::kRightHip);
    hip_vx[k] = hip_v.x;
    hip_vy_abs[k] = std::abs(hip_v.y);
    hip_y[k] = hip.y;
    const Vec2 la = p[pose::kLeftAnkle], ra = p[pose::kRightAnkle];
    lower_ankle_y[k] = std::max(la.y, ra.y);
    leg_height[k] = (la.y + ra.y) / 2 - hip.y;
    knee_deg[k] = std::min(joint_angle_deg(p[pose::kLeftHip], p[pose::kLeftKnee], la),
                           joint_angle_deg(p[pose::kRightHip], p[pose::kRightKnee], ra));
    const double sl = std::hypot(v[pose::kLeftAnkle].x, v[pose::kLeftAnkle].y);
    const double sr = std::hypot(v[pose::kRightAnkle].x, v[pose::kRightAnkle].y);
    ankle_diff[k] = std::abs(sl - sr);
    ankle_sum[k] = sl + sr;
    double leg_vis = 1;
    for (int j = pose::kLeftHip; j <= pose::kRightAnkle; ++j)
      leg_vis = std::min(leg_vis, track.visibility[k][static_cast<size_t>(j)]);
    legs_visible[k] = leg_vis >= kMinLegVisibility;
  }

  const std::vector<double> travel = moving_average(hip_vx, samples(0.5));
  const std::vector<double> diff_avg = moving_average(ankle_diff, samples(1.2));
  const std::vector<double> sum_avg = moving_average(ankle_sum, samples(1.2));
  const std::vector<double> ground_y = sliding_max(lower_ankle_y, samples(1.0));
  const std::vector<double> hip_base_y = sliding_max(hip_y, samples(1.0));
  const std::vector<double> takeoff = sliding_max(hip_vy_abs, samples(0.3));
  const std::vector<double> height_avg = moving_average(leg_height, samples(0.3));
  const std::vector<double> knee_avg = moving_average(knee_deg, samples(0.3));
  // The person's own upright leg height: torso proportions differ between people and views.
  std::vector<double> upright;
  for (size_t k = 0; k < n; ++k) {
    if (legs_visible[k]) upright.push_back(height_avg[k]);
  }
  double upright_height = 0;
  if (!upright.empty()) {
    const auto at =
        upright.begin() + static_cast<std::ptrdiff_t>(0.9 * static_cast<double>(upright.size() - 1));
    std::nth_element(upright.begin(), at, upright.end());
    upright_height = *at;
  }
  const std::vector<double> limb = moving_average(joint_speed(track, kLimbJoints), samples(0.3));
  const std::vector<double> limb_active = sliding_max(limb, samples(0.75));

  std::vector<bool> flight(n);
  for (size_t k = 0; k < n; ++k) {
    flight[k] = legs_visible[k] && ground_y[k] - lower_ankle_y[k] >= kFlightLift_scales &&
                hip_base_y[k] - hip_y[k] >= kFlightLift_scales &&
                takeoff[k] >= kTakeoffVelocity * kGridRate_hz;
  }
  const size_t widen = samples(0.15);
  std::vector<MovementType> raw(n);
  for (size_t k = 0; k < n; ++k) {
    bool jumping = false;
    for (size_t j = k >= widen ? k - widen : 0; j < std::min(n, k + widen + 1) && !jumping; ++j)
      jumping = flight[j];
    const double travel_speed = std::abs(travel[k]);
    const bool gait = sum_avg[k] > 0 && diff_avg[k] / sum_avg[k] >= kMinGaitAlternation &&
                      sum_avg[k] / 2 >= 0.5 * travel_speed;
    const bool crouching =
        legs_visible[k] &&
        (height_avg[k] < kCrouchHeightShare * upright_height ||
         (knee_avg[k] < kBentKnee_deg && height_avg[k] < kBentCrouchHeightShare * upright_height));
    if (jumping) {
      raw[k] = MovementType::kJumping;
    } else if (travel_speed >= kActiveVelocity * kGridRate_hz && gait) {
      raw[k] = MovementType::kWalking;
    } else if (crouching) {
      raw[k] = MovementType::kCrouching;
    } else if (limb_active[k] / kGridRate_hz >= kActiveVelocity) {
      raw[k] = MovementType::kDancing;
    } else {
      raw[k] = MovementType::kStanding;
    }
  }
  labels.type = majority_filter(raw, samples(0.33) / 2);
  merge_short_runs(labels.type, samples(0.4));
  return labels;
}

std::vector<MovementSegment> track_segments(const Track& track, const TrackLabels& labels) {
  std::vector<MovementSegment> segments;
  for (const Run& run : runs_of(labels.type)) {
    segments.push_back({track.time_s(run.begin), track.time_s(run.end - 1) + 1 / kGridRate_hz, run.type});
  }
  return segments;
}

}  // namespace dd::analysis
