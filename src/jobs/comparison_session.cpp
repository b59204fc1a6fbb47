#include "jobs/comparison_session.h"

#include <filesystem>
#include <system_error>

namespace dd::jobs {

namespace fs = std::filesystem;

bool is_comparison(const nlohmann::json& options) {
  if (!options.is_object()) return false;
  auto it = options.find("kind");
  return it != options.end() && it->is_string() && it->get<std::string>() == kComparisonKind;
}

std::string session_kind(const nlohmann::json& options) {
  return is_comparison(options) ? std::string(kComparisonKind) : "analysis";
}

std::string comparison_field(const nlohmann::json& options, std::string_view key) {
  if (!options.is_object()) return "";
  auto it = options.find(key);
  return it != options.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<compare::CompareInput> comparison_source(store::Store& store, const std::string& id,
                                                std::string_view role) {
  const std::string who(role);
  auto session = store.get_session(id, /*with_results=*/false);
  if (!session) {
    if (session.error().code == ErrorCode::kNotFound) {
      return make_error(ErrorCode::kNotFound, who + " session not found: " + id);
    }
    return session.error();
  }
  if (is_comparison(session->options)) {
    return make_error(ErrorCode::kInvalidArgument,
                      who + " session " + id + " is a comparison, not an analysis");
  }
  if (session->status != store::SessionStatus::kCompleted) {
    return make_error(ErrorCode::kFailedPrecondition,
                      who + " session " + id + " has not been analysed (status " +
                          std::string(store::session_status_name(session->status)) + ")");
  }
  std::error_code ec;
  if (session->outputs.landmarks_json.empty() || !fs::is_regular_file(session->outputs.landmarks_json, ec)) {
    return make_error(ErrorCode::kFailedPrecondition, who + " session " + id + " has no landmarks.json");
  }
  if (session->input_path.empty() || !fs::is_regular_file(session->input_path, ec)) {
    return make_error(ErrorCode::kFailedPrecondition,
                      who + " session " + id + " has lost its uploaded video");
  }
  return compare::CompareInput{session->input_path, session->outputs.landmarks_json};
}

compare::CompareOptions comparison_options(const nlohmann::json& options) {
  compare::CompareOptions result;
  // The API validated the name before the job was queued.
  if (auto mode = compare::parse_mirror_mode(comparison_field(options, "mirror"))) result.mirror = *mode;
  return result;
}

}  // namespace dd::jobs
