// Power spectrum of real frames through FFTW (single precision), for the audio onset envelope.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include <fftw3.h>

namespace dd::analysis {

// One FFTW plan and its buffers for a fixed transform size. Not copyable; one object per
// thread (creating plans is serialised internally because FFTW's planner is not thread-safe).
class RealFft {
 public:
  explicit RealFft(size_t size);  // size >= 2
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  size_t size() const { return size_; }

  // |X(k)|^2 for k = 0..size/2 of `frame` (zero-padded or cut to size) into `power`.
  void power(std::span<const float> frame, std::vector<float>& power);

 private:
  size_t size_;
  float* input_ = nullptr;
  fftwf_complex* output_ = nullptr;
  fftwf_plan plan_ = nullptr;
};

}  // namespace dd::analysis
