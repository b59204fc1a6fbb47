#include "video/thumbnail.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace dd::video {

Status save_thumbnail(const cv::Mat& rgb, const std::filesystem::path& path, int max_width,
                      int jpeg_quality) {
  if (rgb.empty() || rgb.type() != CV_8UC3) {
    return make_error(ErrorCode::kInvalidArgument, "thumbnail needs a non-empty RGB24 image");
  }
  if (max_width < 1 || jpeg_quality < 1 || jpeg_quality > 100) {
    return make_error(ErrorCode::kInvalidArgument, "thumbnail width must be >= 1 and JPEG quality 1..100");
  }
  cv::Mat bgr;
  if (rgb.cols > max_width) {
    const int height =
        std::max(1, static_cast<int>(std::lround(static_cast<double>(rgb.rows) * max_width / rgb.cols)));
    cv::Mat small;
    cv::resize(rgb, small, cv::Size(max_width, height), 0, 0, cv::INTER_AREA);
    cv::cvtColor(small, bgr, cv::COLOR_RGB2BGR);
  } else {
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  }
  try {
    if (cv::imwrite(path.string(), bgr, {cv::IMWRITE_JPEG_QUALITY, jpeg_quality})) return ok_status();
  } catch (const cv::Exception& e) {
    return make_error(ErrorCode::kUnavailable, "cannot write thumbnail " + path.string() + ": " + e.what());
  }
  return make_error(ErrorCode::kUnavailable, "cannot write thumbnail " + path.string());
}

}  // namespace dd::video
