#include "report/results_json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace dd::report {
namespace {

using nlohmann::json;

// Rounded for readability; non-finite values become null rather than invalid JSON.
json number(double value, int decimals = 3) {
  if (!std::isfinite(value)) return nullptr;
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

template <typename T>
json optional_number(const std::optional<T>& value, int decimals = 3) {
  return value ? number(*value, decimals) : json(nullptr);
}

json times(const std::vector<double>& values) {
  json out = json::array();
  for (double v : values) out.push_back(number(v));
  return out;
}

json distribution(const analysis::AnalysisResult& a) {
  json out = json::object();
  for (size_t t = 0; t < analysis::kMovementTypeCount; ++t) {
    out[analysis::movement_type_name(static_cast<analysis::MovementType>(t))] =
        number(a.movement_distribution[t], 4);
  }
  return out;
}

json body_part_activity(const analysis::BodyMetrics& body) {
  json out = json::object();
  for (size_t p = 0; p < analysis::kBodyPartCount; ++p) {
    out[std::string(analysis::kBodyPartNames[p])] = number(body.part_activity[p], 1);
  }
  return out;
}

json movement_analysis(const analysis::AnalysisResult& a) {
  json segments = json::array();
  for (const auto& s : a.segments) {
    segments.push_back({{"start", number(s.start_s)},
                        {"end", number(s.end_s)},
                        {"type", analysis::movement_type_name(s.type)}});
  }
  json angles = json::object();
  for (size_t j = 0; j < analysis::kJointAngleCount; ++j) {
    const auto& stats = a.body.joint_angles[j];
    angles[std::string(analysis::kJointAngleNames[j])] =
        stats.valid ? json{{"mean", number(stats.mean_deg, 1)},
                           {"min", number(stats.min_deg, 1)},
                           {"max", number(stats.max_deg, 1)},
                           {"range_of_motion", number(stats.range_deg, 1)}}
                    : json(nullptr);
  }
  return {
      {"movement_type", analysis::movement_type_name(a.movement_type)},
      {"intensity", number(a.body.intensity, 1)},
      {"velocity", number(a.body.mean_velocity30, 4)},
      {"body_part_activity", body_part_activity(a.body)},
      {"movement_distribution", distribution(a)},
      {"segments", segments},
      {"symmetry", number(a.body.symmetry, 1)},
      {"joint_angles", angles},
  };
}

json rhythm_analysis(const analysis::AnalysisResult& a) {
  const auto& music = a.music;
  json music_json = {{"has_audio", music.has_audio}};
  // In words for the page: why there is or is not a tempo.
  if (music.beat_status) {
    music_json["status"] = analysis::beat_status_name(*music.beat_status);
    music_json["status_message"] = analysis::beat_status_message(*music.beat_status);
  } else {
    music_json["status"] = "no_audio";
    music_json["status_message"] = "The video has no audio track";
  }
  if (music.has_audio) {
    music_json["bpm"] = optional_number(music.bpm, 1);
    music_json["beat_times"] = times(music.beat_times_s);
    music_json["alignment"] =
        music.alignment ? json{{"mean_offset_ms", number(music.alignment->mean_offset_ms, 1)},
                               {"mean_abs_offset_ms", number(music.alignment->mean_abs_offset_ms, 1)},
                               {"on_beat_share", number(music.alignment->on_beat_share)},
                               {"beat_align_score", number(music.alignment->beat_align_score)},
                               {"accent_count", music.alignment->accent_count}}
                        : json(nullptr);
    music_json["tempo_match"] = music.tempo_match ? json(*music.tempo_match) : json(nullptr);
    music_json["tempo_ratio"] = optional_number(music.tempo_ratio);
  }
  return {
      {"has_rhythm", a.rhythm.has_rhythm},
      {"estimated_bpm", optional_number(a.rhythm.bpm, 1)},
      {"rhythm_consistency", number(a.rhythm.consistency, 1)},
      {"peak_count", a.rhythm.accent_times_s.size()},
      {"peak_times", times(a.rhythm.accent_times_s)},
      {"music", music_json},
  };
}

json timeline(const analysis::AnalysisResult& a) {
  json t = json::array(), intensity = json::array(), velocity = json::array(), type = json::array();
  for (const auto& point : a.timeline) {
    t.push_back(number(point.t_s, 2));
    intensity.push_back(optional_number(point.intensity, 1));
    velocity.push_back(optional_number(point.velocity30, 4));
    type.push_back(point.type ? json(analysis::movement_type_name(*point.type)) : json(nullptr));
  }
  return {{"t", t}, {"intensity", intensity}, {"velocity", velocity}, {"movement_type", type}};
}

json summary(const analysis::AnalysisResult& a) {
  size_t most = 0;
  double sum = 0;
  json average = json::object();
  for (size_t p = 0; p < analysis::kBodyPartCount; ++p) {
    if (a.body.part_activity[p] > a.body.part_activity[most]) most = p;
    sum += a.body.part_activity[p];
  }
  return {
      {"total_sequences", a.segments.size()},
      {"average_intensity", number(a.body.intensity, 1)},
      {"movement_distribution", distribution(a)},
      {"most_active_body_part", std::string(analysis::kBodyPartNames[most])},
      {"avg_body_part_activity", number(sum / analysis::kBodyPartCount, 1)},
  };
}

}  // namespace

std::string human_size(int64_t size_bytes) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  double size = static_cast<double>(std::max<int64_t>(size_bytes, 0));
  size_t unit = 0;
  while (size >= 1024 && unit + 1 < std::size(kUnits)) {
    size /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", size, kUnits[unit]);
  return text;
}

json build_results_json(const VideoSummary& video, const ProcessingStats& processing,
                        const analysis::AnalysisResult& analysis) {
  const bool has_pose = analysis.has_pose;
  const double detection_rate = processing.total_frames > 0
                                    ? std::clamp(static_cast<double>(processing.frames_with_pose) /
                                                     static_cast<double>(processing.total_frames),
                                                 0.0, 1.0)
                                    : 0.0;
  json document;
  document["video_info"] = {
      {"filename", video.filename},       {"fps", number(video.fps)},
      {"frame_count", video.frame_count}, {"width", video.width},
      {"height", video.height},           {"duration", number(video.duration_s)},
      {"size_bytes", video.size_bytes},   {"size", human_size(video.size_bytes)},
      {"has_audio", video.has_audio},
  };
  document["processing"] = {
      {"total_frames", processing.total_frames},
      {"frames_with_pose", processing.frames_with_pose},
      {"detection_rate", number(detection_rate, 4)},
      {"processing_time", number(processing.processing_time_s)},
      {"realtime_factor", processing.processing_time_s > 0
                              ? number(video.duration_s / processing.processing_time_s)
                              : json(nullptr)},
      {"model", processing.model},
  };
  document["warnings"] = processing.warnings;
  if (!has_pose) {
    for (const char* block :
         {"pose_analysis", "movement_analysis", "rhythm_analysis", "timeline", "summary"}) {
      document[block] = json::object();
    }
    document["smoothness_score"] = nullptr;
    return document;
  }
  document["pose_analysis"] = {{"average_confidence", number(analysis.average_confidence, 4)},
                               {"keypoints_detected", analysis.keypoints_detected}};
  document["movement_analysis"] = movement_analysis(analysis);
  document["rhythm_analysis"] = rhythm_analysis(analysis);
  document["smoothness_score"] = optional_number(analysis.smoothness, 1);
  document["timeline"] = timeline(analysis);
  document["summary"] = summary(analysis);
  return document;
}

Status write_json_file(const nlohmann::json& document, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error(ErrorCode::kUnavailable, "report: cannot write " + path.string());
  try {
    out << document.dump(2) << '\n';
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("report: JSON serialisation failed: ") + e.what());
  }
  if (!out.flush()) return make_error(ErrorCode::kUnavailable, "report: write failed for " + path.string());
  return ok_status();
}

}  // namespace dd::report
