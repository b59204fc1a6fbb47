#include "pose/landmarks_json.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace dd::pose {
namespace {

using nlohmann::json;

json landmarks_to_array(const std::array<Landmark, kLandmarkCount>& landmarks) {
  json array = json::array();
  for (const Landmark& lm : landmarks) array.push_back({lm.x, lm.y, lm.z, lm.visibility});
  return array;
}

Error invalid(const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument, "landmark JSON: " + what);
}

// Reads null or [[x,y,z,visibility] x 33]; returns whether landmarks were present.
Result<bool> parse_landmark_list(const json& value, const std::string& where,
                                 std::array<Landmark, kLandmarkCount>& out) {
  if (value.is_null()) return false;
  if (!value.is_array() || value.size() != static_cast<size_t>(kLandmarkCount)) {
    return invalid(fmt::format("{} must be null or a list of {} landmarks", where, kLandmarkCount));
  }
  for (int i = 0; i < kLandmarkCount; ++i) {
    const json& point = value[static_cast<size_t>(i)];
    if (!point.is_array() || point.size() != 4) {
      return invalid(fmt::format("{}[{}] must be [x, y, z, visibility]", where, i));
    }
    for (const json& number : point) {
      if (!number.is_number()) return invalid(fmt::format("{}[{}] holds a non-number", where, i));
    }
    out[i] = Landmark{point[0].get<float>(), point[1].get<float>(), point[2].get<float>(),
                      point[3].get<float>(), 0.0f};
  }
  return true;
}

// Streams the document one frame at a time, so a long video never holds the whole JSON tree
// (~10 KB a frame) in memory. Keys are written in nlohmann's sorted order, so the bytes equal
// json::dump() of the whole document.
void write_document(std::ostream& out, std::string_view video, std::string_view model,
                    const PoseSequence& sequence) {
  out << "{\"fps\":" << json(sequence.fps).dump() << ",\"frames\":[";
  bool first = true;
  for (const PoseFrame& frame : sequence.frames) {
    json entry = {{"index", frame.index}, {"t", frame.timestamp_s}};
    entry["landmarks"] = frame.detected ? landmarks_to_array(frame.landmarks) : json(nullptr);
    entry["world"] = frame.detected ? landmarks_to_array(frame.world) : json(nullptr);
    if (!first) out << ',';
    first = false;
    out << entry.dump();
  }
  out << "],\"height\":" << sequence.height << ",\"model\":" << json(model).dump()
      << ",\"video\":" << json(video).dump() << ",\"width\":" << sequence.width << '}';
}

}  // namespace

std::string landmarks_to_json(const LandmarksDocument& document) {
  std::ostringstream out;
  write_document(out, document.video, document.model, document.sequence);
  return std::move(out).str();
}

Status write_landmarks_json(const std::filesystem::path& path, std::string_view video, std::string_view model,
                            const PoseSequence& sequence) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return make_error(ErrorCode::kUnavailable, "cannot write " + path.string());
  write_document(file, video, model, sequence);
  file << '\n';
  file.close();
  if (!file) return make_error(ErrorCode::kUnavailable, "failed writing " + path.string());
  return ok_status();
}

Status write_landmarks_json(const std::filesystem::path& path, const LandmarksDocument& document) {
  return write_landmarks_json(path, document.video, document.model, document.sequence);
}

Result<LandmarksDocument> parse_landmarks_json(std::string_view text) {
  const json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return invalid("not valid JSON");
  if (!root.is_object()) return invalid("top level must be an object");
  LandmarksDocument document;
  const auto string_field = [&](const char* key, std::string& out) -> Status {
    if (!root.contains(key) || !root[key].is_string())
      return invalid(fmt::format("\"{}\" must be a string", key));
    out = root[key].get<std::string>();
    return ok_status();
  };
  DD_TRY(string_field("video", document.video));
  DD_TRY(string_field("model", document.model));
  for (const char* key : {"width", "height"}) {
    if (!root.contains(key) || !root[key].is_number_integer() || root[key].get<int64_t>() <= 0 ||
        root[key].get<int64_t>() > 1'000'000) {
      return invalid(fmt::format("\"{}\" must be a positive integer", key));
    }
  }
  document.sequence.width = root["width"].get<int>();
  document.sequence.height = root["height"].get<int>();
  if (!root.contains("fps") || !root["fps"].is_number()) return invalid("\"fps\" must be a number");
  document.sequence.fps = root["fps"].get<double>();
  if (!root.contains("frames") || !root["frames"].is_array()) return invalid("\"frames\" must be a list");
  const json& frames = root["frames"];
  document.sequence.frames.reserve(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    const json& entry = frames[i];
    const std::string where = fmt::format("frames[{}]", i);
    if (!entry.is_object()) return invalid(where + " must be an object");
    if (!entry.contains("index") || !entry["index"].is_number_integer()) {
      return invalid(where + ".index must be an integer");
    }
    if (!entry.contains("t") || !entry["t"].is_number()) return invalid(where + ".t must be a number");
    PoseFrame frame;
    frame.index = entry["index"].get<int64_t>();
    frame.timestamp_s = entry["t"].get<double>();
    const json null_value;
    auto landmarks = parse_landmark_list(entry.contains("landmarks") ? entry["landmarks"] : null_value,
                                         where + ".landmarks", frame.landmarks);
    if (!landmarks) return landmarks.error();
    auto world = parse_landmark_list(entry.contains("world") ? entry["world"] : null_value, where + ".world",
                                     frame.world);
    if (!world) return world.error();
    frame.detected = *landmarks;
    document.sequence.frames.push_back(frame);
  }
  return document;
}

Result<LandmarksDocument> read_landmarks_json(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return make_error(ErrorCode::kNotFound, "cannot open " + path.string());
  std::ostringstream text;
  text << file.rdbuf();
  auto document = parse_landmarks_json(text.str());
  if (!document) return make_error(document.error().code, path.string() + ": " + document.error().message);
  return document;
}

}  // namespace dd::pose
