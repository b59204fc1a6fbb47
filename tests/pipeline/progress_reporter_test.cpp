// ProgressReporter: the one progress shape of analyses and comparisons.
#include "pipeline/progress_reporter.h"

#include <gtest/gtest.h>

#include <vector>

namespace dd::pipeline {
namespace {

TEST(ProgressReporterTest, StagesAreAlwaysReportedAtTheirStart) {
  std::vector<Progress> reports;
  const ProgressCallback callback = [&](const Progress& p) { reports.push_back(p); };
  ProgressReporter reporter(callback, /*total_frames=*/10);
  reporter.stage("compare", /*begin=*/0.0, /*end=*/0.1, "aligning");
  reporter.stage("encode", /*begin=*/0.1, /*end=*/1.0, "drawing");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].stage, "encode");
  EXPECT_DOUBLE_EQ(reports[1].fraction, 0.1);
  EXPECT_EQ(reports[1].total, 10);
}

TEST(ProgressReporterTest, FrameMapsIntoItsStagesSpanOfTheBar) {
  std::vector<Progress> reports;
  const ProgressCallback callback = [&](const Progress& p) { reports.push_back(p); };
  ProgressReporter reporter(callback, /*total_frames=*/0);
  reporter.set_total(10);
  reporter.stage("encode", /*begin=*/0.2, /*end=*/1.0, "drawing");
  reports.clear();
  // Stage changes are not throttled, frames are: wait out the interval on the reporter's clock.
  const auto deadline = ProgressReporter::Clock::now() + std::chrono::seconds(5);
  while (reports.empty() && ProgressReporter::Clock::now() < deadline) reporter.frame(/*frames_done=*/5);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NEAR(reports[0].fraction, 0.6, 1e-9);
  EXPECT_EQ(reports[0].message, "encode: frame 5 of 10");
  EXPECT_EQ(reports[0].frame, 5);
  EXPECT_EQ(reports[0].total, 10);
}

TEST(ProgressReporterTest, NoTimeLeftBeforeThePaceIsKnown) {
  std::vector<Progress> reports;
  const ProgressCallback callback = [&](const Progress& p) { reports.push_back(p); };
  ProgressReporter reporter(callback, /*total_frames=*/100);
  reporter.stage("pose", 0.0, 0.9, "finding poses");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].eta_s.has_value());
}

TEST(ProgressReporterTest, EmptyCallbackIsFine) {
  const ProgressCallback none;
  ProgressReporter reporter(none, 1);
  reporter.stage("pose", 0, 1, "half");
  reporter.frame(1);
}

}  // namespace
}  // namespace dd::pipeline
