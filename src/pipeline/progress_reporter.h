// ProgressReporter: turns a job's stages and frames into Progress reports, throttled; shared by
// the analysis pipeline and the comparison job so both report alike.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "pipeline/pipeline.h"

namespace dd::pipeline {

// Reports at most every 250 ms within a stage, and at every stage change. The ETA extrapolates
// the whole run's pace: elapsed * (1 - fraction) / fraction. Not thread-safe: one job's thread.
class ProgressReporter {
 public:
  using Clock = std::chrono::steady_clock;

  // `callback` (may be empty) must outlive the reporter; total_frames may be set later.
  ProgressReporter(const ProgressCallback& callback, int64_t total_frames, Clock::time_point run_start);

  // The frame count the following per-frame updates count towards.
  void set_total(int64_t total_frames) { total_ = total_frames; }

  // A new stage starting at `fraction` of the bar; always reported.
  void stage(double fraction, const std::string& stage, std::string message);

  // Per-frame update inside a stage spanning [begin, end) of the bar; throttled.
  void frame(const std::string& stage, double begin, double end, int64_t frames_done,
             Clock::time_point stage_start);

 private:
  void emit(double fraction, const std::string& stage, std::string message, int64_t frame, double fps);

  const ProgressCallback& callback_;
  int64_t total_;
  const Clock::time_point run_start_;
  int64_t frames_ = 0;
  Clock::time_point last_emit_{};
};

}  // namespace dd::pipeline
