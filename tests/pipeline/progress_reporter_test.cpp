// ProgressReporter: the one progress shape of analyses and comparisons.
#include "pipeline/progress_reporter.h"

#include <gtest/gtest.h>

#include <vector>

namespace dd::pipeline {
namespace {

TEST(ProgressReporterTest, StagesAreAlwaysReported) {
  std::vector<Progress> reports;
  const ProgressCallback callback = [&](const Progress& p) { reports.push_back(p); };
  ProgressReporter reporter(callback, /*total_frames=*/10, ProgressReporter::Clock::now());
  reporter.stage(0.0, "compare", "aligning");
  reporter.stage(0.1, "encode", "drawing");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].stage, "encode");
  EXPECT_DOUBLE_EQ(reports[1].fraction, 0.1);
  EXPECT_EQ(reports[1].total, 10);
}

TEST(ProgressReporterTest, FrameMapsIntoItsStagesShareOfTheBar) {
  std::vector<Progress> reports;
  const ProgressCallback callback = [&](const Progress& p) { reports.push_back(p); };
  ProgressReporter reporter(callback, /*total_frames=*/0, ProgressReporter::Clock::now());
  reporter.set_total(10);
  // The first frame report of a fresh reporter is never throttled.
  reporter.frame("encode", /*begin=*/0.2, /*end=*/1.0, /*frames_done=*/5, ProgressReporter::Clock::now());
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NEAR(reports[0].fraction, 0.6, 1e-9);
  EXPECT_EQ(reports[0].message, "encode: frame 5 of 10");
  EXPECT_EQ(reports[0].frame, 5);
  EXPECT_EQ(reports[0].total, 10);
  EXPECT_GE(reports[0].eta_s, 0.0);
}

TEST(ProgressReporterTest, EmptyCallbackIsFine) {
  const ProgressCallback none;
  ProgressReporter reporter(none, 1, ProgressReporter::Clock::now());
  reporter.stage(0.5, "pose", "half");
  reporter.frame("pose", 0, 1, 1, ProgressReporter::Clock::now());
}

}  // namespace
}  // namespace dd::pipeline
