#include "analysis/smoothness.h"

#include <algorithm>
#include <cmath>

#include "analysis/movement_classifier.h"

namespace dd::analysis {
namespace {

constexpr size_t kWindow = 60;  // 2 s at 30 Hz
constexpr size_t kHop = 30;
constexpr double kSmoothLdlj = 7;
constexpr double kRoughLdlj = 17;

}  // namespace

std::optional<double> smoothness_score(const Kinematics& kinematics) {
  double weighted = 0;
  double weight_sum = 0;
  const double rate2 = kGridRate_hz * kGridRate_hz;
  for (const Track& track : kinematics.tracks) {
    const size_t n = track.size();
    if (n < 5) continue;
    const std::vector<double> speed = joint_speed(track, kKeyJoints);
    // Mean squared jerk of the key joints from second differences of the velocity.
    std::vector<double> jerk_sq(n, 0.0);
    for (size_t k = 1; k + 1 < n; ++k) {
      double sum = 0, weight = 0;
      for (int joint : kKeyJoints) {
        const auto j = static_cast<size_t>(joint);
        const double w = std::max(track.visibility[k][j], 0.05);
        const double jx = (track.velocity[k + 1][j].x - 2 * track.velocity[k][j].x + track.velocity[k - 1][j].x) * rate2;
        const double jy = (track.velocity[k + 1][j].y - 2 * track.velocity[k][j].y + track.velocity[k - 1][j].y) * rate2;
        sum += w * (jx * jx + jy * jy);
        weight += w;
      }
      jerk_sq[k] = sum / weight;
    }
    const size_t window = std::min(kWindow, n - 2);
    for (size_t begin = 1; begin + window <= n - 1; begin += kHop) {
      double peak = 0, mean = 0, integral = 0;
      for (size_t k = begin; k < begin + window; ++k) {
        peak = std::max(peak, speed[k]);
        mean += speed[k];
        integral += jerk_sq[k] / kGridRate_hz;
      }
      mean /= static_cast<double>(window);
      if (peak / kGridRate_hz < kStillVelocity || integral <= 0) continue;
      const double duration_s = static_cast<double>(window) / kGridRate_hz;
      const double ldlj = std::log(duration_s * duration_s * duration_s / (peak * peak) * integral);
      weighted += mean * ldlj;
      weight_sum += mean;
    }
  }
  if (weight_sum <= 0) return std::nullopt;
  const double ldlj = weighted / weight_sum;
  return 100 * std::clamp((kRoughLdlj - ldlj) / (kRoughLdlj - kSmoothLdlj), 0.0, 1.0);
}

}  // namespace dd::analysis
