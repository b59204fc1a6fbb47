#include "pipeline/progress_reporter.h"

#include <algorithm>
#include <utility>

#include "pipeline/progress_model.h"

namespace dd::pipeline {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(250);

double seconds_since(ProgressReporter::Clock::time_point start) {
  return std::chrono::duration<double>(ProgressReporter::Clock::now() - start).count();
}

}  // namespace

ProgressReporter::ProgressReporter(const ProgressCallback& callback, int64_t total_frames)
    : callback_(callback), total_(total_frames) {}

void ProgressReporter::stage(const std::string& name, double begin, double end, std::string message) {
  stage_ = name;
  begin_ = begin;
  end_ = end;
  stage_start_ = Clock::now();
  emit(begin, std::move(message), 0, 0);
}

void ProgressReporter::frame(int64_t frames_done) {
  frames_seen_ = std::max(frames_seen_, frames_done);
  if (Clock::now() - last_emit_ < kProgressInterval) return;
  const double stage_s = stage_elapsed_s();
  const double fps = stage_s > 0 ? frames_done / stage_s : 0;
  const double stage_fraction = total_ > 0 ? std::min(1.0, double(frames_done) / double(total_)) : 0;
  emit(begin_ + (end_ - begin_) * stage_fraction,
       stage_ + ": frame " + std::to_string(frames_done) + " of " + std::to_string(total_), frames_done, fps);
}

double ProgressReporter::stage_elapsed_s() const {
  return seconds_since(stage_start_);
}

void ProgressReporter::emit(double fraction, std::string message, int64_t frame, double fps) {
  last_emit_ = Clock::now();
  if (!callback_) return;
  Progress progress;
  progress.fraction = std::clamp(fraction, 0.0, 1.0);
  progress.stage = stage_;
  progress.message = std::move(message);
  progress.frame = frame;
  progress.total = total_;
  progress.fps = fps;
  progress.eta_s = estimate_eta_s(progress.fraction, seconds_since(start_), frames_seen_);
  callback_(progress);
}

}  // namespace dd::pipeline
