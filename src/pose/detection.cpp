#include "pose/detection.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dd::pose {
namespace {

// SSD anchor options of the pose detection graph.
constexpr int kAnchorLayerCount = 5;
constexpr int kAnchorStrides[kAnchorLayerCount] = {8, 16, 32, 32, 32};
constexpr float kAnchorOffset = 0.5f;
// One anchor for aspect ratio 1 plus the interpolated-scale anchor, per layer.
constexpr int kAnchorsPerLayer = 2;
constexpr float kScoreClip = 100.0f;
constexpr float kDetectorScale = 224.0f;

std::vector<Anchor> generate_anchors() {
  std::vector<Anchor> anchors;
  anchors.reserve(kAnchorCount);
  int layer = 0;
  while (layer < kAnchorLayerCount) {
    // Consecutive layers with the same stride share one grid.
    int last_same_stride = layer;
    while (last_same_stride < kAnchorLayerCount &&
           kAnchorStrides[last_same_stride] == kAnchorStrides[layer]) {
      ++last_same_stride;
    }
    const int anchors_per_cell = kAnchorsPerLayer * (last_same_stride - layer);
    const int stride = kAnchorStrides[layer];
    const int grid = (kDetectorInputSize + stride - 1) / stride;
    for (int y = 0; y < grid; ++y) {
      for (int x = 0; x < grid; ++x) {
        const Anchor anchor{(static_cast<float>(x) + kAnchorOffset) / static_cast<float>(grid),
                            (static_cast<float>(y) + kAnchorOffset) / static_cast<float>(grid)};
        for (int k = 0; k < anchors_per_cell; ++k) anchors.push_back(anchor);
      }
    }
    layer = last_same_stride;
  }
  return anchors;
}

float sigmoid(float x) {
  return 1.0f / (1.0f + std::exp(-x));
}

}  // namespace

const std::vector<Anchor>& pose_detector_anchors() {
  static const std::vector<Anchor> anchors = generate_anchors();
  return anchors;
}

LetterboxPadding square_letterbox_padding(int width, int height) {
  LetterboxPadding padding;
  if (width <= 0 || height <= 0) return padding;
  const float ratio = static_cast<float>(height) / static_cast<float>(width);
  if (1.0f > ratio) {
    padding.top = padding.bottom = (1.0f - ratio) / 2.0f;
  } else {
    padding.left = padding.right = (1.0f - static_cast<float>(width) / static_cast<float>(height)) / 2.0f;
  }
  return padding;
}

std::vector<Detection> decode_detections(std::span<const float> raw_boxes, std::span<const float> raw_scores,
                                         float min_score) {
  std::vector<Detection> detections;
  const auto& anchors = pose_detector_anchors();
  if (raw_boxes.size() < static_cast<size_t>(kAnchorCount) * kDetectorCoordCount ||
      raw_scores.size() < static_cast<size_t>(kAnchorCount)) {
    return detections;
  }
  for (int i = 0; i < kAnchorCount; ++i) {
    const float score = sigmoid(std::clamp(raw_scores[i], -kScoreClip, kScoreClip));
    if (score < min_score) continue;
    const float* r = raw_boxes.data() + static_cast<size_t>(i) * kDetectorCoordCount;
    const Anchor& anchor = anchors[i];
    // reverse_output_order: x, y, w, h; fixed anchors have width = height = 1.
    const float x_center = r[0] / kDetectorScale + anchor.x_center;
    const float y_center = r[1] / kDetectorScale + anchor.y_center;
    const float w = r[2] / kDetectorScale;
    const float h = r[3] / kDetectorScale;
    if (!(w >= 0.0f) || !(h >= 0.0f)) continue;  // also rejects NaN
    Detection d;
    d.xmin = x_center - w / 2.0f;
    d.ymin = y_center - h / 2.0f;
    d.width = w;
    d.height = h;
    d.score = score;
    for (int k = 0; k < kDetectorKeypointCount; ++k) {
      d.keypoints[k].x = r[4 + 2 * k] / kDetectorScale + anchor.x_center;
      d.keypoints[k].y = r[5 + 2 * k] / kDetectorScale + anchor.y_center;
    }
    detections.push_back(d);
  }
  return detections;
}

