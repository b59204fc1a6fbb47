#include "analysis/analysis.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "analysis/kinematics.h"
#include "analysis/smoothness.h"

namespace dd::analysis {
namespace {

constexpr double kTimelineStep_s = 0.1;
constexpr double kMaxSegmentJoinGap_s = 0.3;
constexpr float kKeypointVisibility = 0.5f;

void add_pose_statistics(const pose::PoseSequence& sequence, AnalysisResult& result) {
  double visibility_sum = 0;
  double keypoints = 0;
  for (const auto& frame : sequence.frames) {
    if (!frame.detected) continue;
    ++result.frames_with_pose;
    double frame_sum = 0;
    for (const auto& lm : frame.landmarks) {
      const float v = std::isfinite(lm.visibility) ? std::clamp(lm.visibility, 0.0f, 1.0f) : 0.0f;
      frame_sum += v;
      keypoints += v >= kKeypointVisibility ? 1 : 0;
    }
    visibility_sum += frame_sum / pose::kLandmarkCount;
  }
  if (result.frames_with_pose > 0) {
    const auto frames = static_cast<double>(result.frames_with_pose);
    result.average_confidence = visibility_sum / frames;
    result.keypoints_detected = static_cast<int>(std::lround(keypoints / frames));
  }
}

// Track and sample nearest to time t, or nullopt when t falls in a gap.
std::optional<std::pair<size_t, size_t>> locate(const Kinematics& kinematics, double t_s) {
  const double half_step = 0.5 / kGridRate_hz;
  for (size_t i = 0; i < kinematics.tracks.size(); ++i) {
    const Track& track = kinematics.tracks[i];
    const double end_s = track.time_s(track.size() - 1);
    if (t_s < track.start_s - half_step || t_s > end_s + half_step) continue;
    const double k = std::round((t_s - track.start_s) * kGridRate_hz);
    return std::pair{i, static_cast<size_t>(std::clamp(k, 0.0, static_cast<double>(track.size() - 1)))};
  }
  return std::nullopt;
}

// The movement's accents per minute: 60 / the median interval between consecutive accents,
// or nullopt with fewer than four accents.
std::optional<double> accent_rate_bpm(const std::vector<double>& accent_times_s) {
  if (accent_times_s.size() < 4) return std::nullopt;
  std::vector<double> intervals;
  for (size_t i = 1; i < accent_times_s.size(); ++i)
    intervals.push_back(accent_times_s[i] - accent_times_s[i - 1]);
  const auto mid = intervals.begin() + static_cast<std::ptrdiff_t>(intervals.size() / 2);
  std::nth_element(intervals.begin(), mid, intervals.end());
  if (!(*mid > 0)) return std::nullopt;
  return 60 / *mid;
}

}  // namespace

Result<AnalysisResult> analyze(const pose::PoseSequence& sequence, const AudioView* audio) {
  if (sequence.width <= 0 || sequence.height <= 0) {
    return make_error(ErrorCode::kInvalidArgument, "analysis: frame size must be positive, got " +
                                                       std::to_string(sequence.width) + "x" +
                                                       std::to_string(sequence.height));
  }
  if (audio != nullptr && !audio->samples.empty() && audio->sample_rate < 4000) {
    return make_error(ErrorCode::kInvalidArgument,
                      "analysis: audio sample rate too low: " + std::to_string(audio->sample_rate));
  }
  AnalysisResult result;
  add_pose_statistics(sequence, result);
  const Kinematics kinematics = compute_kinematics(sequence);
  result.frame_types.assign(sequence.frames.size(), std::nullopt);
  if (kinematics.tracks.empty()) return result;
  result.has_pose = true;

  std::vector<TrackLabels> labels;
  std::vector<std::vector<double>> effort;
  size_t total = 0;
  for (const Track& track : kinematics.tracks) {
    labels.push_back(classify_track(track));
    effort.push_back(effort_velocity30(track, labels.back().type));
    for (MovementType type : labels.back().type) ++result.movement_distribution[static_cast<size_t>(type)];
    total += track.size();
    for (const MovementSegment& segment : track_segments(track, labels.back())) {
      // A brief dropout (or a track switch) inside one activity does not start a new segment.
      if (!result.segments.empty() && result.segments.back().type == segment.type &&
          segment.start_s - result.segments.back().end_s <= kMaxSegmentJoinGap_s) {
        result.segments.back().end_s = segment.end_s;
      } else {
        result.segments.push_back(segment);
      }
    }
  }
  for (double& share : result.movement_distribution) share /= static_cast<double>(total);
  result.movement_type = static_cast<MovementType>(
      std::max_element(result.movement_distribution.begin(), result.movement_distribution.end()) -
      result.movement_distribution.begin());
  for (size_t f = 0; f < sequence.frames.size(); ++f) {
    if (!sequence.frames[f].detected) continue;
    if (auto where = locate(kinematics, sequence.frames[f].timestamp_s)) {
      result.frame_types[f] = labels[where->first].type[where->second];
    }
  }

  std::vector<std::vector<MovementType>> types;
  for (const TrackLabels& track_labels : labels) types.push_back(track_labels.type);
  result.body = compute_body_metrics(kinematics, types);
  result.smoothness = smoothness_score(kinematics);
  result.rhythm = analyze_motion_rhythm(kinematics);

  // Timeline over the whole span of frames, gaps included as empty points.
  const double first_s = kinematics.tracks.front().start_s;
  const Track& last_track = kinematics.tracks.back();
  const double last_s = last_track.time_s(last_track.size() - 1);
  for (double t = first_s; t <= last_s + 1e-9; t += kTimelineStep_s) {
    TimelinePoint point;
    point.t_s = t;
    if (auto where = locate(kinematics, t)) {
      const TrackLabels& track_labels = labels[where->first];
      const double v30 = track_labels.velocity30[where->second];
      point.velocity30 = v30;
      point.intensity = intensity_from_effort(effort[where->first][where->second]);
      point.type = track_labels.type[where->second];
    }
    result.timeline.push_back(point);
  }

  if (audio != nullptr && !audio->samples.empty()) {
    result.music.has_audio = true;
    auto beats = track_beats(*audio, accent_rate_bpm(result.rhythm.accent_times_s));
    DD_TRY(beats);
    result.music.beat_status = beats->status;
    result.music.bpm = beats->bpm;
    result.music.beat_times_s = beats->beat_times_s;
    if (beats->bpm) {
      result.music.alignment =
          align_to_beats(result.rhythm.accent_times_s, beats->beat_times_s, 60 / *beats->bpm);
      if (result.rhythm.bpm) {
        double ratio = 0;
        result.music.tempo_match = tempo_matches(*result.rhythm.bpm, *beats->bpm, &ratio);
        result.music.tempo_ratio = ratio;
      }
    }
  }
  return result;
}

}  // namespace dd::analysis
