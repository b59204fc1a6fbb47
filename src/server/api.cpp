#include "server/api.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <ctime>
#include <system_error>

#include "core/log.h"
#include "core/version.h"
#include "jobs/comparison_session.h"
#include "pipeline/pipeline_options.h"
#include "pose/model_files.h"
#include "server/content_disposition.h"
#include "server/motion_export_handler.h"
#include "server/openapi.h"

namespace dd::server {
namespace {

namespace fs = std::filesystem;
using store::Session;
using store::SessionStatus;

constexpr std::array<std::string_view, 6> kVideoExtensions = {"mp4", "mov", "avi", "mkv", "webm", "m4v"};

std::string iso_time(int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 32> text{};
  const size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  std::array<char, 8> millis{};
  std::snprintf(millis.data(), millis.size(), ".%03dZ", static_cast<int>(unix_ms % 1000));
  return std::string(text.data(), length) + millis.data();
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t end = std::min(path.find('/'), path.size());
    parts.push_back(path.substr(0, end));
    path.remove_prefix(end);
  }
  return parts;
}

std::string download_url(const Session& session) {
  return session.outputs.overlay_mp4.empty() ? std::string() : "/api/download/" + session.id;
}

nlohmann::json download_url_json(const Session& session) {
  const std::string url = download_url(session);
  return url.empty() ? nlohmann::json(nullptr) : nlohmann::json(url);
}

nlohmann::json thumbnail_url_json(const Session& session) {
  return session.outputs.thumbnail_jpg.empty() ? nlohmann::json(nullptr)
                                               : nlohmann::json("/api/thumbnail/" + session.id);
}

nlohmann::json parsed_results(const Session& session) {
  auto results = nlohmann::json::parse(session.results_json, nullptr, /*allow_exceptions=*/false);
  return results.is_discarded() ? nlohmann::json::object() : results;
}

double progress_fraction(const Session& session) {
  if (session.status == SessionStatus::kCompleted) return 1.0;
  auto it = session.progress.find("progress");
  return it != session.progress.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string mime_type(const fs::path& path) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".mp4", "video/mp4"},
  };
  const std::string extension = path.extension().string();
  for (const auto& [suffix, type] : kTypes) {
    if (extension == suffix) return std::string(type);
  }
  return "application/octet-stream";
}

ApiResponse file_response(const fs::path& path, std::string content_type) {
  ApiResponse response;
  response.file = path;
  response.content_type = std::move(content_type);
  return response;
}

// The HTTP status of an error code: the API's one mapping. Anything but the caller's own
// mistakes is a 500 (whose text the handlers keep generic).
int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kFailedPrecondition: return 409;
    default: return 500;
  }
}

}  // namespace

ApiResponse json_response(int status, const nlohmann::json& body) {
  ApiResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

ApiResponse error_response(int status, std::string_view detail) {
  return json_response(status, {{"detail", detail}});
}

std::optional<std::string> percent_decode_path(std::string_view path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out.push_back(path[i]);
      continue;
    }
    if (i + 2 >= path.size()) return std::nullopt;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int high = hex(path[i + 1]);
    const int low = hex(path[i + 2]);
    if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::string display_filename(std::string_view client_filename) {
  const size_t slash = client_filename.find_last_of("/\\");
  if (slash != std::string_view::npos) client_filename.remove_prefix(slash + 1);
  std::string name;
  for (char c : client_filename) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) name.push_back(c);
  }
  if (name.size() > 255) name.resize(255);
  return name;
}

Api::Api(const ServerConfig& config, store::Store& store, jobs::JobQueue& jobs, VideoProber prober)
    : config_(config), store_(store), jobs_(jobs), prober_(std::move(prober)) {
  auto landmark_model = pose::landmark_model_from_name(config_.jobs.default_model);
  models_present_ =
      landmark_model &&
      pose::locate_model_file(config_.jobs.model_dir, pose::ModelFile::kDetector, false).has_value() &&
      pose::locate_model_file(config_.jobs.model_dir, *landmark_model, false).has_value();
}

