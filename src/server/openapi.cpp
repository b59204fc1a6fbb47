#include "server/openapi.h"

#include <string>

#include "core/version.h"

namespace dd::server {
namespace {

using nlohmann::json;

json ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json json_content(const json& schema) { return {{"application/json", {{"schema", schema}}}}; }

json error_reply(const std::string& description) {
  return {{"description", description}, {"content", json_content(ref("Error"))}};
}

json id_parameter() {
  return {{"name", "session_id"},
          {"in", "path"},
          {"required", true},
          {"description", "Session id from the upload (32 hex digits)"},
          {"schema", {{"type", "string"}, {"pattern", "^[0-9a-f]{32}$"}}}};
}

json build() {
  json schemas;
  schemas["Error"] = {{"type", "object"},
                      {"required", {"detail"}},
                      {"properties", {{"detail", {{"type", "string"}}}}}};
  schemas["Upload"] = {{"type", "object"},
                       {"properties",
                        {{"success", {{"type", "boolean"}}},
                         {"session_id", {{"type", "string"}}},
                         {"filename", {{"type", "string"}}},
                         {"size", {{"type", "integer"}, {"description", "bytes"}}},
                         {"duration", {{"type", "number"}, {"description", "seconds"}}},
                         {"resolution", {{"type", "string"}, {"example", "1280x720"}}},
                         {"fps", {{"type", "number"}}},
                         {"frame_count", {{"type", "integer"}}}}}};
  schemas["AnalyzeOptions"] = {
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"model", {{"type", "string"}, {"enum", {"lite", "full", "heavy"}}}},
        {"write_video", {{"type", "boolean"}, {"description", "false skips the overlay video"}}},
        {"smooth_landmarks", {{"type", "boolean"}}},
        {"min_detection_confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
        {"min_tracking_confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}}}}};
  schemas["AnalyzeAccepted"] = {{"type", "object"},
                                {"properties",
                                 {{"success", {{"type", "boolean"}}},
                                  {"message", {{"type", "string"}}},
                                  {"session_id", {{"type", "string"}}},
                                  {"websocket_url", {{"type", "string"}}},
                                  {"queue_position", {{"type", "integer"}}}}}};
  schemas["Results"] = {
      {"type", "object"},
      {"description",
       "completed: success true with results and download_url; running: success false with status, progress "
       "(0..1) and results null; failed or cancelled: success false with error"},
      {"properties",
       {{"success", {{"type", "boolean"}}},
        {"session_id", {{"type", "string"}}},
        {"status", {{"type", "string"}, {"enum", {"uploaded", "queued", "processing", "completed", "failed", "cancelled"}}}},
        {"progress", {{"type", "number"}}},
        {"results", {{"type", "object"}, {"nullable", true}, {"description", "results.json (DESIGN §4)"}}},
        {"download_url", {{"type", "string"}, {"nullable", true}}},
        {"error", {{"type", "string"}}}}}};
  schemas["Health"] = {{"type", "object"},
                       {"properties",
                        {{"status", {{"type", "string"}}},
                         {"models_loaded", {{"type", "boolean"}}},
                         {"timestamp", {{"type", "string"}, {"format", "date-time"}}},
                         {"active_sessions", {{"type", "integer"}}},
                         {"queue_depth", {{"type", "integer"}}},
                         {"version", {{"type", "string"}}}}}};

  json paths;
  paths["/api/upload"]["post"] = {
      {"summary", "Upload a video (mp4, mov, avi, mkv, webm, m4v)"},
      {"requestBody",
       {{"required", true},
        {"content",
         {{"multipart/form-data",
           {{"schema",
             {{"type", "object"},
              {"required", {"file"}},
              {"properties", {{"file", {{"type", "string"}, {"format", "binary"}}}}}}}}}}}}},
      {"responses",
       {{"200", {{"description", "stored and probed"}, {"content", json_content(ref("Upload"))}}},
        {"400", error_reply("wrong extension, not a decodable video, or too long")},
        {"413", error_reply("larger than MAX_FILE_SIZE")},
        {"422", error_reply("no file field")}}}};
  paths["/api/analyze/{session_id}"]["post"] = {
      {"summary", "Queue the analysis of an uploaded video"},
      {"parameters", {id_parameter()}},
      {"requestBody", {{"required", false}, {"content", json_content(ref("AnalyzeOptions"))}}},
      {"responses",
       {{"202", {{"description", "queued"}, {"content", json_content(ref("AnalyzeAccepted"))}}},
        {"400", error_reply("body is not JSON")},
        {"404", error_reply("unknown session")},
        {"409", error_reply("already queued, running or done")},
        {"422", error_reply("invalid option")}}}};
  paths["/api/results/{session_id}"]["get"] = {
      {"summary", "Results, or the job's status and progress"},
      {"parameters", {id_parameter()}},
      {"responses",
       {{"200", {{"description", "see the schema's description"}, {"content", json_content(ref("Results"))}}},
        {"404", error_reply("unknown session")}}}};
  paths["/api/download/{session_id}"]["get"] = {
      {"summary", "The overlay video (H.264 MP4); Range requests answered with 206"},
      {"parameters",
       {id_parameter(),
        {{"name", "Range"}, {"in", "header"}, {"required", false}, {"schema", {{"type", "string"}}}}}},
      {"responses",
       {{"200", {{"description", "the whole video"}, {"content", {{"video/mp4", json::object()}}}}},
        {"206", {{"description", "the requested byte range"}, {"content", {{"video/mp4", json::object()}}}}},
        {"404", error_reply("unknown session or no video")},
        {"409", error_reply("analysis not completed")},
        {"416", error_reply("unsatisfiable range")}}}};
  paths["/api/video/{session_id}"]["get"] = {
      {"summary", "The uploaded original video, for side-by-side playback; Range requests answered with 206"},
      {"parameters",
       {id_parameter(),
        {{"name", "Range"}, {"in", "header"}, {"required", false}, {"schema", {{"type", "string"}}}}}},
      {"responses",
       {{"200", {{"description", "the whole video"}, {"content", {{"video/*", json::object()}}}}},
        {"206", {{"description", "the requested byte range"}, {"content", {{"video/*", json::object()}}}}},
        {"404", error_reply("unknown session")},
        {"416", error_reply("unsatisfiable range")}}}};
  paths["/api/export/{session_id}/{name}"]["get"] = {
      {"summary", "Export a result file"},
      {"parameters",
       {id_parameter(),
        {{"name", "name"},
         {"in", "path"},
         {"required", true},
         {"schema", {{"type", "string"}, {"enum", {"results.json", "landmarks.csv", "landmarks.json"}}}}}}},
      {"responses",
       {{"200", {{"description", "the file"}}},
        {"404", error_reply("unknown session or file")},
        {"409", error_reply("analysis not completed")}}}};
  paths["/api/sessions"]["get"] = {{"summary", "All sessions, newest first"},
                                   {"responses", {{"200", {{"description", "{success, count, sessions[]}"}}}}}};
  paths["/api/session/{session_id}"]["get"] = {
      {"summary", "One session's status, options and video info"},
      {"parameters", {id_parameter()}},
      {"responses", {{"200", {{"description", "the session"}}}, {"404", error_reply("unknown session")}}}};
  paths["/api/session/{session_id}"]["delete"] = {
      {"summary", "Delete a session: cancels its job and removes its files"},
      {"parameters", {id_parameter()}},
      {"responses", {{"200", {{"description", "deleted"}}}, {"404", error_reply("unknown session")}}}};
  paths["/health"]["get"] = {
      {"summary", "Liveness and queue state"},
      {"responses", {{"200", {{"description", "healthy"}, {"content", json_content(ref("Health"))}}}}}};
  paths["/ws/{session_id}"]["get"] = {
      {"summary", "WebSocket of a session's progress",
      },
      {"description",
       "Server messages (JSON, field type): connected {status, progress}, progress {progress 0..1, stage, message, "
       "frame, total, fps, eta_s, queue_position}, complete {results, download_url}, error {error}, keepalive, pong. "
       "Send \"ping\" or {\"type\":\"ping\"} for a pong."},
      {"parameters", {id_parameter()}},
      {"responses", {{"101", {{"description", "switching to WebSocket"}}}}}};

  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "DanceDynamics API"},
            {"version", kVersion},
            {"description", "Upload a dance video, analyse its movement, fetch results, exports and the overlay video."}}},
          {"paths", std::move(paths)},
          {"components", {{"schemas", std::move(schemas)}}}};
}

}  // namespace

const json& openapi_document() {
  static const json document = build();
  return document;
}

}  // namespace dd::server
