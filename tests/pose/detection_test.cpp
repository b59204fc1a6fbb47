#include "pose/detection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace dd::pose {
namespace {

constexpr float kPi = std::numbers::pi_v<float>;

float logit(float p) {
  return std::log(p / (1.0f - p));
}

Detection make_detection(float xmin, float ymin, float w, float h, float score, float kx = 0, float ky = 0) {
  Detection d;
  d.xmin = xmin;
  d.ymin = ymin;
  d.width = w;
  d.height = h;
  d.score = score;
  for (auto& k : d.keypoints) k = {kx, ky};
  return d;
}

TEST(AnchorsTest, CountAndOrder_MatchDetectorOutputLayout) {
  const auto& anchors = pose_detector_anchors();
  ASSERT_EQ(anchors.size(), 2254u);
  // First: stride-8 grid cell (0,0), two anchors.
  EXPECT_NEAR(anchors[0].x_center, 0.5f / 28, 1e-7);
  EXPECT_NEAR(anchors[0].y_center, 0.5f / 28, 1e-7);
  EXPECT_NEAR(anchors[1].x_center, 0.5f / 28, 1e-7);
  // Second anchor of cell (1,0) of the stride-8 grid.
  EXPECT_NEAR(anchors[2].x_center, 1.5f / 28, 1e-7);
  // Stride-16 grid starts at 1568.
  EXPECT_NEAR(anchors[1568].x_center, 0.5f / 14, 1e-7);
  EXPECT_NEAR(anchors[1567].x_center, 27.5f / 28, 1e-7);
  EXPECT_NEAR(anchors[1567].y_center, 27.5f / 28, 1e-7);
  // Stride-32 grid starts at 1960, 6 anchors per cell.
  EXPECT_NEAR(anchors[1960].x_center, 0.5f / 7, 1e-7);
  EXPECT_NEAR(anchors[1965].x_center, 0.5f / 7, 1e-7);
  EXPECT_NEAR(anchors[1966].x_center, 1.5f / 7, 1e-7);
  EXPECT_NEAR(anchors.back().x_center, 6.5f / 7, 1e-7);
  EXPECT_NEAR(anchors.back().y_center, 6.5f / 7, 1e-7);
}

TEST(LetterboxTest, Padding_LandscapePortraitSquare) {
  const LetterboxPadding landscape = square_letterbox_padding(1920, 1080);
  EXPECT_NEAR(landscape.top, (1.0f - 1080.0f / 1920.0f) / 2, 1e-7);
  EXPECT_NEAR(landscape.bottom, landscape.top, 1e-7);
  EXPECT_EQ(landscape.left, 0.0f);
  const LetterboxPadding portrait = square_letterbox_padding(1080, 1920);
  EXPECT_NEAR(portrait.left, (1.0f - 1080.0f / 1920.0f) / 2, 1e-7);
  EXPECT_EQ(portrait.top, 0.0f);
  const LetterboxPadding square = square_letterbox_padding(500, 500);
  EXPECT_EQ(square.left + square.top + square.right + square.bottom, 0.0f);
}

TEST(LetterboxTest, RemoveLetterbox_MapsTensorToFrame) {
  const LetterboxPadding padding = square_letterbox_padding(1920, 1080);  // top = bottom = 0.21875
  Detection d = make_detection(0.25f, 0.21875f, 0.5f, 0.5625f, 0.9f, 0.5f, 0.5f);
  const Detection out = remove_letterbox(d, padding);
  EXPECT_NEAR(out.xmin, 0.25f, 1e-6);
  EXPECT_NEAR(out.ymin, 0.0f, 1e-6);
  EXPECT_NEAR(out.width, 0.5f, 1e-6);
  EXPECT_NEAR(out.height, 1.0f, 1e-6);
  EXPECT_NEAR(out.keypoints[0].y, 0.5f, 1e-6);
  EXPECT_NEAR(out.score, 0.9f, 1e-7);
}

TEST(DecodeDetectionsTest, DecodesOneAnchor_AndThresholdsScores) {
  std::vector<float> boxes(2254 * 12, 0.0f);
  std::vector<float> scores(2254, -10.0f);
  const int i = 1960 + 6 * (3 * 7 + 2) + 4;  // stride-32 cell x=2, y=3
  float* r = boxes.data() + i * 12;
  r[0] = 22.4f;   // +0.1 in x
  r[1] = -11.2f;  // -0.05 in y
  r[2] = 44.8f;   // width 0.2
  r[3] = 67.2f;   // height 0.3
  for (int k = 0; k < 4; ++k) {
    r[4 + 2 * k] = 2.24f * static_cast<float>(k);
    r[5 + 2 * k] = -2.24f * static_cast<float>(k);
  }
  scores[i] = logit(0.8f);
  scores[0] = 1000.0f;      // clamped to 100 -> score 1
  boxes[2] = -1.0f;         // but its width is negative: dropped
  scores[5] = logit(0.5f);  // exactly at the threshold: kept
  boxes[5 * 12 + 2] = boxes[5 * 12 + 3] = 1.0f;
  const std::vector<Detection> detections = decode_detections(boxes, scores, 0.5f);
  ASSERT_EQ(detections.size(), 2u);
  const Detection& d = detections[1];
  const float ax = 2.5f / 7, ay = 3.5f / 7;
  EXPECT_NEAR(d.score, 0.8f, 1e-6);
  EXPECT_NEAR(d.xmin, ax + 0.1f - 0.1f, 1e-6);
  EXPECT_NEAR(d.ymin, ay - 0.05f - 0.15f, 1e-6);
  EXPECT_NEAR(d.width, 0.2f, 1e-6);
  EXPECT_NEAR(d.height, 0.3f, 1e-6);
  EXPECT_NEAR(d.keypoints[3].x, ax + 0.03f, 1e-6);
  EXPECT_NEAR(d.keypoints[3].y, ay - 0.03f, 1e-6);
  EXPECT_NEAR(detections[0].score, 0.5f, 1e-6);
}

TEST(DecodeDetectionsTest, ShortTensors_GiveNoDetections) {
  std::vector<float> boxes(100, 0.0f);
  std::vector<float> scores(2254, 10.0f);
  EXPECT_TRUE(decode_detections(boxes, scores, 0.5f).empty());
}

TEST(NmsTest, Iou_OfKnownBoxes) {
  const Detection a = make_detection(0, 0, 2, 2, 1);
  const Detection b = make_detection(1, 0, 2, 2, 1);
  EXPECT_NEAR(box_iou(a, b), 2.0f / 6.0f, 1e-6);
  EXPECT_EQ(box_iou(a, make_detection(5, 5, 1, 1, 1)), 0.0f);
}

TEST(NmsTest, WeightedMerge_KeepsTopScoreAndSeparatesClusters) {
  std::vector<Detection> detections = {
      make_detection(0.1f, 0.1f, 0.2f, 0.2f, 0.6f, 0.3f, 0.3f),
      make_detection(0.12f, 0.1f, 0.2f, 0.2f, 0.9f, 0.2f, 0.2f),
      make_detection(0.7f, 0.7f, 0.1f, 0.1f, 0.7f, 0.75f, 0.75f),
  };
  const std::vector<Detection> out = weighted_non_max_suppression(detections, 0.3f);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NEAR(out[0].score, 0.9f, 1e-7);
  EXPECT_NEAR(out[0].xmin, (0.12f * 0.9f + 0.1f * 0.6f) / 1.5f, 1e-6);
  EXPECT_NEAR(out[0].width, ((0.32f * 0.9f + 0.3f * 0.6f) / 1.5f) - out[0].xmin, 1e-6);
  EXPECT_NEAR(out[0].keypoints[1].x, (0.2f * 0.9f + 0.3f * 0.6f) / 1.5f, 1e-6);
  EXPECT_NEAR(out[1].score, 0.7f, 1e-7);
  EXPECT_NEAR(out[1].xmin, 0.7f, 1e-7);
}

TEST(NmsTest, IouAtThreshold_DoesNotMerge) {
  // IoU 0.25: separate at threshold 0.3, one cluster at 0.2.
  std::vector<Detection> detections = {make_detection(0, 0, 2, 2, 0.9f), make_detection(1.2f, 0, 2, 2, 0.8f)};
  EXPECT_EQ(weighted_non_max_suppression(detections, 0.3f).size(), 2u);
  EXPECT_EQ(weighted_non_max_suppression(detections, 0.2f).size(), 1u);
}

TEST(NmsTest, DegenerateBox_Terminates) {
  std::vector<Detection> detections = {make_detection(0, 0, 0, 0, 0.9f), make_detection(0, 0, 1, 1, 0.8f)};
  const auto out = weighted_non_max_suppression(detections, 0.3f);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].score, 0.9f, 1e-7);
}

