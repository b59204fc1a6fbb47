#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>

#include <cmath>
#include <numbers>
#include <vector>

#include "pose/image_to_tensor.h"
#include "pose/landmark_decoder.h"
#include "pose/landmark_filters.h"

namespace dd::pose {
namespace {

constexpr float kPi = std::numbers::pi_v<float>;

TEST(ProjectionTest, RoundTrip_RotatedRoi) {
  const NormalizedRect roi{0.4f, 0.6f, 0.3f, 0.5f, 0.7f};
  for (float x : {0.0f, 0.25f, 0.9f}) {
    for (float y : {0.1f, 0.5f, 1.0f}) {
      const Landmark in{x, y, 0.2f, 0.8f, 0.9f};
      const Landmark frame = project_to_frame(in, roi);
      const Landmark back = project_to_roi(frame, roi);
      EXPECT_NEAR(back.x, x, 1e-5);
      EXPECT_NEAR(back.y, y, 1e-5);
      EXPECT_NEAR(back.z, 0.2f, 1e-6);
      EXPECT_NEAR(frame.visibility, 0.8f, 1e-7);
    }
  }
}

TEST(ProjectionTest, QuarterTurn_MapsRoiRightToFrameDown) {
  // A 100x100 px ROI centred at (100, 50) in a 200x100 frame, turned by +90 degrees: the
  // ROI's x axis points down the frame.
  const NormalizedRect roi{0.5f, 0.5f, 0.5f, 1.0f, kPi / 2};
  const Landmark p = project_to_frame(Landmark{1.0f, 0.5f, 0.1f, 0, 0}, roi);
  EXPECT_NEAR(p.x * 200, 100.0f, 1e-4);
  EXPECT_NEAR(p.y * 100, 100.0f, 1e-4);
  EXPECT_NEAR(p.z, 0.05f, 1e-7);  // z scales with the ROI width (fraction of the frame width)
}

TEST(SamplingMatrixTest, GpuPixelCentres_Unrotated) {
  // ROI = the whole 512x512 frame, 256 tensor: tensor pixel u covers source pixels 2u, 2u+1,
  // so its centre samples x = 2u + 0.5 in OpenCV pixel-centre units.
  const cv::Matx23d m = roi_sampling_matrix({0.5f, 0.5f, 1.0f, 1.0f, 0.0f}, 512, 512, 256);
  EXPECT_NEAR(m(0, 0), 2.0, 1e-12);
  EXPECT_NEAR(m(0, 2), 0.5, 1e-9);
  EXPECT_NEAR(m(1, 2), 0.5, 1e-9);
  EXPECT_NEAR(m(0, 1), 0.0, 1e-12);
}

TEST(SamplingMatrixTest, RotatedRoi_TensorCentreMapsToRoiCentre) {
  const NormalizedRect roi{0.3f, 0.7f, 0.2f, 0.4f, 1.1f};  // 128 px square in a 640x320 frame
  const cv::Matx23d m = roi_sampling_matrix(roi, 640, 320, 256);
  // Tensor point (127.5, 127.5) is the ROI centre (pixel edge 192, 224 -> centre 191.5, 223.5).
  const double x = m(0, 0) * 127.5 + m(0, 1) * 127.5 + m(0, 2);
  const double y = m(1, 0) * 127.5 + m(1, 1) * 127.5 + m(1, 2);
  EXPECT_NEAR(x, 191.5, 1e-4);
  EXPECT_NEAR(y, 223.5, 1e-4);
  // One tensor step along u moves 0.5 px along the rotated x axis.
  EXPECT_NEAR(m(0, 0), 0.5 * std::cos(1.1), 1e-6);
  EXPECT_NEAR(m(1, 0), 0.5 * std::sin(1.1), 1e-6);
}

TEST(ImageToTensorTest, Letterbox_PadsWithMinusOneAndScalesValues) {
  cv::Mat rgb(100, 200, CV_8UC3, cv::Scalar(255, 0, 51));
  std::vector<float> tensor(224 * 224 * 3);
  letterbox_to_tensor(rgb, 224, tensor);
  // 200x100 in a 200x200 square: rows 0..55 and 168..223 are padding.
  const auto at = [&](int row, int col, int c) { return tensor[(row * 224 + col) * 3 + c]; };
  EXPECT_EQ(at(0, 100, 0), -1.0f);
  EXPECT_EQ(at(55, 100, 0), -1.0f);
  EXPECT_EQ(at(168, 100, 0), -1.0f);
  EXPECT_NEAR(at(56, 100, 0), 1.0f, 1e-6);
  EXPECT_NEAR(at(112, 0, 1), -1.0f, 1e-6);
  EXPECT_NEAR(at(112, 223, 2), 51 * 2.0f / 255 - 1, 1e-6);
  EXPECT_NEAR(at(167, 50, 0), 1.0f, 1e-6);
}

TEST(ImageToTensorTest, RoiCrop_ReplicatesBorderAndSamplesGradient) {
  // Horizontal ramp: value = column index.
  cv::Mat rgb(64, 256, CV_8UC3);
  for (int x = 0; x < 256; ++x) rgb.col(x).setTo(cv::Scalar(x, x, x));
  std::vector<float> tensor(256 * 256 * 3);
  // ROI: 512 px square centred on the frame: half of it is outside, replicated.
  roi_to_tensor(rgb, {0.5f, 0.5f, 2.0f, 8.0f, 0.0f}, 256, tensor);
  const auto at = [&](int row, int col) { return tensor[(row * 256 + col) * 3] * 255.0f; };
  EXPECT_NEAR(at(128, 0), 0.0f, 1e-4);      // left of the frame: column 0 replicated
  EXPECT_NEAR(at(128, 255), 255.0f, 1e-4);  // right: column 255 replicated
  // Tensor column u samples x = 2u - 127.5; u = 100 -> x = 72.5 -> value 72.5, not rounded to a level.
  EXPECT_NEAR(at(128, 100), 72.5f, 1e-4);
}

// A GL sampler keeps the full sub-pixel position; cv::warpAffine would snap it to 1/32 px
// (x = 100.01 -> 100.0) and round the blend to a whole level.
TEST(ImageToTensorTest, RoiCrop_SamplesAtFullSubPixelPrecision) {
  cv::Mat rgb(64, 256, CV_8UC3);
  for (int x = 0; x < 256; ++x) rgb.col(x).setTo(cv::Scalar(x, x, x));
  std::vector<float> tensor(256 * 256 * 3);
  // 256 px wide ROI shifted right by 0.01 px: tensor column u samples x = u + 0.01.
  roi_to_tensor(rgb, {(128.0f + 0.01f) / 256.0f, 0.5f, 1.0f, 4.0f, 0.0f}, 256, tensor);
  const auto at = [&](int row, int col) { return tensor[(row * 256 + col) * 3] * 255.0f; };
  EXPECT_NEAR(at(128, 100), 100.01f, 2e-3f);
  EXPECT_NEAR(at(128, 200), 200.01f, 2e-3f);
}

// The model's threads share the crop's rows; every float must come out as on one thread.
TEST(ImageToTensorTest, ThreadPool_SameTensorsBitForBit) {
  cv::Mat rgb(1080, 1920, CV_8UC3);
  cv::randu(rgb, cv::Scalar::all(0), cv::Scalar::all(256));
  const auto pool = nn::ThreadPool::create(2);
  ASSERT_EQ(pool->size(), 2);
  // Rotated and partly outside the frame (edge replication), and a size that is no multiple
  // of the rows a task takes.
  for (const NormalizedRect roi :
       {NormalizedRect{0.9f, 0.2f, 0.5f, 0.9f, 0.7f}, NormalizedRect{0.5f, 0.5f, 0.3f, 0.4f, 0.0f}}) {
    for (int size : {256, 250}) {
      std::vector<float> alone(size * size * 3, -7.0f), shared(size * size * 3, 7.0f);
      roi_to_tensor(rgb, roi, size, alone);
      roi_to_tensor(rgb, roi, size, shared, pool.get());
      EXPECT_TRUE(std::equal(alone.begin(), alone.end(), shared.begin())) << size;
    }
  }
  std::vector<float> alone(224 * 224 * 3, -7.0f), shared(224 * 224 * 3, 7.0f);
  letterbox_to_tensor(rgb, 224, alone);
  letterbox_to_tensor(rgb, 224, shared, pool.get());
  EXPECT_TRUE(std::equal(alone.begin(), alone.end(), shared.begin()));
}

TEST(ThreadPoolTest, ParallelFor_CoversEveryIndexOnce) {
  for (int threads : {1, 2}) {
    const auto pool = nn::ThreadPool::create(threads);
    for (size_t count : {0u, 1u, 15u, 16u, 17u, 250u}) {
      std::vector<int> hits(count, 0);
      pool->parallel_for(count, 16, [&](size_t begin, size_t end) {
        EXPECT_LE(end - begin, 16u);
        for (size_t i = begin; i < end; ++i) ++hits[i];
      });
      EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), static_cast<long>(count)) << threads << " " << count;
    }
  }
}

