#include "pipeline/progress_reporter.h"

#include <algorithm>
#include <utility>

namespace dd::pipeline {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(250);

}  // namespace

ProgressReporter::ProgressReporter(const ProgressCallback& callback, int64_t total_frames,
                                   Clock::time_point run_start)
    : callback_(callback), total_(total_frames), run_start_(run_start) {}

void ProgressReporter::stage(double fraction, const std::string& stage, std::string message) {
  emit(fraction, stage, std::move(message), frames_, 0);
}

void ProgressReporter::frame(const std::string& stage, double begin, double end, int64_t frames_done,
                             Clock::time_point stage_start) {
  frames_ = frames_done;
  const auto now = Clock::now();
  if (now - last_emit_ < kProgressInterval) return;
  const double stage_elapsed_s = std::chrono::duration<double>(now - stage_start).count();
  const double fps = stage_elapsed_s > 0 ? frames_done / stage_elapsed_s : 0;
  const double stage_fraction = total_ > 0 ? std::min(1.0, double(frames_done) / double(total_)) : 0;
  emit(begin + (end - begin) * stage_fraction, stage,
       stage + ": frame " + std::to_string(frames_done) + " of " + std::to_string(total_), frames_done, fps);
}

void ProgressReporter::emit(double fraction, const std::string& stage, std::string message, int64_t frame,
                            double fps) {
  if (!callback_) return;
  const auto now = Clock::now();
  last_emit_ = now;
  Progress progress;
  progress.fraction = std::clamp(fraction, 0.0, 1.0);
  progress.stage = stage;
  progress.message = std::move(message);
  progress.frame = frame;
  progress.total = total_;
  progress.fps = fps;
  const double elapsed_s = std::chrono::duration<double>(now - run_start_).count();
  progress.eta_s = progress.fraction > 0.01 ? elapsed_s * (1 - progress.fraction) / progress.fraction : 0;
  callback_(progress);
}

}  // namespace dd::pipeline
