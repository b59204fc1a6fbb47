#include "video/overlay.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

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

TEST(OverlayRendererTest, I420Drawing_ShowsTheSamePictureAsRgb) {
  const cv::Mat background(480, 640, CV_8UC3, cv::Scalar(90, 120, 160));
  HudInfo hud;
  hud.movement_type = "Dancing";
  hud.intensity = 0.6;
  PoseFrame moved = standing_pose();
  for (auto& lm : moved.landmarks) lm.x += 0.05f;  // the second frame gives the trails a segment

  cv::Mat rgb = background.clone();
  OverlayRenderer rgb_renderer;
  ASSERT_TRUE(rgb_renderer.draw(rgb, standing_pose(), hud).has_value());
  ASSERT_TRUE(rgb_renderer.draw(rgb, moved, hud).has_value());

  cv::Mat i420;
  cv::cvtColor(background, i420, cv::COLOR_RGB2YUV_I420);  // BT.601, limited range
  OverlayRenderer yuv_renderer;
  ASSERT_TRUE(yuv_renderer.draw_i420(i420, YuvMatrix::kBt601, standing_pose(), hud).has_value());
  ASSERT_TRUE(yuv_renderer.draw_i420(i420, YuvMatrix::kBt601, moved, hud).has_value());
  cv::Mat yuv_drawn;
  cv::cvtColor(i420, yuv_drawn, cv::COLOR_YUV2RGB_I420);
  cv::Mat untouched;  // the background after the same round trip, undrawn
  cv::cvtColor(background, untouched, cv::COLOR_RGB2YUV_I420);
  cv::cvtColor(untouched, untouched, cv::COLOR_YUV2RGB_I420);

  auto changed = [](const cv::Mat& a, const cv::Mat& b, int threshold) {
    cv::Mat diff, mask;
    cv::absdiff(a, b, diff);
    cv::cvtColor(diff, diff, cv::COLOR_RGB2GRAY);
    cv::threshold(diff, mask, threshold, 255, cv::THRESH_BINARY);
    return mask;
  };
  const cv::Mat drawn_rgb = changed(rgb, background, 30);
  const cv::Mat drawn_yuv = changed(yuv_drawn, untouched, 30);
  const int drawn = cv::countNonZero(drawn_rgb);
  ASSERT_GT(drawn, 5000);  // skeleton, joints, trails and the HUD
  cv::Mat both;
  cv::bitwise_and(drawn_rgb, drawn_yuv, both);
  EXPECT_GT(cv::countNonZero(both), 0.9 * drawn);
  // Nothing is drawn where the RGB renderer drew nothing (allowing chroma's half resolution).
  cv::Mat near_rgb, outside;
  cv::dilate(drawn_rgb, near_rgb, cv::Mat::ones(5, 5, CV_8U));
  cv::bitwise_and(drawn_yuv, ~near_rgb, outside);
  EXPECT_EQ(cv::countNonZero(outside), 0);
  // Against the RGB drawing after the same round trip, the mean difference is small.
  cv::Mat rgb_round_trip, diff;
  cv::cvtColor(rgb, rgb_round_trip, cv::COLOR_RGB2YUV_I420);
  cv::cvtColor(rgb_round_trip, rgb_round_trip, cv::COLOR_YUV2RGB_I420);
  cv::absdiff(yuv_drawn, rgb_round_trip, diff);
  const cv::Scalar mean = cv::mean(diff);
  EXPECT_LT((mean[0] + mean[1] + mean[2]) / 3, 1.5);
  // The confident skeleton is green in both (the middle of the shoulder line).
  const cv::Vec3b shoulder = yuv_drawn.at<cv::Vec3b>(144, 320);
  EXPECT_GT(shoulder[1], 200);
  EXPECT_LT(shoulder[0], 80);
}

TEST(OverlayRendererTest, InvalidArgument_NotI420) {
  OverlayRenderer renderer;
  for (const cv::Mat& image :
       {cv::Mat(), cv::Mat(480, 640, CV_8UC3), cv::Mat(720, 641, CV_8UC1), cv::Mat(721, 640, CV_8UC1)}) {
    cv::Mat frame = image;
    const Status status = renderer.draw_i420(frame, YuvMatrix::kBt601, standing_pose());
    ASSERT_FALSE(status.has_value());
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(I420Test, RgbToYuv_KnownColoursPerMatrix) {
  auto expect_near = [](const cv::Scalar& got, const cv::Scalar& want) {
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(got[c], want[c], 0.5) << "component " << c;
  };
  expect_near(rgb_to_yuv({0, 0, 0}, YuvMatrix::kBt601), {16, 128, 128});
  expect_near(rgb_to_yuv({255, 255, 255}, YuvMatrix::kBt709), {235, 128, 128});
  expect_near(rgb_to_yuv({255, 0, 0}, YuvMatrix::kBt601), {81.5, 90.2, 240});
  expect_near(rgb_to_yuv({255, 0, 0}, YuvMatrix::kBt709), {62.6, 102, 240});
  expect_near(rgb_to_yuv({0, 0, 255}, YuvMatrix::kBt2020), {29, 240, 119});
}

TEST(I420Test, DefinedColourTags_DropUnspecifiedReservedAndUnknown) {
  EXPECT_EQ(defined_colour_tags(9, 18).primaries, 9);
  EXPECT_EQ(defined_colour_tags(9, 18).transfer, 18);
  EXPECT_EQ(defined_colour_tags(1, 16).transfer, 16);  // PQ
  for (int code : {-1, 0, 2, 3, 13, 22, 1000}) EXPECT_EQ(defined_colour_tags(code, 1).primaries, 0) << code;
  for (int code : {-1, 0, 2, 3, 19, 1000}) EXPECT_EQ(defined_colour_tags(1, code).transfer, 0) << code;
}

TEST(I420Test, Planes_AreViewsInOpenCvLayout) {
  cv::Mat i420(6, 4, CV_8UC1);
  for (int i = 0; i < 24; ++i) i420.data[i] = static_cast<uint8_t>(i);
  ASSERT_TRUE(is_i420(i420));
  EXPECT_EQ(i420_picture_size(i420), cv::Size(4, 4));
  I420Planes planes = i420_planes(i420);
  EXPECT_EQ(planes.y.size(), cv::Size(4, 4));
  EXPECT_EQ(planes.u.size(), cv::Size(2, 2));
  EXPECT_EQ(planes.u.at<uint8_t>(1, 1), 19);
  EXPECT_EQ(planes.v.at<uint8_t>(0, 0), 20);
  EXPECT_EQ(planes.v.data, i420.data + 20);
}

}  // namespace
}  // namespace dd::video
