// One comparison job (two analysed videos -> comparison.json + side-by-side comparison.mp4),
// used by the CLI and by the server's job queue.
#pragma once

#include <filesystem>
#include <stop_token>

#include "compare/compare.h"
#include "core/result.h"
#include "pipeline/pipeline.h"

namespace dd::compare {

struct CompareInput {
  std::filesystem::path video;           // the original video (for comparison.mp4 and sound)
  std::filesystem::path landmarks_json;  // landmarks.json written by an analysis of that video
};

struct CompareOutputs {
  std::filesystem::path comparison_json, comparison_mp4;  // mp4 empty when !write_video
};

// Writes comparison.json (+ comparison.mp4) into output_dir, all-or-nothing like pipeline::run
// (no partial files on error or cancel). Progress with stage "compare" then "encode".
// NotFound for a missing file, InvalidArgument for unusable landmarks or video, Cancelled on stop,
// Unavailable when the output cannot be written.
Result<CompareOutputs> run_comparison(const CompareInput& reference, const CompareInput& student,
                                      const std::filesystem::path& output_dir, const CompareOptions& options,
                                      bool write_video, const pipeline::ProgressCallback& progress,
                                      std::stop_token stop);

}  // namespace dd::compare
