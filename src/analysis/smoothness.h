// Smoothness 0..100 of the movement from the spectrum of its speed profile.
#pragma once

#include <optional>

#include "analysis/kinematics.h"

namespace dd::analysis {

// Spectral arc length (SPARC, Balasubramanian et al. 2015) of the body speed on 4 s windows
// (2 s hop) of the 30 Hz grid, so neither clip length nor frame rate changes it. Per window:
// the magnitude spectrum of the speed (zero-padded to 512 points, normalised by its peak) up to
// the last frequency at or below 10 Hz where it still exceeds 0.05; SPARC is minus the arc
// length of that curve with frequency scaled to 0..1. More, and stronger, high-frequency
// changes of speed (jerk) lengthen the arc. Windows where the body is still (peak velocity per
// 1/30 s under kStillVelocity: only jitter) are skipped; the rest are averaged weighted by their
// mean speed and mapped linearly: SPARC >= -1.5 -> 100, <= -6 -> 0. nullopt when nothing moves.
std::optional<double> smoothness_score(const Kinematics& kinematics);

}  // namespace dd::analysis
