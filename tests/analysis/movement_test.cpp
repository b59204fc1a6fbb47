// Movement types on gait seen from any side, with the landmark model's jitter, and on the
// hand-labelled real clips of tests/data/movement.
#include <gtest/gtest.h>

#include <string>

#include "analysis/analysis.h"
#include "analysis/movement_fixture.h"
#include "analysis/synthetic_pose.h"

namespace dd::analysis {
namespace {

using testing::Camera;
using testing::render;

AnalysisResult analyze_ok(const pose::PoseSequence& sequence) {
  auto result = analyze(sequence, nullptr);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? *result : AnalysisResult{};
}

double share(const AnalysisResult& r, MovementType type) {
  return r.movement_distribution[static_cast<size_t>(type)];
}

// MediaPipe lite's frame-to-frame jitter on a person filling a third of the frame is about
// 2% of the torso length (full: about 1%).
constexpr double kLiteJitter = 0.02;

TEST(MovementTest, WalkingTowardTheCamera_IsWalking) {
  // 8 m to 3.2 m at 0.8 m/s: the body grows 2.5 times, the hips never move sideways.
  const auto size = [](double t) { return 8 / (8 - 0.8 * t); };
  const auto result = analyze_ok(render(testing::walking_in_depth(size), 6, 30, Camera{.scale_px = 80}));
  EXPECT_EQ(result.movement_type, MovementType::kWalking);
  EXPECT_GT(share(result, MovementType::kWalking), 0.8);
}

TEST(MovementTest, WalkingAwayFromAFollowingCamera_IsWalking_WithEveryModelsJitter) {
  for (double jitter : {0.0, 0.01, kLiteJitter}) {
    const auto motion = testing::with_jitter(testing::walking_in_depth([](double) { return 1.0; }), jitter);
    const auto result = analyze_ok(render(motion, 8, 30, Camera{.scale_px = 120}));
    EXPECT_EQ(result.movement_type, MovementType::kWalking) << "jitter " << jitter;
    EXPECT_GT(share(result, MovementType::kWalking), 0.8) << "jitter " << jitter;
  }
}

TEST(MovementTest, WalkingAwayFromAStillCamera_IsWalking) {
  const auto size = [](double t) { return 3 / (3 + 0.9 * t); };
  const auto result =
      analyze_ok(render(testing::walking_in_depth(size, 1.6), 6, 30, Camera{.scale_px = 200}));
  EXPECT_EQ(result.movement_type, MovementType::kWalking);
}

TEST(MovementTest, SlowAndFastGait_AreWalking_TooFastIsNot) {
  for (double steps_hz : {0.9, 2.3}) {
    const auto result =
        analyze_ok(render(testing::walking_in_depth([](double) { return 1.0; }, steps_hz), 8, 30));
    EXPECT_EQ(result.movement_type, MovementType::kWalking) << steps_hz << " steps/s";
  }
  // Six steps a second is running on the spot or a shuffle, not a walk.
  const auto shuffle = analyze_ok(render(testing::walking_in_depth([](double) { return 1.0; }, 6), 8, 30));
  EXPECT_LT(share(shuffle, MovementType::kWalking), 0.2);
}

TEST(MovementTest, JumpingJacksWithoutFlight_AreDancingNotWalking) {
  const auto result = analyze_ok(render(testing::jumping_jacks(), 8, 30));
  EXPECT_EQ(result.movement_type, MovementType::kDancing);
  EXPECT_LT(share(result, MovementType::kWalking), 0.05);
  EXPECT_LT(share(result, MovementType::kCrouching), 0.05);
}

TEST(MovementTest, StandingStill_StaysStanding_WithLiteJitter) {
  const auto motion = testing::with_jitter([](double) { return testing::standing_with_arms(); }, kLiteJitter);
  const auto result = analyze_ok(render(motion, 6, 30, Camera{.scale_px = 120}));
  EXPECT_EQ(result.movement_type, MovementType::kStanding);
  EXPECT_GT(share(result, MovementType::kStanding), 0.9);
}

// The labelled real clips: MediaPipe's lite and full landmarks and our heavy ones.
TEST(MovementTest, LabelledRealClips_MatchTheHandLabels) {
  const std::string dir = DD_TEST_DATA_DIR "/movement";
  const auto clips = testing::read_movement_labels(dir + "/labels.json");
  ASSERT_EQ(clips.size(), 6u);
  int accepted = 0, labelled = 0;
  for (const auto& clip : clips) {
    for (const char* model : {"lite", "full", "heavy"}) {
      const auto sequence = testing::read_movement_fixture(dir + "/" + clip.clip + "." + model + ".txt");
      ASSERT_TRUE(sequence.has_value()) << clip.clip << " " << model;
      const auto result = analyze_ok(*sequence);
      const auto score = testing::score_clip(clip, *sequence, result);
      EXPECT_TRUE(score.dominant_accepted)
          << clip.clip << " " << model << ": " << movement_type_name(result.movement_type);
      EXPECT_GE(score.accuracy(), 0.65) << clip.clip << " " << model;
      accepted += score.accepted_frames;
      labelled += score.labelled_frames;
    }
  }
  ASSERT_GT(labelled, 3000);
  EXPECT_GE(static_cast<double>(accepted) / labelled, 0.88);
}

}  // namespace
}  // namespace dd::analysis
