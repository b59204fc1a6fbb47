#include "pose/landmark_decoder.h"

#include <algorithm>
#include <cmath>

#include "core/result.h"

namespace dd::pose {
namespace {

float sigmoid(float x) {
  return 1.0f / (1.0f + std::exp(-x));
}

}  // namespace

ModelLandmarks decode_roi_landmarks(std::span<const float> raw) {
  DD_CHECK(raw.size() >= static_cast<size_t>(kModelLandmarkCount) * 5, "landmark tensor too small");
  ModelLandmarks landmarks{};
  constexpr float kSize = static_cast<float>(kLandmarkInputSize);
  for (int i = 0; i < kModelLandmarkCount; ++i) {
    const float* r = raw.data() + 5 * i;
    landmarks[i].x = r[0] / kSize;
    landmarks[i].y = r[1] / kSize;
    landmarks[i].z = r[2] / kSize;  // normalised by the input width, like x
    landmarks[i].visibility = sigmoid(r[3]);
    landmarks[i].presence = sigmoid(r[4]);
  }
  return landmarks;
}

void refine_landmarks_from_heatmap(std::span<Landmark> landmarks, std::span<const float> heatmap, int size,
                                   int channels, int kernel_size, float min_confidence) {
  DD_CHECK(size > 0 && channels >= static_cast<int>(landmarks.size()) &&
               heatmap.size() >= static_cast<size_t>(size) * size * channels,
           "heatmap tensor too small");
  const int offset = (kernel_size - 1) / 2;
  for (size_t i = 0; i < landmarks.size(); ++i) {
    Landmark& lm = landmarks[i];
    // Truncation toward zero, as MediaPipe's float->int conversion: (-1/64, 0) maps to 0.
    const float fx = lm.x * static_cast<float>(size);
    const float fy = lm.y * static_cast<float>(size);
    if (!(std::fabs(fx) < 1e6f) || !(std::fabs(fy) < 1e6f)) continue;  // NaN or far outside
    const int center_col = static_cast<int>(fx);
    const int center_row = static_cast<int>(fy);
    if (center_col < 0 || center_col >= size || center_row < 0 || center_row >= size) continue;
    const int begin_col = std::max(0, center_col - offset);
    const int end_col = std::min(size, center_col + offset + 1);
    const int begin_row = std::max(0, center_row - offset);
    const int end_row = std::min(size, center_row + offset + 1);
    float sum = 0, weighted_col = 0, weighted_row = 0, max_confidence = 0;
    for (int row = begin_row; row < end_row; ++row) {
      for (int col = begin_col; col < end_col; ++col) {
        const float c = sigmoid(heatmap[(static_cast<size_t>(row) * size + col) * channels + i]);
        sum += c;
        max_confidence = std::max(max_confidence, c);
        weighted_col += static_cast<float>(col) * c;
        weighted_row += static_cast<float>(row) * c;
      }
    }
    if (max_confidence >= min_confidence && sum > 0) {
      lm.x = weighted_col / static_cast<float>(size) / sum;
      lm.y = weighted_row / static_cast<float>(size) / sum;
    }
  }
}

Landmark project_to_frame(const Landmark& landmark, const NormalizedRect& roi) {
  const float dx = landmark.x - 0.5f;
  const float dy = landmark.y - 0.5f;
  const float c = std::cos(roi.rotation);
  const float s = std::sin(roi.rotation);
  Landmark out = landmark;
  out.x = (c * dx - s * dy) * roi.width + roi.x_center;
  out.y = (s * dx + c * dy) * roi.height + roi.y_center;
  out.z = landmark.z * roi.width;
  return out;
}

Landmark project_to_roi(const Landmark& landmark, const NormalizedRect& roi) {
  const float rx = (landmark.x - roi.x_center) / roi.width;
  const float ry = (landmark.y - roi.y_center) / roi.height;
  const float c = std::cos(roi.rotation);
  const float s = std::sin(roi.rotation);
  Landmark out = landmark;
  out.x = c * rx + s * ry + 0.5f;
  out.y = -s * rx + c * ry + 0.5f;
  out.z = landmark.z / roi.width;
  return out;
}

std::array<Landmark, kLandmarkCount> decode_world_landmarks(std::span<const float> raw, float rotation,
                                                            const ModelLandmarks& roi_landmarks) {
  DD_CHECK(raw.size() >= static_cast<size_t>(kLandmarkCount) * 3, "world landmark tensor too small");
  const float c = std::cos(rotation);
  const float s = std::sin(rotation);
  std::array<Landmark, kLandmarkCount> world{};
  for (int i = 0; i < kLandmarkCount; ++i) {
    const float x = raw[3 * i];
    const float y = raw[3 * i + 1];
    world[i].x = c * x - s * y;
    world[i].y = s * x + c * y;
    world[i].z = raw[3 * i + 2];
    world[i].visibility = roi_landmarks[i].visibility;
    world[i].presence = roi_landmarks[i].presence;
  }
  return world;
}

}  // namespace dd::pose
