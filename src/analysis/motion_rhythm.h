// Rhythm of the movement: its tempo (BPM) from the periodicity of the joint velocities, how
// steady that periodicity is, and the accent times (the moments the motion stops or turns).
#pragma once

#include <optional>
#include <vector>

#include "analysis/kinematics.h"

namespace dd::analysis {

struct MotionRhythm {
  bool has_rhythm = false;
  std::optional<double> bpm;           // movement cycles per minute, 40..240
  double consistency = 0;              // 0..100
  std::vector<double> accent_times_s;  // ascending
};

// Tempo: normalised autocorrelation of the key joints' velocity vectors (mean removed per
// track, visibility-weighted, pairs never span a gap) at lags 0.25..1.5 s; the period is the
// shortest-lag peak reaching 80% of the highest peak (so a sub-multiple of the true cycle is
// not chosen), refined by parabolic interpolation. A back-and-forth swing at f Hz gives
// 60 f BPM. Consistency = 100 * that autocorrelation value (a perfectly periodic motion scores
// near 100; it is clamped at 0). Accents: local minima of body speed with a prominence of at
// least max(kStillVelocity, 25% of the 90th-percentile speed) on both sides within 0.4 s, at
// least 0.15 s apart (the "kinematic beats" of AIST++, Li et al. 2021). No tempo when the
// mean body velocity per 1/30 s is under kStillVelocity. has_rhythm: a tempo with
// consistency >= 30 over at least three cycles of movement.
MotionRhythm analyze_motion_rhythm(const Kinematics& kinematics);

}  // namespace dd::analysis
