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

// The primitives the renderer draws with, in frame pixels and RGB colours; anti-aliased
// except boxes. A thickness of cv::FILLED fills.
class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual cv::Size size() const = 0;
  virtual void line(cv::Point a, cv::Point b, const cv::Scalar& rgb, int thickness) = 0;
  virtual void circle(cv::Point centre, int radius, const cv::Scalar& rgb, int thickness) = 0;
  virtual void box(const cv::Rect& rect, const cv::Scalar& rgb, int thickness) = 0;
  // Scales the colours inside rect towards black.
  virtual void darken(const cv::Rect& rect, double factor) = 0;
  virtual void text(const std::string& text, cv::Point origin, double font_scale, const cv::Scalar& rgb,
                    int thickness) = 0;
};

namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

class RgbCanvas final : public Canvas {
 public:
  explicit RgbCanvas(cv::Mat& rgb) : rgb_(rgb) {}
  cv::Size size() const override { return rgb_.size(); }
  void line(cv::Point a, cv::Point b, const cv::Scalar& rgb, int thickness) override {
    cv::line(rgb_, a, b, rgb, thickness, cv::LINE_AA);
  }
  void circle(cv::Point centre, int radius, const cv::Scalar& rgb, int thickness) override {
    cv::circle(rgb_, centre, radius, rgb, thickness, cv::LINE_AA);
  }
  void box(const cv::Rect& rect, const cv::Scalar& rgb, int thickness) override {
    cv::rectangle(rgb_, rect, rgb, thickness);
  }
  void darken(const cv::Rect& rect, double factor) override {
    cv::Mat roi = rgb_(rect & cv::Rect({}, rgb_.size()));
    roi.convertTo(roi, -1, factor, 0);
  }
  void text(const std::string& text, cv::Point origin, double font_scale, const cv::Scalar& rgb,
            int thickness) override {
    cv::putText(rgb_, text, origin, kFont, font_scale, rgb, thickness, cv::LINE_AA);
  }

 private:
  cv::Mat& rgb_;
};

// Luma at full resolution, chroma at half: OpenCV's fixed-point `shift` of 1 halves the
// coordinates and radii, so each shape lands on the chroma samples under it.
class I420Canvas final : public Canvas {
 public:
  I420Canvas(cv::Mat& i420, YuvMatrix matrix) : planes_(i420_planes(i420)), matrix_(matrix) {}
  cv::Size size() const override { return planes_.y.size(); }
  void line(cv::Point a, cv::Point b, const cv::Scalar& rgb, int thickness) override {
    const cv::Scalar yuv = rgb_to_yuv(rgb, matrix_);
    cv::line(planes_.y, a, b, yuv[0], thickness, cv::LINE_AA);
    for (int c = 1; c <= 2; ++c) cv::line(chroma(c), a, b, yuv[c], half(thickness), cv::LINE_AA, 1);
  }
  void circle(cv::Point centre, int radius, const cv::Scalar& rgb, int thickness) override {
    const cv::Scalar yuv = rgb_to_yuv(rgb, matrix_);
    cv::circle(planes_.y, centre, radius, yuv[0], thickness, cv::LINE_AA);
    for (int c = 1; c <= 2; ++c)
      cv::circle(chroma(c), centre, radius, yuv[c], half(thickness), cv::LINE_AA, 1);
  }
  void box(const cv::Rect& rect, const cv::Scalar& rgb, int thickness) override {
    if (rect.empty()) return;
    const cv::Scalar yuv = rgb_to_yuv(rgb, matrix_);
    cv::rectangle(planes_.y, rect, yuv[0], thickness);
    const cv::Point last(rect.x + rect.width - 1, rect.y + rect.height - 1);
    for (int c = 1; c <= 2; ++c)
      cv::rectangle(chroma(c), rect.tl(), last, yuv[c], half(thickness), cv::LINE_8, 1);
  }
  void darken(const cv::Rect& rect, double factor) override {
    const cv::Rect luma = rect & cv::Rect({}, planes_.y.size());
    if (luma.empty()) return;
    // Towards limited-range black: luma 16, neutral chroma 128.
    cv::Mat y = planes_.y(luma);
    y.convertTo(y, -1, factor, 16 * (1 - factor));
    const cv::Rect chroma_rect =
        cv::Rect(cv::Point(luma.x / 2, luma.y / 2), cv::Point((luma.br().x + 1) / 2, (luma.br().y + 1) / 2)) &
        cv::Rect({}, planes_.u.size());
    for (int c = 1; c <= 2; ++c) {
      cv::Mat roi = chroma(c)(chroma_rect);
      roi.convertTo(roi, -1, factor, 128 * (1 - factor));
    }
  }
  void text(const std::string& text, cv::Point origin, double font_scale, const cv::Scalar& rgb,
            int thickness) override {
    const cv::Scalar yuv = rgb_to_yuv(rgb, matrix_);
    cv::putText(planes_.y, text, origin, kFont, font_scale, yuv[0], thickness, cv::LINE_AA);
    for (int c = 1; c <= 2; ++c) {
      cv::putText(chroma(c), text, origin / 2, kFont, font_scale / 2, yuv[c], half(thickness), cv::LINE_AA);
    }
  }

 private:
  static int half(int thickness) { return thickness < 0 ? thickness : std::max(1, (thickness + 1) / 2); }
  cv::Mat& chroma(int component) { return component == 1 ? planes_.u : planes_.v; }

