// Movement type per 30 Hz sample (Standing, Walking, Dancing, Jumping, Crouching), cleaned
// by a majority filter and a minimum segment duration, and the segments it forms.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "analysis/kinematics.h"

namespace dd::analysis {

enum class MovementType { kStanding = 0, kWalking, kDancing, kJumping, kCrouching };
inline constexpr size_t kMovementTypeCount = 5;

// "Standing", "Walking", ... (the names results.json uses).
const char* movement_type_name(MovementType type);

// Thresholds of the original system, applied to the normalised velocity per 1/30 s
// (body scales per second / 30), so they mean the same at any frame rate and distance:
// below kStillVelocity the body is motionless (Standing, only sensor jitter);
inline constexpr double kStillVelocity = 0.01;
// below kActiveVelocity it only sways or fidgets (still Standing); at or above it the limbs
// move (Dancing), or the hips travel fast enough to count as Walking;
inline constexpr double kActiveVelocity = 0.03;
// the vertical hip speed of a take-off or landing (1.8 body scales/s, about 0.9 m/s);
inline constexpr double kTakeoffVelocity = 0.06;
// vigorous whole-body motion: intensity saturates here (98 of 100).
inline constexpr double kVigorousVelocity = 0.12;

struct MovementSegment {
  double start_s = 0;
  double end_s = 0;
  MovementType type = MovementType::kStanding;
};

struct TrackLabels {
  std::vector<MovementType> type;  // one per track sample
  std::vector<double> velocity30;  // body velocity per 1/30 s, smoothed over 0.3 s
};

// Labels every sample of `track`. Jumping: both ankles and the hips at least 0.35 body scales
// above their level of the surrounding 2 s with a vertical hip speed of kTakeoffVelocity
// within 0.3 s (flight), widened by 0.15 s for take-off and landing. Walking, from the gait in
// any direction: the feet overtake each other (the left-minus-right ankle vector changes sign
// along the axis it varies most along) 0.7..2.5 times a second, or the hips travel sideways at
// kActiveVelocity (0.5 s mean) or the body's apparent size changes by 10% a second while the
// ankles alternate; in both cases with the wrists no faster than the ankles relative to the
// hips. Crouching: a knee bent under 150 degrees and hip-to-ankle height under 75% of the
// person's upright height (the track's 90th percentile), or under 90% with a knee bent below
// 120 degrees. Dancing: the limbs (elbows, wrists, knees, ankles) reach kActiveVelocity within
// 0.75 s, until they fall below 60% of it (hysteresis against the model's jitter). Otherwise
// Standing. A 0.33 s majority filter and a 0.4 s minimum segment length remove flicker.
TrackLabels classify_track(const Track& track);

// Segments of equal type within one track; end_s is the end of the last sample's interval.
std::vector<MovementSegment> track_segments(const Track& track, const TrackLabels& labels);

// Angle at `b` between the segments to `a` and `c`, in degrees (0..180); 180 when degenerate.
double joint_angle_deg(Vec2 a, Vec2 b, Vec2 c);

}  // namespace dd::analysis
