// Decoding of the BlazePose landmark model's outputs: 39 ROI landmarks, heatmap
// refinement, projection to the frame and rotated world landmarks (POSE_FACTS.md §7).
#pragma once

#include <array>
#include <span>

#include "pose/pose_frame.h"

namespace dd::pose {

inline constexpr int kLandmarkInputSize = 256;
inline constexpr int kModelLandmarkCount = 39;  // 33 pose + 2 auxiliary (33, 34) + 4 unused
inline constexpr int kAuxCenterIndex = 33;      // plays the role of the detector's mid-hip keypoint
inline constexpr int kAuxScaleIndex = 34;       // plays the role of the size/rotation keypoint
inline constexpr int kHeatmapSize = 64;
inline constexpr int kHeatmapKernelSize = 7;
inline constexpr float kHeatmapMinConfidence = 0.5f;

using ModelLandmarks = std::array<Landmark, kModelLandmarkCount>;

// ROI-normalised landmarks from the raw [39x5] tensor (x, y, z divided by the input size;
// sigmoid visibility and presence). DD_CHECKs raw.size() >= 195.
ModelLandmarks decode_roi_landmarks(std::span<const float> raw);

// Moves each landmark to the sigmoid-weighted mean cell of the kernel x kernel window of
// its heatmap channel (HWC logits, size x size x channels) when the window's peak reaches
// min_confidence; others, and landmarks off the map, are left alone. DD_CHECKs the size.
void refine_landmarks_from_heatmap(std::span<Landmark> landmarks, std::span<const float> heatmap, int size,
                                   int channels, int kernel_size, float min_confidence);

// A ROI-normalised landmark mapped into the frame (x, y normalised to the frame; z on the
// scale of x).
Landmark project_to_frame(const Landmark& landmark, const NormalizedRect& roi);

// The inverse of project_to_frame (for tests and diagnostics).
Landmark project_to_roi(const Landmark& landmark, const NormalizedRect& roi);

// The 33 world landmarks (metres) from the raw [39x3] tensor, rotated by the ROI angle,
// with visibility and presence taken from the matching ROI landmarks. DD_CHECKs raw.size() >= 99.
std::array<Landmark, kLandmarkCount> decode_world_landmarks(std::span<const float> raw, float rotation,
                                                            const ModelLandmarks& roi_landmarks);

}  // namespace dd::pose
