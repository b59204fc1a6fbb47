// Kinematics on the person's scale: landmark positions resampled onto a uniform 30 Hz grid,
// measured in body scales (smoothed torso lengths), with visibility. Gaps split tracks.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "pose/pose_frame.h"

namespace dd::analysis {

// The analysis grid rate: every metric is computed on samples 1/30 s apart, whatever the
// video's frame rate, so 24, 30 and 60 fps recordings of the same motion agree.
inline constexpr double kGridRate_hz = 30.0;

struct Vec2 {
  double x = 0;
  double y = 0;
};

using LandmarkVec = std::array<Vec2, pose::kLandmarkCount>;
using LandmarkWeights = std::array<double, pose::kLandmarkCount>;

// One stretch of continuous pose (no gap longer than the gap limit, no identity jump).
struct Track {
  double start_s = 0;                       // time of sample 0
  std::vector<LandmarkVec> position;        // body scales (pixels / torso length), y down
  std::vector<LandmarkVec> velocity;        // body scales per second
  std::vector<LandmarkWeights> visibility;  // 0..1
  std::vector<double> scale_px;             // smoothed torso length in pixels

  size_t size() const { return position.size(); }
  double time_s(size_t k) const { return start_s + static_cast<double>(k) / kGridRate_hz; }
};

struct Kinematics {
  std::vector<Track> tracks;  // in time order; empty when no usable pose
};

// Resamples the detected frames of `sequence` onto the 30 Hz grid. Frames with no pose,
// non-finite landmarks or non-increasing timestamps are skipped; a gap longer than
// max(0.25 s, 3 frame intervals) or a jump of the hips by more than 1.5 body scales between
// two frames (the tracker switched person) starts a new track. Tracks shorter than 3 grid
// samples are dropped. Never fails: a sequence without pose gives no tracks.
Kinematics compute_kinematics(const pose::PoseSequence& sequence);

// Centre of two landmarks (e.g. the hip midpoint).
Vec2 midpoint(const LandmarkVec& points, int a, int b);

// The joints whose motion stands for the whole body: nose, shoulders, elbows, wrists, hips,
// knees, ankles (the 22 face/hand/foot points would outweigh the limbs).
inline constexpr std::array<int, 13> kKeyJoints = {
    pose::kNose,      pose::kLeftShoulder, pose::kRightShoulder, pose::kLeftElbow, pose::kRightElbow,
    pose::kLeftWrist, pose::kRightWrist,   pose::kLeftHip,       pose::kRightHip,  pose::kLeftKnee,
    pose::kRightKnee, pose::kLeftAnkle,    pose::kRightAnkle};

// The limbs' moving joints: elbows, wrists, knees, ankles (what dancing moves most).
inline constexpr std::array<int, 8> kLimbJoints = {pose::kLeftElbow,  pose::kRightElbow, pose::kLeftWrist,
                                                   pose::kRightWrist, pose::kLeftKnee,   pose::kRightKnee,
                                                   pose::kLeftAnkle,  pose::kRightAnkle};

// Visibility-weighted mean speed (body scales per second) of `joints` at each sample of `track`.
std::vector<double> joint_speed(const Track& track, std::span<const int> joints);

// Centred moving average over `width` samples (shrinking at the ends).
std::vector<double> moving_average(std::span<const double> values, size_t width);

}  // namespace dd::analysis