std::string Api::new_session_id() {
  std::array<unsigned char, 16> bytes{};
  // RAND_bytes only fails when the system has no entropy source at all.
  DD_CHECK(RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) == 1, "no random source for session ids");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char byte : bytes) {
    id.push_back(kHex[byte >> 4]);
    id.push_back(kHex[byte & 0xf]);
  }
  return id;
}

bool Api::is_session_id(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::optional<ApiResponse> Api::find_session(const std::string& id, bool with_results, Session& session,
                                             std::string_view what) {
  const std::string not_found = std::string(what) + " not found";
  if (!is_session_id(id)) return error_response(404, not_found);
  auto found = store_.get_session(id, with_results);
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) return error_response(404, not_found);
    DD_LOG_ERROR("server: cannot read session {}: {}", id, found.error().message);
    return error_response(500, "cannot read the " + std::string(what));
  }
  session = std::move(*found);
  return std::nullopt;
}

std::string Api::accepted_extension(std::string_view filename) {
  const std::string name = display_filename(filename);
  const size_t dot = name.find_last_of('.');
  if (dot == std::string::npos) return "";
  std::string extension = name.substr(dot + 1);
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return std::find(kVideoExtensions.begin(), kVideoExtensions.end(), extension) != kVideoExtensions.end()
             ? extension
             : "";
}

fs::path Api::session_dir(const std::string& id) const {
  return config_.data_dir / "sessions" / id;
}

ApiResponse Api::finish_upload(const std::string& id, std::string_view client_filename,
                               const fs::path& input_path, int64_t size_bytes) {
  auto reject = [&](int status, const std::string& detail) {
    std::error_code ec;
    fs::remove_all(session_dir(id), ec);
    return error_response(status, detail);
  };
  auto video = prober_(input_path);
  if (!video) return reject(400, "not a decodable video: " + video.error().message);
  if (video->duration_s > config_.max_video_duration_s) {
    return reject(400, "video is " + std::to_string(static_cast<int64_t>(video->duration_s)) +
                           " s long; the limit is " +
                           std::to_string(static_cast<int64_t>(config_.max_video_duration_s)) + " s");
  }
  Session session;
  session.id = id;
  session.filename = display_filename(client_filename);
  session.input_path = input_path.string();
  session.output_dir = session_dir(id).string();
  session.size_bytes = size_bytes;
  const std::string resolution = std::to_string(video->width) + "x" + std::to_string(video->height);
  session.video_info = {
      {"duration", video->duration_s}, {"width", video->width}, {"height", video->height},
      {"resolution", resolution},      {"fps", video->fps},     {"frame_count", video->frame_count}};
  session.created_at_ms = now_ms();
  if (auto created = store_.create_session(session); !created) {
    DD_LOG_ERROR("server: cannot record upload {}: {}", id, created.error().message);
    return reject(500, "cannot record the upload");
  }
  return json_response(200, {{"success", true},
                             {"session_id", id},
                             {"filename", session.filename},
                             {"size", size_bytes},
                             {"duration", video->duration_s},
                             {"resolution", resolution},
                             {"fps", video->fps},
                             {"frame_count", video->frame_count}});
}