TEST(RoiTest, UprightPerson_ZeroRotationAndSquareSide) {
  // Frame 1000x500; hip centre at (500, 300) px, size point 100 px straight up.
  const NormalizedRect roi = roi_from_alignment_points({0.5f, 0.6f}, {0.5f, 0.4f}, 1000, 500);
  EXPECT_NEAR(roi.rotation, 0.0f, 1e-6);
  EXPECT_NEAR(roi.x_center, 0.5f, 1e-7);
  EXPECT_NEAR(roi.y_center, 0.6f, 1e-7);
  EXPECT_NEAR(roi.width * 1000, 250.0f, 1e-3);  // 2.5 * 100 px
  EXPECT_NEAR(roi.height * 500, 250.0f, 1e-3);
}

TEST(RoiTest, Rotation_SignAndRange) {
  // Size point to the right of the centre: the body's up is +x, so the ROI turns by +90 deg
  // (its x axis towards +y).
  const NormalizedRect right = alignment_points_to_rect({0.5f, 0.5f}, {0.6f, 0.5f}, 100, 100);
  EXPECT_NEAR(right.rotation, kPi / 2, 1e-6);
  EXPECT_NEAR(right.width, 0.2f, 1e-6);
  // Pointing down (upside-down person) wraps into [-pi, pi).
  const NormalizedRect down = alignment_points_to_rect({0.5f, 0.5f}, {0.5f, 0.6f}, 100, 100);
  EXPECT_NEAR(down.rotation, -kPi, 1e-6);
  const NormalizedRect left = alignment_points_to_rect({0.5f, 0.5f}, {0.4f, 0.5f}, 100, 100);
  EXPECT_NEAR(left.rotation, -kPi / 2, 1e-6);
}

TEST(RoiTest, NormalizeRadians_WrapsIntoHalfOpenRange) {
  EXPECT_NEAR(normalize_radians(3 * kPi / 2), -kPi / 2, 1e-6);
  EXPECT_NEAR(normalize_radians(-3 * kPi / 2), kPi / 2, 1e-6);
  EXPECT_NEAR(normalize_radians(0.25f), 0.25f, 1e-7);
}

TEST(RoiTest, NonSquareFrame_MeasuresInPixels) {
  // Frame 200x100: 0.1 in x is 20 px, 0.2 in y is 20 px; diagonal up-right at 45 degrees.
  const NormalizedRect rect = alignment_points_to_rect({0.5f, 0.5f}, {0.6f, 0.3f}, 200, 100);
  EXPECT_NEAR(rect.rotation, kPi / 4, 1e-6);
  EXPECT_NEAR(rect.width * 200, 2 * std::sqrt(800.0f), 1e-3);
  EXPECT_NEAR(rect.height * 100, 2 * std::sqrt(800.0f), 1e-3);
}

}  // namespace
}  // namespace dd::pose