TEST(DecodeLandmarksTest, ScalesCoordinatesAndAppliesSigmoid) {
  std::vector<float> raw(195, 0.0f);
  raw[5 * 7 + 0] = 128.0f;
  raw[5 * 7 + 1] = 64.0f;
  raw[5 * 7 + 2] = -25.6f;
  raw[5 * 7 + 3] = std::log(3.0f);   // sigmoid -> 0.75
  raw[5 * 7 + 4] = -std::log(3.0f);  // sigmoid -> 0.25
  const ModelLandmarks lm = decode_roi_landmarks(raw);
  EXPECT_NEAR(lm[7].x, 0.5f, 1e-7);
  EXPECT_NEAR(lm[7].y, 0.25f, 1e-7);
  EXPECT_NEAR(lm[7].z, -0.1f, 1e-7);
  EXPECT_NEAR(lm[7].visibility, 0.75f, 1e-6);
  EXPECT_NEAR(lm[7].presence, 0.25f, 1e-6);
  EXPECT_NEAR(lm[0].visibility, 0.5f, 1e-7);
}

TEST(DecodeLandmarksTest, WorldLandmarks_RotatedAndVisibilityCopied) {
  std::vector<float> raw(117, 0.0f);
  raw[3 * 2 + 0] = 1.0f;
  raw[3 * 2 + 1] = 0.0f;
  raw[3 * 2 + 2] = 0.3f;
  ModelLandmarks roi{};
  roi[2].visibility = 0.6f;
  const auto world = decode_world_landmarks(raw, kPi / 2, roi);
  EXPECT_NEAR(world[2].x, 0.0f, 1e-6);
  EXPECT_NEAR(world[2].y, 1.0f, 1e-6);
  EXPECT_NEAR(world[2].z, 0.3f, 1e-7);
  EXPECT_NEAR(world[2].visibility, 0.6f, 1e-7);
}

