#include "app/analyze_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "analysis/trajectory_filter.h"
#include "app/common_flags.h"
#include "app/console.h"
#include "app/exit_code.h"
#include "app/global_options.h"
#include "pipeline/pipeline.h"
#include "report/motion_exports.h"

namespace dd::app {
namespace {

struct AnalyzeArgs {
  std::string video;
  std::string output_dir = "dancedynamics-output";
  bool no_video = false;
  pipeline::PipelineOptions options;  // the flags fill it directly
  std::string exports;                // comma-separated motion exports, empty for none
  std::string export_filter = "butterworth:6";
};

int run_analyze(const GlobalOptions& global, const AnalyzeArgs& args) {
  pipeline::PipelineOptions options = args.options;
  options.write_video = !args.no_video;
  options.pose.model_dir = global.model_dir;
  if (!args.exports.empty()) {
    auto exports = report::parse_motion_exports(args.exports);
    if (!exports) return report_error(exports.error());
    options.motion_exports = std::move(*exports);
  }
  auto filter = analysis::parse_trajectory_filter(args.export_filter);
  if (!filter) return report_error(filter.error());
  options.export_filter = *filter;

  std::stop_source stop;
  InterruptWatcher watcher(stop);
  ProgressPrinter printer;
  auto outputs = pipeline::run(
      args.video, args.output_dir, options, [&printer](const pipeline::Progress& p) { printer(p); },
      stop.get_token());
  if (!outputs) return report_error(outputs.error());
  std::printf("results:   %s\nlandmarks: %s\n           %s\n", outputs->results_json.c_str(),
              outputs->landmarks_json.c_str(), outputs->landmarks_csv.c_str());
  if (!outputs->overlay_mp4.empty()) std::printf("overlay:   %s\n", outputs->overlay_mp4.c_str());
  std::printf("thumbnail: %s\n", outputs->thumbnail_jpg.c_str());
  for (const auto& path : outputs->motion_exports) std::printf("export:    %s\n", path.c_str());
  return kExitOk;
}

}  // namespace

void add_analyze_command(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* command = app.add_subcommand(
      "analyze", "Analyse a video: results.json, landmarks.csv/json, overlay.mp4 and thumbnail.jpg");
  command->add_option("video", args->video, "Input video file")->required();
  add_output_flag(command, args->output_dir, "Output directory (created if missing)");
  add_model_flag(command, args->options.pose.model);
  command->add_flag("--no-video", args->no_video, "Skip the overlay video (about twice as fast)");
  command
      ->add_option("--overlay-size", args->options.overlay_max_size,
                   "Shorter side of overlay.mp4 at most this many pixels (0 = the input's size)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--export", args->exports,
                      "Also write motion exports: a comma-separated list of trc, bvh, angles");
  add_export_filter_flag(command, args->export_filter);
  add_threads_flag(command, args->options.pose.num_threads);
  command->callback([&global, exit_code, args] { *exit_code = run_analyze(global, *args); });
}

}  // namespace dd::app