ApiResponse Api::handle(const ApiRequest& request) {
  const auto parts = split_path(request.path);
  const std::string& method = request.method;
  auto only = [&](std::string_view allowed) -> std::optional<ApiResponse> {
    if (method == allowed) return std::nullopt;
    ApiResponse response = error_response(405, "Method Not Allowed");
    response.allow = std::string(allowed);
    return response;
  };
  auto session_route = [&](std::string_view name, size_t count) {
    return parts.size() == count && parts[0] == "api" && parts[1] == name;
  };

  if (request.path == "/health") {
    if (auto wrong = only("GET")) return *wrong;
    return health();
  }
  if (request.path == "/openapi.json") {
    if (auto wrong = only("GET")) return *wrong;
    return json_response(200, openapi_document());
  }
  if (request.path == "/favicon.ico") {
    if (auto wrong = only("GET")) return *wrong;
    return static_file("/favicon.svg");  // browsers ask for this name; every one of them shows SVG
  }
  if (request.path == "/api/docs") {
    if (auto wrong = only("GET")) return *wrong;
    return static_file("/api-docs.html");
  }
  if (request.path == "/api/upload") {
    if (auto wrong = only("POST")) return *wrong;
    return error_response(422, "a multipart/form-data body with a 'file' field is required");
  }
  if (request.path == "/api/compare") {
    if (auto wrong = only("POST")) return *wrong;
    return start_comparison(request.body);
  }
  if (request.path == "/api/sessions") {
    if (auto wrong = only("GET")) return *wrong;
    return sessions();
  }
  if (parts.size() == 2 && parts[0] == "ws") {
    if (auto wrong = only("GET")) return *wrong;
    return error_response(400, "WebSocket upgrade required");
  }
  const bool has_id = parts.size() >= 3 && parts[0] == "api";
  const std::string id = has_id ? std::string(parts[2]) : std::string();
  if (session_route("analyze", 3)) {
    if (auto wrong = only("POST")) return *wrong;
    return analyze(id, request.body);
  }
  if (session_route("results", 3)) {
    if (auto wrong = only("GET")) return *wrong;
    return results(id);
  }
  if (session_route("download", 3)) {
    if (auto wrong = only("GET")) return *wrong;
    return download(id);
  }
  if (session_route("video", 3)) {
    if (auto wrong = only("GET")) return *wrong;
    return original_video(id);
  }
  if (session_route("thumbnail", 3)) {
    if (auto wrong = only("GET")) return *wrong;
    return thumbnail(id);
  }
  if (session_route("export", 4)) {
    if (auto wrong = only("GET")) return *wrong;
    if (is_motion_export_name(parts[3])) return motion_export(id, std::string(parts[3]), request.query);
    return export_file(id, std::string(parts[3]));
  }
  if (session_route("compare", 3)) {
    if (auto wrong = only("GET")) return *wrong;
    return comparison(id);
  }
  if (session_route("compare", 4) && parts[3] == "video") {
    if (auto wrong = only("GET")) return *wrong;
    return comparison_video(id);
  }
  if (session_route("session", 3)) {
    if (method == "DELETE") return delete_session(id);
    if (method == "GET") return session_info(id);
    ApiResponse response = error_response(405, "Method Not Allowed");
    response.allow = "GET, DELETE";
    return response;
  }
  if (!parts.empty() && parts[0] == "api") return error_response(404, "Not Found");
  if (method != "GET") return error_response(404, "Not Found");
  return static_file(request.path);
}

ApiResponse Api::analyze(const std::string& id, const std::string& body) {
  if (!is_session_id(id)) return error_response(404, "session not found");
  nlohmann::json options = nlohmann::json::object();
  if (body.find_first_not_of(" \t\r\n") != std::string::npos) {
    options = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (options.is_discarded()) return error_response(400, "request body is not valid JSON");
  }
  if (auto valid = pipeline::options_from_json(options, pipeline::PipelineOptions{}); !valid)
    return error_response(422, valid.error().message);
  // Queueing a comparison session with analysis options would turn it into an analysis of nothing.
  if (auto session = store_.get_session(id, /*with_results=*/false);
      session && jobs::is_comparison(session->options)) {
    return error_response(409, "session " + id + " is a comparison; start a new one with POST /api/compare");
  }
  auto queued = store_.enqueue_job(id, options);
  if (!queued) {
    const int status = http_status(queued.error().code);
    if (status == 404) return error_response(status, "session not found");
    return error_response(status, status == 500 ? "cannot queue the analysis" : queued.error().message);
  }
  jobs_.notify();
  auto position = store_.queue_position(id);
  return json_response(202, {{"success", true},
                             {"message", "analysis queued"},
                             {"session_id", id},
                             {"websocket_url", "/ws/" + id},
                             {"queue_position", position ? *position : 0}});
}

