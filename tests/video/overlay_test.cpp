#include "video/overlay.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <limits>

namespace dd::video {
namespace {

using pose::PoseFrame;

// A standing figure in normalised coordinates, every landmark confident.
PoseFrame standing_pose() {
  PoseFrame pose;
  pose.index = 12;
  pose.timestamp_s = 0.4;
  pose.detected = true;
  pose.pose_score = 0.95f;
  for (auto& lm : pose.landmarks) {
    lm = {0.5f, 0.2f, 0.0f, 0.9f, 0.9f};
  }
  auto set = [&](int i, float x, float y) {
    pose.landmarks[i].x = x;
    pose.landmarks[i].y = y;
  };
  set(pose::kLeftShoulder, 0.6f, 0.3f);
  set(pose::kRightShoulder, 0.4f, 0.3f);
  set(pose::kLeftElbow, 0.7f, 0.45f);
  set(pose::kRightElbow, 0.3f, 0.45f);
  set(pose::kLeftWrist, 0.75f, 0.6f);
  set(pose::kRightWrist, 0.25f, 0.6f);
  set(pose::kLeftHip, 0.55f, 0.6f);
  set(pose::kRightHip, 0.45f, 0.6f);
  set(pose::kLeftKnee, 0.56f, 0.75f);
  set(pose::kRightKnee, 0.44f, 0.75f);
  set(pose::kLeftAnkle, 0.57f, 0.9f);
  set(pose::kRightAnkle, 0.43f, 0.9f);
  return pose;
}

OverlayOptions skeleton_only() {
  OverlayOptions options;
  options.draw_hud = false;
  options.draw_trails = false;
  return options;
}

bool is_black(const cv::Mat& rgb, int x, int y) {
  return rgb.at<cv::Vec3b>(y, x) == cv::Vec3b(0, 0, 0);
}

TEST(OverlayRendererTest, DrawsSkeleton_WhereLandmarksAre) {
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar::all(0));
  OverlayRenderer renderer(skeleton_only());
  ASSERT_TRUE(renderer.draw(frame, standing_pose()).has_value());
  // Middle of the shoulder line (y = 0.3 * 480 = 144) is drawn in the confident colour (green).
  const cv::Vec3b shoulder_mid = frame.at<cv::Vec3b>(144, 320);
  EXPECT_GT(shoulder_mid[1], 200);
  EXPECT_LT(shoulder_mid[2], 60);
  EXPECT_FALSE(is_black(frame, 0.6 * 640, 0.3 * 480));  // left shoulder joint
  EXPECT_TRUE(is_black(frame, 20, 460));
  EXPECT_TRUE(is_black(frame, 620, 20));
}

TEST(OverlayRendererTest, SkipsHiddenLandmarks_LowVisibility) {
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar::all(0));
  PoseFrame pose = standing_pose();
  pose.landmarks[pose::kLeftWrist].visibility = 0.1f;
  OverlayRenderer renderer(skeleton_only());
  ASSERT_TRUE(renderer.draw(frame, pose).has_value());
  // Elbow (448, 216) to wrist (480, 288): its middle stays empty, the wrist too.
  EXPECT_TRUE(is_black(frame, 464, 252));
  EXPECT_TRUE(is_black(frame, 480, 288));
  // The other arm is drawn.
  EXPECT_FALSE(is_black(frame, 176, 252));
}

TEST(OverlayRendererTest, SkipsBrokenCoordinates_NanAndHuge) {
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar::all(0));
  PoseFrame pose = standing_pose();
  pose.landmarks[pose::kLeftWrist].x = std::numeric_limits<float>::quiet_NaN();
  pose.landmarks[pose::kRightWrist].y = 1e30f;
  OverlayOptions options;
  options.draw_hud = false;
  OverlayRenderer renderer(options);
  ASSERT_TRUE(renderer.draw(frame, pose).has_value());
  ASSERT_TRUE(renderer.draw(frame, pose).has_value());
  EXPECT_TRUE(is_black(frame, 464, 252));   // left elbow-wrist segment left out
  EXPECT_FALSE(is_black(frame, 320, 144));  // the rest is drawn
}

