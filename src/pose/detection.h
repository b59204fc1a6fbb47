// BlazePose detector post-processing: SSD anchors, raw-tensor decoding, weighted NMS,
// letterbox geometry and the detection -> rotated ROI step (POSE_FACTS.md §1-§5, §8).
#pragma once

#include <array>
#include <span>
#include <vector>

#include "pose/pose_frame.h"

namespace dd::pose {

inline constexpr int kDetectorInputSize = 224;
inline constexpr int kAnchorCount = 2254;
inline constexpr int kDetectorCoordCount = 12;
inline constexpr int kDetectorKeypointCount = 4;

struct Point2f {
  float x = 0;
  float y = 0;
};

// SSD anchor centre in [0,1] of the 224 tensor (fixed anchor size: width = height = 1).
struct Anchor {
  float x_center = 0;
  float y_center = 0;
};

// One decoded detection; coordinates are normalised (to the tensor or, after letterbox
// removal, to the frame). The box is the face box; keypoint 0 is the mid-hip centre and
// keypoint 1 encodes full-body size and rotation.
struct Detection {
  float xmin = 0;
  float ymin = 0;
  float width = 0;
  float height = 0;
  float score = 0;
  std::array<Point2f, kDetectorKeypointCount> keypoints{};
};

// Letterbox padding as fractions of the tensor: [left, top, right, bottom].
struct LetterboxPadding {
  float left = 0;
  float top = 0;
  float right = 0;
  float bottom = 0;
};

// The 2254 anchors of the pose detector in model output order.
const std::vector<Anchor>& pose_detector_anchors();

// Padding that fits a width x height frame into a square tensor keeping its aspect ratio.
LetterboxPadding square_letterbox_padding(int width, int height);

// Decodes raw boxes [2254x12] and score logits [2254] into detections scoring at least
// min_score (in tensor-normalised coordinates); empty when the spans are too short.
std::vector<Detection> decode_detections(std::span<const float> raw_boxes, std::span<const float> raw_scores,
                                         float min_score);

// Intersection over union of two boxes; 0 when they do not overlap.
float box_iou(const Detection& a, const Detection& b);

// MediaPipe's weighted NMS (IoU > threshold joins a cluster; corners and keypoints become
// score-weighted means; the score stays the top detection's). Output sorted by score.
std::vector<Detection> weighted_non_max_suppression(std::vector<Detection> detections, float iou_threshold);

// Maps a detection from letterboxed tensor coordinates back to the frame.
Detection remove_letterbox(const Detection& detection, const LetterboxPadding& padding);

// The rotated rectangle spanned by a centre point and a size/rotation point in a
// width x height frame: side 2*|end - start| px, rotation making start->end point up.
NormalizedRect alignment_points_to_rect(Point2f start, Point2f end, int width, int height);

// The landmark-model ROI for alignment points (detection keypoints 0/1 or aux landmarks
// 33/34): the alignment rect made square on its long side and scaled by 1.25.
NormalizedRect roi_from_alignment_points(Point2f start, Point2f end, int width, int height);

// Angle a wrapped into [-pi, pi).
float normalize_radians(float a);

}  // namespace dd::pose
