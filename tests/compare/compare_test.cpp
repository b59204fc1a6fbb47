#include "compare/compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "compare/synthetic_dance.h"

namespace dd::compare {
namespace {

using testing::dance_pose;
using testing::DanceOptions;
using testing::make_sequence;

constexpr double kFps = 30;
constexpr double kDuration_s = 20;

pose::PoseSequence dance(double duration_s = kDuration_s, const DanceOptions& options = {}) {
  return make_sequence(duration_s, kFps, [&](double t) { return dance_pose(t, options); });
}

Comparison compare(const pose::PoseSequence& reference, const pose::PoseSequence& student,
                   MirrorMode mirror = MirrorMode::kAuto) {
  CompareOptions options;
  options.mirror = mirror;
  auto result = compare_sequences(reference, student, options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? *result : Comparison{};
}

TEST(CompareTest, IdenticalSequences_ScoreHundredWithNoOffset) {
  const auto reference = dance();
  const Comparison c = compare(reference, reference);
  EXPECT_NEAR(c.similarity, 100, 0.01);
  EXPECT_NEAR(c.offset_s, 0, 1e-9);
  EXPECT_NEAR(c.tempo_ratio, 1, 0.005);
  EXPECT_FALSE(c.mirror);
  for (const auto& [part, value] : c.body_parts) EXPECT_NEAR(value, 100, 0.01) << part;
  ASSERT_EQ(c.body_parts.size(), 6u);
  ASSERT_FALSE(c.path.empty());
  EXPECT_EQ(c.path.front(), (std::pair<int64_t, int64_t>{0, 0}));
  EXPECT_EQ(c.path.back(), (std::pair<int64_t, int64_t>{599, 599}));
  ASSERT_EQ(c.timeline_t.size(), c.timeline_similarity.size());
  ASSERT_EQ(c.timeline_t.size(), c.timing_error_s.size());
  EXPECT_NEAR(double(c.timeline_t.size()), kDuration_s * 10, 1.0);
  for (double e : c.timing_error_s) EXPECT_NEAR(e, 0, 1e-9);
}

TEST(CompareTest, StudentHalfSecondLate_OffsetIsHalfSecond) {
  const auto reference = dance();
  const auto student = make_sequence(kDuration_s + 0.5, kFps, [](double t) -> std::optional<pose::PoseFrame> {
    if (t < 0.5 - 1e-9) return std::nullopt;
    return dance_pose(t - 0.5);
  });
  const Comparison c = compare(reference, student);
  EXPECT_NEAR(std::abs(c.offset_s), 0.5, 1.0 / kFps);
  EXPECT_GT(c.offset_s, 0);
  EXPECT_GE(c.similarity, 95);
  EXPECT_NEAR(c.tempo_ratio, 1, 0.02);
}

TEST(CompareTest, StudentVideoStartsMidRoutine_OffsetIsNegative) {
  // The student filmed from 0.5 s into the routine.
  const auto reference = dance();
  const auto student = make_sequence(kDuration_s - 0.5, kFps, [](double t) { return dance_pose(t + 0.5); });
  const Comparison c = compare(reference, student);
  EXPECT_NEAR(c.offset_s, -0.5, 1.0 / kFps);
  EXPECT_GE(c.similarity, 95);
}

TEST(CompareTest, StudentTenPercentSlower_TempoRatioIsOnePointOne) {
  const auto reference = dance();
  const auto student = make_sequence(kDuration_s * 1.1, kFps, [](double t) { return dance_pose(t / 1.1); });
  const Comparison c = compare(reference, student);
  EXPECT_NEAR(c.tempo_ratio, 1.10, 0.02);
  EXPECT_GE(c.similarity, 90);
  // The lag grows through the dance: late at the end compared with the start.
  const auto first =
      std::find_if(c.timing_error_s.begin(), c.timing_error_s.end(), [](double e) { return !std::isnan(e); });
  const auto last = std::find_if(c.timing_error_s.rbegin(), c.timing_error_s.rend(),
                                 [](double e) { return !std::isnan(e); });
  ASSERT_NE(first, c.timing_error_s.end());
  EXPECT_NEAR(*last - *first, 0.1 * kDuration_s, 0.2);
}

TEST(CompareTest, MirroredCopy_DetectedUnderAuto) {
  const auto reference = dance();
  DanceOptions mirrored;
  mirrored.mirror = true;
  const auto student = dance(kDuration_s, mirrored);
  const Comparison automatic = compare(reference, student, MirrorMode::kAuto);
  EXPECT_TRUE(automatic.mirror);
  EXPECT_NEAR(automatic.similarity, 100, 0.01);
  const Comparison off = compare(reference, student, MirrorMode::kOff);
  EXPECT_FALSE(off.mirror);
  EXPECT_LT(off.similarity, automatic.similarity - 20);
  const Comparison on = compare(reference, reference, MirrorMode::kOn);
  EXPECT_TRUE(on.mirror);
  EXPECT_LT(on.similarity, 80);
}

TEST(CompareTest, FrozenLeftArm_LeftArmScoresLowestAndWorstMomentsNameIt) {
  const auto reference = dance();
  DanceOptions frozen;
  frozen.freeze_left_arm = true;
  const Comparison c = compare(reference, dance(kDuration_s, frozen));
  const double left_arm = c.body_parts.at("left_arm");
  for (const auto& [part, value] : c.body_parts) {
    if (part == "left_arm") continue;
    EXPECT_GT(value, left_arm + 30) << part;
  }
  ASSERT_FALSE(c.worst_moments.empty());
  EXPECT_LE(c.worst_moments.size(), 5u);
  for (const WorstMoment& m : c.worst_moments) {
    EXPECT_EQ(m.body_part, "left_arm");
    EXPECT_GT(m.deviation_deg, 30);
    EXPECT_NEAR(m.t_student_s, m.t_reference_s, 0.2);
  }
  // Worst first, and at least a second apart.
  for (size_t i = 1; i < c.worst_moments.size(); ++i) {
    EXPECT_GE(c.worst_moments[i - 1].deviation_deg, c.worst_moments[i].deviation_deg);
    for (size_t j = 0; j < i; ++j)
      EXPECT_GE(std::abs(c.worst_moments[i].t_reference_s - c.worst_moments[j].t_reference_s), 1.0 - 1e-9);
  }
}

TEST(CompareTest, DancingAgainstStandingStill_LowSimilarity) {
  DanceOptions still;
  still.stand_still = true;
  const Comparison c = compare(dance(), dance(kDuration_s, still));
  EXPECT_LT(c.similarity, 50);
}

TEST(CompareTest, UnrelatedChoreography_ScoresLowAndIsFlagged_WithoutTiming) {
  const auto reference = dance();
  for (int routine : {1, 2, 3}) {
    const Comparison c = compare(reference, dance(kDuration_s, {.routine = routine}));
    EXPECT_LT(c.similarity, 30) << "routine " << routine;
    EXPECT_TRUE(c.different_choreography) << "routine " << routine;
    EXPECT_GT(c.chance_similarity, 20) << "routine " << routine;
    const auto json = comparison_to_json(c);
    EXPECT_TRUE(json.at("different_choreography").get<bool>());
    EXPECT_TRUE(json.at("offset_s").is_null());
    EXPECT_TRUE(json.at("tempo_ratio").is_null());
    EXPECT_FALSE(json.at("choreography_note").get<std::string>().empty());
  }
}

TEST(CompareTest, SameChoreographyShiftedMirroredOrFaster_ScoresHighWithTiming) {
  const auto reference = dance();
  const auto shifted = make_sequence(kDuration_s, kFps, [](double t) { return dance_pose(t + 1.5); });
  const auto mirrored = dance(kDuration_s, {.mirror = true});
  const auto faster = make_sequence(kDuration_s / 1.1, kFps, [](double t) { return dance_pose(t * 1.1); });
  for (const auto* student : {&reference, &shifted, &mirrored, &faster}) {
    const Comparison c = compare(reference, *student);
    EXPECT_GT(c.similarity, 80);
    EXPECT_FALSE(c.different_choreography);
    const auto json = comparison_to_json(c);
    EXPECT_FALSE(json.at("different_choreography").get<bool>());
    EXPECT_TRUE(json.at("offset_s").is_number());
    EXPECT_TRUE(json.at("tempo_ratio").is_number());
    EXPECT_EQ(json.at("choreography_note").get<std::string>(), "");
  }
}

TEST(CompareTest, DifferentFrameRates_StillAligned) {
  const auto reference = dance();
  const auto student = make_sequence(kDuration_s, 25, [](double t) { return dance_pose(t); });
  const Comparison c = compare(reference, student);
  EXPECT_GE(c.similarity, 95);
  EXPECT_NEAR(c.offset_s, 0, 1.0 / 25);
  EXPECT_NEAR(c.tempo_ratio, 1, 0.02);
}

TEST(CompareTest, TooFewPosesOrBadTimestamps_InvalidArgument) {
  const auto reference = dance();
  const auto empty = make_sequence(5, kFps, [](double) { return std::optional<pose::PoseFrame>{}; });
  auto result = compare_sequences(reference, empty, {});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(result.error().message.find("student"), std::string::npos);
  auto long_gap = reference;
  long_gap.frames.back().timestamp_s = 3 * 3600;
  auto too_long = compare_sequences(long_gap, reference, {});
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  auto backwards = reference;
  backwards.frames[5].timestamp_s = -1;
  EXPECT_FALSE(compare_sequences(reference, backwards, {}).has_value());
  auto none = compare_sequences(pose::PoseSequence{}, reference, {});
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
}

TEST(CompareTest, ParseMirrorMode_KnownNamesOnly) {
  EXPECT_EQ(parse_mirror_mode("auto"), MirrorMode::kAuto);
  EXPECT_EQ(parse_mirror_mode("on"), MirrorMode::kOn);
  EXPECT_EQ(parse_mirror_mode("off"), MirrorMode::kOff);
  EXPECT_EQ(parse_mirror_mode("yes"), std::nullopt);
}

TEST(CompareTest, ComparisonToJson_HasIssueKeys) {
  const auto reference = dance(5);
  const Comparison c = compare(reference, reference);
  const nlohmann::json j = comparison_to_json(c);
  for (const char* key :
       {"similarity", "offset_s", "tempo_ratio", "mirror", "body_parts", "timeline", "worst_moments"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j.contains("path"));
  EXPECT_NEAR(j["similarity"].get<double>(), 100, 0.05);
  EXPECT_EQ(j["body_parts"].size(), 6u);
  EXPECT_EQ(j["timeline"]["t"].size(), j["timeline"]["similarity"].size());
  EXPECT_EQ(j["timeline"]["t"].size(), j["timeline"]["timing_error_s"].size());
  Comparison gaps = c;
  gaps.timeline_similarity[0] = std::nan("");
  gaps.worst_moments.push_back(WorstMoment{1.5, 2.0, "left_arm", 42.25});
  const nlohmann::json g = comparison_to_json(gaps);
  EXPECT_TRUE(g["timeline"]["similarity"][0].is_null());
  const auto& m = g["worst_moments"].back();
  EXPECT_EQ(m["body_part"], "left_arm");
  EXPECT_NEAR(m["t_reference"].get<double>(), 1.5, 1e-9);
  EXPECT_NEAR(m["t_student"].get<double>(), 2.0, 1e-9);
  EXPECT_NEAR(m["deviation_deg"].get<double>(), 42.3, 0.051);
}

}  // namespace
}  // namespace dd::compare
