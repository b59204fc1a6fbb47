#include "analysis/motion_rhythm.h"

#include <algorithm>
#include <cmath>

#include "analysis/movement_classifier.h"

namespace dd::analysis {
namespace {

constexpr double kMinBpm = 40;
constexpr double kMaxBpm = 240;
constexpr double kPeakShare = 0.8;
constexpr double kMinConsistency = 30;

// Velocity of each key joint with the track's (visibility-weighted) mean velocity removed,
// so steady travel across the frame is not mistaken for rhythm.
std::vector<std::array<Vec2, kKeyJoints.size()>> centred_velocity(const Track& track) {
  std::array<Vec2, kKeyJoints.size()> mean{};
  std::array<double, kKeyJoints.size()> weight{};
  for (size_t k = 0; k < track.size(); ++k) {
    for (size_t j = 0; j < kKeyJoints.size(); ++j) {
      const auto joint = static_cast<size_t>(kKeyJoints[j]);
      const double w = track.visibility[k][joint];
      mean[j].x += w * track.velocity[k][joint].x;
      mean[j].y += w * track.velocity[k][joint].y;
      weight[j] += w;
    }
  }
  for (size_t j = 0; j < mean.size(); ++j) {
    if (weight[j] > 0) mean[j] = {mean[j].x / weight[j], mean[j].y / weight[j]};
  }
  std::vector<std::array<Vec2, kKeyJoints.size()>> out(track.size());
  for (size_t k = 0; k < track.size(); ++k) {
    for (size_t j = 0; j < kKeyJoints.size(); ++j) {
      const auto joint = static_cast<size_t>(kKeyJoints[j]);
      out[k][j] = {track.velocity[k][joint].x - mean[j].x, track.velocity[k][joint].y - mean[j].y};
    }
  }
  return out;
}

std::vector<double> velocity_autocorrelation(const Kinematics& kinematics, size_t max_lag) {
  std::vector<double> cross(max_lag + 1, 0.0), energy_a(max_lag + 1, 0.0), energy_b(max_lag + 1, 0.0);
  for (const Track& track : kinematics.tracks) {
    const auto velocity = centred_velocity(track);
    for (size_t lag = 0; lag <= max_lag && lag < track.size(); ++lag) {
      for (size_t k = 0; k + lag < track.size(); ++k) {
        for (size_t j = 0; j < kKeyJoints.size(); ++j) {
          const auto joint = static_cast<size_t>(kKeyJoints[j]);
          const double w = std::min(track.visibility[k][joint], track.visibility[k + lag][joint]);
          const Vec2 a = velocity[k][j], b = velocity[k + lag][j];
          cross[lag] += w * (a.x * b.x + a.y * b.y);
          energy_a[lag] += w * (a.x * a.x + a.y * a.y);
          energy_b[lag] += w * (b.x * b.x + b.y * b.y);
        }
      }
    }
  }
  std::vector<double> r(max_lag + 1, 0.0);
  for (size_t lag = 0; lag <= max_lag; ++lag) {
    const double norm = std::sqrt(energy_a[lag] * energy_b[lag]);
    r[lag] = norm > 0 ? cross[lag] / norm : 0;
  }
  return r;
}

std::vector<double> find_accents(const Track& track) {
  const std::vector<double> speed = moving_average(joint_speed(track, kLimbJoints), 3);
  const size_t n = speed.size();
  std::vector<double> sorted = speed;
  std::sort(sorted.begin(), sorted.end());
  const double p90 = sorted[static_cast<size_t>(0.9 * static_cast<double>(n - 1))];
  const double prominence = std::max(kStillVelocity * kGridRate_hz, 0.25 * p90);
  const size_t reach = 12;  // 0.4 s
  std::vector<size_t> minima;
  for (size_t k = 1; k + 1 < n; ++k) {
    if (!(speed[k] <= speed[k - 1] && speed[k] < speed[k + 1])) continue;
    double before = 0, after = 0;
    for (size_t j = k >= reach ? k - reach : 0; j < k; ++j) before = std::max(before, speed[j]);
    for (size_t j = k + 1; j < std::min(n, k + reach + 1); ++j) after = std::max(after, speed[j]);
    if (before - speed[k] < prominence || after - speed[k] < prominence) continue;
    if (!minima.empty() && k - minima.back() < 5) {  // 0.15 s: keep the deeper one
      if (speed[k] < speed[minima.back()]) minima.back() = k;
      continue;
    }
    minima.push_back(k);
  }
  std::vector<double> times;
  for (size_t k : minima) {
    // Parabolic refinement: the grid step (33 ms) is coarse against a beat tolerance.
    const double a = speed[k - 1], b = speed[k], c = speed[k + 1];
    const double denom = a - 2 * b + c;
    const double shift = denom > 0 ? std::clamp(0.5 * (a - c) / denom, -0.5, 0.5) : 0;
    times.push_back(track.time_s(k) + shift / kGridRate_hz);
  }
  return times;
}

}  // namespace

MotionRhythm analyze_motion_rhythm(const Kinematics& kinematics) {
  MotionRhythm rhythm;
  double moving_s = 0, speed_sum = 0;
  size_t samples = 0;
  for (const Track& track : kinematics.tracks) {
    for (double t : find_accents(track)) rhythm.accent_times_s.push_back(t);
    for (double v : joint_speed(track, kKeyJoints)) speed_sum += v;
    samples += track.size();
    moving_s += static_cast<double>(track.size()) / kGridRate_hz;
  }
  const double mean_velocity30 = samples > 0 ? speed_sum / static_cast<double>(samples) / kGridRate_hz : 0;
  // A still body's autocorrelation is that of jitter: no tempo to report.
  if (mean_velocity30 < kStillVelocity) return rhythm;

  const auto min_lag = static_cast<size_t>(std::floor(60 / kMaxBpm * kGridRate_hz));
  const auto max_lag = static_cast<size_t>(std::ceil(60 / kMinBpm * kGridRate_hz)) + 1;
  const std::vector<double> r = velocity_autocorrelation(kinematics, max_lag);
  std::vector<size_t> peaks;
  double highest = 0;
  for (size_t lag = std::max<size_t>(min_lag, 1); lag < max_lag; ++lag) {
    if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] > 0) {
      peaks.push_back(lag);
      highest = std::max(highest, r[lag]);
    }
  }
  if (peaks.empty()) return rhythm;
  size_t chosen = peaks.front();
  for (size_t lag : peaks) {
    if (r[lag] >= kPeakShare * highest) {
      chosen = lag;
      break;
    }
  }
  const double a = r[chosen - 1], b = r[chosen], c = r[chosen + 1];
  const double denom = a - 2 * b + c;
  const double shift = denom < 0 ? std::clamp(0.5 * (a - c) / denom, -0.5, 0.5) : 0;
  const double period_s = (static_cast<double>(chosen) + shift) / kGridRate_hz;
  const double bpm = 60 / period_s;
  if (bpm < kMinBpm || bpm > kMaxBpm) return rhythm;
  rhythm.bpm = bpm;
  rhythm.consistency = 100 * std::clamp(b, 0.0, 1.0);
  rhythm.has_rhythm = rhythm.consistency >= kMinConsistency && moving_s >= 3 * period_s;
  return rhythm;
}

}  // namespace dd::analysis
