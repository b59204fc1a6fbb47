#include "app/console.h"

#include <unistd.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace dd::app {

InterruptWatcher::InterruptWatcher(std::stop_source stop) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
  thread_ = std::jthread([this, stop](std::stop_token self) mutable {
    const timespec poll{0, 200'000'000};
    while (!self.stop_requested()) {
      if (sigtimedwait(&signals_, nullptr, &poll) > 0) {
        std::fprintf(stderr, "\ndancedynamics: interrupted, stopping...\n");
        stop.request_stop();
        return;
      }
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  thread_.request_stop();
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

ProgressPrinter::ProgressPrinter() : terminal_(isatty(STDERR_FILENO) == 1) {}

void ProgressPrinter::operator()(const pipeline::Progress& progress) {
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(progress.fraction * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    // No ETA until the pace is known: "--" rather than a guess.
    const std::string eta =
        progress.eta_s ? std::to_string(static_cast<int64_t>(std::lround(*progress.eta_s))) + "s" : "--";
    std::fprintf(stderr, "\r[%s] %3.0f%% %-8s %" PRId64 "/%" PRId64 " %5.1f fps  ETA %5s ", bar.c_str(),
                 progress.fraction * 100, progress.stage.c_str(), progress.frame, progress.total,
                 progress.fps, eta.c_str());
    if (progress.stage == "done") std::fputc('\n', stderr);
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (progress.stage == last_stage_ && now - last_line_ < std::chrono::seconds(2)) return;
  last_stage_ = progress.stage;
  last_line_ = now;
  std::fprintf(stderr, "%3.0f%% %s (%.1f fps)\n", progress.fraction * 100, progress.message.c_str(),
               progress.fps);
}

}  // namespace dd::app
