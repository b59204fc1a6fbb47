// End-to-end PoseTracker checks with the real models on a Debian opencv-doc photo.
#include "pose/pose_tracker.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace dd::pose {
namespace {

const char* const kMessiPath = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

cv::Mat load_messi_rgb() {
  cv::Mat bgr = cv::imread(kMessiPath, cv::IMREAD_COLOR);
  cv::Mat rgb;
  if (!bgr.empty()) cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

std::unique_ptr<PoseTracker> make_tracker(bool static_mode, bool smooth) {
  PoseOptions options;
  options.model_dir = DD_TEST_MODEL_DIR;
  options.static_image_mode = static_mode;
  options.smooth_landmarks = smooth;
  options.num_threads = 1;
  auto tracker = PoseTracker::create(options);
  EXPECT_TRUE(tracker.has_value()) << tracker.error().message;
  return tracker.has_value() ? std::move(tracker).value() : nullptr;
}

TEST(PoseTrackerTest, Create_RejectsBadOptions) {
  PoseOptions options;
  options.model_dir = DD_TEST_MODEL_DIR;
  options.model = "medium";
  EXPECT_EQ(PoseTracker::create(options).error().code, ErrorCode::kInvalidArgument);
  options.model = "lite";
  options.min_detection_confidence = 1.5f;
  EXPECT_EQ(PoseTracker::create(options).error().code, ErrorCode::kInvalidArgument);
  options.min_detection_confidence = 0.5f;
  options.model_dir = "/nonexistent-model-dir";
  EXPECT_EQ(PoseTracker::create(options).error().code, ErrorCode::kNotFound);
}

TEST(PoseTrackerTest, Process_RejectsNonRgbFrames) {
  auto tracker = make_tracker(true, false);
  ASSERT_NE(tracker, nullptr);
  EXPECT_EQ(tracker->process(cv::Mat(), 0, 0.0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(tracker->process(cv::Mat(10, 10, CV_8UC1), 0, 0.0).error().code, ErrorCode::kInvalidArgument);
}

TEST(PoseTrackerTest, BlankFrame_HasNoPose) {
  auto tracker = make_tracker(false, true);
  ASSERT_NE(tracker, nullptr);
  const cv::Mat grey(240, 320, CV_8UC3, cv::Scalar(128, 128, 128));
  auto frame = tracker->process(grey, 3, 0.1);
  ASSERT_TRUE(frame.has_value()) << frame.error().message;
  EXPECT_FALSE(frame->detected);
  EXPECT_EQ(frame->index, 3);
}

TEST(PoseTrackerTest, Messi_PoseInsidePlayerAndSidesNotSwapped) {
  const cv::Mat rgb = load_messi_rgb();
  ASSERT_FALSE(rgb.empty()) << kMessiPath;
  auto tracker = make_tracker(true, false);
  ASSERT_NE(tracker, nullptr);
  auto frame = tracker->process(rgb, 0, 0.0);
  ASSERT_TRUE(frame.has_value()) << frame.error().message;
  ASSERT_TRUE(frame->detected);
  EXPECT_GT(frame->pose_score, 0.9f);
  // The player spans x 67..458, y 60..342 of the 548x342 photo (found by eye), with margin.
  for (int i = 0; i < kLandmarkCount; ++i) {
    const Landmark& lm = frame->landmarks[i];
    EXPECT_GT(lm.x * 548, 45.0f) << "landmark " << i;
    EXPECT_LT(lm.x * 548, 480.0f) << "landmark " << i;
    EXPECT_GT(lm.y * 342, 45.0f) << "landmark " << i;
    EXPECT_LT(lm.y * 342, 370.0f) << "landmark " << i;
  }
  // Facing the camera: his right hand is stretched out on the left of the photo (~80, 92 px),
  // his left hand at ~(357, 167), his nose at ~(237, 117).
  const auto px = [&](int i) {
    return cv::Point2f(frame->landmarks[i].x * 548, frame->landmarks[i].y * 342);
  };
  EXPECT_LT(cv::norm(px(kRightWrist) - cv::Point2f(80, 92)), 30.0);
  EXPECT_LT(cv::norm(px(kLeftWrist) - cv::Point2f(357, 167)), 30.0);
  EXPECT_LT(cv::norm(px(kNose) - cv::Point2f(237, 117)), 20.0);
  EXPECT_GT(px(kLeftShoulder).x, px(kRightShoulder).x);
  EXPECT_GT(px(kLeftHip).x, px(kRightHip).x);
  // World landmarks are metres around the hips: the shoulders are 0.2..0.6 m apart.
  const Landmark& ls = frame->world[kLeftShoulder];
  const Landmark& rs = frame->world[kRightShoulder];
  const double shoulder_m = std::sqrt((ls.x - rs.x) * (ls.x - rs.x) + (ls.y - rs.y) * (ls.y - rs.y) +
                                      (ls.z - rs.z) * (ls.z - rs.z));
  EXPECT_GT(shoulder_m, 0.2);
  EXPECT_LT(shoulder_m, 0.6);
}

TEST(PoseTrackerTest, MovingPlayer_LandmarksFollowThePath) {
  const cv::Mat rgb = load_messi_rgb();
  ASSERT_FALSE(rgb.empty()) << kMessiPath;
  auto tracker = make_tracker(false, true);
  ASSERT_NE(tracker, nullptr);
  // The photo pasted into a larger canvas: still for 10 frames (the tracked ROI settles),
  // then moving 6 px right and 2 px down a frame for 30 frames.
  const auto compose = [&](int dx, int dy) {
    cv::Mat canvas(520, 800, CV_8UC3, cv::Scalar(110, 120, 100));
    rgb.copyTo(canvas(cv::Rect(40 + dx, 60 + dy, rgb.cols, rgb.rows)));
    return canvas;
  };
  constexpr int kStillFrames = 10;
  constexpr int kMovingFrames = 30;
  PoseFrame still;
  for (int i = 0; i < kStillFrames + kMovingFrames; ++i) {
    const int step = std::max(0, i - kStillFrames + 1);
    const int dx = 6 * step;
    const int dy = 2 * step;
    auto frame = tracker->process(compose(dx, dy), i, i / 30.0);
    ASSERT_TRUE(frame.has_value()) << frame.error().message;
    ASSERT_TRUE(frame->detected) << "frame " << i;
    if (i == kStillFrames - 1) still = *frame;
    if (i < kStillFrames) continue;
    for (int lm :
         {kNose, kLeftShoulder, kRightShoulder, kLeftElbow, kLeftWrist, kRightWrist, kLeftHip, kLeftKnee}) {
      const float expected_x = still.landmarks[lm].x * 800 + dx;
      const float expected_y = still.landmarks[lm].y * 520 + dy;
      // Model jitter as the ROI moves, and the one-euro filter's lag on a 6.3 px/frame path.
      EXPECT_NEAR(frame->landmarks[lm].x * 800, expected_x, 12.0f) << "frame " << i << " landmark " << lm;
      EXPECT_NEAR(frame->landmarks[lm].y * 520, expected_y, 12.0f) << "frame " << i << " landmark " << lm;
    }
    // The tracked ROI moves with the player.
    EXPECT_NEAR(frame->roi.x_center * 800, still.roi.x_center * 800 + dx, 20.0f) << "frame " << i;
    EXPECT_NEAR(frame->roi.y_center * 520, still.roi.y_center * 520 + dy, 20.0f) << "frame " << i;
  }
}

}  // namespace
}  // namespace dd::pose