ApiResponse Api::results(const std::string& id) {
  Session found;
  if (auto missing = find_session(id, /*with_results=*/true, found)) return *missing;
  const Session* session = &found;
  const std::string status(store::session_status_name(session->status));
  if (session->status == SessionStatus::kCompleted) {
    return json_response(200, {{"success", true},
                               {"session_id", id},
                               {"status", status},
                               {"results", parsed_results(*session)},
                               {"download_url", download_url_json(*session)}});
  }
  if (session->status == SessionStatus::kFailed || session->status == SessionStatus::kCancelled) {
    return json_response(
        200, {{"success", false}, {"session_id", id}, {"status", status}, {"error", session->error}});
  }
  auto position = store_.queue_position(id);
  return json_response(200, {{"success", false},
                             {"session_id", id},
                             {"status", status},
                             {"progress", progress_fraction(*session)},
                             {"stage", session->progress.value("stage", "")},
                             {"queue_position", position ? *position : 0},
                             {"results", nullptr}});
}

ApiResponse Api::download(const std::string& id) {
  Session found;
  if (auto missing = find_session(id, /*with_results=*/false, found)) return *missing;
  const Session* session = &found;
  if (session->status != SessionStatus::kCompleted)
    return error_response(409, "the analysis has not completed");
  std::error_code ec;
  if (session->outputs.overlay_mp4.empty() || !fs::is_regular_file(session->outputs.overlay_mp4, ec)) {
    return error_response(404, "this analysis has no overlay video (write_video was false)");
  }
  ApiResponse response = file_response(session->outputs.overlay_mp4, "video/mp4");
  response.content_disposition =
      content_disposition("inline", download_filename(session->filename, "overlay.mp4"));
  return response;
}

ApiResponse Api::original_video(const std::string& id) {
  Session found;
  if (auto missing = find_session(id, /*with_results=*/false, found)) return *missing;
  const Session* session = &found;
  std::error_code ec;
  if (session->input_path.empty() || !fs::is_regular_file(session->input_path, ec))
    return error_response(404, "the uploaded video is gone");
  // The upload's extension was checked against the whitelist, so it names the container.
  static const std::map<std::string, std::string> kVideoTypes = {
      {".mp4", "video/mp4"},   {".m4v", "video/mp4"},        {".mov", "video/quicktime"},
      {".webm", "video/webm"}, {".mkv", "video/x-matroska"}, {".avi", "video/x-msvideo"}};
  const auto type = kVideoTypes.find(fs::path(session->input_path).extension().string());
  return file_response(session->input_path,
                       type == kVideoTypes.end() ? "application/octet-stream" : type->second);
}

ApiResponse Api::thumbnail(const std::string& id) {
  if (!is_session_id(id)) return error_response(404, "session not found");
  auto session = store_.get_session(id, /*with_results=*/false);
  if (!session) return error_response(404, "session not found");
  std::error_code ec;
  const std::string& path = session->outputs.thumbnail_jpg;
  if (path.empty() || !fs::is_regular_file(path, ec))
    return error_response(404, "this session has no thumbnail");
  ApiResponse response = file_response(path, "image/jpeg");
  // A session's thumbnail never changes, and the id is unguessable.
  response.cache_control = "private, max-age=86400";
  return response;
}

