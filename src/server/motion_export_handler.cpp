#include "server/motion_export_handler.h"

#include <string>
#include <system_error>

#include "analysis/trajectory_filter.h"
#include "core/log.h"
#include "pose/landmarks_json.h"
#include "report/motion_exports.h"

namespace dd::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDefaultFilter = "butterworth:6";

// The `filter` value of a query string "filter=...&..."; an error for any other key.
Result<std::string> filter_from_query(std::string_view query) {
  std::string filter(kDefaultFilter);
  size_t start = 0;
  while (start < query.size()) {
    const size_t end = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    const std::string_view key = pair.substr(0, equals);
    if (key != "filter") {
      return make_error(ErrorCode::kInvalidArgument,
                        "unknown query parameter '" + std::string(key) + "': only filter is accepted");
    }
    auto value =
        percent_decode_path(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!value) return make_error(ErrorCode::kInvalidArgument, "malformed filter value");
    filter = std::move(*value);
  }
  return filter;
}

std::string_view content_type_of(report::MotionExport format) {
  switch (format) {
    case report::MotionExport::kAngles: return "text/csv; charset=utf-8";
    case report::MotionExport::kTrc:
    case report::MotionExport::kBvh: return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

// A directory name for a filter's canonical text ("butterworth:6" -> "butterworth_6").
std::string cache_directory_name(const analysis::TrajectoryFilter& filter) {
  std::string name = analysis::trajectory_filter_name(filter);
  for (char& c : name)
    if (c == ':') c = '_';
  return name;
}

}  // namespace

bool is_motion_export_name(std::string_view name) {
  return report::motion_export_from_file_name(name).has_value();
}

ApiResponse motion_export_response(const fs::path& session_dir, const fs::path& landmarks_json,
                                   std::string_view name, std::string_view query) {
  auto format = report::motion_export_from_file_name(name);
  if (!format) return error_response(404, "unknown export: " + std::string(name));
  auto filter_text = filter_from_query(query);
  if (!filter_text) return error_response(400, filter_text.error().message);
  auto filter = analysis::parse_trajectory_filter(*filter_text);
  if (!filter) return error_response(400, filter.error().message);

  const fs::path cache_dir = session_dir / "exports" / cache_directory_name(*filter);
  const fs::path cached = cache_dir / name;
  std::error_code ec;
  if (!fs::is_regular_file(cached, ec)) {
    if (landmarks_json.empty() || !fs::is_regular_file(landmarks_json, ec))
      return error_response(404, "landmarks.json is not available");
    auto document = pose::read_landmarks_json(landmarks_json);
    if (!document) {
      DD_LOG_WARN("server: export {}: {}", std::string(name), document.error().message);
      return error_response(500, "the session's landmarks could not be read");
    }
    fs::create_directories(cache_dir, ec);
    if (ec) {
      DD_LOG_WARN("server: export {}: {}", std::string(name), ec.message());
      return error_response(500, "the export could not be written");
    }
    // Written under a temporary name and renamed, so concurrent requests never see half a file.
    auto written = report::write_motion_exports(document->sequence, {*format}, *filter, cache_dir);
    if (!written) {
      if (written.error().code == ErrorCode::kFailedPrecondition)
        return error_response(409, "no pose in this video: no skeleton to export");
      DD_LOG_WARN("server: export {}: {}", std::string(name), written.error().message);
      return error_response(written.error().code == ErrorCode::kInvalidArgument ? 400 : 500,
                            written.error().code == ErrorCode::kInvalidArgument
                                ? "the session's landmarks have invalid timestamps"
                                : "the export could not be written");
    }
  }
  ApiResponse response;
  response.file = cached;
  response.content_type = std::string(content_type_of(*format));
  return response;
}

}  // namespace dd::server
