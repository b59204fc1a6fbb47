#include "report/landmarks_csv.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

namespace dd::report {
namespace {

constexpr std::array<std::string_view, pose::kLandmarkCount> kNames = {
    "nose",        "left_eye_inner",  "left_eye",        "left_eye_outer", "right_eye_inner",
    "right_eye",   "right_eye_outer", "left_ear",        "right_ear",      "mouth_left",
    "mouth_right", "left_shoulder",   "right_shoulder",  "left_elbow",     "right_elbow",
    "left_wrist",  "right_wrist",     "left_pinky",      "right_pinky",    "left_index",
    "right_index", "left_thumb",      "right_thumb",     "left_hip",       "right_hip",
    "left_knee",   "right_knee",      "left_ankle",      "right_ankle",    "left_heel",
    "right_heel",  "left_foot_index", "right_foot_index"};

// Non-finite values are written as empty fields (CSV has no NaN).
void append_number(std::string& line, double value, const char* format) {
  line += ',';
  if (!std::isfinite(value)) return;
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  line += text;
}

}  // namespace

std::string_view landmark_name(int index) {
  if (index < 0 || index >= pose::kLandmarkCount) return {};
  return kNames[static_cast<size_t>(index)];
}

Status write_landmarks_csv(const pose::PoseSequence& sequence, std::ostream& out) {
  out << "frame,time,landmark,x,y,z,visibility\n";
  std::string line;
  for (const auto& frame : sequence.frames) {
    if (!frame.detected) continue;
    for (int i = 0; i < pose::kLandmarkCount; ++i) {
      const auto& lm = frame.landmarks[static_cast<size_t>(i)];
      line = std::to_string(frame.index);
      append_number(line, frame.timestamp_s, "%.4f");
      line += ',';
      line += landmark_name(i);
      append_number(line, lm.x, "%.6f");
      append_number(line, lm.y, "%.6f");
      append_number(line, lm.z, "%.6f");
      append_number(line, lm.visibility, "%.4f");
      line += '\n';
      out << line;
    }
  }
  if (!out) return make_error(ErrorCode::kUnavailable, "report: landmarks.csv write failed");
  return ok_status();
}

Status write_landmarks_csv(const pose::PoseSequence& sequence, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error(ErrorCode::kUnavailable, "report: cannot write " + path.string());
  DD_TRY(write_landmarks_csv(sequence, static_cast<std::ostream&>(out)));
  if (!out.flush()) return make_error(ErrorCode::kUnavailable, "report: write failed for " + path.string());
  return ok_status();
}

}  // namespace dd::report
