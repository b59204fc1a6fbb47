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

#include "core/result.h"
#include "pipeline/pipeline_options.h"

namespace dd::pipeline {

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
