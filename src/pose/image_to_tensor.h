// Frame -> model input tensors the way MediaPipe's web (GL) build samples them: bilinear,
// texel centres at (i+0.5)/size, letterboxed detector input with a hard zero border and
// rotated landmark crops with edge replication (POSE_FACTS.md §1, §6).
#pragma once

#include <opencv2/core.hpp>

#include <span>

#include "nn/model.h"
#include "pose/pose_frame.h"

namespace dd::pose {

// The dst->src affine map (OpenCV pixel-centre coordinates, for WARP_INVERSE_MAP) that
// samples the rotated roi of a width x height frame into a size x size tensor.
cv::Matx23d roi_sampling_matrix(const NormalizedRect& roi, int width, int height, int size);

// The whole-frame ROI of the detector: the frame centred in a square of its long side.
NormalizedRect letterbox_roi(int width, int height);

// Writes the letterboxed rgb frame into a size x size x 3 NHWC tensor with values in
// [-1,1]; samples outside the frame read -1.
// DD_CHECKs that tensor holds size*size*3 floats and rgb is a non-empty CV_8UC3 image.
// With a pool, its threads share the rows; the result is the same bit for bit.
void letterbox_to_tensor(const cv::Mat& rgb, int size, std::span<float> tensor,
                         const nn::ThreadPool* pool = nullptr);

// Writes the rotated roi of the rgb frame into a size x size x 3 NHWC tensor with values
// in [0,1], replicating the frame's edge pixels outside it. Same checks as above.
void roi_to_tensor(const cv::Mat& rgb, const NormalizedRect& roi, int size, std::span<float> tensor,
                   const nn::ThreadPool* pool = nullptr);

}  // namespace dd::pose
