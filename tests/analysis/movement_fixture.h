// The hand-labelled real clips under tests/data/movement: compact landmark fixtures (see
// bench/analysis/make_movement_fixture.py) and labels.json, read for the movement-type tests
// and the bench's accuracy report.
#pragma once

#include <array>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "analysis/movement_classifier.h"
#include "pose/pose_frame.h"

namespace dd::testing {

// The landmarks a fixture keeps, in its column order.
inline constexpr std::array<int, 15> kFixtureLandmarks = {
    pose::kNose,      pose::kLeftEar,    pose::kRightEar,  pose::kLeftShoulder, pose::kRightShoulder,
    pose::kLeftElbow, pose::kRightElbow, pose::kLeftWrist, pose::kRightWrist,   pose::kLeftHip,
    pose::kRightHip,  pose::kLeftKnee,   pose::kRightKnee, pose::kLeftAnkle,    pose::kRightAnkle};

// nullopt when the file is missing or malformed.
inline std::optional<pose::PoseSequence> read_movement_fixture(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  pose::PoseSequence sequence;
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  std::istringstream header(line);
  if (!(header >> sequence.width >> sequence.height >> sequence.fps)) return std::nullopt;
  int64_t index = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    double t_ms = 0;
    if (!(fields >> t_ms)) return std::nullopt;
    pose::PoseFrame frame;
    frame.index = index++;
    frame.timestamp_s = t_ms / 1000;
    std::string first;
    fields >> first;
    frame.detected = first != "-";
    if (frame.detected) {
      std::istringstream rest(first + " " + fields.str().substr(static_cast<size_t>(fields.tellg())));
      for (int landmark : kFixtureLandmarks) {
        double x = 0, y = 0, v = 0;
        if (!(rest >> x >> y >> v)) return std::nullopt;
        frame.landmarks[static_cast<size_t>(landmark)] = {static_cast<float>(x / 1e4),
                                                          static_cast<float>(y / 1e4), 0.0f,
                                                          static_cast<float>(v / 100), 1.0f};
      }
    }
    sequence.frames.push_back(frame);
  }
  return sequence;
}

struct LabelledSegment {
  double start_s = 0, end_s = 0;
  std::vector<analysis::MovementType> accepted;  // accepted.front(): what a dancer would call it
};

struct LabelledClip {
  std::string clip;
  std::vector<analysis::MovementType> dominant;  // accepted overall types
  std::vector<LabelledSegment> segments;

  // The segment holding time t, or nullptr outside every segment.
  const LabelledSegment* at(double t_s) const {
    for (const auto& segment : segments) {
      if (t_s >= segment.start_s && t_s < segment.end_s) return &segment;
    }
    return nullptr;
  }
};

inline std::optional<analysis::MovementType> movement_type_named(const std::string& name) {
  for (size_t t = 0; t < analysis::kMovementTypeCount; ++t) {
    const auto type = static_cast<analysis::MovementType>(t);
    if (name == analysis::movement_type_name(type)) return type;
  }
  return std::nullopt;
}

inline std::vector<LabelledClip> read_movement_labels(const std::string& path) {
  std::ifstream in(path);
  std::vector<LabelledClip> clips;
  if (!in) return clips;
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded()) return clips;
  for (const auto& entry : doc.at("clips")) {
    LabelledClip clip;
    clip.clip = entry.at("clip").get<std::string>();
    for (const auto& name : entry.at("dominant"))
      if (auto type = movement_type_named(name.get<std::string>())) clip.dominant.push_back(*type);
    for (const auto& s : entry.at("segments")) {
      LabelledSegment segment{s[0].get<double>(), s[1].get<double>(), {}};
      std::istringstream names(s[2].get<std::string>());
      std::string name;
      while (std::getline(names, name, '|'))
        if (auto type = movement_type_named(name)) segment.accepted.push_back(*type);
      clip.segments.push_back(segment);
    }
    clips.push_back(clip);
  }
  return clips;
}

// Per-frame outcome of one analysed clip against its labels.
struct ClipScore {
  // confusion[labelled][predicted]: frames, with the labelled type the segment's first one.
  std::array<std::array<int, analysis::kMovementTypeCount>, analysis::kMovementTypeCount> confusion{};
  int labelled_frames = 0;  // frames with a pose inside a labelled segment
  int accepted_frames = 0;  // of those, predicted as one of the segment's accepted types
  bool dominant_accepted = false;

  double accuracy() const {
    return labelled_frames > 0 ? static_cast<double>(accepted_frames) / labelled_frames : 0;
  }
};

inline ClipScore score_clip(const LabelledClip& clip, const pose::PoseSequence& sequence,
                            const analysis::AnalysisResult& result) {
  ClipScore score;
  for (size_t f = 0; f < sequence.frames.size() && f < result.frame_types.size(); ++f) {
    const LabelledSegment* segment = clip.at(sequence.frames[f].timestamp_s);
    if (segment == nullptr || segment->accepted.empty() || !result.frame_types[f]) continue;
    const analysis::MovementType predicted = *result.frame_types[f];
    ++score.labelled_frames;
    ++score.confusion[static_cast<size_t>(segment->accepted.front())][static_cast<size_t>(predicted)];
    for (analysis::MovementType type : segment->accepted) {
      if (type == predicted) {
        ++score.accepted_frames;
        break;
      }
    }
  }
  for (analysis::MovementType type : clip.dominant) score.dominant_accepted |= type == result.movement_type;
  return score;
}

}  // namespace dd::testing
