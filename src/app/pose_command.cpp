#include "app/pose_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "app/common_flags.h"
#include "app/exit_code.h"
#include "app/global_options.h"
#include "core/log.h"
#include "pose/landmark_comparison.h"
#include "pose/landmarks_json.h"
#include "pose/pose_tracker.h"
#include "video/video_reader.h"

namespace dd::app {
namespace {

struct PoseArgs {
  std::string video;
  std::string out = "landmarks.json";
  pose::PoseOptions options;  // the flags fill it directly
};

struct CompareArgs {
  std::string ours;
  std::string reference;
};

Status run_pose(const GlobalOptions& global, const PoseArgs& args) {
  pose::PoseOptions options = args.options;
  options.model_dir = global.model_dir;
  auto tracker = pose::PoseTracker::create(options);
  if (!tracker) return tracker.error();
  auto reader = video::VideoReader::open(args.video);
  if (!reader) return reader.error();

  pose::LandmarksDocument document;
  document.video = std::filesystem::path(args.video).filename().string();
  document.model = options.model;
  const cv::Size size = (*reader)->output_size();
  document.sequence.width = size.width;
  document.sequence.height = size.height;
  document.sequence.fps = (*reader)->info().fps;

  video::VideoFrame frame;
  int64_t detected = 0;
  double pose_seconds = 0;
  while (true) {
    auto more = (*reader)->read(frame);
    if (!more) return more.error();
    if (!*more) break;
    const auto start = std::chrono::steady_clock::now();
    auto result = (*tracker)->process(frame.rgb, frame.index, frame.timestamp_s);
    pose_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!result) return result.error();
    detected += result->detected ? 1 : 0;
    document.sequence.frames.push_back(*result);
  }
  DD_TRY(pose::write_landmarks_json(args.out, document));
  const size_t frames = document.sequence.frames.size();
  std::printf("%s: %zu frames, pose in %jd, %.1f ms/frame (pose only), wrote %s\n", document.video.c_str(),
              frames, static_cast<intmax_t>(detected),
              frames > 0 ? 1000.0 * pose_seconds / static_cast<double>(frames) : 0.0, args.out.c_str());
  return ok_status();
}

Status run_compare(const CompareArgs& args) {
  auto ours = pose::read_landmarks_json(args.ours);
  if (!ours) return ours.error();
  auto reference = pose::read_landmarks_json(args.reference);
  if (!reference) return reference.error();
  auto comparison = pose::compare_landmarks(ours->sequence, reference->sequence);
  if (!comparison) return comparison.error();
  std::printf(
      "%s: frames %jd, both found a pose %jd (only ours %jd, only reference %jd), median error %.3f%%, "
      "p95 %.3f%%, max %.2f%% of the longer side, detection agreement %.2f%%\n",
      reference->video.c_str(), static_cast<intmax_t>(comparison->frames_compared),
      static_cast<intmax_t>(comparison->frames_both_detected),
      static_cast<intmax_t>(comparison->frames_only_ours),
      static_cast<intmax_t>(comparison->frames_only_reference), comparison->median_error_pct,
      comparison->p95_error_pct, comparison->max_error_pct, comparison->detection_agreement_pct);
  return ok_status();
}

}  // namespace

void add_pose_commands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto pose_args = std::make_shared<PoseArgs>();
  auto* pose =
      app.add_subcommand("pose", "Track the 33 BlazePose landmarks through a video into a JSON file");
  pose->add_option("video", pose_args->video, "Input video file")->required();
  add_model_flag(pose, pose_args->options.model);
  // --out was this command's first spelling; scripts may still use it.
  add_output_flag(pose, pose_args->out, "Output landmark JSON file", /*older_name=*/"--out");
  pose->add_flag("--static", pose_args->options.static_image_mode,
                 "Detect on every frame, no tracking or smoothing");
  add_threads_flag(pose, pose_args->options.num_threads);
  pose->callback([&global, exit_code, pose_args] {
    const Status status = run_pose(global, *pose_args);
    *exit_code = status ? kExitOk : report_error(status.error());
  });

  auto compare_args = std::make_shared<CompareArgs>();
  auto* compare = app.add_subcommand(
      "compare-landmarks",
      "Compare two landmark JSON files of one video: error in % of the longer side, detection agreement");
  compare->add_option("ours", compare_args->ours, "Landmark JSON to check")->required();
  compare->add_option("reference", compare_args->reference, "Reference landmark JSON (e.g. MediaPipe's)")
      ->required();
  compare->callback([exit_code, compare_args] {
    const Status status = run_compare(*compare_args);
    *exit_code = status ? kExitOk : report_error(status.error());
  });
}

}  // namespace dd::app
