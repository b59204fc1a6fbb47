#include "analysis/kinematics.h"

#include <algorithm>
#include <cmath>

#include "core/result.h"

namespace dd::analysis {
namespace {

using pose::PoseFrame;

// A frame in pixels with its raw torso length (0 when the torso is not visible enough).
struct PixelFrame {
  double t_s = 0;
  LandmarkVec px{};
  LandmarkWeights visibility{};
  double torso_px = 0;
  double scale_px = 0;  // filled after smoothing
};

constexpr double kMinTorsoVisibility = 0.2;
constexpr double kScaleWindow_s = 1.5;         // half-width of the torso smoothing window
constexpr double kMaxHipJump_scales = 1.5;     // larger jumps between frames: another person
constexpr double kMinVisibilityWeight = 0.05;  // occluded points still count a little

bool frame_is_finite(const PoseFrame& frame) {
  for (const auto& lm : frame.landmarks) {
    if (!std::isfinite(lm.x) || !std::isfinite(lm.y) || !std::isfinite(lm.visibility)) return false;
  }
  return std::isfinite(frame.timestamp_s);
}

double distance(Vec2 a, Vec2 b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const size_t k =
      std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

std::vector<PixelFrame> to_pixel_frames(const pose::PoseSequence& sequence) {
  std::vector<PixelFrame> frames;
  const double width = sequence.width;
  const double height = sequence.height;
  for (const PoseFrame& frame : sequence.frames) {
    if (!frame.detected || !frame_is_finite(frame)) continue;
    if (!frames.empty() && frame.timestamp_s <= frames.back().t_s) continue;
    PixelFrame pf;
    pf.t_s = frame.timestamp_s;
    for (int i = 0; i < pose::kLandmarkCount; ++i) {
      const auto& lm = frame.landmarks[static_cast<size_t>(i)];
      pf.px[static_cast<size_t>(i)] = {lm.x * width, lm.y * height};
      pf.visibility[static_cast<size_t>(i)] = std::clamp(static_cast<double>(lm.visibility), 0.0, 1.0);
    }
    const double torso_vis =
        std::min({pf.visibility[pose::kLeftShoulder], pf.visibility[pose::kRightShoulder],
                  pf.visibility[pose::kLeftHip], pf.visibility[pose::kRightHip]});
    if (torso_vis >= kMinTorsoVisibility) {
      pf.torso_px = distance(midpoint(pf.px, pose::kLeftShoulder, pose::kRightShoulder),
                             midpoint(pf.px, pose::kLeftHip, pose::kRightHip));
    }
    frames.push_back(pf);
  }
  return frames;
}

// The torso length seen from the side or while bending shrinks: the 75th percentile over a
// 3 s window follows real changes of distance to the camera but not those dips or jitter.
void smooth_scale(std::vector<PixelFrame>& frames, size_t begin, size_t end, double fallback_px) {
  std::vector<double> window;
  size_t lo = begin;
  size_t hi = begin;
  for (size_t i = begin; i < end; ++i) {
    while (frames[lo].t_s < frames[i].t_s - kScaleWindow_s) ++lo;
    while (hi < end && frames[hi].t_s <= frames[i].t_s + kScaleWindow_s) ++hi;
    window.clear();
    for (size_t j = lo; j < hi; ++j) {
      if (frames[j].torso_px > 0) window.push_back(frames[j].torso_px);
    }
    frames[i].scale_px = window.empty() ? fallback_px : percentile(window, 0.75);
  }
}

double fallback_scale(const std::vector<PixelFrame>& frames, const pose::PoseSequence& sequence) {
  std::vector<double> torsos;
  for (const auto& f : frames) {
    if (f.torso_px > 0) torsos.push_back(f.torso_px);
  }
  if (!torsos.empty()) return std::max(1.0, percentile(torsos, 0.5));
  // No torso anywhere: a standing adult's torso is about a quarter of the frame height.
  return std::max(1.0, 0.25 * std::max(sequence.width, sequence.height));
}

// Fills dropouts (allowed up to the gap limit) with frames on the straight line between their
// neighbours, one per frame interval, so the smoothing kernel always has frames on both sides
// and a dropout cannot bend the path or make a velocity spike.
std::vector<PixelFrame> densify(const std::vector<PixelFrame>& frames, size_t begin, size_t end,
                                double interval_s) {
  std::vector<PixelFrame> out;
  for (size_t j = begin; j < end; ++j) {
    if (j > begin) {
      const PixelFrame& a = frames[j - 1];
      const PixelFrame& b = frames[j];
      // A step shorter than half the typical interval gives a negative count: none missing
      // (cast to size_t unclamped, it once asked for 2^64 frames on sparse detections).
      const auto missing = static_cast<size_t>(std::max(0.0, std::floor((b.t_s - a.t_s) / interval_s - 0.5)));
      for (size_t m = 1; m <= missing; ++m) {
        const double u = static_cast<double>(m) / static_cast<double>(missing + 1);
        PixelFrame f;
        f.t_s = a.t_s + u * (b.t_s - a.t_s);
        f.scale_px = a.scale_px + u * (b.scale_px - a.scale_px);
        for (size_t i = 0; i < f.px.size(); ++i) {
          f.px[i] = {a.px[i].x + u * (b.px[i].x - a.px[i].x), a.px[i].y + u * (b.px[i].y - a.px[i].y)};
          f.visibility[i] = a.visibility[i] + u * (b.visibility[i] - a.visibility[i]);
        }
        out.push_back(f);
      }
    }
    out.push_back(frames[j]);
  }
  return out;
}

Track resample(const std::vector<PixelFrame>& frames, size_t begin, size_t end, double sigma_s) {
  Track track;
  track.start_s = frames[begin].t_s;
  const double duration_s = frames[end - 1].t_s - track.start_s;
  const size_t count = static_cast<size_t>(std::floor(duration_s * kGridRate_hz + 1e-9)) + 1;
  track.position.resize(count);
  track.velocity.resize(count);
  track.visibility.resize(count);
  track.scale_px.resize(count);
  std::vector<LandmarkVec> pixels(count);
  const double reach_s = 3 * sigma_s;
  size_t lo = begin;
  for (size_t k = 0; k < count; ++k) {
    const double t = track.time_s(k);
    while (lo < end && frames[lo].t_s < t - reach_s) ++lo;
    LandmarkVec sum{};
    LandmarkWeights weight_sum{};
    LandmarkWeights vis_sum{};
    double kernel_sum = 0;
    double scale_sum = 0;
    for (size_t j = lo; j < end && frames[j].t_s <= t + reach_s; ++j) {
      const double d = (frames[j].t_s - t) / sigma_s;
      const double kernel = std::exp(-0.5 * d * d);
      kernel_sum += kernel;
      scale_sum += kernel * frames[j].scale_px;
      for (size_t i = 0; i < sum.size(); ++i) {
        const double w = kernel * std::max(frames[j].visibility[i], kMinVisibilityWeight);
        sum[i].x += w * frames[j].px[i].x;
        sum[i].y += w * frames[j].px[i].y;
        weight_sum[i] += w;
        vis_sum[i] += kernel * frames[j].visibility[i];
      }
    }
    DD_CHECK(kernel_sum > 0, "densified frames are closer than the kernel reach");
    track.scale_px[k] = scale_sum / kernel_sum;
    for (size_t i = 0; i < sum.size(); ++i) {
      pixels[k][i] = {sum[i].x / weight_sum[i], sum[i].y / weight_sum[i]};
      track.position[k][i] = {pixels[k][i].x / track.scale_px[k], pixels[k][i].y / track.scale_px[k]};
      track.visibility[k][i] = vis_sum[i] / kernel_sum;
    }
  }
  // Velocity from pixel differences over the local scale, so a person walking towards the
  // camera (scale growing) does not seem to move outwards.
  for (size_t k = 0; k < count; ++k) {
    const size_t a = k == 0 ? 0 : k - 1;
    const size_t b = std::min(count - 1, k + 1);
    const double dt = static_cast<double>(b - a) / kGridRate_hz;
    for (size_t i = 0; i < pixels[k].size(); ++i) {
      track.velocity[k][i] = {(pixels[b][i].x - pixels[a][i].x) / dt / track.scale_px[k],
                              (pixels[b][i].y - pixels[a][i].y) / dt / track.scale_px[k]};
    }
  }
  return track;
}

}  // namespace

Vec2 midpoint(const LandmarkVec& points, int a, int b) {
  const auto& pa = points[static_cast<size_t>(a)];
  const auto& pb = points[static_cast<size_t>(b)];
  return {(pa.x + pb.x) / 2, (pa.y + pb.y) / 2};
}

std::vector<double> joint_speed(const Track& track, std::span<const int> joints) {
  std::vector<double> speed(track.size());
  for (size_t k = 0; k < track.size(); ++k) {
    double sum = 0;
    double weight = 0;
    for (int joint : joints) {
      const auto j = static_cast<size_t>(joint);
      const double w = std::max(track.visibility[k][j], kMinVisibilityWeight);
      sum += w * std::hypot(track.velocity[k][j].x, track.velocity[k][j].y);
      weight += w;
    }
    speed[k] = weight > 0 ? sum / weight : 0;
  }
  return speed;
}

std::vector<double> moving_average(std::span<const double> values, size_t width) {
  std::vector<double> out(values.size());
  const size_t half = width / 2;
  std::vector<double> prefix(values.size() + 1, 0.0);
  for (size_t i = 0; i < values.size(); ++i) prefix[i + 1] = prefix[i] + values[i];
  for (size_t i = 0; i < values.size(); ++i) {
    const size_t lo = i >= half ? i - half : 0;
    const size_t hi = std::min(values.size(), i + half + 1);
    out[i] = (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
  }
  return out;
}

Kinematics compute_kinematics(const pose::PoseSequence& sequence) {
  Kinematics result;
  if (sequence.width <= 0 || sequence.height <= 0) return result;
  std::vector<PixelFrame> frames = to_pixel_frames(sequence);
  if (frames.size() < 2) return result;

  std::vector<double> intervals;
  for (size_t i = 1; i < frames.size(); ++i) intervals.push_back(frames[i].t_s - frames[i - 1].t_s);
  const double frame_interval_s = percentile(intervals, 0.5);
  const double max_gap_s = std::max(0.25, 3 * frame_interval_s);
  // Wide enough to bridge low frame rates, narrow enough to keep 2-3 Hz dance motion.
  const double sigma_s = std::max(0.04, 0.6 * frame_interval_s);
  const double fallback_px = fallback_scale(frames, sequence);

  // Split into runs at gaps, then smooth the scale per run, then split at identity jumps.
  std::vector<std::pair<size_t, size_t>> runs;
  size_t start = 0;
  for (size_t i = 1; i <= frames.size(); ++i) {
    if (i == frames.size() || frames[i].t_s - frames[i - 1].t_s > max_gap_s) {
      runs.emplace_back(start, i);
      start = i;
    }
  }
  for (const auto& [begin, end] : runs) {
    smooth_scale(frames, begin, end, fallback_px);
    size_t piece = begin;
    for (size_t i = begin + 1; i <= end; ++i) {
      bool split = i == end;
      if (!split) {
        const double jump = distance(midpoint(frames[i].px, pose::kLeftHip, pose::kRightHip),
                                     midpoint(frames[i - 1].px, pose::kLeftHip, pose::kRightHip));
        split = jump > kMaxHipJump_scales * frames[i].scale_px;
      }
      if (!split) continue;
      if (i - piece >= 2) {
        const std::vector<PixelFrame> dense = densify(frames, piece, i, frame_interval_s);
        Track track = resample(dense, 0, dense.size(), sigma_s);
        if (track.size() >= 3) result.tracks.push_back(std::move(track));
      }
      piece = i;
    }
  }
  return result;
}

}  // namespace dd::analysis