ApiResponse Api::export_file(const std::string& id, const std::string& name) {
  Session found;
  if (auto missing = find_session(id, /*with_results=*/false, found)) return *missing;
  const Session* session = &found;
  std::string path;
  std::string type;
  if (name == "results.json") {
    path = session->outputs.results_json;
    type = "application/json";
  } else if (name == "landmarks.csv") {
    path = session->outputs.landmarks_csv;
    type = "text/csv; charset=utf-8";
  } else if (name == "landmarks.json") {
    path = session->outputs.landmarks_json;
    type = "application/json";
  } else {
    return error_response(400, "unknown export '" + name +
                                   "': one of results.json, landmarks.csv, landmarks.json, landmarks.trc, "
                                   "skeleton.bvh, angles.csv");
  }
  if (session->status != SessionStatus::kCompleted)
    return error_response(409, "the analysis has not completed");
  std::error_code ec;
  if (path.empty() || !fs::is_regular_file(path, ec)) return error_response(404, name + " is not available");
  ApiResponse response = file_response(path, type);
  response.content_disposition =
      content_disposition("attachment", download_filename(session->filename, name));
  return response;
}

ApiResponse Api::motion_export(const std::string& id, const std::string& name, const std::string& query) {
  if (!is_session_id(id)) return error_response(404, "session not found");
  auto session = store_.get_session(id, /*with_results=*/false);
  if (!session) return error_response(404, "session not found");
  if (session->status != SessionStatus::kCompleted)
    return error_response(409, "the analysis has not completed");
  ApiResponse response =
      motion_export_response(session_dir(id), session->outputs.landmarks_json, name, query);
  if (response.status == 200)
    response.content_disposition = "attachment; filename=\"dancedynamics_" + id + "_" + name + "\"";
  return response;
}

ApiResponse Api::start_comparison(const std::string& body) {
  const auto request = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) return error_response(400, "request body is not valid JSON");
  if (!request.is_object()) return error_response(400, "request body must be a JSON object");
  for (const auto& [key, value] : request.items()) {
    if (key != "reference_id" && key != "student_id" && key != "mirror") {
      return error_response(400, "unknown field: " + key);
    }
  }
  for (const char* key : {"reference_id", "student_id"}) {
    auto it = request.find(key);
    if (it == request.end() || !it->is_string())
      return error_response(400, std::string(key) + " (a session id) is required");
  }
  const std::string reference_id = request["reference_id"];
  const std::string student_id = request["student_id"];
  std::string mirror = "auto";
  if (auto it = request.find("mirror"); it != request.end()) {
    if (!it->is_string() || !compare::parse_mirror_mode(it->get<std::string>())) {
      return error_response(400, "mirror must be one of auto, on, off");
    }
    mirror = it->get<std::string>();
  }
  if (reference_id == student_id) {
    return error_response(400,
                          "reference_id and student_id name the same session; choose two different analyses");
  }
  for (const auto& [role, id] : {std::pair{"reference", reference_id}, std::pair{"student", student_id}}) {
    if (!is_session_id(id)) return error_response(404, std::string(role) + " session not found: " + id);
    auto source = jobs::comparison_source(store_, id, role);
    if (!source) {
      const int status = http_status(source.error().code);
      return error_response(status, status == 500 ? "cannot read the " + std::string(role) + " session"
                                                  : source.error().message);
    }
  }
  auto name_of = [&](const std::string& id) {
    auto session = store_.get_session(id, /*with_results=*/false);
    return session ? session->filename : std::string();
  };
  const std::string reference_name = name_of(reference_id);
  const std::string student_name = name_of(student_id);

  Session session;
  session.id = new_session_id();
  session.filename = display_filename(reference_name + " vs " + student_name);
  session.output_dir = session_dir(session.id).string();
  session.created_at_ms = now_ms();
  if (auto created = store_.create_session(session); !created) {
    DD_LOG_ERROR("server: cannot record comparison {}: {}", session.id, created.error().message);
    return error_response(500, "cannot record the comparison");
  }
  // The source names are kept so a comparison still reads well after its sources are deleted.
  const nlohmann::json options = {{"kind", jobs::kComparisonKind},
                                  {"reference_id", reference_id},
                                  {"student_id", student_id},
                                  {"mirror", mirror},
                                  {"reference_filename", reference_name},
                                  {"student_filename", student_name}};
  auto queued = store_.enqueue_job(session.id, options);
  if (!queued) {
    DD_LOG_ERROR("server: cannot queue comparison {}: {}", session.id, queued.error().message);
    (void)store_.delete_session(session.id);
    return error_response(500, "cannot queue the comparison");
  }
  jobs_.notify();
  auto position = store_.queue_position(session.id);
  return json_response(202, {{"success", true},
                             {"message", "comparison queued"},
                             {"session_id", session.id},
                             {"kind", jobs::kComparisonKind},
                             {"reference_id", reference_id},
                             {"student_id", student_id},
                             {"mirror", mirror},
                             {"websocket_url", "/ws/" + session.id},
                             {"queue_position", position ? *position : 0}});
}