class HeatmapTest : public ::testing::Test {
 protected:
  static constexpr int kSize = 64;
  static constexpr int kChannels = 2;
  std::vector<float> heatmap = std::vector<float>(kSize * kSize * kChannels, -20.0f);  // sigmoid ~ 0
  void set(int row, int col, int channel, float logit) {
    heatmap[(row * kSize + col) * kChannels + channel] = logit;
  }
};

TEST_F(HeatmapTest, Refine_MovesToWeightedMeanWithoutHalfCellOffset) {
  set(20, 30, 0, 20.0f);  // ~1
  set(20, 32, 0, 0.0f);   // 0.5
  std::vector<Landmark> lm(2);
  lm[0].x = 31.2f / 64;  // cell 31
  lm[0].y = 19.9f / 64;  // cell 19, window rows 16..22 contains row 20
  lm[0].visibility = 0.3f;
  lm[1].x = lm[1].y = 0.5f;  // channel 1 is all ~0: peak below 0.5, unchanged
  refine_landmarks_from_heatmap(lm, heatmap, kSize, kChannels, 7, 0.5f);
  // Background cells contribute sigmoid(-20) ~ 2e-9 each: negligible.
  EXPECT_NEAR(lm[0].x, (30.0f * 1.0f + 32.0f * 0.5f) / 1.5f / 64, 1e-5);
  EXPECT_NEAR(lm[0].y, 20.0f / 64, 1e-5);
  EXPECT_NEAR(lm[0].visibility, 0.3f, 1e-7);
  EXPECT_NEAR(lm[1].x, 0.5f, 1e-7);
}

TEST_F(HeatmapTest, Refine_WindowClippedAtBorderAndOffMapSkipped) {
  set(0, 0, 0, 20.0f);
  set(0, 0, 1, 20.0f);
  std::vector<Landmark> lm(2);
  lm[0].x = -0.5f / 64;  // truncates to column 0: still refined
  lm[0].y = 1.0f / 64;
  lm[1].x = -1.5f / 64;  // column -1: off the map, unchanged
  lm[1].y = 1.0f / 64;
  refine_landmarks_from_heatmap(lm, heatmap, kSize, kChannels, 7, 0.5f);
  EXPECT_NEAR(lm[0].x, 0.0f, 1e-6);
  EXPECT_NEAR(lm[0].y, 0.0f, 1e-6);
  EXPECT_NEAR(lm[1].x, -1.5f / 64, 1e-7);
}

