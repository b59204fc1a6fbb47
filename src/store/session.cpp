#include "store/session.h"

#include <array>
#include <utility>

namespace dd::store {
namespace {

constexpr std::array<std::pair<SessionStatus, std::string_view>, 6> kStatusNames{{
    {SessionStatus::kUploaded, "uploaded"},
    {SessionStatus::kQueued, "queued"},
    {SessionStatus::kProcessing, "processing"},
    {SessionStatus::kCompleted, "completed"},
    {SessionStatus::kFailed, "failed"},
    {SessionStatus::kCancelled, "cancelled"},
}};

}  // namespace

std::string_view session_status_name(SessionStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<SessionStatus> parse_session_status(std::string_view name) {
  for (const auto& [value, status_name] : kStatusNames) {
    if (status_name == name) return value;
  }
  return std::nullopt;
}

}  // namespace dd::store
