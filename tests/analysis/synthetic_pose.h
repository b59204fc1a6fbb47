// Synthetic dancers for the analysis and report tests: a standing BlazePose skeleton in body
// units (torso = 1, y down, origin at the hip midpoint) that motions bend and move, rendered
// into a PoseSequence at any scale, position and frame rate.
#pragma once

#include <array>
#include <cmath>
#include <functional>
#include <numbers>
#include <vector>

#include "pose/pose_frame.h"

namespace dd::testing {

struct Point {
  double x = 0;
  double y = 0;
};

using Skeleton = std::array<Point, pose::kLandmarkCount>;

inline Point rotate(Point v, double angle_rad) {
  return {v.x * std::cos(angle_rad) - v.y * std::sin(angle_rad),
          v.x * std::sin(angle_rad) + v.y * std::cos(angle_rad)};
}

// Upright, arms hanging, feet under the hips; hip-to-ankle height 1.5 torso lengths.
inline Skeleton standing_skeleton() {
  Skeleton s{};
  using namespace pose;
  s[kNose] = {0, -1.35};
  s[kLeftEyeInner] = {0.03, -1.4};
  s[kLeftEye] = {0.05, -1.4};
  s[kLeftEyeOuter] = {0.07, -1.4};
  s[kRightEyeInner] = {-0.03, -1.4};
  s[kRightEye] = {-0.05, -1.4};
  s[kRightEyeOuter] = {-0.07, -1.4};
  s[kLeftEar] = {0.1, -1.37};
  s[kRightEar] = {-0.1, -1.37};
  s[kMouthLeft] = {0.03, -1.3};
  s[kMouthRight] = {-0.03, -1.3};
  s[kLeftShoulder] = {0.25, -1.0};
  s[kRightShoulder] = {-0.25, -1.0};
  s[kLeftHip] = {0.15, 0};
  s[kRightHip] = {-0.15, 0};
  s[kLeftKnee] = {0.15, 0.75};
  s[kRightKnee] = {-0.15, 0.75};
  s[kLeftAnkle] = {0.15, 1.5};
  s[kRightAnkle] = {-0.15, 1.5};
  s[kLeftHeel] = {0.15, 1.55};
  s[kRightHeel] = {-0.15, 1.55};
  s[kLeftFootIndex] = {0.2, 1.58};
  s[kRightFootIndex] = {-0.2, 1.58};
  // Arms hanging: set_arm places elbow, wrist and hand points.
  return s;
}

// Places one arm hanging from its shoulder, rotated by `angle_rad` (0 = straight down).
inline void set_arm(Skeleton& s, bool left, double angle_rad) {
  using namespace pose;
  const int shoulder = left ? kLeftShoulder : kRightShoulder;
  const Point sh = s[static_cast<size_t>(shoulder)];
  const double side = left ? 1 : -1;
  const Point elbow_dir = rotate({0, 0.45}, side * angle_rad);
  const Point elbow{sh.x + elbow_dir.x, sh.y + elbow_dir.y};
  const Point wrist{elbow.x + elbow_dir.x, elbow.y + elbow_dir.y};
  const Point hand{wrist.x + 0.15 * elbow_dir.x / 0.45, wrist.y + 0.15 * elbow_dir.y / 0.45};
  s[static_cast<size_t>(left ? kLeftElbow : kRightElbow)] = elbow;
  s[static_cast<size_t>(left ? kLeftWrist : kRightWrist)] = wrist;
  for (int p :
       {left ? kLeftPinky : kRightPinky, left ? kLeftIndex : kRightIndex, left ? kLeftThumb : kRightThumb}) {
    s[static_cast<size_t>(p)] = hand;
  }
}

inline Skeleton standing_with_arms(double left_rad = 0, double right_rad = 0) {
  Skeleton s = standing_skeleton();
  set_arm(s, true, left_rad);
  set_arm(s, false, right_rad);
  return s;
}

// Moves every point by (dx, dy).
inline Skeleton shifted(Skeleton s, double dx, double dy) {
  for (auto& p : s) p = {p.x + dx, p.y + dy};
  return s;
}

struct Camera {
  double scale_px = 200;  // pixels per torso length
  double hip_x_px = 640;  // where the skeleton's origin lands
  double hip_y_px = 380;
  int width = 1280;
  int height = 720;
};

using Motion = std::function<Skeleton(double t_s)>;

// Renders `motion` at `fps` for `duration_s`; frames for which `detected(t)` is false have no
// pose (and zeroed landmarks, as a tracker leaves them).
inline pose::PoseSequence render(const Motion& motion, double duration_s, double fps,
                                 const Camera& camera = {},
                                 const std::function<bool(double)>& detected = nullptr) {
  pose::PoseSequence sequence;
  sequence.width = camera.width;
  sequence.height = camera.height;
  sequence.fps = fps;
  const auto count = static_cast<int64_t>(std::llround(duration_s * fps));
  for (int64_t i = 0; i < count; ++i) {
    pose::PoseFrame frame;
    frame.index = i;
    frame.timestamp_s = static_cast<double>(i) / fps;
    frame.detected = !detected || detected(frame.timestamp_s);
    if (frame.detected) {
      frame.pose_score = 0.99f;
      const Skeleton s = motion(frame.timestamp_s);
      for (size_t j = 0; j < s.size(); ++j) {
        frame.landmarks[j] = {
            static_cast<float>((camera.hip_x_px + camera.scale_px * s[j].x) / camera.width),
            static_cast<float>((camera.hip_y_px + camera.scale_px * s[j].y) / camera.height), 0.0f, 0.95f,
            0.99f};
      }
    }
    sequence.frames.push_back(frame);
  }
  return sequence;
}

// Both arms swinging sideways together at `frequency_hz`: angle = amplitude * sin(2 pi f t + phase).
inline Motion arm_swing(double frequency_hz, double amplitude_rad = 0.8, double phase_rad = 0) {
  return [=](double t) {
    const double a = amplitude_rad * std::sin(2 * std::numbers::pi * frequency_hz * t + phase_rad);
    return standing_with_arms(a, a);
  };
}

// Walking to the right at `speed` torso lengths per second with a 1 s gait cycle: each foot
// rests for half the cycle and swings forward (lifted) for the other half.
inline Motion walking(double speed = 1.2) {
  return [=](double t) {
    constexpr double kCycle_s = 1.0;
    const double stride = speed * kCycle_s;
    const double hip_x = speed * t;
    Skeleton s = standing_with_arms(0.2 * std::sin(2 * std::numbers::pi * t),
                                    -0.2 * std::sin(2 * std::numbers::pi * t));
    auto foot = [&](double phase_offset) {
      const double cycles = t / kCycle_s + phase_offset;
      const double phase = cycles - std::floor(cycles);
      const double base = std::floor(cycles) * stride - phase_offset * stride;
      if (phase < 0.5) return Point{base, 0.0};
      const double u = (phase - 0.5) / 0.5;
      const double smooth = u * u * (3 - 2 * u);
      return Point{base + stride * smooth, -0.15 * std::sin(std::numbers::pi * u)};
    };
    const Point left = foot(0), right = foot(0.5);
    for (auto [ankle, knee, heel, toe, step] :
         {std::tuple{pose::kLeftAnkle, pose::kLeftKnee, pose::kLeftHeel, pose::kLeftFootIndex, left},
          std::tuple{pose::kRightAnkle, pose::kRightKnee, pose::kRightHeel, pose::kRightFootIndex, right}}) {
      const double x = step.x - hip_x;
      s[static_cast<size_t>(ankle)] = {x, 1.5 + step.y};
      s[static_cast<size_t>(knee)] = {x / 2 + 0.05, 0.75 + step.y / 2};
      s[static_cast<size_t>(heel)] = {x - 0.05, 1.55 + step.y};
      s[static_cast<size_t>(toe)] = {x + 0.1, 1.58 + step.y};
    }
    return shifted(s, hip_x, 0);
  };
}

// Walking seen from the front or back at `steps_hz` steps a second: the feet stay at hip width
// and alternate up and down the image (the nearer foot is lower, and each swing lifts it), the
// arms swing a little. `size(t)` is the body's apparent size relative to the start (growing
// when walking toward the camera, 1 with a camera that follows); no sideways travel at all.
inline Motion walking_in_depth(std::function<double(double)> size, double steps_hz = 1.8) {
  return [=](double t) {
    const double phase = std::numbers::pi * steps_hz * t;  // a stride (two steps) per 2 pi
    const double swing = std::sin(phase);
    Skeleton s = standing_with_arms(0.15 * swing, -0.15 * swing);
    for (auto [ankle, knee, heel, toe, sign] :
         {std::tuple{pose::kLeftAnkle, pose::kLeftKnee, pose::kLeftHeel, pose::kLeftFootIndex, 1.0},
          std::tuple{pose::kRightAnkle, pose::kRightKnee, pose::kRightHeel, pose::kRightFootIndex, -1.0}}) {
      // Depth shows as height on screen (0.25 torso lengths either way); the swinging foot
      // lifts 0.1 mid-swing.
      const double depth = 0.25 * sign * swing;
      const double lift = 0.1 * std::max(0.0, sign * std::cos(phase));
      const double y = depth - lift;
      s[static_cast<size_t>(ankle)].y = 1.5 + y;
      s[static_cast<size_t>(knee)].y = 0.75 + y / 2;
      s[static_cast<size_t>(heel)].y = 1.55 + y;
      s[static_cast<size_t>(toe)].y = 1.58 + y;
    }
    const double g = size(t);
    for (auto& p : s) p = {p.x * g, p.y * g};
    return s;
  };
}

// Jumping jacks in place without flight: legs spread and close (never crossing) while the
// arms rise overhead and fall, `rate_hz` times a second.
inline Motion jumping_jacks(double rate_hz = 1.5) {
  return [=](double t) {
    const double open = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * rate_hz * t);
    Skeleton s = standing_with_arms(2.6 * open, 2.6 * open);
    for (auto [ankle, knee, heel, toe, sign] :
         {std::tuple{pose::kLeftAnkle, pose::kLeftKnee, pose::kLeftHeel, pose::kLeftFootIndex, 1.0},
          std::tuple{pose::kRightAnkle, pose::kRightKnee, pose::kRightHeel, pose::kRightFootIndex, -1.0}}) {
      const double x = sign * (0.15 + 0.35 * open);
      s[static_cast<size_t>(ankle)].x = x;
      s[static_cast<size_t>(knee)].x = (x + sign * 0.15) / 2;
      s[static_cast<size_t>(heel)].x = x;
      s[static_cast<size_t>(toe)].x = x + sign * 0.05;
    }
    return s;
  };
}

