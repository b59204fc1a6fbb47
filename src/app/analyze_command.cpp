#include "app/analyze_command.h"

#include <signal.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <thread>

#include "app/exit_code.h"
#include "app/global_options.h"
#include "pipeline/pipeline.h"

namespace dd::app {
namespace {

struct AnalyzeArgs {
  std::string video;
  std::string output_dir = "dancedynamics-output";
  std::string model = "full";
  bool no_video = false;
  int threads = 0;
};

// Turns SIGINT/SIGTERM into a stop request for the pipeline (and so a clean exit with no
// partial outputs). The signals are blocked and collected by a watcher thread because a
// signal handler may not touch a stop_source.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::stop_source stop) {
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
  ~InterruptWatcher() {
    thread_.request_stop();
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

 private:
  sigset_t signals_{};
  sigset_t previous_{};
  std::jthread thread_;
};

// A one-line bar redrawn in place on a terminal; plain lines (at most one per stage change or
// every 2 s) when stderr is a file or pipe.
class ProgressPrinter {
 public:
  ProgressPrinter() : terminal_(isatty(STDERR_FILENO) == 1) {}

  void operator()(const pipeline::Progress& progress) {
    if (terminal_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(progress.fraction * kWidth);
      std::string bar(static_cast<size_t>(filled), '#');
      bar.resize(kWidth, '.');
      std::fprintf(stderr, "\r[%s] %3.0f%% %-8s %" PRId64 "/%" PRId64 " %5.1f fps  ETA %4.0fs ", bar.c_str(),
                   progress.fraction * 100, progress.stage.c_str(), progress.frame, progress.total, progress.fps,
                   progress.eta_s);
      if (progress.stage == "done") std::fputc('\n', stderr);
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (progress.stage == last_stage_ && now - last_line_ < std::chrono::seconds(2)) return;
    last_stage_ = progress.stage;
    last_line_ = now;
    std::fprintf(stderr, "%3.0f%% %s (%.1f fps)\n", progress.fraction * 100, progress.message.c_str(), progress.fps);
  }

 private:
  bool terminal_;
  std::string last_stage_;
  std::chrono::steady_clock::time_point last_line_{};
};

int run_analyze(const GlobalOptions& global, const AnalyzeArgs& args) {
  pipeline::PipelineOptions options;
  options.model = args.model;
  options.write_video = !args.no_video;
  options.num_threads = args.threads;
  options.model_dir = global.model_dir;

  std::stop_source stop;
  InterruptWatcher watcher(stop);
  ProgressPrinter printer;
  auto outputs = pipeline::run(args.video, args.output_dir, options,
                               [&printer](const pipeline::Progress& p) { printer(p); }, stop.get_token());
  if (!outputs) return report_error(outputs.error());
  std::printf("results:   %s\nlandmarks: %s\n           %s\n", outputs->results_json.c_str(),
              outputs->landmarks_json.c_str(), outputs->landmarks_csv.c_str());
  if (!outputs->overlay_mp4.empty()) std::printf("overlay:   %s\n", outputs->overlay_mp4.c_str());
  std::printf("thumbnail: %s\n", outputs->thumbnail_jpg.c_str());
  return kExitOk;
}

}  // namespace

void add_analyze_command(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* command = app.add_subcommand(
      "analyze", "Analyse a video: results.json, landmarks.csv/json, overlay.mp4 and thumbnail.jpg");
  command->add_option("video", args->video, "Input video file")->required();
  command->add_option("-o,--output", args->output_dir, "Output directory (created if missing)")
      ->capture_default_str();
  command->add_option("--model", args->model, "Landmark model: lite (fastest) | full | heavy (most accurate)")
      ->envname("DD_MODEL")
      ->check(CLI::IsMember({"lite", "full", "heavy"}))
      ->capture_default_str();
  command->add_flag("--no-video", args->no_video, "Skip the overlay video (about twice as fast)");
  command->add_option("--threads", args->threads, "Inference threads (0 = all cores)")
      ->envname("DD_THREADS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->callback([&global, exit_code, args] { *exit_code = run_analyze(global, *args); });
}

}  // namespace dd::app