ApiResponse Api::comparison(const std::string& id) {
  Session found;
  if (auto missing = find_session(id, /*with_results=*/true, found, "comparison")) return *missing;
  const Session* session = &found;
  if (!jobs::is_comparison(session->options))
    return error_response(404, "session " + id + " is not a comparison");
  const auto& options = session->options;
  nlohmann::json body = {{"session_id", id},
                         {"kind", jobs::kComparisonKind},
                         {"status", store::session_status_name(session->status)},
                         {"filename", session->filename},
                         {"reference",
                          {{"session_id", jobs::comparison_field(options, "reference_id")},
                           {"filename", jobs::comparison_field(options, "reference_filename")}}},
                         {"student",
                          {{"session_id", jobs::comparison_field(options, "student_id")},
                           {"filename", jobs::comparison_field(options, "student_filename")}}},
                         {"mirror_option", jobs::comparison_field(options, "mirror")},
                         {"websocket_url", "/ws/" + id},
                         {"created_at", iso_time(session->created_at_ms)}};
  switch (session->status) {
    case SessionStatus::kCompleted: {
      std::error_code ec;
      const bool has_video =
          !session->outputs.overlay_mp4.empty() && fs::is_regular_file(session->outputs.overlay_mp4, ec);
      body["success"] = true;
      body["progress"] = 1.0;
      body["comparison"] = parsed_results(*session);
      body["video_url"] =
          has_video ? nlohmann::json("/api/compare/" + id + "/video") : nlohmann::json(nullptr);
      break;
    }
    case SessionStatus::kFailed:
    case SessionStatus::kCancelled:
      body["success"] = false;
      body["error"] = session->error;
      body["comparison"] = nullptr;
      break;
    default: {
      auto position = store_.queue_position(id);
      body["success"] = false;
      body["progress"] = progress_fraction(*session);
      body["stage"] = session->progress.value("stage", "");
      body["queue_position"] = position ? *position : 0;
      body["comparison"] = nullptr;
    }
  }
  return json_response(200, body);
}

ApiResponse Api::comparison_video(const std::string& id) {
  Session found;
  if (auto missing = find_session(id, /*with_results=*/false, found, "comparison")) return *missing;
  const Session* session = &found;
  if (!jobs::is_comparison(session->options)) return error_response(404, "comparison not found");
  if (session->status != SessionStatus::kCompleted)
    return error_response(409, "the comparison has not completed");
  std::error_code ec;
  if (session->outputs.overlay_mp4.empty() || !fs::is_regular_file(session->outputs.overlay_mp4, ec)) {
    return error_response(404, "this comparison has no side-by-side video");
  }
  ApiResponse response = file_response(session->outputs.overlay_mp4, "video/mp4");
  response.content_disposition =
      content_disposition("inline", download_filename(session->filename, "comparison.mp4"));
  return response;
}

