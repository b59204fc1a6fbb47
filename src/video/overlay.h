// Drawing pose results onto RGB or I420 frames: skeleton coloured by confidence, joints, short
// motion trails of wrists and ankles, and a HUD panel. Sizes scale with the frame height.
#pragma once

#include "core/result.h"
#include "pose/pose_frame.h"
#include "video/i420.h"

#include <opencv2/core.hpp>

#include <array>
#include <deque>
#include <optional>
#include <string>

namespace dd::video {

// Optional analysis facts shown in the HUD; unset fields are left out.
struct HudInfo {
  std::optional<std::string> movement_type;  // e.g. "spin"
  std::optional<double> intensity;           // 0..1, shown as a number and a bar
};

class Canvas;  // the drawing surface (RGB or I420), defined in overlay.cpp

struct OverlayOptions {
  bool draw_skeleton = true;
  bool draw_joints = true;
  bool draw_trails = true;
  bool draw_hud = true;
  float min_visibility = 0.5f;  // landmarks below this are not drawn
  int trail_length = 16;        // frames of history per trail; longer trails clutter fast moves
};

// Keeps the trail history, so use one renderer per video, frames in order.
class OverlayRenderer {
 public:
  explicit OverlayRenderer(const OverlayOptions& options = {});

  // Draws onto rgb in place (RGB24); InvalidArgument for another image type. A frame without
  // a detected pose gets only the HUD and breaks the trails.
  Status draw(cv::Mat& rgb, const pose::PoseFrame& pose, const HudInfo& hud = {});
  // The same picture drawn onto an I420 frame (see i420.h) whose values are in `matrix`;
  // InvalidArgument when the image is not I420. Chroma is drawn at its own half resolution.
  Status draw_i420(cv::Mat& i420, YuvMatrix matrix, const pose::PoseFrame& pose, const HudInfo& hud = {});

 private:
  static constexpr std::array<int, 4> kTrailLandmarks = {pose::kLeftWrist, pose::kRightWrist,
                                                         pose::kLeftAnkle, pose::kRightAnkle};
  void draw_all(Canvas& canvas, const pose::PoseFrame& pose, const HudInfo& hud);
  void draw_pose(Canvas& canvas, const pose::PoseFrame& pose, double scale) const;
  void update_and_draw_trails(Canvas& canvas, const pose::PoseFrame& pose, double scale);
  void draw_hud(Canvas& canvas, const pose::PoseFrame& pose, const HudInfo& hud, double scale) const;

  OverlayOptions options_;
  // Normalised positions, newest at the back; an empty history means the trail restarted.
  std::array<std::deque<cv::Point2f>, kTrailLandmarks.size()> trails_;
};

}  // namespace dd::video
