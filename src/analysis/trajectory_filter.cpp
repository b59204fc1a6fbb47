#include "analysis/trajectory_filter.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>

namespace dd::analysis {
namespace {

constexpr double kDefaultButterworthHz = 6.0;
constexpr double kMaxCutoffHz = 1000.0;

// One-euro parameters for trajectories in metres or degrees at video rates.
constexpr double kOneEuroMinCutoffHz = 1.0;
constexpr double kOneEuroBeta = 0.5;
constexpr double kOneEuroDerivativeCutoffHz = 1.0;

// Calls fn(begin, end) for each maximal run of finite samples.
template <typename Fn>
void for_each_finite_run(std::span<double> series, Fn fn) {
  size_t i = 0;
  while (i < series.size()) {
    if (!std::isfinite(series[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < series.size() && std::isfinite(series[end])) ++end;
    fn(series.subspan(i, end - i));
    i = end;
  }
}

struct Biquad {
  double b0, b1, b2, a1, a2;
};

// One pass of y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2], started in the
// steady state of a constant input equal to the first sample (unit DC gain), so the start
// does not ring.
void run_biquad(const Biquad& f, std::vector<double>& x) {
  if (x.empty()) return;
  double x1 = x[0], x2 = x[0], y1 = x[0], y2 = x[0];
  for (double& value : x) {
    const double y = f.b0 * value + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = value;
    y2 = y1;
    y1 = y;
    value = y;
  }
}

}  // namespace

Result<TrajectoryFilter> parse_trajectory_filter(std::string_view text) {
  const auto invalid = [&text] {
    return make_error(ErrorCode::kInvalidArgument, "unknown filter '" + std::string(text) +
                                                       "': use none, one-euro, butterworth or butterworth:HZ "
                                                       "(a cut-off in Hz, e.g. butterworth:6)");
  };
  if (text == "none") return TrajectoryFilter{TrajectoryFilterKind::kNone, kDefaultButterworthHz};
  if (text == "one-euro") return TrajectoryFilter{TrajectoryFilterKind::kOneEuro, kDefaultButterworthHz};
  constexpr std::string_view kButterworth = "butterworth";
  if (text.substr(0, kButterworth.size()) != kButterworth) return invalid();
  if (text.size() == kButterworth.size())
    return TrajectoryFilter{TrajectoryFilterKind::kButterworth, kDefaultButterworthHz};
  if (text[kButterworth.size()] != ':') return invalid();
  const std::string number(text.substr(kButterworth.size() + 1));
  if (number.empty()) return invalid();
  char* end = nullptr;
  errno = 0;
  const double cutoff_hz = std::strtod(number.c_str(), &end);
  if (errno != 0 || end != number.c_str() + number.size() || !std::isfinite(cutoff_hz) || cutoff_hz <= 0 ||
      cutoff_hz > kMaxCutoffHz) {
    return invalid();
  }
  return TrajectoryFilter{TrajectoryFilterKind::kButterworth, cutoff_hz};
}

std::string trajectory_filter_name(const TrajectoryFilter& filter) {
  switch (filter.kind) {
    case TrajectoryFilterKind::kNone: return "none";
    case TrajectoryFilterKind::kOneEuro: return "one-euro";
    case TrajectoryFilterKind::kButterworth: {
      char text[48];
      std::snprintf(text, sizeof text, "butterworth:%g", filter.cutoff_hz);
      return text;
    }
  }
  return "none";
}

std::vector<bool> fill_short_gaps(std::span<double> series, int max_gap) {
  std::vector<bool> filled(series.size(), false);
  size_t i = 0;
  while (i < series.size()) {
    if (std::isfinite(series[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < series.size() && !std::isfinite(series[end])) ++end;
    const size_t length = end - i;
    if (i > 0 && end < series.size() && length <= static_cast<size_t>(std::max(max_gap, 0))) {
      const double before = series[i - 1];
      const double after = series[end];
      for (size_t k = i; k < end; ++k) {
        const double fraction = static_cast<double>(k - i + 1) / static_cast<double>(length + 1);
        series[k] = before + (after - before) * fraction;
        filled[k] = true;
      }
    }
    i = end;
  }
  return filled;
}

void butterworth_zero_lag(std::span<double> series, double rate_hz, double cutoff_hz) {
  if (!(rate_hz > 0) || !(cutoff_hz > 0) || cutoff_hz >= rate_hz / 2) return;
  // Two passes square the magnitude: |H2|^2 = 1 / (1 + (W/Wc)^4) with W = tan(pi f / fs)
  // (bilinear transform). For |H2| = 1/sqrt(2) at f = cutoff, each pass's Wc is the
  // cut-off's W divided by (sqrt(2) - 1)^(1/4) (Winter's correction for a dual pass).
  const double correction = std::pow(std::numbers::sqrt2 - 1.0, 0.25);
  const double k = std::tan(std::numbers::pi * cutoff_hz / rate_hz) / correction;
  const double norm = 1.0 / (1.0 + std::numbers::sqrt2 * k + k * k);
  Biquad section{};
  section.b0 = k * k * norm;
  section.b1 = 2 * section.b0;
  section.b2 = section.b0;
  section.a1 = 2 * (k * k - 1) * norm;
  section.a2 = (1 - std::numbers::sqrt2 * k + k * k) * norm;
  // Odd reflection about the end samples (as filtfilt pads) keeps the ends from bending
  // towards a constant: three cut-off periods each side (the start-up transient dies out
  // within them), or as much as the run has.
  const size_t pad_wanted = 3 * static_cast<size_t>(std::ceil(rate_hz / cutoff_hz));
  std::vector<double> work;
  for_each_finite_run(series, [&](std::span<double> run) {
    const size_t pad = std::min(pad_wanted, run.size() - 1);
    work.clear();
    for (size_t i = pad; i >= 1; --i) work.push_back(2 * run.front() - run[i]);
    work.insert(work.end(), run.begin(), run.end());
    for (size_t i = 1; i <= pad; ++i) work.push_back(2 * run.back() - run[run.size() - 1 - i]);
    run_biquad(section, work);
    std::reverse(work.begin(), work.end());
    run_biquad(section, work);
    std::reverse(work.begin(), work.end());
    std::copy(work.begin() + static_cast<std::ptrdiff_t>(pad),
              work.begin() + static_cast<std::ptrdiff_t>(pad + run.size()), run.begin());
  });
}

void one_euro_offline(std::span<double> series, double rate_hz) {
  if (!(rate_hz > 0)) return;
  // alpha = 1 / (1 + tau * rate) with tau = 1 / (2 pi cutoff).
  const auto alpha = [rate_hz](double cutoff_hz) {
    const double tau = 1.0 / (2 * std::numbers::pi * cutoff_hz);
    return 1.0 / (1.0 + tau * rate_hz);
  };
  for_each_finite_run(series, [&](std::span<double> run) {
    double previous = run[0];
    double derivative = 0;
    for (size_t i = 1; i < run.size(); ++i) {
      const double raw_derivative = (run[i] - previous) * rate_hz;
      const double d_alpha = alpha(kOneEuroDerivativeCutoffHz);
      derivative = d_alpha * raw_derivative + (1 - d_alpha) * derivative;
      const double cutoff = kOneEuroMinCutoffHz + kOneEuroBeta * std::abs(derivative);
      const double a = alpha(cutoff);
      previous = a * run[i] + (1 - a) * previous;
      run[i] = previous;
    }
  });
}

void apply_trajectory_filter(std::span<double> series, double rate_hz, const TrajectoryFilter& filter) {
  switch (filter.kind) {
    case TrajectoryFilterKind::kNone: return;
    case TrajectoryFilterKind::kOneEuro: one_euro_offline(series, rate_hz); return;
    case TrajectoryFilterKind::kButterworth: butterworth_zero_lag(series, rate_hz, filter.cutoff_hz); return;
  }
}

}  // namespace dd::analysis
