// Console helpers shared by the long-running commands (analyze, compare): Ctrl-C as a stop
// request, and a progress bar on stderr.
#pragma once

#include <signal.h>

#include <chrono>
#include <stop_token>
#include <string>
#include <thread>

#include "pipeline/pipeline.h"

namespace dd::app {

// Turns SIGINT/SIGTERM into a stop request for the pipeline (and so a clean exit with no
// partial outputs). The signals are blocked and collected by a watcher thread because a
// signal handler may not touch a stop_source.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::stop_source stop);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

 private:
  sigset_t signals_{};
  sigset_t previous_{};
  std::jthread thread_;
};

// A one-line bar redrawn in place on a terminal; plain lines (at most one per stage change or
// every 2 s) when stderr is a file or pipe.
class ProgressPrinter {
 public:
  ProgressPrinter();
  void operator()(const pipeline::Progress& progress);

 private:
  bool terminal_;
  std::string last_stage_;
  std::chrono::steady_clock::time_point last_line_{};
};

}  // namespace dd::app
