// The REST API's request handling, independent of the network layer: the Beast sessions
// (http_server.cpp) parse requests and stream bodies; this decides every answer.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "jobs/job_queue.h"
#include "server/server_config.h"
#include "store/store.h"

namespace dd::server {

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded path without the query
  std::string body;    // small bodies only (uploads never pass through here)
  std::string query;   // the raw query string after '?', empty when there is none
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::filesystem::path file;  // when set, the response body is this file (Range requests allowed)
  std::string content_disposition;
  std::string allow;  // Allow header of a 405
  std::string cache_control = "no-store";
};

// A JSON response.
ApiResponse json_response(int status, const nlohmann::json& body);

// An error response {"detail": detail}.
ApiResponse error_response(int status, std::string_view detail);

// What an upload's probe tells the API about the video.
struct UploadedVideo {
  double duration_s = 0;
  int width = 0;
  int height = 0;
  double fps = 0;
  int64_t frame_count = 0;
};

// Probes an uploaded file; InvalidArgument (or any error) when it is not a decodable video.
using VideoProber = std::function<Result<UploadedVideo>(const std::filesystem::path&)>;

class Api {
 public:
  Api(const ServerConfig& config, store::Store& store, jobs::JobQueue& jobs, VideoProber prober);

  // Answers every request except upload bodies and WebSocket upgrades.
  ApiResponse handle(const ApiRequest& request);

  // A fresh random session id (32 hex digits).
  static std::string new_session_id();

  // True for ids new_session_id could have made; anything else is answered 404 unseen.
  static bool is_session_id(std::string_view id);

  // The lower-case extension of an uploaded file name when it is an accepted video type
  // (mp4 mov avi mkv webm m4v); an empty string otherwise.
  static std::string accepted_extension(std::string_view filename);

  // DATA_DIR/sessions/<id>: every file of a session lives here.
  std::filesystem::path session_dir(const std::string& id) const;

  // Finishes an upload whose file was streamed to `input_path` (inside session_dir(id)):
  // probes it, records the session and answers 200; on rejection removes the directory
  // and answers 400 (or 500 when the store fails).
  ApiResponse finish_upload(const std::string& id, std::string_view client_filename,
                            const std::filesystem::path& input_path, int64_t size_bytes);

  // The WebSocket messages for a client that just connected (connected, then complete
  // or error when the job has finished); NotFound for an unknown session.
  Result<std::vector<std::string>> websocket_greeting(const std::string& id);

  // The answer to a client's WebSocket message: a pong for "ping" or {"type":"ping"};
  // empty for anything else (ignored).
  static std::string websocket_reply(const std::string& id, std::string_view text);

  // The WebSocket message for a store event; empty when the event is not for clients.
  std::string websocket_message(const store::SessionEvent& event);

  const ServerConfig& config() const { return config_; }
  store::Store& store() { return store_; }

 private:
  // Reads session `id` into `session`; otherwise the answer to give: 404 "<what> not found" for
  // an id that cannot exist or is unknown, 500 when the store fails.
  std::optional<ApiResponse> find_session(const std::string& id, bool with_results, store::Session& session,
                                          std::string_view what = "session");
  ApiResponse analyze(const std::string& id, const std::string& body);
  ApiResponse results(const std::string& id);
  ApiResponse download(const std::string& id);
  // The uploaded original (for side-by-side playback), Range-capable like download.
  ApiResponse original_video(const std::string& id);
  // GET /api/thumbnail/{id}: the JPEG the analysis made from its first frame with a person.
  ApiResponse thumbnail(const std::string& id);
  ApiResponse export_file(const std::string& id, const std::string& name);
  // landmarks.trc, skeleton.bvh, angles.csv, made on demand (server/motion_export_handler.h).
  ApiResponse motion_export(const std::string& id, const std::string& name, const std::string& query);
  // POST /api/compare: validates the two analysed sessions, records the comparison session
  // and queues its job.
  ApiResponse start_comparison(const std::string& body);
  // GET /api/compare/{id}: status, progress and, once completed, comparison.json.
  ApiResponse comparison(const std::string& id);
  // GET /api/compare/{id}/video: the side-by-side comparison.mp4, Range-capable.
  ApiResponse comparison_video(const std::string& id);
  ApiResponse sessions();
  ApiResponse session_info(const std::string& id);
  ApiResponse delete_session(const std::string& id);
  ApiResponse health();
  ApiResponse static_file(const std::string& path);

  ServerConfig config_;
  store::Store& store_;
  jobs::JobQueue& jobs_;
  VideoProber prober_;
  bool models_present_ = false;
};

// Percent-decodes a URL path; nullopt for a malformed escape or an encoded NUL.
std::optional<std::string> percent_decode_path(std::string_view path);

// A display-safe version of a client's file name: the last path component, control
// characters removed, at most 255 bytes. Never used to build a path.
std::string display_filename(std::string_view client_filename);

}  // namespace dd::server
