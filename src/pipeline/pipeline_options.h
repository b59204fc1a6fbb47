// PipelineOptions: what an analysis run can be asked for, and the one place they are read from
// a request's JSON (the API validates with it, the job queue parses with it).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "analysis/trajectory_filter.h"
#include "core/result.h"
#include "pose/pose_tracker.h"
#include "report/motion_exports.h"

namespace dd::pipeline {

struct PipelineOptions {
  // The pose tracker's options (model, thresholds, smoothing, threads, model directory).
  pose::PoseOptions pose;
  bool write_video = true;  // false skips overlay.mp4 (about 2x faster)
  // The overlay video's shorter side is scaled down to this (0: the input's size). 1080 plays
  // smoothly everywhere; a 4K overlay takes four times as long to draw and encode.
  int overlay_max_size = 1080;
  // Motion exports written beside results.json (landmarks.trc, skeleton.bvh, angles.csv);
  // none by default. A BVH needs at least one whole pose, or the run fails.
  std::vector<report::MotionExport> motion_exports;
  analysis::TrajectoryFilter export_filter;  // the exports' trajectory filter (zero-lag Butterworth, 6 Hz)
  // The video's name in results.json and landmarks.json, e.g. the name it was uploaded under
  // (empty: the input file's own name).
  std::string display_name;
};

// OK when every option is within its range; InvalidArgument naming the first one that is not.
Status validate_options(const PipelineOptions& options);

// The options of a request body such as {"model":"lite","write_video":false}: the keys a client
// may set (model, write_video, smooth_landmarks, min_detection_confidence,
// min_tracking_confidence, overlay_max_size) over `defaults` (which carry the server's model
// directory and thread count). InvalidArgument naming the field for a non-object, an unknown
// key, a value of the wrong type or out of range.
Result<PipelineOptions> options_from_json(const nlohmann::json& options, const PipelineOptions& defaults);

}  // namespace dd::pipeline
