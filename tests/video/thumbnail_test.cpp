#include "video/thumbnail.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

namespace dd::video {
namespace {

namespace fs = std::filesystem;

TEST(ThumbnailTest, ScalesDownKeepingAspect_WideFrame) {
  const fs::path path = fs::path(DD_TEST_BINARY_DIR) / "thumb.jpg";
  fs::remove(path);
  const cv::Mat rgb(480, 640, CV_8UC3, cv::Scalar(220, 30, 30));  // red in RGB
  ASSERT_TRUE(save_thumbnail(rgb, path, 320).has_value());
  const cv::Mat bgr = cv::imread(path.string());
  ASSERT_FALSE(bgr.empty());
  EXPECT_EQ(bgr.cols, 320);
  EXPECT_EQ(bgr.rows, 240);
  const cv::Vec3b px = bgr.at<cv::Vec3b>(120, 160);
  EXPECT_NEAR(px[2], 220, 10);  // red lands in the file's red channel
  EXPECT_NEAR(px[0], 30, 10);
}

TEST(ThumbnailTest, KeepsSize_SmallerThanLimit) {
  const fs::path path = fs::path(DD_TEST_BINARY_DIR) / "thumb_small.jpg";
  const cv::Mat rgb(60, 80, CV_8UC3, cv::Scalar::all(100));
  ASSERT_TRUE(save_thumbnail(rgb, path, 320).has_value());
  EXPECT_EQ(cv::imread(path.string()).cols, 80);
}

TEST(ThumbnailTest, Fails_BadImageOrPath) {
  const cv::Mat gray(60, 80, CV_8UC1, cv::Scalar::all(0));
  EXPECT_EQ(save_thumbnail(gray, fs::path(DD_TEST_BINARY_DIR) / "t.jpg").error().code,
            ErrorCode::kInvalidArgument);
  const cv::Mat rgb(60, 80, CV_8UC3, cv::Scalar::all(0));
  EXPECT_EQ(save_thumbnail(rgb, fs::path(DD_TEST_BINARY_DIR) / "no_dir" / "t.jpg").error().code,
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace dd::video
