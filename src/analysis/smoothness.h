// Smoothness 0..100 of the movement from its jerk (third derivative of position).
#pragma once

#include <optional>

#include "analysis/kinematics.h"

namespace dd::analysis {

// Log dimensionless jerk (Balasubramanian et al. 2012) on fixed 2 s windows (1 s hop) of the
// 30 Hz grid, so clip length and frame rate do not change it: per window
// LDLJ = ln(T^3 / v_peak^2 * integral of the mean squared key-joint jerk), T = 2 s, v_peak the
// peak body speed. Windows where the body is still (peak velocity per 1/30 s under
// kStillVelocity) are skipped (only jitter there); the rest are averaged weighted by their mean
// speed and mapped linearly: LDLJ <= 7 -> 100, >= 17 -> 0 (a 0.5 Hz sine scores 97, a 2 Hz
// sine 48, jittery or stop-and-go motion lower). nullopt when nothing moves.
std::optional<double> smoothness_score(const Kinematics& kinematics);

}  // namespace dd::analysis