float box_iou(const Detection& a, const Detection& b) {
  const float ix0 = std::max(a.xmin, b.xmin);
  const float iy0 = std::max(a.ymin, b.ymin);
  const float ix1 = std::min(a.xmin + a.width, b.xmin + b.width);
  const float iy1 = std::min(a.ymin + a.height, b.ymin + b.height);
  if (ix1 < ix0 || iy1 < iy0) return 0.0f;
  const float intersection = (ix1 - ix0) * (iy1 - iy0);
  const float denominator = a.width * a.height + b.width * b.height - intersection;
  return denominator > 0.0f ? intersection / denominator : 0.0f;
}

std::vector<Detection> weighted_non_max_suppression(std::vector<Detection> detections, float iou_threshold) {
  std::stable_sort(detections.begin(), detections.end(),
                   [](const Detection& a, const Detection& b) { return a.score > b.score; });
  std::vector<Detection> output;
  std::vector<Detection> remaining;
  while (!detections.empty()) {
    const Detection top = detections.front();
    remaining.clear();
    double total = 0, xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    std::array<double, kDetectorKeypointCount * 2> keypoints{};
    for (const Detection& d : detections) {
      if (box_iou(d, top) > iou_threshold) {
        total += d.score;
        xmin += d.xmin * d.score;
        ymin += d.ymin * d.score;
        xmax += (d.xmin + d.width) * d.score;
        ymax += (d.ymin + d.height) * d.score;
        for (int k = 0; k < kDetectorKeypointCount; ++k) {
          keypoints[2 * k] += d.keypoints[k].x * d.score;
          keypoints[2 * k + 1] += d.keypoints[k].y * d.score;
        }
      } else {
        remaining.push_back(d);
      }
    }
    Detection merged = top;
    if (total > 0) {
      merged.xmin = static_cast<float>(xmin / total);
      merged.ymin = static_cast<float>(ymin / total);
      merged.width = static_cast<float>(xmax / total) - merged.xmin;
      merged.height = static_cast<float>(ymax / total) - merged.ymin;
      for (int k = 0; k < kDetectorKeypointCount; ++k) {
        merged.keypoints[k].x = static_cast<float>(keypoints[2 * k] / total);
        merged.keypoints[k].y = static_cast<float>(keypoints[2 * k + 1] / total);
      }
    }
    output.push_back(merged);
    // A degenerate top box joins no cluster, not even its own: stop rather than loop.
    if (remaining.size() == detections.size()) break;
    detections.swap(remaining);
  }
  return output;
}

Detection remove_letterbox(const Detection& detection, const LetterboxPadding& padding) {
  const float sx = 1.0f - padding.left - padding.right;
  const float sy = 1.0f - padding.top - padding.bottom;
  Detection out = detection;
  out.xmin = (detection.xmin - padding.left) / sx;
  out.ymin = (detection.ymin - padding.top) / sy;
  out.width = detection.width / sx;
  out.height = detection.height / sy;
  for (int k = 0; k < kDetectorKeypointCount; ++k) {
    out.keypoints[k].x = (detection.keypoints[k].x - padding.left) / sx;
    out.keypoints[k].y = (detection.keypoints[k].y - padding.top) / sy;
  }
  return out;
}

float normalize_radians(float a) {
  constexpr float kPi = std::numbers::pi_v<float>;
  return a - 2.0f * kPi * std::floor((a + kPi) / (2.0f * kPi));
}

NormalizedRect alignment_points_to_rect(Point2f start, Point2f end, int width, int height) {
  const float w = static_cast<float>(width);
  const float h = static_cast<float>(height);
  const float x0 = start.x * w;
  const float y0 = start.y * h;
  const float x1 = end.x * w;
  const float y1 = end.y * h;
  const float size = std::sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) * 2.0f;
  NormalizedRect rect;
  rect.x_center = start.x;
  rect.y_center = start.y;
  rect.width = size / w;
  rect.height = size / h;
  // Target angle 90 degrees: the start->end vector points straight up in an upright ROI.
  rect.rotation = normalize_radians(std::numbers::pi_v<float> / 2.0f - std::atan2(-(y1 - y0), x1 - x0));
  return rect;
}

NormalizedRect roi_from_alignment_points(Point2f start, Point2f end, int width, int height) {
  constexpr float kRoiScale = 1.25f;
  NormalizedRect rect = alignment_points_to_rect(start, end, width, height);
  const float w = static_cast<float>(width);
  const float h = static_cast<float>(height);
  const float long_side = std::max(rect.width * w, rect.height * h);
  rect.width = long_side / w * kRoiScale;
  rect.height = long_side / h * kRoiScale;
  return rect;
}

}  // namespace dd::pose