ApiResponse Api::sessions() {
  auto sessions = store_.list_sessions();
  if (!sessions) return error_response(500, "cannot list sessions");
  nlohmann::json list = nlohmann::json::array();
  for (const Session& session : *sessions) {
    list.push_back({{"session_id", session.id},
                    {"kind", jobs::session_kind(session.options)},
                    {"filename", session.filename},
                    {"status", store::session_status_name(session.status)},
                    {"progress", progress_fraction(session)},
                    {"size", session.size_bytes},
                    {"video_info", session.video_info},
                    {"error", session.error},
                    {"thumbnail_url", thumbnail_url_json(session)},
                    {"created_at", iso_time(session.created_at_ms)},
                    // The original system's name for created_at; its clients read this one.
                    {"upload_time", iso_time(session.created_at_ms)},
                    {"updated_at", iso_time(session.updated_at_ms)}});
  }
  return json_response(200, {{"success", true}, {"count", list.size()}, {"sessions", std::move(list)}});
}

ApiResponse Api::session_info(const std::string& id) {
  Session found;
  if (auto missing = find_session(id, /*with_results=*/false, found)) return *missing;
  const Session* session = &found;
  return json_response(200, {{"session_id", session->id},
                             {"kind", jobs::session_kind(session->options)},
                             {"filename", session->filename},
                             {"status", store::session_status_name(session->status)},
                             {"progress", session->progress},
                             {"options", session->options},
                             {"size", session->size_bytes},
                             {"video_info", session->video_info},
                             {"error", session->error},
                             {"download_url", download_url_json(*session)},
                             {"created_at", iso_time(session->created_at_ms)},
                             {"updated_at", iso_time(session->updated_at_ms)}});
}

ApiResponse Api::delete_session(const std::string& id) {
  Session found;
  if (auto missing = find_session(id, /*with_results=*/false, found)) return *missing;
  const Session* session = &found;
  if (store::is_active(session->status)) {
    // Recorded first so no worker claims a queued job between here and the delete.
    (void)store_.finish_job_unsuccessfully(id, SessionStatus::kCancelled, "cancelled: session deleted");
    jobs_.cancel(id);
  }
  if (auto deleted = store_.delete_session(id); !deleted && deleted.error().code != ErrorCode::kNotFound) {
    return error_response(500, "cannot delete the session");
  }
  std::error_code ec;
  fs::remove_all(session_dir(id), ec);
  if (ec) DD_LOG_WARN("server: cannot remove files of session {}: {}", id, ec.message());
  return json_response(200, {{"success", true}, {"message", "session deleted"}, {"session_id", id}});
}

ApiResponse Api::health() {
  auto counts = store_.queue_counts();
  if (!counts) return json_response(503, {{"status", "unhealthy"}, {"detail", counts.error().message}});
  return json_response(
      200,
      {{"status", "healthy"},
       {"models_loaded", models_present_},
       {"timestamp", iso_time(now_ms())},
       {"active_sessions", counts->processing},
       {"queue_depth", counts->queued},
       {"version", kVersion},
       // The page shows these and checks a chosen file against them before uploading.
       {"limits",
        {{"max_file_size", config_.max_file_size}, {"max_video_duration", config_.max_video_duration_s}}}});
}

ApiResponse Api::static_file(const std::string& path) {
  // Only plain names: no "..", no hidden files, nothing outside the web directory.
  fs::path relative;
  for (std::string_view part : split_path(path)) {
    if (part.empty() || part.front() == '.' || part.find('\\') != std::string_view::npos ||
        part.find('\0') != std::string_view::npos) {
      return error_response(404, "Not Found");
    }
    relative /= std::string(part);
  }
  // Swagger UI comes from the npm package installed by scripts/setup.sh.
  fs::path full;
  auto it = relative.begin();
  if (it != relative.end() && *it == "vendor" && std::next(it) != relative.end() &&
      *std::next(it) == "swagger-ui") {
    fs::path rest;
    for (auto part = std::next(it, 2); part != relative.end(); ++part) rest /= *part;
    full = config_.web_dir / "node_modules" / "swagger-ui-dist" / rest;
  } else if (it != relative.end() && *it == "node_modules") {
    return error_response(404, "Not Found");
  } else {
    full = relative.empty() ? config_.web_dir / "index.html" : config_.web_dir / relative;
  }
  std::error_code ec;
  if (fs::is_directory(full, ec)) full /= "index.html";
  if (!fs::is_regular_file(full, ec)) return error_response(404, "Not Found");
  ApiResponse response = file_response(full, mime_type(full));
  response.cache_control = "no-cache";
  return response;
}

