// The whole movement analysis of one video: pose sequence (+ optional audio) in, every metric
// of DESIGN.md section 4 out. Pure: no I/O, no state.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/body_metrics.h"
#include "analysis/motion_rhythm.h"
#include "analysis/movement_classifier.h"
#include "analysis/music_beats.h"
#include "core/result.h"
#include "pose/pose_frame.h"

namespace dd::analysis {

struct MusicAnalysis {
  bool has_audio = false;
  std::optional<BeatStatus> beat_status;  // nullopt without audio
  std::optional<double> bpm;
  std::vector<double> beat_times_s;
  std::optional<BeatAlignment> alignment;  // needs beats and movement accents
  std::optional<bool> tempo_match;         // needs both tempi
  std::optional<double> tempo_ratio;       // movement BPM / music BPM
};

// One point of the ~10 Hz timeline; values are nullopt where there is no pose (a gap).
struct TimelinePoint {
  double t_s = 0;
  std::optional<double> intensity;   // 0..100
  std::optional<double> velocity30;  // body velocity per 1/30 s
  std::optional<MovementType> type;
};

struct AnalysisResult {
  bool has_pose = false;  // false: no usable pose anywhere; only the counts are set
  int64_t frames_with_pose = 0;
  double average_confidence = 0;  // mean landmark visibility over frames with pose, 0..1
  int keypoints_detected = 0;     // mean number of landmarks with visibility >= 0.5 per such frame

  MovementType movement_type = MovementType::kStanding;            // the type with the largest share of time
  std::array<double, kMovementTypeCount> movement_distribution{};  // shares of analysed time, sum 1
  std::vector<MovementSegment> segments;                 // equal neighbours across gaps <= 0.3 s are joined
  std::vector<std::optional<MovementType>> frame_types;  // per input frame; nullopt without pose
  BodyMetrics body;
  std::optional<double> smoothness;  // 0..100; nullopt when nothing moved
  MotionRhythm rhythm;
  MusicAnalysis music;
  std::vector<TimelinePoint> timeline;
};

// Analyses `sequence`; `audio` may be null (no audio track). Fails only on malformed input:
// non-positive frame size, or audio with samples but a sample rate under 4000 Hz. A sequence
// without any pose is not an error: has_pose is false.
Result<AnalysisResult> analyze(const pose::PoseSequence& sequence, const AudioView* audio);

}  // namespace dd::analysis
