#include "video/overlay.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

namespace dd::video {
namespace {

// BlazePose's 35 skeleton edges (MediaPipe POSE_CONNECTIONS).
constexpr std::array<std::pair<int, int>, 35> kConnections = {{
    {0, 1},   {1, 2},   {2, 3},   {3, 7},   {0, 4},   {4, 5},   {5, 6},   {6, 8},   {9, 10},
    {11, 12}, {11, 13}, {13, 15}, {15, 17}, {15, 19}, {15, 21}, {17, 19}, {12, 14}, {14, 16},
    {16, 18}, {16, 20}, {16, 22}, {18, 20}, {11, 23}, {12, 24}, {23, 24}, {23, 25}, {24, 26},
    {25, 27}, {26, 28}, {27, 29}, {28, 30}, {29, 31}, {30, 32}, {27, 31}, {28, 32},
}};

// Sizes below are designed for 720 rows and scaled from there.
constexpr double kReferenceRows = 720.0;

// Red (unsure) through yellow to green (confident), in RGB order.
cv::Scalar confidence_colour(float confidence) {
  const double c = std::clamp(static_cast<double>(confidence), 0.0, 1.0);
  if (c < 0.5) return {255, 510 * c, 0};
  return {255 * (2 - 2 * c), 255, 0};
}

const cv::Scalar kTrailColours[] = {{80, 170, 255}, {255, 120, 200}, {80, 170, 255}, {255, 120, 200}};
const cv::Scalar kWhite(255, 255, 255);
const cv::Scalar kJointOutline(20, 20, 20);

// Points may lie a little outside the frame (cv::line clips them), but NaN or huge values
// from a broken model must not reach the integer conversion.
bool drawable(const pose::Landmark& lm, float min_visibility) {
  return lm.visibility >= min_visibility && std::isfinite(lm.x) && std::isfinite(lm.y) &&
         std::abs(lm.x) < 4.0f && std::abs(lm.y) < 4.0f;
}

cv::Point to_pixel(const pose::Landmark& lm, const cv::Size& size) {
  return {static_cast<int>(std::lround(lm.x * size.width)),
          static_cast<int>(std::lround(lm.y * size.height))};
}

int scaled(double base, double scale, int minimum) {
  return std::max(minimum, static_cast<int>(std::lround(base * scale)));
}

}  // namespace

OverlayRenderer::OverlayRenderer(const OverlayOptions& options) : options_(options) {
  options_.trail_length = std::max(0, options_.trail_length);
}

Status OverlayRenderer::draw(cv::Mat& rgb, const pose::PoseFrame& pose, const HudInfo& hud) {
  if (rgb.empty() || rgb.type() != CV_8UC3) {
    return make_error(ErrorCode::kInvalidArgument, "overlay needs a non-empty RGB24 image");
  }
  const double scale = rgb.rows / kReferenceRows;
  if (options_.draw_trails) update_and_draw_trails(rgb, pose, scale);
  if (pose.detected) draw_pose(rgb, pose, scale);
  if (options_.draw_hud) draw_hud(rgb, pose, hud, scale);
  return ok_status();
}

void OverlayRenderer::draw_pose(cv::Mat& rgb, const pose::PoseFrame& pose, double scale) const {
  const auto& lms = pose.landmarks;
  auto visible = [&](int i) { return drawable(lms[i], options_.min_visibility); };
  if (options_.draw_skeleton) {
    const int thickness = scaled(3.0, scale, 1);
    for (const auto& [a, b] : kConnections) {
      if (!visible(a) || !visible(b)) continue;
      cv::line(rgb, to_pixel(lms[a], rgb.size()), to_pixel(lms[b], rgb.size()),
               confidence_colour(std::min(lms[a].visibility, lms[b].visibility)), thickness, cv::LINE_AA);
    }
  }
  if (options_.draw_joints) {
    const int radius = scaled(4.0, scale, 2);
    for (int i = 0; i < pose::kLandmarkCount; ++i) {
      if (!visible(i)) continue;
      const cv::Point p = to_pixel(lms[i], rgb.size());
      cv::circle(rgb, p, radius, confidence_colour(lms[i].visibility), cv::FILLED, cv::LINE_AA);
      cv::circle(rgb, p, radius, kJointOutline, std::max(1, radius / 3), cv::LINE_AA);
    }
  }
}

void OverlayRenderer::update_and_draw_trails(cv::Mat& rgb, const pose::PoseFrame& pose, double scale) {
  for (size_t t = 0; t < kTrailLandmarks.size(); ++t) {
    auto& trail = trails_[t];
    const pose::Landmark& lm = pose.landmarks[kTrailLandmarks[t]];
    if (!pose.detected || !drawable(lm, options_.min_visibility)) {
      trail.clear();  // a gap would otherwise draw a jump across the frame
      continue;
    }
    trail.emplace_back(lm.x, lm.y);
    while (static_cast<int>(trail.size()) > options_.trail_length) trail.pop_front();
    // Older segments are thinner, so the direction of motion reads at a glance.
    for (size_t i = 1; i < trail.size(); ++i) {
      const double age = static_cast<double>(i) / static_cast<double>(trail.size());
      const cv::Point a(static_cast<int>(std::lround(trail[i - 1].x * rgb.cols)),
                        static_cast<int>(std::lround(trail[i - 1].y * rgb.rows)));
      const cv::Point b(static_cast<int>(std::lround(trail[i].x * rgb.cols)),
                        static_cast<int>(std::lround(trail[i].y * rgb.rows)));
      cv::line(rgb, a, b, kTrailColours[t], scaled(4.0 * age, scale, 1), cv::LINE_AA);
    }
  }
}

void OverlayRenderer::draw_hud(cv::Mat& rgb, const pose::PoseFrame& pose, const HudInfo& hud,
                               double scale) const {
  std::vector<std::string> lines;
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "frame %lld   %.2f s", static_cast<long long>(pose.index),
                pose.timestamp_s);
  lines.emplace_back(buffer);
  if (pose.detected) {
    std::snprintf(buffer, sizeof(buffer), "pose: yes  (%.0f%%)",
                  100.0 * std::clamp(pose.pose_score, 0.0f, 1.0f));
  } else {
    std::snprintf(buffer, sizeof(buffer), "pose: no");
  }
  lines.emplace_back(buffer);
  if (hud.movement_type) lines.push_back("movement: " + *hud.movement_type);
  if (hud.intensity) {
    std::snprintf(buffer, sizeof(buffer), "intensity: %.2f", std::clamp(*hud.intensity, 0.0, 1.0));
    lines.emplace_back(buffer);
  }