  I420Planes planes_;
  YuvMatrix matrix_;
};

}  // namespace

OverlayRenderer::OverlayRenderer(const OverlayOptions& options) : options_(options) {
  options_.trail_length = std::max(0, options_.trail_length);
}

Status OverlayRenderer::draw(cv::Mat& rgb, const pose::PoseFrame& pose, const HudInfo& hud) {
  if (rgb.empty() || rgb.type() != CV_8UC3) {
    return make_error(ErrorCode::kInvalidArgument, "overlay needs a non-empty RGB24 image");
  }
  RgbCanvas canvas(rgb);
  draw_all(canvas, pose, hud);
  return ok_status();
}

Status OverlayRenderer::draw_i420(cv::Mat& i420, YuvMatrix matrix, const pose::PoseFrame& pose,
                                  const HudInfo& hud) {
  if (!is_i420(i420)) {
    return make_error(ErrorCode::kInvalidArgument, "overlay needs an I420 image of even width and height");
  }
  I420Canvas canvas(i420, matrix);
  draw_all(canvas, pose, hud);
  return ok_status();
}

void OverlayRenderer::draw_all(Canvas& canvas, const pose::PoseFrame& pose, const HudInfo& hud) {
  const double scale = canvas.size().height / kReferenceRows;
  if (options_.draw_trails) update_and_draw_trails(canvas, pose, scale);
  if (pose.detected) draw_pose(canvas, pose, scale);
  if (options_.draw_hud) draw_hud(canvas, pose, hud, scale);
}

void OverlayRenderer::draw_pose(Canvas& canvas, const pose::PoseFrame& pose, double scale) const {
  const cv::Size size = canvas.size();
  const auto& lms = pose.landmarks;
  auto visible = [&](int i) { return drawable(lms[i], options_.min_visibility); };
  if (options_.draw_skeleton) {
    const int thickness = scaled(3.0, scale, 1);
    for (const auto& [a, b] : kConnections) {
      if (!visible(a) || !visible(b)) continue;
      canvas.line(to_pixel(lms[a], size), to_pixel(lms[b], size),
                  confidence_colour(std::min(lms[a].visibility, lms[b].visibility)), thickness);
    }
  }
  if (options_.draw_joints) {
    const int radius = scaled(4.0, scale, 2);
    for (int i = 0; i < pose::kLandmarkCount; ++i) {
      if (!visible(i)) continue;
      const cv::Point p = to_pixel(lms[i], size);
      canvas.circle(p, radius, confidence_colour(lms[i].visibility), cv::FILLED);
      canvas.circle(p, radius, kJointOutline, std::max(1, radius / 3));
    }
  }
}

void OverlayRenderer::update_and_draw_trails(Canvas& canvas, const pose::PoseFrame& pose, double scale) {
  const cv::Size size = canvas.size();
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
      const cv::Point a(static_cast<int>(std::lround(trail[i - 1].x * size.width)),
                        static_cast<int>(std::lround(trail[i - 1].y * size.height)));
      const cv::Point b(static_cast<int>(std::lround(trail[i].x * size.width)),
                        static_cast<int>(std::lround(trail[i].y * size.height)));
      canvas.line(a, b, kTrailColours[t], scaled(4.0 * age, scale, 1));
    }
  }
}

void OverlayRenderer::draw_hud(Canvas& canvas, const pose::PoseFrame& pose, const HudInfo& hud,
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
    // The same 0-100 scale as the results page's intensity card.
    std::snprintf(buffer, sizeof(buffer), "intensity: %.0f/100", 100 * std::clamp(*hud.intensity, 0.0, 1.0));
    lines.emplace_back(buffer);
  }

  const double font_scale = 0.6 * scale;
  const int thickness = scaled(1.5, scale, 1);
  const int margin = scaled(10.0, scale, 3);
  int baseline = 0;
  const cv::Size line_size = cv::getTextSize("Mg", kFont, font_scale, thickness, &baseline);
  const int line_height = line_size.height + baseline + margin / 2;
  int text_width = 0;
  for (const auto& line : lines) {
    text_width = std::max(text_width, cv::getTextSize(line, kFont, font_scale, thickness, &baseline).width);
  }
  const int bar_height = hud.intensity ? line_height / 2 + margin / 2 : 0;
  cv::Rect panel(margin, margin, text_width + 2 * margin,
                 static_cast<int>(lines.size()) * line_height + margin + bar_height);
  panel &= cv::Rect({}, canvas.size());
  if (panel.empty()) return;
  // Darken only the panel's pixels: blending the whole frame would cost a full-frame pass.
  canvas.darken(panel, 0.35);

  int y = panel.y + margin / 2 + line_size.height;
  for (const auto& line : lines) {
    canvas.text(line, {panel.x + margin, y}, font_scale, kWhite, thickness);
    y += line_height;
  }
  if (hud.intensity) {
    const int bar_width = text_width;
    const int filled = static_cast<int>(std::lround(bar_width * std::clamp(*hud.intensity, 0.0, 1.0)));
    const cv::Rect outline(panel.x + margin, y - line_size.height, bar_width, line_height / 2);
    canvas.box(cv::Rect(outline.x, outline.y, filled, outline.height),
               confidence_colour(static_cast<float>(*hud.intensity)), cv::FILLED);
    canvas.box(outline, kWhite, 1);
  }
}

}  // namespace dd::video
