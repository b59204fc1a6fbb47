// The motion exports of one dancer (landmarks.trc, skeleton.bvh, angles.csv): choosing them
// by name and writing them from the dancer's landmark sequence.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/trajectory_filter.h"
#include "core/result.h"
#include "pose/pose_frame.h"

namespace dd::report {

enum class MotionExport { kTrc, kBvh, kAngles };

// Parses a comma-separated list of "trc", "bvh", "angles" (duplicates collapse, file order
// kept); InvalidArgument naming an unknown entry or an empty list.
Result<std::vector<MotionExport>> parse_motion_exports(std::string_view list);

// The file name of an export: landmarks.trc, skeleton.bvh, angles.csv; with a dancer suffix
// "2": landmarks_2.trc, skeleton_2.bvh, angles_2.csv (for videos with several dancers).
std::string motion_export_file_name(MotionExport format, std::string_view dancer_suffix = {});

// The export a file name (without suffix) asks for; InvalidArgument for any other name.
Result<MotionExport> motion_export_from_file_name(std::string_view file_name);

// Writes one export of one dancer to `out`; `file_name` is recorded where the format keeps it.
// InvalidArgument for bad timestamps, FailedPrecondition for a BVH without any whole pose,
// Unavailable when the stream fails.
Status write_motion_export(const pose::PoseSequence& dancer, MotionExport format,
                           const analysis::TrajectoryFilter& filter, std::string_view file_name,
                           std::ostream& out);

// Writes one export of one dancer to the file `path` (its file name recorded where the
// format keeps it). Errors as write_motion_export; Unavailable when it cannot be written.
Status write_motion_export_file(const pose::PoseSequence& dancer, MotionExport format,
                                const analysis::TrajectoryFilter& filter, const std::filesystem::path& path);

// Writes the chosen exports of one dancer into `directory` (which must exist), all or
// nothing: each file is written under a temporary name and all are renamed into place only
// when every one succeeded. Returns the written paths. Errors as write_motion_export, or
// Unavailable when a file cannot be written.
Result<std::vector<std::filesystem::path>> write_motion_exports(const pose::PoseSequence& dancer,
                                                                const std::vector<MotionExport>& formats,
                                                                const analysis::TrajectoryFilter& filter,
                                                                const std::filesystem::path& directory,
                                                                std::string_view dancer_suffix = {});

}  // namespace dd::report