Result<std::vector<std::string>> Api::websocket_greeting(const std::string& id) {
  if (!is_session_id(id)) return make_error(ErrorCode::kNotFound, "session not found");
  auto session = store_.get_session(id);
  if (!session) return session.error();
  nlohmann::json progress = session->progress.is_object() ? session->progress : nlohmann::json::object();
  progress["progress"] = progress_fraction(*session);
  if (session->status == SessionStatus::kQueued) {
    auto position = store_.queue_position(id);
    progress["queue_position"] = position ? *position : 0;
  }
  std::vector<std::string> messages;
  messages.push_back(nlohmann::json{
      {"type", "connected"},
      {"session_id", id},
      {"status", store::session_status_name(session->status)},
      {"filename", session->filename},
      {"progress",
       progress}}.dump());
  if (session->status == SessionStatus::kCompleted) {
    messages.push_back(nlohmann::json{{"type", "complete"},
                                      {"session_id", id},
                                      {"results", parsed_results(*session)},
                                      {"download_url", download_url_json(*session)}}
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else if (session->status == SessionStatus::kFailed || session->status == SessionStatus::kCancelled) {
    messages.push_back(nlohmann::json{
        {"type", "error"},
        {"session_id", id},
        {"status", store::session_status_name(session->status)},
        {"error",
         session->error}}.dump());
  }
  return messages;
}

std::string Api::websocket_reply(const std::string& id, std::string_view text) {
  bool ping = text == "ping";
  if (!ping) {
    auto message = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    ping = message.is_object() && message.value("type", "") == "ping";
  }
  return ping ? nlohmann::json{{"type", "pong"}, {"session_id", id}}.dump() : std::string();
}

std::string Api::websocket_message(const store::SessionEvent& event) {
  const Session& session = event.session;
  switch (event.type) {
    case store::SessionEventType::kQueued: {
      auto position = store_.queue_position(session.id);
      return nlohmann::json{{"type", "progress"},
                            {"session_id", session.id},
                            {"status", "queued"},
                            {"progress", 0.0},
                            {"stage", "queued"},
                            {"message", "waiting for a worker"},
                            {"frame", 0},
                            {"total", session.video_info.value("frame_count", int64_t{0})},
                            {"fps", 0.0},
                            {"eta_s", nullptr},
                            {"queue_position", position ? *position : 0}}
          .dump();
    }
    case store::SessionEventType::kProgress: {
      nlohmann::json message = session.progress;
      message["type"] = "progress";
      message["session_id"] = session.id;
      message["status"] = "processing";
      return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    case store::SessionEventType::kCompleted:
      return nlohmann::json{{"type", "complete"},
                            {"session_id", session.id},
                            {"results", parsed_results(session)},
                            {"download_url", download_url_json(session)}}
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    case store::SessionEventType::kFailed:
    case store::SessionEventType::kCancelled:
      return nlohmann::json{{"type", "error"},
                            {"session_id", session.id},
                            {"status", store::session_status_name(session.status)},
                            {"error", session.error}}
          .dump();
    case store::SessionEventType::kDeleted:
      return nlohmann::json{
          {"type", "error"}, {"session_id", session.id}, {"status", "deleted"}, {"error", "session deleted"}}
          .dump();
  }
  return "";
}

}  // namespace dd::server
