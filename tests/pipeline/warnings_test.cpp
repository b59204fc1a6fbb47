#include "pipeline/warnings.h"

#include <gtest/gtest.h>

namespace dd::pipeline {
namespace {

RunFacts healthy_run() {
  RunFacts facts;
  facts.frames_expected = 178;
  facts.frames_decoded = 178;
  facts.duration_s = 7.12;
  facts.last_frame_s = 7.08;
  facts.frames_with_pose = 170;
  return facts;
}

TEST(RunWarningsTest, NoneWhenAllIsWell) {
  EXPECT_TRUE(run_warnings(healthy_run()).empty());
}

TEST(RunWarningsTest, TruncatedFileSaysHowManyFramesWereDecoded) {
  RunFacts facts = healthy_run();
  facts.frames_decoded = 40;
  facts.frames_with_pose = 40;
  facts.last_frame_s = 1.6;
  const auto warnings = run_warnings(facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("only 40 of 178 frames could be decoded (the file looks truncated)"),
            std::string::npos)
      << warnings[0];
}

TEST(RunWarningsTest, DecodeErrorBeforeTheEndIsTruncation) {
  RunFacts facts = healthy_run();
  facts.frames_decoded = 150;
  facts.frames_with_pose = 150;
  facts.decode_stopped_early = true;
  const auto warnings = run_warnings(facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("only 150 of 178"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("truncated"), std::string::npos) << warnings[0];
}

TEST(RunWarningsTest, FramesMissingInTheMiddleAreDamage) {
  RunFacts facts = healthy_run();
  facts.frames_decoded = 120;
  facts.frames_with_pose = 120;
  facts.corrupt_packets = 58;
  const auto warnings = run_warnings(facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("the file looks damaged"), std::string::npos) << warnings[0];
}

TEST(RunWarningsTest, ContainerCountsAFrameOrTwoOffAreNormal) {
  RunFacts facts = healthy_run();
  facts.frames_decoded = 177;
  EXPECT_TRUE(run_warnings(facts).empty());
  facts.frames_expected_estimated = true;
  facts.frames_decoded = 165;  // 7 % short of an estimate
  EXPECT_TRUE(run_warnings(facts).empty());
}

TEST(RunWarningsTest, SkippedCorruptPacketsAreMentioned) {
  RunFacts facts = healthy_run();
  facts.corrupt_packets = 3;
  const auto warnings = run_warnings(facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind("3 damaged parts", 0), 0u) << warnings[0];
}

TEST(RunWarningsTest, LowDetectionRate) {
  RunFacts facts = healthy_run();
  facts.frames_with_pose = 41;  // 23 %
  auto warnings = run_warnings(facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("only 23% of the frames"), std::string::npos) << warnings[0];
  facts.frames_with_pose = 0;
  warnings = run_warnings(facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "no person was found in the video");
  facts.frames_with_pose = 100;  // 56 %: fine
  EXPECT_TRUE(run_warnings(facts).empty());
}

TEST(RunWarningsTest, UndecodableAudio) {
  RunFacts facts = healthy_run();
  facts.audio_undecodable = true;
  const auto warnings = run_warnings(facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("audio"), std::string::npos);
}

TEST(RunWarningsTest, SeveralProblemsMostSeriousFirst) {
  RunFacts facts = healthy_run();
  facts.frames_decoded = 40;
  facts.last_frame_s = 1.6;
  facts.frames_with_pose = 4;
  facts.audio_undecodable = true;
  const auto warnings = run_warnings(facts);
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_NE(warnings[0].find("truncated"), std::string::npos);
  EXPECT_NE(warnings[1].find("10% of the frames"), std::string::npos) << warnings[1];
  EXPECT_NE(warnings[2].find("audio"), std::string::npos);
}

}  // namespace
}  // namespace dd::pipeline
