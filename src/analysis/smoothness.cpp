#include "analysis/smoothness.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "analysis/movement_classifier.h"
#include "analysis/real_fft.h"

namespace dd::analysis {
namespace {

constexpr size_t kWindow = 120;  // 4 s at 30 Hz
constexpr size_t kHop = 60;
constexpr size_t kMinWindow = 30;  // shorter tracks say too little about smoothness
constexpr size_t kFftSize = 512;
constexpr double kMaxFrequency_hz = 10;
constexpr double kAmplitudeThreshold = 0.05;
constexpr double kSmoothSparc = -1.5;
constexpr double kRoughSparc = -6;

// SPARC of the summed spectrum of the window's velocity components (mean removed, Hann window
// against leakage) of all key joints.
double window_sparc(const Track& track, size_t begin, size_t length, RealFft& fft, std::vector<float>& frame,
                    std::vector<float>& power) {
  std::vector<double> total(kFftSize / 2 + 1, 0.0);
  std::vector<float> hann(length);
  for (size_t k = 0; k < length; ++k) {
    hann[k] = static_cast<float>(0.5 - 0.5 * std::cos(2 * std::numbers::pi * (static_cast<double>(k) + 0.5) /
                                                      static_cast<double>(length)));
  }
  for (int joint : kKeyJoints) {
    const auto j = static_cast<size_t>(joint);
    double weight = 0;
    for (size_t k = begin; k < begin + length; ++k) weight += track.visibility[k][j];
    weight /= static_cast<double>(length);
    for (int axis = 0; axis < 2; ++axis) {
      double mean = 0;
      for (size_t k = begin; k < begin + length; ++k)
        mean += axis == 0 ? track.velocity[k][j].x : track.velocity[k][j].y;
      mean /= static_cast<double>(length);
      frame.resize(length);
      for (size_t k = 0; k < length; ++k) {
        const Vec2 v = track.velocity[begin + k][j];
        frame[k] = static_cast<float>(((axis == 0 ? v.x : v.y) - mean) * hann[k]);
      }
      fft.power(frame, power);
      for (size_t f = 0; f < total.size(); ++f) total[f] += weight * power[f];
    }
  }
  double peak = 0;
  for (double& value : total) {
    value = std::sqrt(value);
    peak = std::max(peak, value);
  }
  if (peak <= 0) return 0;
  const double bin_hz = kGridRate_hz / static_cast<double>(kFftSize);
  const auto max_bin = std::min(total.size() - 1, static_cast<size_t>(kMaxFrequency_hz / bin_hz));
  size_t cutoff = 1;
  for (size_t k = 0; k <= max_bin; ++k) {
    if (total[k] / peak >= kAmplitudeThreshold) cutoff = std::max<size_t>(k, 1);
  }
  const double df = 1 / static_cast<double>(cutoff);
  double length_sum = 0;
  for (size_t k = 1; k <= cutoff; ++k) {
    const double dv = (total[k] - total[k - 1]) / peak;
    length_sum += std::sqrt(df * df + dv * dv);
  }
  return -length_sum;
}

}  // namespace

std::optional<double> smoothness_score(const Kinematics& kinematics) {
  RealFft fft(kFftSize);
  std::vector<float> frame, power;
  double weighted = 0;
  double weight_sum = 0;
  for (const Track& track : kinematics.tracks) {
    const size_t n = track.size();
    if (n < kMinWindow) continue;
    const std::vector<double> speed = joint_speed(track, kKeyJoints);
    const size_t window = std::min(kWindow, n);
    for (size_t begin = 0; begin + window <= n; begin += kHop) {
      const std::span<const double> part(speed.data() + begin, window);
      const double peak = *std::max_element(part.begin(), part.end());
      if (peak / kGridRate_hz < kStillVelocity) continue;
      double mean = 0;
      for (double v : part) mean += v;
      mean /= static_cast<double>(window);
      weighted += mean * window_sparc(track, begin, window, fft, frame, power);
      weight_sum += mean;
    }
  }
  if (weight_sum <= 0) return std::nullopt;
  const double value = weighted / weight_sum;
  return 100 * std::clamp((value - kRoughSparc) / (kSmoothSparc - kRoughSparc), 0.0, 1.0);
}

}  // namespace dd::analysis