  const double font_scale = 0.6 * scale;
  const int thickness = scaled(1.5, scale, 1);
  const int margin = scaled(10.0, scale, 3);
  int baseline = 0;
  const cv::Size line_size =
      cv::getTextSize("Mg", cv::FONT_HERSHEY_SIMPLEX, font_scale, thickness, &baseline);
  const int line_height = line_size.height + baseline + margin / 2;
  int text_width = 0;
  for (const auto& line : lines) {
    text_width = std::max(
        text_width, cv::getTextSize(line, cv::FONT_HERSHEY_SIMPLEX, font_scale, thickness, &baseline).width);
  }
  const int bar_height = hud.intensity ? line_height / 2 + margin / 2 : 0;
  cv::Rect panel(margin, margin, text_width + 2 * margin,
                 static_cast<int>(lines.size()) * line_height + margin + bar_height);
  panel &= cv::Rect(0, 0, rgb.cols, rgb.rows);
  if (panel.empty()) return;
  // Darken only the panel's pixels: blending the whole frame would cost a full-frame pass.
  cv::Mat roi = rgb(panel);
  roi.convertTo(roi, -1, 0.35, 0);

  int y = panel.y + margin / 2 + line_size.height;
  for (const auto& line : lines) {
    cv::putText(rgb, line, {panel.x + margin, y}, cv::FONT_HERSHEY_SIMPLEX, font_scale, kWhite, thickness,
                cv::LINE_AA);
    y += line_height;
  }
  if (hud.intensity) {
    const int bar_width = text_width;
    const int filled = static_cast<int>(std::lround(bar_width * std::clamp(*hud.intensity, 0.0, 1.0)));
    const cv::Rect outline(panel.x + margin, y - line_size.height, bar_width, line_height / 2);
    cv::rectangle(rgb, cv::Rect(outline.x, outline.y, filled, outline.height),
                  confidence_colour(static_cast<float>(*hud.intensity)), cv::FILLED);
    cv::rectangle(rgb, outline, kWhite, 1);
  }
}

}  // namespace dd::video
