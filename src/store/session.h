// A session: one uploaded video and its analysis job, as kept by the store.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dd::store {

// Life cycle: uploaded -> queued -> processing -> completed | failed | cancelled.
// A failed or cancelled session may be queued again.
enum class SessionStatus { kUploaded, kQueued, kProcessing, kCompleted, kFailed, kCancelled };

// The API name of a status ("uploaded", "queued", ...).
std::string_view session_status_name(SessionStatus status);

// The status named `name`; nullopt for an unknown name.
std::optional<SessionStatus> parse_session_status(std::string_view name);

// Files a finished job left in the session directory (empty path = not written).
struct SessionOutputs {
  std::string results_json;
  std::string landmarks_csv;
  std::string landmarks_json;
  std::string overlay_mp4;
  std::string thumbnail_jpg;
};

struct Session {
  std::string id;          // 32 lower-case hex digits, also the directory name
  std::string filename;    // the client's file name, for display only (never a path)
  std::string input_path;  // DATA_DIR/sessions/<id>/input.<ext>
  std::string output_dir;  // DATA_DIR/sessions/<id>
  SessionStatus status = SessionStatus::kUploaded;
  nlohmann::json video_info = nlohmann::json::object();  // probe result shown by the API
  nlohmann::json options = nlohmann::json::object();     // analysis options of the last job
  nlohmann::json progress = nlohmann::json::object();    // last progress report of the job
  std::string results_json;  // results.json text of a completed job (empty otherwise)
  std::string error;         // why the job failed or was cancelled
  SessionOutputs outputs;
  int64_t size_bytes = 0;     // size of the uploaded file
  int64_t created_at_ms = 0;  // Unix time in milliseconds
  int64_t updated_at_ms = 0;
  int64_t queued_seq = 0;  // FIFO order of queued jobs (0 when not queued)
  int64_t attempts = 0;    // times the current job was claimed (lease expiries count)
  std::string worker_id;   // node holding the job while processing (empty otherwise)
};

// True when a job of this status still runs or waits to run.
inline bool is_active(SessionStatus status) {
  return status == SessionStatus::kQueued || status == SessionStatus::kProcessing;
}

}  // namespace dd::store
