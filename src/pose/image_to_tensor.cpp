#include "pose/image_to_tensor.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "core/result.h"

namespace dd::pose {
namespace {

void check_arguments(const cv::Mat& rgb, int size, std::span<float> tensor) {
  DD_CHECK(!rgb.empty() && rgb.type() == CV_8UC3, "tensor input must be a non-empty RGB24 image");
  DD_CHECK(size > 0 && tensor.size() == static_cast<size_t>(size) * size * 3, "tensor size mismatch");
}

void warp(const cv::Mat& rgb, const cv::Matx23d& matrix, int size, cv::Mat& scratch) {
  scratch.create(size, size, CV_8UC3);
  cv::warpAffine(rgb, scratch, cv::Mat(matrix), cv::Size(size, size), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                 cv::BORDER_REPLICATE);
}

}  // namespace

cv::Matx23d roi_sampling_matrix(const NormalizedRect& roi, int width, int height, int size) {
  // Tensor pixel (u, v) samples ROI point a = (u + 0.5)/size, b = (v + 0.5)/size; the image
  // point centre + R(theta)*((a - 0.5)*w, (b - 0.5)*h) is in pixel-edge units, so subtract
  // 0.5 for OpenCV's pixel centres.
  const double cx = static_cast<double>(roi.x_center) * width;
  const double cy = static_cast<double>(roi.y_center) * height;
  const double w = static_cast<double>(roi.width) * width;
  const double h = static_cast<double>(roi.height) * height;
  const double c = std::cos(static_cast<double>(roi.rotation));
  const double s = std::sin(static_cast<double>(roi.rotation));
  const double su = w / size;
  const double sv = h / size;
  const double a0 = (0.5 / size - 0.5) * w;                        // ROI-local x of tensor column 0
  const double b0 = (0.5 / size - 0.5) * h;                        // ROI-local y of tensor row 0
  return cv::Matx23d(c * su, -s * sv, cx + c * a0 - s * b0 - 0.5,  //
                     s * su, c * sv, cy + s * a0 + c * b0 - 0.5);
}

NormalizedRect letterbox_roi(int width, int height) {
  const float side = static_cast<float>(std::max(width, height));
  return NormalizedRect{0.5f, 0.5f, side / static_cast<float>(width), side / static_cast<float>(height),
                        0.0f};
}

void letterbox_to_tensor(const cv::Mat& rgb, int size, std::span<float> tensor, cv::Mat& scratch) {
  check_arguments(rgb, size, tensor);
  const NormalizedRect roi = letterbox_roi(rgb.cols, rgb.rows);
  const cv::Matx23d m = roi_sampling_matrix(roi, rgb.cols, rgb.rows, size);
  warp(rgb, m, size, scratch);
  // The GL path zeroes samples whose texture coordinate leaves [0,1] (a hard edge, no
  // blending), so a tensor row/column is padding iff its pixel-edge coordinate is outside.
  std::vector<uint8_t> column_inside(static_cast<size_t>(size));
  for (int u = 0; u < size; ++u) {
    const double x_edge = m(0, 0) * u + m(0, 2) + 0.5;
    column_inside[u] = x_edge >= 0.0 && x_edge <= rgb.cols;
  }
  constexpr float kScale = 2.0f / 255.0f;
  float* out = tensor.data();
  for (int v = 0; v < size; ++v) {
    const double y_edge = m(1, 1) * v + m(1, 2) + 0.5;
    const bool row_inside = y_edge >= 0.0 && y_edge <= rgb.rows;
    const uint8_t* in = scratch.ptr<uint8_t>(v);
    for (int u = 0; u < size; ++u, in += 3, out += 3) {
      if (row_inside && column_inside[u]) {
        out[0] = in[0] * kScale - 1.0f;
        out[1] = in[1] * kScale - 1.0f;
        out[2] = in[2] * kScale - 1.0f;
      } else {
        out[0] = out[1] = out[2] = -1.0f;
      }
    }
  }
}

void roi_to_tensor(const cv::Mat& rgb, const NormalizedRect& roi, int size, std::span<float> tensor,
                   cv::Mat& scratch) {
  check_arguments(rgb, size, tensor);
  warp(rgb, roi_sampling_matrix(roi, rgb.cols, rgb.rows, size), size, scratch);
  constexpr float kScale = 1.0f / 255.0f;
  float* out = tensor.data();
  for (int v = 0; v < size; ++v) {
    const uint8_t* in = scratch.ptr<uint8_t>(v);
    for (int i = 0; i < size * 3; ++i) *out++ = in[i] * kScale;
  }
}

}  // namespace dd::pose