// Adds the landmark model's frame-to-frame jitter: deterministic noise of `amplitude` torso
// lengths on every point (different per point and frame).
inline Motion with_jitter(Motion motion, double amplitude) {
  return [=](double t) {
    Skeleton s = motion(t);
    const double frame = std::round(t * 1000);
    for (size_t j = 0; j < s.size(); ++j) {
      const double a = std::sin(12.9898 * frame + 78.233 * static_cast<double>(j)) * 43758.5453;
      const double b = std::sin(39.3468 * frame + 11.135 * static_cast<double>(j)) * 24634.6345;
      s[j].x += amplitude * (2 * (a - std::floor(a)) - 1);
      s[j].y += amplitude * (2 * (b - std::floor(b)) - 1);
    }
    return s;
  };
}

// Repeated jumps: 0.4 s of flight reaching `height` torso lengths, then 0.3 s on the ground
// with the knees bending (hips 0.2 lower at mid-stance).
inline Motion jumping(double height = 0.6) {
  return [=](double t) {
    constexpr double kFlight_s = 0.4, kGround_s = 0.3;
    const double phase_s = std::fmod(t, kFlight_s + kGround_s);
    Skeleton s = standing_with_arms(0.3, 0.3);
    if (phase_s < kFlight_s) {
      const double u = phase_s / kFlight_s;
      return shifted(s, 0, -4 * height * u * (1 - u));
    }
    const double dip = 0.2 * std::sin(std::numbers::pi * (phase_s - kFlight_s) / kGround_s);
    // Upper body and hips go down; feet stay; knees move forward.
    for (size_t j = 0; j < s.size(); ++j) {
      if (j < pose::kLeftKnee) s[j].y += dip;
    }
    s[pose::kLeftKnee] = {0.15 + dip, 0.75 + dip / 2};
    s[pose::kRightKnee] = {-0.15 + dip, 0.75 + dip / 2};
    return s;
  };
}

