#include "analysis/analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/body_metrics.h"
#include "analysis/kinematics.h"
#include "analysis/movement_classifier.h"
#include "analysis/synthetic_pose.h"

namespace dd::analysis {
namespace {

using testing::Camera;
using testing::render;

AnalysisResult analyze_ok(const pose::PoseSequence& sequence, const AudioView* audio = nullptr) {
  auto result = analyze(sequence, audio);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? *result : AnalysisResult{};
}

double share(const AnalysisResult& r, MovementType type) {
  return r.movement_distribution[static_cast<size_t>(type)];
}

TEST(KinematicsTest, VelocityIsInBodyScalesPerSecond_WhenBodyTranslates) {
  // The whole body slides right at 2 torso lengths per second, filmed at 150 px per torso.
  const auto sequence =
      render([](double t) { return testing::shifted(testing::standing_with_arms(), 2 * t, 0); },
             /*duration_s=*/3, /*fps=*/25, Camera{.scale_px = 150, .hip_x_px = 200});
  const Kinematics kinematics = compute_kinematics(sequence);
  ASSERT_EQ(kinematics.tracks.size(), 1u);
  const Track& track = kinematics.tracks[0];
  EXPECT_NEAR(track.scale_px[40], 150, 1);
  EXPECT_NEAR(track.velocity[40][pose::kNose].x, 2.0, 0.02);
  EXPECT_NEAR(track.velocity[40][pose::kNose].y, 0.0, 0.02);
  EXPECT_NEAR(static_cast<double>(track.size()), 3 * kGridRate_hz - 1, 2);
}

TEST(KinematicsTest, GapSplitsTracks_WhenNoPoseForHalfASecond) {
  const auto sequence = render(testing::arm_swing(2), 6, 30, {}, [](double t) { return t < 2.5 || t > 3.0; });
  const Kinematics kinematics = compute_kinematics(sequence);
  ASSERT_EQ(kinematics.tracks.size(), 2u);
  EXPECT_LT(kinematics.tracks[0].time_s(kinematics.tracks[0].size() - 1), 2.5);
  EXPECT_GT(kinematics.tracks[1].start_s, 3.0);
}

TEST(KinematicsTest, SparseDetections_WithOneShortStep_StayBounded) {
  // Poses found only now and then (a typical interval of 3.8 s) with one step of 0.6 s: the
  // densifier's count of missing frames must not go negative (it used to wrap and exhaust memory).
  const std::vector<double> found_s = {22.4, 25.8, 26.4, 30.2, 34.0, 37.8, 41.6};
  const auto sequence = render([](double) { return testing::standing_with_arms(); }, 45, 5, {},
                               [&](double t) {
                                 return std::any_of(found_s.begin(), found_s.end(),
                                                    [t](double f) { return std::abs(t - f) < 0.01; });
                               });
  const Kinematics kinematics = compute_kinematics(sequence);
  size_t samples = 0;
  for (const Track& track : kinematics.tracks) samples += track.size();
  EXPECT_GT(samples, 0u);
  EXPECT_LE(samples, static_cast<size_t>((41.6 - 22.4) * kGridRate_hz) + 1);
}

TEST(AnalysisTest, StillPose_IsStandingWithNoIntensity) {
  const auto result = analyze_ok(render([](double) { return testing::standing_with_arms(); }, 6, 30));
  ASSERT_TRUE(result.has_pose);
  EXPECT_EQ(result.movement_type, MovementType::kStanding);
  EXPECT_NEAR(share(result, MovementType::kStanding), 1.0, 1e-9);
  EXPECT_NEAR(result.body.intensity, 0, 0.5);
  EXPECT_NEAR(result.body.mean_velocity30, 0, 1e-6);
  EXPECT_FALSE(result.rhythm.has_rhythm);
  EXPECT_FALSE(result.rhythm.bpm.has_value());
  EXPECT_TRUE(result.rhythm.accent_times_s.empty());
  EXPECT_FALSE(result.smoothness.has_value());
  EXPECT_NEAR(result.body.symmetry, 100, 1e-6);
  ASSERT_EQ(result.segments.size(), 1u);
  EXPECT_NEAR(result.average_confidence, 0.95, 1e-6);
  EXPECT_EQ(result.keypoints_detected, 33);
}

TEST(AnalysisTest, ArmsSwingingAt2Hz_AreDancingAt120Bpm) {
  const auto result = analyze_ok(render(testing::arm_swing(2), 10, 30));
  EXPECT_EQ(result.movement_type, MovementType::kDancing);
  EXPECT_GT(share(result, MovementType::kDancing), 0.95);
  ASSERT_TRUE(result.rhythm.bpm.has_value());
  EXPECT_NEAR(*result.rhythm.bpm, 120, 2);
  EXPECT_TRUE(result.rhythm.has_rhythm);
  EXPECT_GT(result.rhythm.consistency, 90);
  EXPECT_LE(result.rhythm.consistency, 100);
  // A turn at each end of every swing: 4 accents per second.
  EXPECT_NEAR(static_cast<double>(result.rhythm.accent_times_s.size()), 40, 3);
  // Arms move, legs do not; both sides alike.
  EXPECT_GT(result.body.part_activity[2], 50);
  EXPECT_NEAR(result.body.part_activity[4], 0, 1);
  EXPECT_NEAR(result.body.symmetry, 100, 1);
  EXPECT_GT(result.body.intensity, 10);
  ASSERT_TRUE(result.smoothness.has_value());
  EXPECT_GT(*result.smoothness, 50);
  const auto& elbow = result.body.joint_angles[0];
  ASSERT_TRUE(elbow.valid);
  EXPECT_NEAR(elbow.mean_deg, 180, 1);  // straight arms
  const auto& shoulder = result.body.joint_angles[2];
  ASSERT_TRUE(shoulder.valid);
  EXPECT_NEAR(shoulder.max_deg, 0.8 * 180 / std::numbers::pi, 3);
  EXPECT_NEAR(shoulder.range_deg, 0.8 * 180 / std::numbers::pi, 3);
}

TEST(AnalysisTest, HipsTravellingWithAlternatingFeet_AreWalking) {
  const auto result = analyze_ok(render(testing::walking(), 8, 30, Camera{.scale_px = 100, .hip_x_px = 100}));
  EXPECT_EQ(result.movement_type, MovementType::kWalking);
  EXPECT_GT(share(result, MovementType::kWalking), 0.8);
}

TEST(AnalysisTest, BouncingWithFlight_IsJumping) {
  const auto result = analyze_ok(render(testing::jumping(), 7, 30));
  EXPECT_EQ(result.movement_type, MovementType::kJumping);
  EXPECT_GT(share(result, MovementType::kJumping), 0.8);
  ASSERT_TRUE(result.rhythm.bpm.has_value());
  EXPECT_NEAR(*result.rhythm.bpm, 60 / 0.7, 2);
}

TEST(AnalysisTest, LoweredHipsAndBentKnees_AreCrouching) {
  const auto result = analyze_ok(render(testing::crouching(), 8, 30));
  EXPECT_EQ(result.movement_type, MovementType::kCrouching);
  EXPECT_GT(share(result, MovementType::kCrouching), 0.55);
  EXPECT_NEAR(share(result, MovementType::kJumping), 0, 1e-9);
  const auto& knee = result.body.joint_angles[6];
  ASSERT_TRUE(knee.valid);
  EXPECT_LT(knee.min_deg, 90);
  EXPECT_NEAR(knee.max_deg, 180, 1);
}

TEST(AnalysisTest, NumbersAgree_WhenHalfTheSizeOrAnotherFrameRate) {
  const auto base = analyze_ok(render(testing::arm_swing(1.5, 0.6), 10, 30));
  const auto small = analyze_ok(render(testing::arm_swing(1.5, 0.6), 10, 30, Camera{.scale_px = 100}));
  const auto fast = analyze_ok(render(testing::arm_swing(1.5, 0.6), 10, 60));
  const auto film = analyze_ok(render(testing::arm_swing(1.5, 0.6), 10, 24));
  ASSERT_TRUE(base.rhythm.bpm && small.rhythm.bpm && fast.rhythm.bpm && film.rhythm.bpm);
  ASSERT_TRUE(base.smoothness && small.smoothness && fast.smoothness && film.smoothness);
  for (const AnalysisResult* other : {&small, &fast, &film}) {
    EXPECT_NEAR(other->body.intensity, base.body.intensity, 0.05 * base.body.intensity);
    EXPECT_NEAR(other->body.mean_velocity30, base.body.mean_velocity30, 0.05 * base.body.mean_velocity30);
    EXPECT_NEAR(*other->rhythm.bpm, *base.rhythm.bpm, 0.05 * *base.rhythm.bpm);
    EXPECT_NEAR(other->rhythm.consistency, base.rhythm.consistency, 5);
    EXPECT_NEAR(*other->smoothness, *base.smoothness, 5);
    EXPECT_NEAR(other->body.part_activity[2], base.body.part_activity[2], 0.05 * base.body.part_activity[2]);
    EXPECT_EQ(other->movement_type, base.movement_type);
  }
}

TEST(AnalysisTest, GapWithoutPose_LeavesNoSpikeAndEmptyTimelinePoints) {
  const auto motion = testing::arm_swing(2);
  const auto whole = analyze_ok(render(motion, 10, 30));
  const auto gapped = analyze_ok(render(motion, 10, 30, {}, [](double t) { return t < 4 || t >= 5; }));
  double peak_whole = 0, peak_gapped = 0;
  size_t empty_points = 0;
  for (const auto& p : whole.timeline) peak_whole = std::max(peak_whole, p.velocity30.value_or(0));
  for (const auto& p : gapped.timeline) {
    peak_gapped = std::max(peak_gapped, p.velocity30.value_or(0));
    if (!p.velocity30) {
      ++empty_points;
      EXPECT_GT(p.t_s, 3.9);
      EXPECT_LT(p.t_s, 5.1);
      EXPECT_FALSE(p.type.has_value());
    }
  }
  EXPECT_GE(empty_points, 8u);
  EXPECT_LE(peak_gapped, 1.05 * peak_whole);
  EXPECT_NEAR(gapped.body.intensity, whole.body.intensity, 0.05 * whole.body.intensity);
  for (const auto& segment : gapped.segments) EXPECT_FALSE(segment.start_s < 4 && segment.end_s > 5.0);
  // Undetected frames have no type; detected ones do.
  EXPECT_FALSE(gapped.frame_types[135].has_value());
  EXPECT_TRUE(gapped.frame_types[30].has_value());
}

TEST(KinematicsTest, ShortDropoutInsideATrack_IsBridgedWithoutSpikes) {
  // 0.23 s without pose at 60 fps: below the 0.25 s gap limit, so one track bridges it.
  const auto motion = testing::arm_swing(1, 0.5);
  const auto sequence = render(motion, 4, 60, {}, [](double t) { return t < 2.0 || t > 2.23; });
  const Kinematics kinematics = compute_kinematics(sequence);
  ASSERT_EQ(kinematics.tracks.size(), 1u);
  const Track& track = kinematics.tracks[0];
  const double peak_wrist_speed = 2 * std::numbers::pi * 1 * 0.5 * 0.9;  // omega * amplitude * arm length
  for (size_t k = 0; k < track.size(); ++k) {
    const Vec2 v = track.velocity[k][pose::kLeftWrist];
    EXPECT_LT(std::hypot(v.x, v.y), 1.1 * peak_wrist_speed) << "at " << track.time_s(k);
    EXPECT_NEAR(track.position[k][pose::kLeftShoulder].y, (380 - 200.0) / 200, 1e-6);
  }
}

TEST(AnalysisTest, JerkyMotion_IsLessSmoothThanASwing) {
  const auto smooth = analyze_ok(render(testing::arm_swing(1), 8, 30));
  // The same swing with the arms jerking by +-0.15 rad five times a second.
  const auto jerky_motion = [](double t) {
    const double jerk = (static_cast<int>(t * 10) % 2 == 0 ? 0.15 : -0.15);
    const double a = 0.8 * std::sin(2 * std::numbers::pi * t) + jerk;
    return testing::standing_with_arms(a, a);
  };
  const auto jerky = analyze_ok(render(jerky_motion, 8, 30));
  ASSERT_TRUE(smooth.smoothness && jerky.smoothness);
  EXPECT_NEAR(*smooth.smoothness, 62.6, 3);  // documented in smoothness.h
  EXPECT_LT(*jerky.smoothness, *smooth.smoothness - 20);
}

TEST(AnalysisTest, NoPoseAnywhere_IsNotAnError) {
  const auto result = analyze_ok(render(testing::arm_swing(2), 3, 30, {}, [](double) { return false; }));
  EXPECT_FALSE(result.has_pose);
  EXPECT_EQ(result.frames_with_pose, 0);
  EXPECT_TRUE(result.segments.empty());
  EXPECT_TRUE(result.timeline.empty());
}

TEST(AnalysisTest, TooLittlePose_HasNoAnalysis) {
  // Two frames, the second with the same timestamp (ignored): nothing to differentiate.
  auto sequence = render(testing::arm_swing(2), 2.0 / 30, 30);
  sequence.frames[1].timestamp_s = sequence.frames[0].timestamp_s;
  const auto result = analyze_ok(sequence);
  EXPECT_FALSE(result.has_pose);
  EXPECT_EQ(result.frames_with_pose, 2);
  EXPECT_EQ(result.frame_types.size(), 2u);
}

TEST(AnalysisTest, RejectsFrameWithoutSize) {
  pose::PoseSequence sequence;
  sequence.width = 0;
  sequence.height = 720;
  auto result = analyze(sequence, nullptr);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
}

TEST(AnalysisTest, NonFiniteLandmarks_AreSkipped) {
  auto sequence = render(testing::arm_swing(2), 4, 30);
  sequence.frames[50].landmarks[pose::kLeftWrist].x = std::nanf("");
  const auto result = analyze_ok(sequence);
  EXPECT_TRUE(std::isfinite(result.body.intensity));
  EXPECT_TRUE(std::isfinite(result.body.mean_velocity30));
  EXPECT_EQ(result.movement_type, MovementType::kDancing);
}

TEST(BodyMetricsTest, ActivityMap_MatchesDocumentedAnchors) {
  EXPECT_NEAR(activity_from_velocity(0), 0, 1e-12);
  EXPECT_NEAR(activity_from_velocity(kActiveVelocity), 22.1, 0.1);
  EXPECT_NEAR(activity_from_velocity(0.06), 63.2, 0.1);
  EXPECT_NEAR(activity_from_velocity(kVigorousVelocity), 98.2, 0.1);
  EXPECT_EQ(activity_from_velocity(std::nan("")), 0);
}

TEST(MovementClassifierTest, JointAngle_IsRightAngle) {
  EXPECT_NEAR(joint_angle_deg({1, 0}, {0, 0}, {0, 1}), 90, 1e-9);
  EXPECT_NEAR(joint_angle_deg({1, 0}, {0, 0}, {-1, 0}), 180, 1e-9);
  EXPECT_NEAR(joint_angle_deg({0, 0}, {0, 0}, {-1, 0}), 180, 1e-9);
}

}  // namespace
}  // namespace dd::analysis
