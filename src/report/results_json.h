// results.json (DESIGN.md section 4; also the `results` of the API): builds the document from
// the analysis and what the caller knows about the video and the run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "core/result.h"

namespace dd::report {

// What the report needs to know about the input video (filled by the caller from its probe,
// so report does not depend on the video module).
struct VideoSummary {
  std::string filename;  // base name shown to users
  double fps = 0;
  int64_t frame_count = 0;
  int width = 0;  // displayed (rotation applied)
  int height = 0;
  double duration_s = 0;
  int64_t size_bytes = 0;
  bool has_audio = false;
};

struct ProcessingStats {
  int64_t total_frames = 0;  // frames given to the pose tracker
  int64_t frames_with_pose = 0;
  double processing_time_s = 0;  // wall time of the whole run
  std::string model;             // "lite", "full" or "heavy"
  // What went wrong without failing the run, one sentence each for the user (a truncated
  // file, a person rarely in view); empty when all is well.
  std::vector<std::string> warnings;
};

// The results document. Every number is finite or a deliberate null (an unknown such as a
// tempo that was not found). Without usable pose (analysis.has_pose false: no pose at all, or
// too little to analyse) the blocks pose_analysis, movement_analysis, rhythm_analysis,
// timeline and summary are empty objects and smoothness_score is null; detection_rate is
// frames_with_pose / total_frames (0 with no pose at all). `warnings` is always present.
nlohmann::json build_results_json(const VideoSummary& video, const ProcessingStats& processing,
                                  const analysis::AnalysisResult& analysis);

// "12.3 MB"-style size for people (1024-based units: B, KB, MB, GB).
std::string human_size(int64_t size_bytes);

// Writes `document` (2-space indented) to `path`; fails with kUnavailable when the file cannot be written.
Status write_json_file(const nlohmann::json& document, const std::filesystem::path& path);

}  // namespace dd::report