// Stands for 1 s, lowers the hips into a deep squat (hip-to-ankle height 0.7, knees forward)
// over 0.5 s, holds for `hold_s`, and stands up again over 0.5 s, then stands 1 s.
inline Motion crouching(double hold_s = 5) {
  return [=](double t) {
    double depth = 0;  // 0 upright, 1 crouched
    if (t > 1 && t < 1.5)
      depth = (t - 1) / 0.5;
    else if (t >= 1.5 && t < 1.5 + hold_s)
      depth = 1;
    else if (t >= 1.5 + hold_s && t < 2 + hold_s)
      depth = 1 - (t - 1.5 - hold_s) / 0.5;
    Skeleton s = standing_with_arms(0.4, 0.4);
    const double drop = 0.8 * depth;
    for (size_t j = 0; j < pose::kLeftKnee; ++j) s[j].y += drop;
    const double half_height = (1.5 - drop) / 2;
    const double forward = std::sqrt(std::max(0.0, 0.75 * 0.75 - half_height * half_height));
    s[pose::kLeftKnee] = {0.15 + forward, drop + half_height};
    s[pose::kRightKnee] = {-0.15 + forward, drop + half_height};
    return s;
  };
}

// A click track: a 15 ms decaying 1.5 kHz burst on every beat from `first_beat_s`, over quiet
// deterministic noise.
inline std::vector<float> click_track(double bpm, double duration_s, int sample_rate,
                                      double first_beat_s = 0.5) {
  std::vector<float> samples(static_cast<size_t>(duration_s * sample_rate));
  uint32_t state = 12345;
  const double period_s = 60 / bpm;
  for (size_t i = 0; i < samples.size(); ++i) {
    state = state * 1664525u + 1013904223u;
    const double noise = (static_cast<double>(state >> 8) / 16777216.0 - 0.5) * 0.01;
    const double t = static_cast<double>(i) / sample_rate;
    double click = 0;
    if (t >= first_beat_s) {
      const double since = std::fmod(t - first_beat_s, period_s);
      if (since < 0.015) click = 0.8 * std::exp(-since * 200) * std::sin(2 * std::numbers::pi * 1500 * since);
    }
    samples[i] = static_cast<float>(click + noise);
  }
  return samples;
}

}  // namespace dd::testing
