#include "server/openapi.h"

#include <string>
#include <string_view>
#include <utility>

#include "core/version.h"
#include "pose/model_files.h"

namespace dd::server {
namespace {

using nlohmann::json;

json ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

json json_content(const json& schema) {
  return {{"application/json", {{"schema", schema}}}};
}

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
  schemas["Error"] = {
      {"type", "object"}, {"required", {"detail"}}, {"properties", {{"detail", {{"type", "string"}}}}}};
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
  json model_names = json::array();
  for (std::string_view name : pose::kLandmarkModelNames) model_names.push_back(name);
  schemas["AnalyzeOptions"] = {
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"model", {{"type", "string"}, {"enum", model_names}}},
        {"write_video", {{"type", "boolean"}, {"description", "false skips the overlay video"}}},
        {"smooth_landmarks", {{"type", "boolean"}}},
        {"min_detection_confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
        {"min_tracking_confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
        {"overlay_max_size",
         {{"type", "integer"},
          {"minimum", 0},
          {"description",
           "the overlay video's shorter side at most this many pixels (0: the input's; else >= 120)"}}}}}};
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
        {"status",
         {{"type", "string"},
          {"enum", {"uploaded", "queued", "processing", "completed", "failed", "cancelled"}}}},
        {"progress", {{"type", "number"}}},
        {"results",
         {{"type", "object"},
          {"nullable", true},
          {"description",
           "results.json (DESIGN §4), with warnings: an array of sentences, empty when all is well (e.g. "
           "\"only 40 of 178 frames could be decoded (the file looks truncated), ...\")"}}},
        {"download_url", {{"type", "string"}, {"nullable", true}}},
        {"error", {{"type", "string"}}}}}};
  schemas["CompareRequest"] = {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"reference_id", "student_id"}},
      {"properties",
       {{"reference_id", {{"type", "string"}, {"description", "a completed analysis session (the teacher)"}}},
        {"student_id",
         {{"type", "string"}, {"description", "another completed analysis session (the student)"}}},
        {"mirror",
         {{"type", "string"},
          {"enum", {"auto", "on", "off"}},
          {"default", "auto"},
          {"description",
           "auto tries the student both as filmed and mirrored and keeps the better match"}}}}}};
  schemas["CompareAccepted"] = {
      {"type", "object"},
      {"properties",
       {{"success", {{"type", "boolean"}}},
        {"message", {{"type", "string"}}},
        {"session_id", {{"type", "string"}, {"description", "the comparison's id"}}},
        {"kind", {{"type", "string"}, {"enum", {"comparison"}}}},
        {"reference_id", {{"type", "string"}}},
        {"student_id", {{"type", "string"}}},
        {"mirror", {{"type", "string"}}},
        {"websocket_url", {{"type", "string"}}},
        {"queue_position", {{"type", "integer"}}}}}};
  schemas["ComparisonJson"] = {
      {"type", "object"},
      {"description", "comparison.json: scores 0..100, times in seconds"},
      {"properties",
       {{"similarity", {{"type", "number"}}},
        {"offset_s", {{"type", "number"}, {"description", "median student time minus reference time"}}},
        {"tempo_ratio", {{"type", "number"}, {"description", "student duration / reference duration"}}},
        {"mirror", {{"type", "boolean"}}},
        {"body_parts",
         {{"type", "object"},
          {"description", "head, torso, left_arm, right_arm, left_leg, right_leg"},
          {"additionalProperties", {{"type", "number"}}}}},
        {"timeline",
         {{"type", "object"},
          {"description", "on the reference's clock"},
          {"properties",
           {{"t", {{"type", "array"}, {"items", {{"type", "number"}}}}},
            {"similarity", {{"type", "array"}, {"items", {{"type", "number"}}}}}}}}},
        {"worst_moments",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"t_reference", {{"type", "number"}}},
              {"t_student", {{"type", "number"}}},
              {"body_part", {{"type", "string"}}},
              {"deviation_deg", {{"type", "number"}}}}}}}}}}}};
  schemas["Comparison"] = {
      {"type", "object"},
      {"description",
       "completed: success true with comparison and video_url; running: success false with progress, stage "
       "and "
       "queue_position; failed or cancelled: success false with error"},
      {"properties",
       {{"success", {{"type", "boolean"}}},
        {"session_id", {{"type", "string"}}},
        {"kind", {{"type", "string"}, {"enum", {"comparison"}}}},
        {"status",
         {{"type", "string"},
          {"enum", {"uploaded", "queued", "processing", "completed", "failed", "cancelled"}}}},
        {"filename", {{"type", "string"}, {"description", "display name: reference vs student"}}},
        {"reference",
         {{"type", "object"},
          {"description", "the source analysis (it may have been deleted since)"},
          {"properties", {{"session_id", {{"type", "string"}}}, {"filename", {{"type", "string"}}}}}}},
        {"student",
         {{"type", "object"},
          {"properties", {{"session_id", {{"type", "string"}}}, {"filename", {{"type", "string"}}}}}}},
        {"mirror_option", {{"type", "string"}, {"enum", {"auto", "on", "off"}}}},
        {"progress", {{"type", "number"}}},
        {"stage", {{"type", "string"}}},
        {"queue_position", {{"type", "integer"}}},
        {"comparison", {{"allOf", {ref("ComparisonJson")}}, {"nullable", true}}},
        {"video_url", {{"type", "string"}, {"nullable", true}}},
        {"websocket_url", {{"type", "string"}}},
        {"error", {{"type", "string"}}}}}};
  schemas["Health"] = {
      {"type", "object"},
      {"properties",
       {{"status", {{"type", "string"}}},
        {"models_loaded", {{"type", "boolean"}}},
        {"timestamp", {{"type", "string"}, {"format", "date-time"}}},
        {"active_sessions", {{"type", "integer"}}},
        {"queue_depth", {{"type", "integer"}}},
        {"version", {{"type", "string"}}},
        {"limits",
         {{"type", "object"},
          {"description", "What an upload may be: MAX_FILE_SIZE and MAX_VIDEO_DURATION"},
          {"properties",
           {{"max_file_size", {{"type", "integer"}, {"description", "largest upload in bytes"}}},
            {"max_video_duration", {{"type", "number"}, {"description", "longest video in seconds"}}}}}}}}}};

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
        {"409", error_reply("already queued, running or done, or the session is a comparison")},
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
         {"schema",
          {{"type", "string"},
           {"enum",
            {"results.json", "landmarks.csv", "landmarks.json", "landmarks.trc", "skeleton.bvh",
             "angles.csv"}}}}},
        {{"name", "filter"},
         {"in", "query"},
         {"required", false},
         {"description",
          "landmarks.trc, skeleton.bvh and angles.csv only: the trajectory filter, none | one-euro | "
          "butterworth[:HZ] (zero-lag, cut-off in Hz); default butterworth:6"},
         {"schema", {{"type", "string"}, {"default", "butterworth:6"}}}}}},
      {"description",
       "landmarks.trc (OpenSim markers, metres, Y up), skeleton.bvh (a skeleton rooted at the hips) and "
       "angles.csv (joint and segment angles in degrees) are made from the landmarks on first request and "
       "cached per filter."},
      {"responses",
       {{"200", {{"description", "the file"}}},
        {"400", error_reply("unknown export name, filter or query parameter")},
        {"404", error_reply("unknown session or file")},
        {"409", error_reply("analysis not completed, or no pose to build a skeleton from")}}}};
  paths["/api/thumbnail/{session_id}"]["get"] = {
      {"summary", "A still of the analysed video (JPEG), from the first frame with a person in it"},
      {"parameters", {id_parameter()}},
      {"responses",
       {{"200", {{"description", "the thumbnail"}, {"content", {{"image/jpeg", json::object()}}}}},
        {"404", error_reply("unknown session, or not analysed yet")}}}};
  paths["/api/compare"]["post"] = {
      {"summary", "Compare a student's analysed video with a reference's"},
      {"description",
       "Creates a comparison session (kind \"comparison\") and queues its job; follow it on websocket_url "
       "like an "
       "analysis (stages compare, encode). The comparison keeps its own files: deleting a source session "
       "later "
       "does not affect a finished comparison, but fails one that is still queued or running."},
      {"requestBody", {{"required", true}, {"content", json_content(ref("CompareRequest"))}}},
      {"responses",
       {{"202", {{"description", "queued"}, {"content", json_content(ref("CompareAccepted"))}}},
        {"400",
         error_reply("body not JSON, missing or unknown field, bad mirror, the same id twice, or a source "
                     "that is itself a comparison")},
        {"404", error_reply("a source session does not exist")},
        {"409", error_reply("a source session has not completed its analysis or lost its files")}}}};
  paths["/api/compare/{session_id}"]["get"] = {
      {"summary", "A comparison's status and, once completed, comparison.json"},
      {"parameters", {id_parameter()}},
      {"responses",
       {{"200",
         {{"description", "see the schema's description"}, {"content", json_content(ref("Comparison"))}}},
        {"404", error_reply("unknown session, or not a comparison")}}}};
  paths["/api/compare/{session_id}/video"]["get"] = {
      {"summary",
       "comparison.mp4: reference and student side by side, the student time-warped to the reference's "
       "clock; "
       "Range requests answered with 206"},
      {"parameters",
       {id_parameter(),
        {{"name", "Range"}, {"in", "header"}, {"required", false}, {"schema", {{"type", "string"}}}}}},
      {"responses",
       {{"200", {{"description", "the whole video"}, {"content", {{"video/mp4", json::object()}}}}},
        {"206", {{"description", "the requested byte range"}, {"content", {{"video/mp4", json::object()}}}}},
        {"404", error_reply("unknown comparison or no video")},
        {"409", error_reply("comparison not completed")},
        {"416", error_reply("unsatisfiable range")}}}};
  paths["/api/sessions"]["get"] = {
      {"summary", "All sessions, newest first"},
      {"description",
       "Each session has kind \"analysis\" (an uploaded video) or \"comparison\" (POST /api/compare), "
       "and thumbnail_url once its analysis made a thumbnail (else null)."},
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
      {"summary", "WebSocket of a session's progress (an analysis or a comparison)"},
      {"description",
       "Server messages (JSON, field type): connected {status, progress}, progress {progress 0..1, stage, "
       "message, "
       "frame, total, fps, eta_s (null until the pace is known), queue_position}, complete {results, "
       "download_url}, error {error}, "
       "keepalive, pong. "
       "Send \"ping\" or {\"type\":\"ping\"} for a pong. For a comparison the stages are compare, then "
       "encode, and complete carries comparison.json as results."},
      {"parameters", {id_parameter()}},
      {"responses", {{"101", {{"description", "switching to WebSocket"}}}}}};

  // Operations grouped by the resource they act on, so the docs page lists them by subject.
  const std::pair<std::string_view, std::string_view> kTagByPrefix[] = {
      {"/api/upload", "sessions"},  {"/api/sessions", "sessions"},  {"/api/session/", "sessions"},
      {"/api/analyze", "analysis"}, {"/api/results", "analysis"},   {"/api/download", "analysis"},
      {"/api/video", "analysis"},   {"/api/thumbnail", "analysis"}, {"/api/export", "exports"},
      {"/api/compare", "compare"},  {"/ws/", "progress"},           {"/health", "health"}};
  for (auto& [path, operations] : paths.items()) {
    for (const auto& [prefix, tag] : kTagByPrefix) {
      if (path.rfind(prefix, 0) != 0) continue;
      for (auto& [method, operation] : operations.items()) operation["tags"] = {tag};
      break;
    }
  }
  const json tags = {
      {{"name", "sessions"}, {"description", "Upload videos, list and delete sessions"}},
      {{"name", "analysis"}, {"description", "Analyse an upload, fetch its results and videos"}},
      {{"name", "exports"}, {"description", "Result files to download"}},
      {{"name", "compare"}, {"description", "Compare a student's dance with a reference's"}},
      {{"name", "progress"}, {"description", "Live progress of a job over WebSocket"}},
      {{"name", "health"}, {"description", "Liveness and queue state"}}};

  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "DanceDynamics API"},
            {"version", kVersion},
            {"description",
             "Upload a dance video, analyse its movement, fetch results, exports and the overlay video; "
             "compare a "
             "student's analysis with a reference's."}}},
          {"tags", tags},
          {"paths", std::move(paths)},
          {"components", {{"schemas", std::move(schemas)}}}};
}

}  // namespace

const json& openapi_document() {
  static const json document = build();
  return document;
}

}  // namespace dd::server
