#include "analysis/real_fft.h"

#include <algorithm>
#include <mutex>

#include "core/result.h"

namespace dd::analysis {
namespace {

std::mutex& planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

RealFft::RealFft(size_t size) : size_(size) {
  DD_CHECK(size >= 2, "FFT size must be at least 2");
  std::lock_guard<std::mutex> lock(planner_mutex());
  input_ = fftwf_alloc_real(size_);
  output_ = fftwf_alloc_complex(size_ / 2 + 1);
  DD_CHECK(input_ != nullptr && output_ != nullptr, "FFTW allocation failed");
  plan_ = fftwf_plan_dft_r2c_1d(static_cast<int>(size_), input_, output_, FFTW_ESTIMATE);
  DD_CHECK(plan_ != nullptr, "FFTW could not plan a real transform");
}

RealFft::~RealFft() {
  std::lock_guard<std::mutex> lock(planner_mutex());
  fftwf_destroy_plan(plan_);
  fftwf_free(input_);
  fftwf_free(output_);
}

void RealFft::power(std::span<const float> frame, std::vector<float>& power) {
  const size_t used = std::min(frame.size(), size_);
  std::copy_n(frame.begin(), used, input_);
  std::fill(input_ + used, input_ + size_, 0.0f);
  fftwf_execute(plan_);
  power.resize(size_ / 2 + 1);
  for (size_t k = 0; k < power.size(); ++k)
    power[k] = output_[k][0] * output_[k][0] + output_[k][1] * output_[k][1];
}

}  // namespace dd::analysis