TEST(OneEuroFilterTest, HandComputedSteps) {
  // min_cutoff 1, beta 1, derivative cutoff 1; samples 0.1 s apart (10 Hz).
  OneEuroFilter filter({1.0, 1.0, 1.0});
  const int64_t t0 = 1'000'000'000;
  EXPECT_FLOAT_EQ(filter.apply(t0, 1.0, 10.0f), 10.0f);  // first sample passes through
  // The first sample primed the derivative filter with 0. dv = 10 * 10 Hz = 100;
  // alpha_d = 1/(1 + (1/(2*pi*1))/0.1) = 0.385870, edv = 38.587, cutoff 39.587 Hz;
  // alpha = 1/(1 + (1/(2*pi*39.587))/0.1) -> 10 + 9.6135.
  EXPECT_NEAR(filter.apply(t0 + 100'000'000, 1.0, 20.0f), 19.613500f, 1e-4);
  // A repeated timestamp returns the raw value and leaves the state alone.
  EXPECT_FLOAT_EQ(filter.apply(t0 + 100'000'000, 1.0, 55.0f), 55.0f);
  // dv = 0; edv = (1 - 0.385870)*38.587 = 23.697; cutoff 24.697 Hz.
  EXPECT_NEAR(filter.apply(t0 + 200'000'000, 1.0, 20.0f), 19.976601f, 1e-4);
}

TEST(OneEuroFilterTest, ValueScaleAndReset) {
  OneEuroFilter filter({1.0, 0.0, 1.0});
  const int64_t t0 = 5'000'000'000;
  filter.apply(t0, 0.5, 10.0f);
  // beta 0: cutoff = min_cutoff = 1 Hz regardless of scale: alpha = 0.385870.
  EXPECT_NEAR(filter.apply(t0 + 100'000'000, 0.5, 20.0f), 13.858695f, 1e-4);
  filter.reset();
  EXPECT_FLOAT_EQ(filter.apply(t0 + 200'000'000, 0.5, 3.0f), 3.0f);
}

TEST(OneEuroFilterTest, TimestampZero_OnFreshFilterPassesThroughUninitialised) {
  OneEuroFilter filter({1.0, 0.0, 1.0});
  EXPECT_FLOAT_EQ(filter.apply(0, 1.0, 7.0f), 7.0f);
  // Still uninitialised: the next sample passes through too.
  EXPECT_FLOAT_EQ(filter.apply(100'000'000, 1.0, 9.0f), 9.0f);
}

TEST(LowPassFilterTest, VisibilityAlpha) {
  VisibilityFilter filter(1, 0.1f);
  std::vector<Landmark> lm(1);
  lm[0].visibility = 1.0f;
  filter.apply(lm);
  EXPECT_NEAR(lm[0].visibility, 1.0f, 1e-7);
  lm[0].visibility = 0.0f;
  filter.apply(lm);
  EXPECT_NEAR(lm[0].visibility, 0.9f, 1e-6);
  lm[0].visibility = 0.0f;
  filter.apply(lm);
  EXPECT_NEAR(lm[0].visibility, 0.81f, 1e-6);
}

TEST(LandmarksOneEuroFilterTest, FiltersInPixelUnits) {
  // With beta 0 the result does not depend on units, but the per-axis scale must round-trip.
  LandmarksOneEuroFilter filter(1, {1.0, 0.0, 1.0});
  std::vector<Landmark> lm(1);
  lm[0] = Landmark{0.1f, 0.2f, 0.3f, 0.5f, 0.5f};
  filter.apply(lm, 1'000'000'000, 1.0, 640.0f, 480.0f, 640.0f);
  EXPECT_NEAR(lm[0].x, 0.1f, 1e-6);
  lm[0] = Landmark{0.2f, 0.2f, 0.3f, 0.5f, 0.5f};
  filter.apply(lm, 1'100'000'000, 1.0, 640.0f, 480.0f, 640.0f);
  EXPECT_NEAR(lm[0].x, 0.1f + 0.1f * 0.385870f, 1e-5);
  EXPECT_NEAR(lm[0].y, 0.2f, 1e-6);
}

}  // namespace
}  // namespace dd::pose
