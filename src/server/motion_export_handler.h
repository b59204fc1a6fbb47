// GET /api/export/{id}/{landmarks.trc|skeleton.bvh|angles.csv}[?filter=...]: motion exports
// produced on demand from a completed session's landmarks.json and cached in its directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "server/api.h"

namespace dd::server {

// True when `name` is one of the motion export files.
bool is_motion_export_name(std::string_view name);

// The answer for a motion export `name` of a completed session: the cached file
// session_dir/exports/<filter>/<name>, written first from `landmarks_json` when missing.
// `query` is the raw query string; `filter` (none | one-euro | butterworth[:HZ], default
// butterworth:6) is its only key. 400 for an unknown filter or query key, 404 when the
// landmarks are missing, 409 when the video has no pose to build a skeleton from, 500 when
// the file cannot be written. Messages never name server paths.
ApiResponse motion_export_response(const std::filesystem::path& session_dir,
                                   const std::filesystem::path& landmarks_json, std::string_view name,
                                   std::string_view query);

}  // namespace dd::server
