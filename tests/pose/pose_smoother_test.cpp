#include "pose/pose_smoother.h"

#include <gtest/gtest.h>

namespace dd::pose {
namespace {

struct Frame {
  std::array<Landmark, kLandmarkCount> landmarks{};
  std::array<Landmark, kLandmarkCount> world{};
  std::array<Landmark, 2> aux{};
};

// A pose shifted by dx (normalised), with the given visibility; aux 100 px apart vertically
// in a 1000x1000 frame (object scale 200 px).
Frame make_frame(float dx, float visibility) {
  Frame f;
  for (int i = 0; i < kLandmarkCount; ++i) {
    f.landmarks[i] = Landmark{0.3f + dx, 0.5f, 0.0f, visibility, 1.0f};
    f.world[i] = Landmark{0.1f + dx, 0.0f, 0.0f, visibility, 1.0f};
  }
  f.aux = {Landmark{0.5f + dx, 0.6f, 0, 1, 1}, Landmark{0.5f + dx, 0.5f, 0, 1, 1}};
  return f;
}

TEST(FilterTimestampTest, OffsetsByOneSecondInMicroseconds) {
  EXPECT_EQ(filter_timestamp_ns(0.0), 1'000'000'000);
  EXPECT_EQ(filter_timestamp_ns(1.0 / 30.0), 1'033'333'000);
}

TEST(PoseSmootherTest, SmoothsTowardsNewValues) {
  PoseSmoother smoother;
  Frame a = make_frame(0.0f, 1.0f);
  smoother.apply(a.landmarks, a.world, a.aux, filter_timestamp_ns(0.0), 1000, 1000, true);
  EXPECT_NEAR(a.landmarks[0].x, 0.3f, 1e-6);  // first frame passes through
  Frame b = make_frame(0.05f, 0.0f);
  smoother.apply(b.landmarks, b.world, b.aux, filter_timestamp_ns(1.0 / 30), 1000, 1000, true);
  EXPECT_GT(b.landmarks[0].x, 0.3f);
  EXPECT_LT(b.landmarks[0].x, 0.35f - 1e-3f);
  EXPECT_NEAR(b.landmarks[0].visibility, 0.9f, 1e-6);
  EXPECT_LT(b.world[0].x, 0.15f - 1e-3f);
  EXPECT_LT(b.aux[0].x, 0.55f - 1e-3f);
}

TEST(PoseSmootherTest, SmoothOff_OnlyAuxFiltered) {
  PoseSmoother smoother;
  Frame a = make_frame(0.0f, 1.0f);
  smoother.apply(a.landmarks, a.world, a.aux, filter_timestamp_ns(0.0), 1000, 1000, false);
  Frame b = make_frame(0.05f, 0.0f);
  smoother.apply(b.landmarks, b.world, b.aux, filter_timestamp_ns(1.0 / 30), 1000, 1000, false);
  EXPECT_NEAR(b.landmarks[0].x, 0.35f, 1e-7);
  EXPECT_NEAR(b.landmarks[0].visibility, 0.0f, 1e-7);
  EXPECT_LT(b.aux[0].x, 0.55f - 1e-3f);
}

TEST(PoseSmootherTest, PoseLost_ResetsLandmarksButKeepsVisibilityAndWorld) {
  PoseSmoother smoother;
  Frame a = make_frame(0.0f, 1.0f);
  smoother.apply(a.landmarks, a.world, a.aux, filter_timestamp_ns(0.0), 1000, 1000, true);
  smoother.on_pose_lost();
  Frame b = make_frame(0.05f, 0.0f);
  smoother.apply(b.landmarks, b.world, b.aux, filter_timestamp_ns(0.1), 1000, 1000, true);
  EXPECT_NEAR(b.landmarks[0].x, 0.35f, 1e-6);  // fresh start: raw value
  EXPECT_NEAR(b.aux[0].x, 0.55f, 1e-6);
  EXPECT_NEAR(b.landmarks[0].visibility, 0.9f, 1e-6);  // low-pass kept its state
  EXPECT_NEAR(b.world[0].visibility, 0.9f, 1e-6);
  EXPECT_LT(b.world[0].x, 0.15f - 1e-3f);  // world one-euro kept its state
}

}  // namespace
}  // namespace dd::pose
