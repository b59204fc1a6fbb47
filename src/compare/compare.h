// Comparing a student's dance with a reference: pose features invariant to position, size,
// camera distance and frame rate, banded open-ended DTW alignment, and 0-100 scores.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "pose/pose_frame.h"

namespace dd::compare {

enum class MirrorMode { kAuto, kOn, kOff };

// "auto" | "on" | "off", or nullopt for anything else.
std::optional<MirrorMode> parse_mirror_mode(std::string_view name);

struct CompareOptions {
  MirrorMode mirror = MirrorMode::kAuto;
  double timeline_rate_hz = 10;  // points per second of reference time
  int max_worst_moments = 5;
};

struct WorstMoment {
  double t_reference_s = 0, t_student_s = 0;
  std::string body_part;     // one of analysis::kBodyPartNames, named on the reference's body
  double deviation_deg = 0;  // mean limb direction difference of that part around this moment
};

struct Comparison {
  // 0..100: how far the matched poses beat poses paired at random (chance_similarity) towards 100.
  double similarity = 0;
  double chance_similarity = 0;         // 0..100: the mean frame score of randomly paired poses
  bool different_choreography = false;  // similarity too low for the two to be one routine
  double offset_s = 0;                  // median(student t - reference t) on the path
  double tempo_ratio = 1;  // student duration / reference duration of the matched part (median over quarters)
  bool mirror = false;     // the student was compared mirrored (left/right swapped, x flipped)
  std::map<std::string, double>
      body_parts;  // head, torso, left_arm, right_arm, left_leg, right_leg -> 0..100
  // Reference clock; similarity is NaN (null in JSON) where nothing was matched or no pose was seen.
  std::vector<double> timeline_t, timeline_similarity;
  // Same length as timeline_t: student lag at each point relative to offset_s (positive = late), NaN when
  // unmatched.
  std::vector<double> timing_error_s;
  std::vector<WorstMoment> worst_moments;
  std::vector<std::pair<int64_t, int64_t>>
      path;  // matched (reference frame index, student frame index), monotone
};

// Fails with InvalidArgument when either sequence has too few frames with a pose (10), timestamps
// that go backwards, or lasts more than 30 minutes.
Result<Comparison> compare_sequences(const pose::PoseSequence& reference, const pose::PoseSequence& student,
                                     const CompareOptions& options);

// The comparison.json keys of issue 12 (path omitted).
nlohmann::json comparison_to_json(const Comparison& comparison);

}  // namespace dd::compare
