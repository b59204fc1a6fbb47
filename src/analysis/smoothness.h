// Smoothness 0..100 of the movement from the spectrum of its speed profile.
#pragma once

#include <optional>

#include "analysis/kinematics.h"

namespace dd::analysis {

// Spectral arc length (SPARC, Balasubramanian et al. 2015) on 4 s windows (2 s hop) of the
// 30 Hz grid, so neither clip length nor frame rate changes it. Per window: the magnitude
// spectrum of the key joints' velocity components (window mean removed, Hann window,
// zero-padded to 512 points, summed over joints, normalised by its peak) up to the last
// frequency at or below 10 Hz where it still exceeds 0.05; SPARC is minus the arc length of
// that curve with frequency scaled to 0..1. Abrupt changes of velocity (jerk) spread the
// spectrum and lengthen the arc. Windows where the body is still (peak velocity per 1/30 s
// under kStillVelocity: only jitter) are skipped; the rest are averaged weighted by their mean
// speed and mapped linearly: SPARC >= -1.5 -> 100, <= -6 -> 0 (a 1 Hz sideways arm swing scores
// about 63: its curved path adds a harmonic). nullopt when nothing moves or no track lasts 1 s.
std::optional<double> smoothness_score(const Kinematics& kinematics);

}  // namespace dd::analysis
