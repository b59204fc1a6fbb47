// pipeline::run: the one place the stages are wired (decode -> pose -> analysis ->
// overlay/encode). Both the CLI `analyze` command and the server's jobs call it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "analysis/trajectory_filter.h"
#include "core/result.h"
#include "report/motion_exports.h"

namespace dd::pipeline {

struct PipelineOptions {
  std::string model = "full";            // lite | full | heavy: heavier is more accurate and slower
  bool write_video = true;               // false skips overlay.mp4 (about 2x faster)
  bool smooth_landmarks = true;          // MediaPipe's one-euro smoothing
  float min_detection_confidence = 0.5;  // 0..1; lower finds more people, more false poses
  float min_tracking_confidence = 0.5;   // 0..1; lower keeps tracking longer, more drift
  int num_threads = 0;                   // inference threads, 0 = all cores
  // The overlay video's shorter side is scaled down to this (0: the input's size). 1080 plays
  // smoothly everywhere; a 4K overlay takes four times as long to draw and encode.
  int overlay_max_size = 1080;
  std::filesystem::path model_dir;  // where the .tflite files are
  // Motion exports written beside results.json (landmarks.trc, skeleton.bvh, angles.csv);
  // none by default. A BVH needs at least one whole pose, or the run fails.
  std::vector<report::MotionExport> motion_exports;
  analysis::TrajectoryFilter export_filter;  // the exports' trajectory filter (zero-lag Butterworth, 6 Hz)
  // The video's name in results.json and landmarks.json, e.g. the name it was uploaded under
  // (empty: the input file's own name).
  std::string display_name;
};

struct Progress {
  double fraction = 0;  // 0..1 of the whole job
  std::string stage;    // "probe", "pose", "analysis", "encode", "done"
  std::string message;  // one human-readable line
  int64_t frame = 0;    // frames processed so far
  int64_t total = 0;    // expected frame count (estimated when the container lacks it)
  double fps = 0;       // processing speed, frames per second
  // Estimated seconds left; absent until the pace is known (a second of work and a few frames).
  std::optional<double> eta_s;
};

using ProgressCallback = std::function<void(const Progress&)>;

// Files written into the output directory by a successful run.
struct PipelineOutputs {
  std::filesystem::path results_json;                 // results.json (DESIGN §4 schema)
  std::filesystem::path landmarks_csv;                // landmarks.csv
  std::filesystem::path landmarks_json;               // landmarks.json (DESIGN §3 shape)
  std::filesystem::path overlay_mp4;                  // overlay.mp4, empty when write_video is false
  std::filesystem::path thumbnail_jpg;                // thumbnail.jpg
  std::vector<std::filesystem::path> motion_exports;  // one per PipelineOptions::motion_exports
};

// Analyses `input` into `output_dir` (created if missing). Progress is reported from the
// calling thread about 4 times a second. Cancelled when stop is requested; on any error
// no partial output is left behind. InvalidArgument for bad input video or options,
// NotFound for a missing file or model, Unavailable when the output cannot be written.
Result<PipelineOutputs> run(const std::filesystem::path& input, const std::filesystem::path& output_dir,
                            const PipelineOptions& options, const ProgressCallback& progress,
                            std::stop_token stop);

}  // namespace dd::pipeline
