#include "analysis/trajectory_filter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace dd::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> sine(double frequency_hz, double rate_hz, double duration_s) {
  std::vector<double> values;
  for (int k = 0; k < static_cast<int>(duration_s * rate_hz); ++k)
    values.push_back(std::sin(2 * std::numbers::pi * frequency_hz * k / rate_hz));
  return values;
}

// Largest |filtered - gain * input| over the middle half (away from the ends).
double middle_mismatch(const std::vector<double>& input, const std::vector<double>& filtered, double gain) {
  double worst = 0;
  for (size_t k = input.size() / 4; k < input.size() * 3 / 4; ++k)
    worst = std::max(worst, std::abs(filtered[k] - gain * input[k]));
  return worst;
}

TEST(TrajectoryFilterTest, ButterworthIsMinus3DbAtCutoffWithoutLag) {
  for (const double rate_hz : {30.0, 60.0, 100.0}) {
    const auto input = sine(/*frequency_hz=*/6, rate_hz, /*duration_s=*/20);
    auto filtered = input;
    butterworth_zero_lag(filtered, rate_hz, /*cutoff_hz=*/6);
    // Zero phase: the output is the input scaled by 1/sqrt(2), sample by sample.
    EXPECT_LT(middle_mismatch(input, filtered, 1 / std::numbers::sqrt2), 0.005) << "rate " << rate_hz;
  }
}

TEST(TrajectoryFilterTest, ButterworthPassesSlowMotionAndStopsFastJitter) {
  const double rate_hz = 30;
  const auto slow = sine(1, rate_hz, 20);
  auto filtered = slow;
  butterworth_zero_lag(filtered, rate_hz, 6);
  EXPECT_LT(middle_mismatch(slow, filtered, 1.0), 0.002);
  const auto fast = sine(12, rate_hz, 20);
  filtered = fast;
  butterworth_zero_lag(filtered, rate_hz, 6);
  // 4th order: |H| = 1 / sqrt(1 + (W12/W6c)^4) with the dual-pass correction, about 0.06.
  EXPECT_LT(middle_mismatch(fast, filtered, 0.0), 0.08);
}

TEST(TrajectoryFilterTest, ButterworthKeepsConstantsAndLinesAndGaps) {
  std::vector<double> series;
  for (int k = 0; k < 70; ++k) series.push_back(k < 20 ? 2.5 : (k < 25 ? kNaN : 0.1 * k));
  auto filtered = series;
  butterworth_zero_lag(filtered, 30, 6);
  for (size_t k = 0; k < series.size(); ++k) {
    if (std::isnan(series[k])) {
      EXPECT_TRUE(std::isnan(filtered[k])) << k;
    } else {
      EXPECT_NEAR(filtered[k], series[k], 1e-6) << k;
    }
  }
}

TEST(TrajectoryFilterTest, ButterworthCutoffAboveNyquistLeavesSeriesAlone) {
  auto series = sine(5, 12, 4);
  const auto original = series;
  butterworth_zero_lag(series, /*rate_hz=*/12, /*cutoff_hz=*/6);
  EXPECT_EQ(series, original);
}

TEST(TrajectoryFilterTest, FillsShortGapsOnTheLineAndMarksThem) {
  std::vector<double> series = {kNaN, 1, 2, kNaN, kNaN, 5, 6};
  for (int k = 0; k < 11; ++k) series.push_back(kNaN);  // 11 missing: too long
  series.push_back(20);
  series.push_back(kNaN);  // trailing: no value after it
  const auto filled = fill_short_gaps(series, kMaxFilledGapSamples);
  EXPECT_TRUE(std::isnan(series[0]));
  EXPECT_FALSE(filled[0]);
  EXPECT_DOUBLE_EQ(series[3], 3);
  EXPECT_DOUBLE_EQ(series[4], 4);
  EXPECT_TRUE(filled[3] && filled[4]);
  EXPECT_FALSE(filled[2] || filled[5]);
  for (size_t k = 7; k < 18; ++k) {
    EXPECT_TRUE(std::isnan(series[k])) << k;
    EXPECT_FALSE(filled[k]) << k;
  }
  EXPECT_TRUE(std::isnan(series.back()));
}

TEST(TrajectoryFilterTest, FillsAGapOfExactlyTheLimit) {
  std::vector<double> series = {0};
  for (int k = 0; k < kMaxFilledGapSamples; ++k) series.push_back(kNaN);
  series.push_back(11);
  const auto filled = fill_short_gaps(series, kMaxFilledGapSamples);
  for (int k = 1; k <= kMaxFilledGapSamples; ++k) {
    EXPECT_DOUBLE_EQ(series[static_cast<size_t>(k)], k);
    EXPECT_TRUE(filled[static_cast<size_t>(k)]);
  }
}

TEST(TrajectoryFilterTest, OneEuroSmoothsJitterAndFollowsAStep) {
  std::vector<double> series;
  for (int k = 0; k < 120; ++k) series.push_back((k < 60 ? 0.0 : 1.0) + (k % 2 ? 0.01 : -0.01));
  auto filtered = series;
  one_euro_offline(filtered, 30);
  double jitter = 0;
  for (int k = 30; k < 59; ++k) jitter = std::max(jitter, std::abs(filtered[static_cast<size_t>(k)]));
  EXPECT_LT(jitter, 0.006);
  EXPECT_NEAR(filtered.back(), 1.0, 0.02);
}

TEST(TrajectoryFilterTest, ParsesFilterNames) {
  EXPECT_EQ(parse_trajectory_filter("none")->kind, TrajectoryFilterKind::kNone);
  EXPECT_EQ(parse_trajectory_filter("one-euro")->kind, TrajectoryFilterKind::kOneEuro);
  const auto default_butterworth = parse_trajectory_filter("butterworth");
  ASSERT_TRUE(default_butterworth.has_value());
  EXPECT_DOUBLE_EQ(default_butterworth->cutoff_hz, 6);
  const auto butterworth = parse_trajectory_filter("butterworth:4.5");
  ASSERT_TRUE(butterworth.has_value());
  EXPECT_DOUBLE_EQ(butterworth->cutoff_hz, 4.5);
  EXPECT_EQ(trajectory_filter_name(*butterworth), "butterworth:4.5");
  EXPECT_EQ(trajectory_filter_name(*default_butterworth), "butterworth:6");
}

TEST(TrajectoryFilterTest, RejectsUnknownFiltersAndBadCutoffs) {
  for (const char* text :
       {"", "kalman", "butterworth:", "butterworth:0", "butterworth:-3", "butterworth:6hz", "butterworth:nan",
        "butterworth:inf", "butterworth:5000", "butterworth6", "None"}) {
    const auto filter = parse_trajectory_filter(text);
    ASSERT_FALSE(filter.has_value()) << text;
    EXPECT_EQ(filter.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(filter.error().message.find("none, one-euro, butterworth"), std::string::npos);
  }
}

}  // namespace
}  // namespace dd::analysis