TEST(OverlayRendererTest, DrawsNothing_UndetectedWithoutHud) {
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(30, 60, 90));
  const cv::Mat before = frame.clone();
  PoseFrame pose = standing_pose();
  pose.detected = false;
  OverlayOptions options;
  options.draw_hud = false;
  OverlayRenderer renderer(options);
  ASSERT_TRUE(renderer.draw(frame, pose).has_value());
  EXPECT_EQ(cv::norm(frame, before, cv::NORM_INF), 0.0);
}

TEST(OverlayRendererTest, DrawsHudPanel_TopLeftOnly) {
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar::all(128));
  PoseFrame pose = standing_pose();
  pose.detected = false;
  OverlayRenderer renderer;
  HudInfo hud;
  hud.movement_type = "spin";
  hud.intensity = 0.7;
  ASSERT_TRUE(renderer.draw(frame, pose, hud).has_value());
  const cv::Vec3b panel_corner = frame.at<cv::Vec3b>(9, 9);
  EXPECT_LT(panel_corner[0], 100);  // darkened
  EXPECT_EQ(frame.at<cv::Vec3b>(470, 630), cv::Vec3b(128, 128, 128));
  // Four text lines plus the bar at 480 rows fit in roughly the top third.
  EXPECT_EQ(frame.at<cv::Vec3b>(200, 20), cv::Vec3b(128, 128, 128));
  // Text is drawn in white inside the panel.
  const cv::Mat panel = frame(cv::Rect(0, 0, 200, 100));
  cv::Mat white;
  cv::inRange(panel, cv::Scalar::all(200), cv::Scalar::all(255), white);
  EXPECT_GT(cv::countNonZero(white), 50);
}

TEST(OverlayRendererTest, DrawsTrail_BetweenSuccessiveWristPositions) {
  OverlayOptions options;
  options.draw_hud = false;
  options.draw_skeleton = false;
  options.draw_joints = false;
  OverlayRenderer renderer(options);
  PoseFrame pose = standing_pose();
  cv::Mat first(480, 640, CV_8UC3, cv::Scalar::all(0));
  ASSERT_TRUE(renderer.draw(first, pose).has_value());
  EXPECT_EQ(cv::countNonZero(first.reshape(1)), 0);  // one point is not a trail yet
  pose.landmarks[pose::kRightWrist].x = 0.15f;       // moves left by 64 px
  cv::Mat second(480, 640, CV_8UC3, cv::Scalar::all(0));
  ASSERT_TRUE(renderer.draw(second, pose).has_value());
  EXPECT_FALSE(is_black(second, 128, 288));  // between x = 96 and 160 on y = 288
  EXPECT_TRUE(is_black(second, 320, 288));
}

TEST(OverlayRendererTest, ScalesLines_WithFrameHeight) {
  auto stroke_height = [](int rows) {
    cv::Mat frame(rows, rows * 16 / 9, CV_8UC3, cv::Scalar::all(0));
    OverlayOptions options = skeleton_only();
    options.draw_joints = false;
    OverlayRenderer renderer(options);
    EXPECT_TRUE(renderer.draw(frame, standing_pose()).has_value());
    // Vertical extent of the shoulder line (y = 0.3) in the centre column, away from the
    // face (y = 0.2) and hips (y = 0.6).
    const cv::Mat band =
        frame(cv::Range(rows / 4, rows * 35 / 100), cv::Range(frame.cols / 2, frame.cols / 2 + 1));
    return cv::countNonZero(band.reshape(1, band.rows).col(1));
  };
  const int small = stroke_height(480);
  const int large = stroke_height(2160);
  EXPECT_GE(small, 2);
  EXPECT_NEAR(static_cast<double>(large) / small, 2160.0 / 480.0, 2.0);
}

TEST(OverlayRendererTest, InvalidArgument_NotRgb) {
  cv::Mat gray(480, 640, CV_8UC1, cv::Scalar::all(0));
  OverlayRenderer renderer;
  const Status status = renderer.draw(gray, standing_pose());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace dd::video
