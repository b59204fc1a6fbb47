#include "pose/image_to_tensor.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/result.h"

namespace dd::pose {
namespace {

void check_arguments(const cv::Mat& rgb, int size, std::span<float> tensor) {
  DD_CHECK(!rgb.empty() && rgb.type() == CV_8UC3, "tensor input must be a non-empty RGB24 image");
  DD_CHECK(size > 0 && tensor.size() == static_cast<size_t>(size) * size * 3, "tensor size mismatch");
}

// Byte -> float by table: cheaper than 12 int-to-float conversions a sample.
constexpr std::array<float, 256> kLevel = [] {
  std::array<float, 256> levels{};
  for (int i = 0; i < 256; ++i) levels[i] = static_cast<float>(i);
  return levels;
}();

// The left (top) tap of a bilinear sample at pixel-centre coordinate c on an axis of pixels
// 0..max, and the weight of the tap after it. Outside the frame both taps clamp to the edge
// pixel; a NaN coordinate lands there too.
struct Taps {
  int first;
  float weight;
};
inline Taps taps(double c, int max) {
  const double shifted = c + 1.0;  // >= 0 wherever truncation must act as floor
  if (shifted >= 0.0 && shifted < max + 1.0) {
    const int first = static_cast<int>(shifted) - 1;
    return {first, static_cast<float>(c - first)};  // exact: c - floor(c)
  }
  if (std::isnan(c)) return {-1, 0.0f};
  // Both taps are the edge pixel, but blended with the true weights as a GL sampler does:
  // (1 - f) * p + f * p is not always p in float.
  return {shifted >= max + 1.0 ? max : -1, static_cast<float>(c - std::floor(c))};
}

// Bilinear sampling in float, as a GL texture unit does: the source point keeps its full
// sub-pixel position and the blend is not rounded to 8 bits (cv::warpAffine quantises the
// position to 1/32 px and the result to whole levels, enough to tip near-threshold scores).
// Coordinates beyond the frame clamp to the edge pixels. Writes value * scale + offset;
// where inside(u, v) is false, writes `outside` without sampling.
template <typename Inside>
void sample_bilinear(const cv::Mat& rgb, const cv::Matx23d& m, int size, float scale, float offset,
                     float outside, Inside inside, float* out, const nn::ThreadPool* pool) {
  const int max_x = rgb.cols - 1;
  const int max_y = rgb.rows - 1;
  // A row of samples in two passes: positions and weights first, then the pixel reads, so the
  // (mostly cache-missing) reads of many samples are in flight at once.
  struct Sample {
    const uint8_t* top;     // top-left tap; nullptr: outside, not sampled
    const uint8_t* bottom;  // bottom-left tap
    int right;              // byte offset of the right taps (0 or 3)
    float fx, fy;
  };
  auto sample_rows = [&](size_t first_row, size_t end_row) {
    std::vector<Sample> row(static_cast<size_t>(size));
    float* row_out = out + first_row * static_cast<size_t>(size) * 3;
    for (int v = static_cast<int>(first_row); v < static_cast<int>(end_row); ++v) {
      for (int u = 0; u < size; ++u) {
        if (!inside(u, v)) {
          row[u].top = nullptr;
          continue;
        }
        const Taps tx = taps(m(0, 0) * u + m(0, 1) * v + m(0, 2), max_x);
        const Taps ty = taps(m(1, 0) * u + m(1, 1) * v + m(1, 2), max_y);
        const int xa = std::max(tx.first, 0), xb = std::min(tx.first + 1, max_x);
        row[u] = {rgb.ptr<uint8_t>(std::max(ty.first, 0)) + 3 * xa,
                  rgb.ptr<uint8_t>(std::min(ty.first + 1, max_y)) + 3 * xa, 3 * (xb - xa), tx.weight,
                  ty.weight};
      }
      for (int u = 0; u < size; ++u, row_out += 3) {
        const Sample& s = row[u];
        if (s.top == nullptr) {
          row_out[0] = row_out[1] = row_out[2] = outside;
          continue;
        }
        const float w00 = (1 - s.fx) * (1 - s.fy), w01 = s.fx * (1 - s.fy), w10 = (1 - s.fx) * s.fy,
                    w11 = s.fx * s.fy;
        for (int c = 0; c < 3; ++c) {
          const float value = w00 * kLevel[s.top[c]] + w01 * kLevel[s.top[s.right + c]] +
                              w10 * kLevel[s.bottom[c]] + w11 * kLevel[s.bottom[s.right + c]];
          row_out[c] = value * scale + offset;
        }
      }
    }
  };
  // Rows are independent, so the model's threads share them: the crop is otherwise the
  // longest stretch of a tracked frame that runs on one core (the frame is rarely in cache).
  constexpr size_t kRowsPerTask = 16;
  if (pool != nullptr) {
    pool->parallel_for(static_cast<size_t>(size), kRowsPerTask, sample_rows);
  } else {
    sample_rows(0, static_cast<size_t>(size));
  }
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

void letterbox_to_tensor(const cv::Mat& rgb, int size, std::span<float> tensor, const nn::ThreadPool* pool) {
  check_arguments(rgb, size, tensor);
  const NormalizedRect roi = letterbox_roi(rgb.cols, rgb.rows);
  const cv::Matx23d m = roi_sampling_matrix(roi, rgb.cols, rgb.rows, size);
  // The GL path zeroes samples whose texture coordinate leaves [0,1] (a hard edge, no
  // blending), so a tensor row/column is padding iff its pixel-edge coordinate is outside.
  std::vector<uint8_t> column_inside(static_cast<size_t>(size)), row_inside(static_cast<size_t>(size));
  for (int i = 0; i < size; ++i) {
    const double x_edge = m(0, 0) * i + m(0, 2) + 0.5;
    const double y_edge = m(1, 1) * i + m(1, 2) + 0.5;
    column_inside[i] = x_edge >= 0.0 && x_edge <= rgb.cols;
    row_inside[i] = y_edge >= 0.0 && y_edge <= rgb.rows;
  }
  sample_bilinear(
      rgb, m, size, 2.0f / 255.0f, -1.0f, -1.0f,
      [&](int u, int v) { return row_inside[v] && column_inside[u]; }, tensor.data(), pool);
}

void roi_to_tensor(const cv::Mat& rgb, const NormalizedRect& roi, int size, std::span<float> tensor,
                   const nn::ThreadPool* pool) {
  check_arguments(rgb, size, tensor);
  sample_bilinear(
      rgb, roi_sampling_matrix(roi, rgb.cols, rgb.rows, size), size, 1.0f / 255.0f, 0.0f, 0.0f,
      [](int, int) { return true; }, tensor.data(), pool);
}

}  // namespace dd::pose
