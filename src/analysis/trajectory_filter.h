// Offline filters for exported trajectories (one coordinate over time, NaN = no sample):
// short-gap filling, a zero-lag Butterworth low-pass and an offline one-euro filter.
// Only exports use them; the analysis keeps its own smoothing.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dd::analysis {

// Gaps of at most this many samples are filled by interpolation (and marked as filled).
inline constexpr int kMaxFilledGapSamples = 10;

enum class TrajectoryFilterKind { kNone, kOneEuro, kButterworth };

struct TrajectoryFilter {
  TrajectoryFilterKind kind = TrajectoryFilterKind::kButterworth;
  // Butterworth only: the -3 dB frequency in Hz. 6 Hz keeps dance movement (most power is
  // below 3 Hz) and removes landmark jitter; lower is smoother and rounds off quick accents.
  double cutoff_hz = 6.0;
};

// Parses "none", "one-euro", "butterworth" (6 Hz) or "butterworth:HZ" (0 < HZ <= 1000);
// InvalidArgument naming the accepted forms otherwise.
Result<TrajectoryFilter> parse_trajectory_filter(std::string_view text);

// The canonical text of a filter ("none", "one-euro", "butterworth:6"), parseable again.
std::string trajectory_filter_name(const TrajectoryFilter& filter);

// Fills runs of at most max_gap NaN samples that have finite samples on both sides, on the
// straight line between them. Returns one flag per sample: true where a value was filled.
std::vector<bool> fill_short_gaps(std::span<double> series, int max_gap);

// Zero-lag 4th-order Butterworth low-pass: a 2nd-order section run forwards then backwards
// over each run of finite samples (NaNs stay NaN), its cut-off corrected for the two passes
// so the combined response is -3 dB at cutoff_hz and has no phase shift. A cut-off at or
// above half the sample rate leaves the series unchanged (nothing representable is above it).
void butterworth_zero_lag(std::span<double> series, double rate_hz, double cutoff_hz);

// The one-euro filter (Casiez et al. 2012) run forwards over each run of finite samples:
// min_cutoff 1 Hz, beta 0.5 per unit/s, derivative cut-off 1 Hz. Causal, so fast motion
// lags a little; it smooths holds more and quick moves less than a fixed low-pass.
void one_euro_offline(std::span<double> series, double rate_hz);

// Applies `filter` to the series (NaN gaps kept).
void apply_trajectory_filter(std::span<double> series, double rate_hz, const TrajectoryFilter& filter);

}  // namespace dd::analysis
