// ProgressReporter: turns a job's stages and frames into Progress reports, throttled; shared by
// the analysis pipeline and the comparison job so both report alike.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "pipeline/pipeline.h"

namespace dd::pipeline {

// Each stage owns a span [begin, end] of the bar (the analysis takes its spans from the stages'
// measured weights, progress_model.h). Reports at most every 250 ms within a stage and at every
// stage change. The ETA extrapolates the pace since the reporter was made and stays absent
// until that pace means something (estimate_eta_s). Not thread-safe: one job's thread.
class ProgressReporter {
 public:
  using Clock = std::chrono::steady_clock;

  // `callback` (may be empty) must outlive the reporter; total_frames may be set later.
  ProgressReporter(const ProgressCallback& callback, int64_t total_frames);

  // The frame count the following per-frame updates count towards.
  void set_total(int64_t total_frames) { total_ = total_frames; }

  // A new stage `name` spanning [begin, end] of the bar; always reported (at `begin`).
  void stage(const std::string& name, double begin, double end, std::string message);

  // Frames done within the current stage; throttled.
  void frame(int64_t frames_done);

  // Seconds since the current stage began, for the log.
  double stage_elapsed_s() const;

 private:
  void emit(double fraction, std::string message, int64_t frame, double fps);

  const ProgressCallback& callback_;
  int64_t total_;
  const Clock::time_point start_ = Clock::now();
  std::string stage_;
  double begin_ = 0;
  double end_ = 0;
  Clock::time_point stage_start_ = Clock::now();
  int64_t frames_seen_ = 0;
  Clock::time_point last_emit_{};
};

}  // namespace dd::pipeline
