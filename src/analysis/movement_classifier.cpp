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
// Legs spread straight (jumping jacks, a wide stance) also lower the hips: a crouch bends a knee.
constexpr double kCrouchKnee_deg = 150;
constexpr double kMinLegVisibility = 0.3;
// Gait: the feet overtake each other (the left-minus-right ankle vector changes sign along the
// direction it swings in) 0.7..2.5 times a second, by more than kStepSwing_scales either way, so
// tracking jitter of a standing person never counts as steps.
constexpr double kStepWindow_s = 2.4;
constexpr double kStepSwing_scales = 0.08;
constexpr double kMinStepRate_hz = 0.7;
constexpr double kMaxStepRate_hz = 2.5;
// The feet's mean speed relative to the hips while stepping (per 1/30 s): half of
// kActiveVelocity, since a walk toward the camera moves them mostly in depth, unseen.
constexpr double kMinStepSpeed = 0.5 * kActiveVelocity;
// Walking swings the arms less than the legs; a dance that steps while the arms carry the
// movement is Dancing.
constexpr double kMaxArmToLegSpeed = 1.0;
// Walking toward or away from the camera: the apparent size changes by 10% a second or more
// (0.4 m/s at 4 m), the counterpart of kActiveVelocity across the image.
constexpr double kMinSizeRate = 0.1;
// Dancing starts when the limbs reach kActiveVelocity and ends only when they fall below this
// share of it, so the model's jitter around the threshold does not flip the type.
constexpr double kDancingExitShare = 0.6;

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

// Steps per second around each sample: sign changes, with hysteresis, of the left-minus-right
// ankle vector projected on the axis it varies most along within the window (the walking
// direction on screen: sideways, or up and down the image when walking toward the camera).
// Legs that spread and close without crossing (jumping jacks, step-touch) give no steps.
std::vector<double> step_rate(const std::vector<Vec2>& ankle_gap, const std::vector<bool>& legs_visible) {
  const size_t n = ankle_gap.size();
  const size_t half = samples(kStepWindow_s / 2);
  std::vector<double> rate(n, 0.0);
  for (size_t k = 0; k < n; ++k) {
    const size_t lo = k >= half ? k - half : 0;
    const size_t hi = std::min(n, k + half + 1);
    double mx = 0, my = 0;
    size_t count = 0;
    for (size_t j = lo; j < hi; ++j) {
      if (!legs_visible[j]) continue;
      mx += ankle_gap[j].x, my += ankle_gap[j].y, ++count;
    }
    if (count < (hi - lo) / 2 || count < 3) continue;
    mx /= static_cast<double>(count), my /= static_cast<double>(count);
    double sxx = 0, syy = 0, sxy = 0;
    for (size_t j = lo; j < hi; ++j) {
      if (!legs_visible[j]) continue;
      const double dx = ankle_gap[j].x - mx, dy = ankle_gap[j].y - my;
      sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
    }
    const double axis = 0.5 * std::atan2(2 * sxy, sxx - syy);
    const double ux = std::cos(axis), uy = std::sin(axis);
    int side = 0, crossings = 0;
    for (size_t j = lo; j < hi; ++j) {
      if (!legs_visible[j]) continue;
      const double along = ankle_gap[j].x * ux + ankle_gap[j].y * uy;
      const int now = along > kStepSwing_scales ? 1 : along < -kStepSwing_scales ? -1 : 0;
      if (now != 0 && side != 0 && now != side) ++crossings;
      if (now != 0) side = now;
    }
    rate[k] = crossings / (static_cast<double>(hi - lo) / kGridRate_hz);
  }
  return rate;
}

// Dancing with hysteresis: on at kActiveVelocity, off below kDancingExitShare of it.
std::vector<bool> limbs_active(const std::vector<double>& limb_velocity30) {
  std::vector<bool> active(limb_velocity30.size());
  bool on = false;
  for (size_t k = 0; k < active.size(); ++k) {
    if (limb_velocity30[k] >= kActiveVelocity)
      on = true;
    else if (limb_velocity30[k] < kDancingExitShare * kActiveVelocity)
      on = false;
    active[k] = on;
  }
  return active;
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
  std::vector<double> ankle_diff(n), ankle_sum(n), arm_swing(n), leg_swing(n), log_scale(n);
  std::vector<Vec2> ankle_gap(n);
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
    ankle_gap[k] = {la.x - ra.x, la.y - ra.y};
    // Limb speeds relative to the hips: what the body does, whatever the camera follows.
    auto relative_speed = [&](int joint) {
      return std::hypot(v[static_cast<size_t>(joint)].x - hip_v.x, v[static_cast<size_t>(joint)].y - hip_v.y);
    };
    arm_swing[k] = relative_speed(pose::kLeftWrist) + relative_speed(pose::kRightWrist);
    leg_swing[k] = relative_speed(pose::kLeftAnkle) + relative_speed(pose::kRightAnkle);
    log_scale[k] = std::log(std::max(track.scale_px[k], 1e-6));
    double leg_vis = 1;
    for (int j = pose::kLeftHip; j <= pose::kRightAnkle; ++j)
      leg_vis = std::min(leg_vis, track.visibility[k][static_cast<size_t>(j)]);
    legs_visible[k] = leg_vis >= kMinLegVisibility;
  }

  const std::vector<double> travel = moving_average(hip_vx, samples(0.5));
  // Approach or recession: the rate of change of the body's apparent size (1/s).
  std::vector<double> size_rate(n, 0.0);
  const size_t rate_half = samples(0.25);
  for (size_t k = 0; k < n; ++k) {
    const size_t lo = k >= rate_half ? k - rate_half : 0;
    const size_t hi = std::min(n - 1, k + rate_half);
    if (hi > lo) size_rate[k] = (log_scale[hi] - log_scale[lo]) * kGridRate_hz / static_cast<double>(hi - lo);
  }
  const std::vector<double> steps = step_rate(ankle_gap, legs_visible);
  const std::vector<double> arm_avg = moving_average(arm_swing, samples(kStepWindow_s));
  const std::vector<double> leg_avg = moving_average(leg_swing, samples(kStepWindow_s));
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
  std::vector<double> limb_peak = sliding_max(limb, samples(0.75));
  for (double& v : limb_peak) v /= kGridRate_hz;
  const std::vector<bool> dancing = limbs_active(limb_peak);

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
    const bool alternating = sum_avg[k] > 0 && diff_avg[k] / sum_avg[k] >= kMinGaitAlternation &&
                             sum_avg[k] / 2 >= 0.5 * travel_speed;
    const bool travels =
        travel_speed >= kActiveVelocity * kGridRate_hz || std::abs(size_rate[k]) >= kMinSizeRate;
    const bool legs_lead = arm_avg[k] <= kMaxArmToLegSpeed * leg_avg[k];
    const bool stepping = steps[k] >= kMinStepRate_hz && steps[k] <= kMaxStepRate_hz &&
                          leg_avg[k] / 2 >= kMinStepSpeed * kGridRate_hz;
    const bool crouching =
        legs_visible[k] && knee_avg[k] < kCrouchKnee_deg &&
        (height_avg[k] < kCrouchHeightShare * upright_height ||
         (knee_avg[k] < kBentKnee_deg && height_avg[k] < kBentCrouchHeightShare * upright_height));
    if (jumping) {
      raw[k] = MovementType::kJumping;
    } else if (legs_lead && (stepping || (travels && alternating))) {
      raw[k] = MovementType::kWalking;
    } else if (crouching) {
      raw[k] = MovementType::kCrouching;
    } else if (dancing[k]) {
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
