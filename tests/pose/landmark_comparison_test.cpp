#include "pose/landmark_comparison.h"

#include <gtest/gtest.h>

namespace dd::pose {
namespace {

PoseSequence sequence(int frames, float x, int lost_index) {
  PoseSequence s;
  s.width = 200;
  s.height = 100;
  for (int i = 0; i < frames; ++i) {
    PoseFrame f;
    f.index = i;
    f.detected = i != lost_index;
    for (auto& lm : f.landmarks) lm = Landmark{x, 0.5f, 0, 1, 1};
    s.frames.push_back(f);
  }
  return s;
}

TEST(LandmarkComparisonTest, ErrorsInPercentOfLongerSide) {
  // x differs by 0.01 of 200 px = 2 px = 1% of the longer side.
  const auto c = compare_landmarks(sequence(4, 0.51f, 3), sequence(4, 0.5f, -1));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->frames_compared, 4);
  EXPECT_EQ(c->frames_both_detected, 3);
  EXPECT_EQ(c->frames_only_reference, 1);
  EXPECT_EQ(c->frames_only_ours, 0);
  EXPECT_NEAR(c->detection_agreement_pct, 75.0, 1e-9);
  EXPECT_NEAR(c->median_error_pct, 1.0, 1e-4);
  EXPECT_NEAR(c->p95_error_pct, 1.0, 1e-4);
}

TEST(LandmarkComparisonTest, SizeMismatchOrNoSharedFrames_AreErrors) {
  PoseSequence other = sequence(2, 0.5f, -1);
  other.width = 100;
  EXPECT_FALSE(compare_landmarks(sequence(2, 0.5f, -1), other).has_value());
  PoseSequence shifted = sequence(2, 0.5f, -1);
  for (auto& f : shifted.frames) f.index += 10;
  EXPECT_FALSE(compare_landmarks(sequence(2, 0.5f, -1), shifted).has_value());
}

}  // namespace
}  // namespace dd::pose
