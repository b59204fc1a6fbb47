// Temporal smoothing of landmarks as in MediaPipe's pose graph: the one-euro filter
// (float32 state, real timestamps in ns), the visibility low-pass filter, and per-landmark
// banks of them (POSE_FACTS.md §9).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "pose/pose_frame.h"

namespace dd::pose {

// Exponential smoothing; the first value passes through. Stores raw input and output as float.
class LowPassFilter {
 public:
  // Returns alpha*value + (1-alpha)*previous output (value itself on the first call).
  float apply(float value, float alpha);
  bool has_last_raw_value() const { return initialized_; }
  float last_raw_value() const { return raw_value_; }
  void reset() { initialized_ = false; }

 private:
  bool initialized_ = false;
  float raw_value_ = 0;
  float stored_value_ = 0;
};

struct OneEuroParams {
  double min_cutoff = 1.0;
  double beta = 0.0;
  double derivate_cutoff = 1.0;
};

// The one-euro filter (Casiez et al.) with MediaPipe's timestamp handling: a timestamp not
// after the last one returns the raw value untouched (so t = 0 on a fresh filter does too).
class OneEuroFilter {
 public:
  explicit OneEuroFilter(const OneEuroParams& params) : params_(params) {}
  // Returns the filtered value; value_scale multiplies the derivative (1/object size).
  float apply(int64_t timestamp_ns, double value_scale, float value);
  void reset();

 private:
  double alpha(double cutoff) const;

  static constexpr double kDefaultFrequency = 30.0;
  OneEuroParams params_;
  double frequency_ = kDefaultFrequency;
  int64_t last_time_ns_ = 0;
  LowPassFilter x_;
  LowPassFilter dx_;
};

// One-euro filters for x, y, z of each landmark. Coordinates are multiplied by
// (scale_x, scale_y, scale_z) before filtering and divided after (MediaPipe filters
// normalised landmarks in pixels); visibility and presence are left alone.
class LandmarksOneEuroFilter {
 public:
  LandmarksOneEuroFilter(size_t count, const OneEuroParams& params);
  // Filters landmarks in place; DD_CHECKs landmarks.size() equals the count.
  void apply(std::span<Landmark> landmarks, int64_t timestamp_ns, double value_scale, float scale_x,
             float scale_y, float scale_z);
  void reset();

 private:
  std::vector<OneEuroFilter> filters_;  // x, y, z per landmark
};

// Low-pass filters of each landmark's visibility (alpha 0.1 in the pose graph).
class VisibilityFilter {
 public:
  VisibilityFilter(size_t count, float alpha) : filters_(count), alpha_(alpha) {}
  // Smooths visibility in place; DD_CHECKs landmarks.size() equals the count.
  void apply(std::span<Landmark> landmarks);
  void reset();

 private:
  std::vector<LowPassFilter> filters_;
  float alpha_;
};

}  // namespace dd::pose
