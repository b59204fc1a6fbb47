#include "report/motion_track.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dd::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::array<int, 6> kFootLandmarks = {pose::kLeftAnkle, pose::kRightAnkle,    pose::kLeftHeel,
                                               pose::kRightHeel, pose::kLeftFootIndex, pose::kRightFootIndex};

// MediaPipe world (x right, y down, z away from the camera) to export axes (Y up, Z towards
// the camera): a half turn about X. NaN when the frame has no pose or a value is not finite.
Vec3 export_point(const pose::PoseFrame& frame, int landmark) {
  const auto& lm = frame.world[static_cast<size_t>(landmark)];
  if (!frame.detected || !std::isfinite(lm.x) || !std::isfinite(lm.y) || !std::isfinite(lm.z))
    return {kNaN, kNaN, kNaN};
  return {lm.x, -static_cast<double>(lm.y), -static_cast<double>(lm.z)};
}

double median(std::vector<double> values) {
  if (values.empty()) return kNaN;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

double track_rate(const pose::PoseSequence& dancer) {
  if (std::isfinite(dancer.fps) && dancer.fps > 0) return dancer.fps;
  std::vector<double> intervals;
  for (size_t i = 1; i < dancer.frames.size(); ++i)
    intervals.push_back(dancer.frames[i].timestamp_s - dancer.frames[i - 1].timestamp_s);
  const double interval = median(intervals);
  constexpr double kFallbackRate = 30.0;
  return std::isfinite(interval) && interval > 0 ? 1.0 / interval : kFallbackRate;
}

}  // namespace

double dot(Vec3 a, Vec3 b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}

Vec3 cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

double norm(Vec3 v) {
  return std::sqrt(dot(v, v));
}

Vec3 normalized(Vec3 v) {
  const double length = norm(v);
  return length > 0 ? (1.0 / length) * v : Vec3{};
}

Result<MotionTrack> build_motion_track(const pose::PoseSequence& dancer,
                                       const analysis::TrajectoryFilter& filter) {
  const auto& frames = dancer.frames;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (!std::isfinite(frames[i].timestamp_s) ||
        (i > 0 && frames[i].timestamp_s <= frames[i - 1].timestamp_s)) {
      return make_error(
          ErrorCode::kInvalidArgument,
          "export: frame timestamps must be finite and increasing (frame " + std::to_string(i) + ")");
    }
  }
  MotionTrack track;
  track.rate_hz = track_rate(dancer);
  if (frames.empty()) return track;

  // Resample: sample k lies between frames j and j+1 (or on frame j within a microsecond).
  const double first_s = frames.front().timestamp_s;
  const double last_s = frames.back().timestamp_s;
  constexpr double kSameTimeS = 1e-6;
  const auto sample_count =
      static_cast<size_t>(std::floor((last_s - first_s) * track.rate_hz + kSameTimeS)) + 1;
  track.samples.resize(sample_count);
  size_t j = 0;
  for (size_t k = 0; k < sample_count; ++k) {
    auto& sample = track.samples[k];
    sample.time_s = first_s + static_cast<double>(k) / track.rate_hz;
    while (j + 1 < frames.size() && frames[j + 1].timestamp_s <= sample.time_s + kSameTimeS) ++j;
    const auto& before = frames[j];
    const bool on_frame =
        std::abs(sample.time_s - before.timestamp_s) <= kSameTimeS || j + 1 == frames.size();
    for (int landmark = 0; landmark < pose::kLandmarkCount; ++landmark) {
      Vec3 point = export_point(before, landmark);
      if (!on_frame) {
        const auto& after = frames[j + 1];
        const double fraction =
            (sample.time_s - before.timestamp_s) / (after.timestamp_s - before.timestamp_s);
        point = point + fraction * (export_point(after, landmark) - point);
      }
      sample.points[static_cast<size_t>(landmark)] = point;
    }
  }

  // Fill, then filter, each coordinate of each landmark over time.
  std::vector<double> series(sample_count);
  for (size_t landmark = 0; landmark < pose::kLandmarkCount; ++landmark) {
    for (double Vec3::*axis : {&Vec3::x, &Vec3::y, &Vec3::z}) {
      for (size_t k = 0; k < sample_count; ++k) series[k] = track.samples[k].points[landmark].*axis;
      std::vector<bool> was_missing(sample_count);
      for (size_t k = 0; k < sample_count; ++k) was_missing[k] = !std::isfinite(series[k]);
      const auto filled = analysis::fill_short_gaps(series, analysis::kMaxFilledGapSamples);
      analysis::apply_trajectory_filter(series, track.rate_hz, filter);
      for (size_t k = 0; k < sample_count; ++k) {
        auto& sample = track.samples[k];
        sample.points[landmark].*axis = series[k];
        // The three axes share their gaps, so the last axis's state is the landmark's.
        sample.states[landmark] = !was_missing[k] ? SampleState::kMeasured
                                  : filled[k]     ? SampleState::kFilled
                                                  : SampleState::kMissing;
      }
    }
  }

  // Feet on the floor, sample by sample; a sample without any foot point uses the median lift.
  std::vector<double> floor_y(sample_count, kNaN);
  for (size_t k = 0; k < sample_count; ++k) {
    for (int landmark : kFootLandmarks) {
      if (!track.samples[k].has(landmark)) continue;
      const double y = track.samples[k].at(landmark).y;
      if (!std::isfinite(floor_y[k]) || y < floor_y[k]) floor_y[k] = y;
    }
  }
  std::vector<double> known_floors;
  for (double y : floor_y)
    if (std::isfinite(y)) known_floors.push_back(y);
  const double median_floor_y = known_floors.empty() ? 0.0 : median(known_floors);
  for (size_t k = 0; k < sample_count; ++k) {
    const double lift = std::isfinite(floor_y[k]) ? floor_y[k] : median_floor_y;
    for (auto& point : track.samples[k].points) point.y -= lift;
  }
  return track;
}

}  // namespace dd::report
