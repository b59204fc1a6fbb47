#include "pose/landmark_filters.h"

#include <cmath>
#include <numbers>

#include "core/result.h"

namespace dd::pose {

float LowPassFilter::apply(float value, float alpha) {
  const float result = initialized_ ? alpha * value + (1.0f - alpha) * stored_value_ : value;
  initialized_ = true;
  raw_value_ = value;
  stored_value_ = result;
  return result;
}

double OneEuroFilter::alpha(double cutoff) const {
  const double te = 1.0 / frequency_;
  const double tau = 1.0 / (2.0 * std::numbers::pi * cutoff);
  return 1.0 / (1.0 + tau / te);
}

float OneEuroFilter::apply(int64_t timestamp_ns, double value_scale, float value) {
  if (last_time_ns_ >= timestamp_ns) return value;
  if (last_time_ns_ != 0 && timestamp_ns != 0) {
    frequency_ = 1.0 / (static_cast<double>(timestamp_ns - last_time_ns_) * 1e-9);
  }
  last_time_ns_ = timestamp_ns;
  const double dvalue = x_.has_last_raw_value()
                            ? (static_cast<double>(value) - x_.last_raw_value()) * value_scale * frequency_
                            : 0.0;
  const double edvalue =
      dx_.apply(static_cast<float>(dvalue), static_cast<float>(alpha(params_.derivate_cutoff)));
  const double cutoff = params_.min_cutoff + params_.beta * std::fabs(edvalue);
  return x_.apply(value, static_cast<float>(alpha(cutoff)));
}

void OneEuroFilter::reset() {
  frequency_ = kDefaultFrequency;
  last_time_ns_ = 0;
  x_.reset();
  dx_.reset();
}

LandmarksOneEuroFilter::LandmarksOneEuroFilter(size_t count, const OneEuroParams& params)
    : filters_(count * 3, OneEuroFilter(params)) {}

void LandmarksOneEuroFilter::apply(std::span<Landmark> landmarks, int64_t timestamp_ns, double value_scale,
                                   float scale_x, float scale_y, float scale_z) {
  DD_CHECK(landmarks.size() * 3 == filters_.size(), "landmark count differs from the filter bank");
  for (size_t i = 0; i < landmarks.size(); ++i) {
    Landmark& lm = landmarks[i];
    lm.x = filters_[3 * i].apply(timestamp_ns, value_scale, lm.x * scale_x) / scale_x;
    lm.y = filters_[3 * i + 1].apply(timestamp_ns, value_scale, lm.y * scale_y) / scale_y;
    lm.z = filters_[3 * i + 2].apply(timestamp_ns, value_scale, lm.z * scale_z) / scale_z;
  }
}

void LandmarksOneEuroFilter::reset() {
  for (auto& filter : filters_) filter.reset();
}

void VisibilityFilter::apply(std::span<Landmark> landmarks) {
  DD_CHECK(landmarks.size() == filters_.size(), "landmark count differs from the filter bank");
  for (size_t i = 0; i < landmarks.size(); ++i) {
    landmarks[i].visibility = filters_[i].apply(landmarks[i].visibility, alpha_);
  }
}

void VisibilityFilter::reset() {
  for (auto& filter : filters_) filter.reset();
}

}  // namespace dd::pose
