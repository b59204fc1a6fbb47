#include "report/results_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "analysis/synthetic_pose.h"

namespace dd::report {
namespace {

using nlohmann::json;

std::set<std::string> keys(const json& object) {
  std::set<std::string> out;
  for (const auto& [key, value] : object.items()) out.insert(key);
  return out;
}

// Fails on any non-finite number (nlohmann would write them as null, hiding the bug).
void expect_all_finite(const json& value, const std::string& path) {
  if (value.is_number_float()) {
    EXPECT_TRUE(std::isfinite(value.get<double>())) << path;
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.items()) expect_all_finite(child, path + "." + key);
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      expect_all_finite(value[i], path + "[" + std::to_string(i) + "]");
  }
}

const VideoSummary kVideo{"dance.mp4", 30, 300, 1280, 720, 10, 5 * 1024 * 1024, true};

json analysed_document(const pose::PoseSequence& sequence, const analysis::AudioView* audio,
                       std::vector<std::string> warnings = {}) {
  auto result = analysis::analyze(sequence, audio);
  EXPECT_TRUE(result.has_value());
  const ProcessingStats stats{static_cast<int64_t>(sequence.frames.size()), result->frames_with_pose, 5.0,
                              "full", std::move(warnings)};
  return build_results_json(kVideo, stats, *result);
}

TEST(ResultsJsonTest, HasTheDesignedFieldNames_WhenPoseAndMusic) {
  const auto sequence = testing::render(testing::arm_swing(2), 10, 30);
  const auto samples = testing::click_track(120, 10, 22050);
  const analysis::AudioView audio{samples, 22050};
  const json doc = analysed_document(sequence, &audio);

  EXPECT_EQ(keys(doc), (std::set<std::string>{"video_info", "processing", "pose_analysis",
                                              "movement_analysis", "rhythm_analysis", "smoothness_score",
                                              "timeline", "summary", "warnings"}));
  EXPECT_EQ(keys(doc["video_info"]),
            (std::set<std::string>{"filename", "fps", "frame_count", "width", "height", "duration",
                                   "size_bytes", "size", "has_audio"}));
  EXPECT_EQ(keys(doc["processing"]),
            (std::set<std::string>{"total_frames", "frames_with_pose", "detection_rate", "processing_time",
                                   "realtime_factor", "model"}));
  EXPECT_EQ(keys(doc["pose_analysis"]), (std::set<std::string>{"average_confidence", "keypoints_detected"}));
  EXPECT_EQ(keys(doc["movement_analysis"]),
            (std::set<std::string>{"movement_type", "intensity", "velocity", "body_part_activity",
                                   "movement_distribution", "segments", "symmetry", "joint_angles"}));
  EXPECT_EQ(keys(doc["movement_analysis"]["body_part_activity"]),
            (std::set<std::string>{"head", "torso", "left_arm", "right_arm", "left_leg", "right_leg"}));
  EXPECT_EQ(keys(doc["movement_analysis"]["movement_distribution"]),
            (std::set<std::string>{"Standing", "Walking", "Dancing", "Jumping", "Crouching"}));
  EXPECT_EQ(keys(doc["movement_analysis"]["segments"][0]), (std::set<std::string>{"start", "end", "type"}));
  EXPECT_EQ(keys(doc["movement_analysis"]["joint_angles"]["left_knee"]),
            (std::set<std::string>{"mean", "min", "max", "range_of_motion"}));
  EXPECT_EQ(keys(doc["rhythm_analysis"]),
            (std::set<std::string>{"has_rhythm", "estimated_bpm", "rhythm_consistency", "peak_count",
                                   "peak_times", "music"}));
  EXPECT_EQ(keys(doc["rhythm_analysis"]["music"]),
            (std::set<std::string>{"has_audio", "status", "status_message", "bpm", "beat_times", "alignment",
                                   "tempo_match", "tempo_ratio"}));
  EXPECT_EQ(keys(doc["rhythm_analysis"]["music"]["alignment"]),
            (std::set<std::string>{"mean_offset_ms", "mean_abs_offset_ms", "on_beat_share",
                                   "beat_align_score", "accent_count"}));
  EXPECT_EQ(keys(doc["timeline"]), (std::set<std::string>{"t", "intensity", "velocity", "movement_type"}));
  EXPECT_EQ(keys(doc["summary"]),
            (std::set<std::string>{"total_sequences", "average_intensity", "movement_distribution",
                                   "most_active_body_part", "avg_body_part_activity"}));

  EXPECT_EQ(doc["warnings"], json::array());
  EXPECT_EQ(doc["video_info"]["size"], "5.0 MB");
  EXPECT_NEAR(doc["processing"]["detection_rate"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(doc["processing"]["realtime_factor"].get<double>(), 2.0, 1e-9);
  EXPECT_EQ(doc["movement_analysis"]["movement_type"], "Dancing");
  EXPECT_NEAR(doc["rhythm_analysis"]["estimated_bpm"].get<double>(), 120, 2);
  EXPECT_NEAR(doc["rhythm_analysis"]["music"]["bpm"].get<double>(), 120, 1);
  EXPECT_EQ(doc["rhythm_analysis"]["peak_count"].get<size_t>(), doc["rhythm_analysis"]["peak_times"].size());
  const size_t points = doc["timeline"]["t"].size();
  EXPECT_NEAR(static_cast<double>(points), 100, 2);  // ~10 per second
  EXPECT_EQ(doc["timeline"]["intensity"].size(), points);
  EXPECT_EQ(doc["timeline"]["movement_type"].size(), points);
  EXPECT_TRUE(doc["smoothness_score"].is_number());
  EXPECT_NEAR(doc["pose_analysis"]["average_confidence"].get<double>(), 0.95, 1e-3);
  EXPECT_EQ(doc["summary"]["total_sequences"].get<size_t>(), doc["movement_analysis"]["segments"].size());
  expect_all_finite(doc, "$");
  EXPECT_EQ(doc.dump().find("NaN"), std::string::npos);
}

TEST(ResultsJsonTest, AnalysisBlocksAreEmpty_WhenNoPoseAnywhere) {
  const auto sequence = testing::render(testing::arm_swing(2), 2, 30, {}, [](double) { return false; });
  const json doc = analysed_document(sequence, nullptr);
  EXPECT_EQ(doc["processing"]["detection_rate"].get<double>(), 0.0);
  EXPECT_EQ(doc["processing"]["frames_with_pose"].get<int64_t>(), 0);
  for (const char* block : {"pose_analysis", "movement_analysis", "rhythm_analysis", "timeline", "summary"}) {
    EXPECT_TRUE(doc[block].is_object()) << block;
    EXPECT_TRUE(doc[block].empty()) << block;
  }
  EXPECT_TRUE(doc["smoothness_score"].is_null());
  EXPECT_EQ(doc["video_info"]["filename"], "dance.mp4");
}

TEST(ResultsJsonTest, Warnings_AreListedInOrder_EvenWithoutPose) {
  const std::vector<std::string> warnings = {"only 40 of 178 frames could be decoded", "no person was found"};
  const auto still = testing::render(testing::arm_swing(2), 2, 30, {}, [](double) { return false; });
  EXPECT_EQ(analysed_document(still, nullptr, warnings)["warnings"], json(warnings));
  const auto moving = testing::render(testing::arm_swing(2), 2, 30);
  EXPECT_EQ(analysed_document(moving, nullptr, warnings)["warnings"], json(warnings));
}

TEST(ResultsJsonTest, UnknownsAreNull_WhenStillAndSilent) {
  const auto sequence = testing::render([](double) { return testing::standing_with_arms(); }, 5, 30);
  std::vector<float> silence(5 * 22050, 0.0f);
  const analysis::AudioView audio{silence, 22050};
  const json doc = analysed_document(sequence, &audio);
  EXPECT_TRUE(doc["smoothness_score"].is_null());
  EXPECT_TRUE(doc["rhythm_analysis"]["estimated_bpm"].is_null());
  EXPECT_FALSE(doc["rhythm_analysis"]["has_rhythm"].get<bool>());
  EXPECT_TRUE(doc["rhythm_analysis"]["music"]["has_audio"].get<bool>());
  EXPECT_TRUE(doc["rhythm_analysis"]["music"]["bpm"].is_null());
  EXPECT_EQ(doc["rhythm_analysis"]["music"]["status"], "silent");
  EXPECT_EQ(doc["rhythm_analysis"]["music"]["status_message"], "The audio is silent");
  EXPECT_TRUE(doc["rhythm_analysis"]["music"]["alignment"].is_null());
  EXPECT_EQ(doc["movement_analysis"]["movement_type"], "Standing");
  expect_all_finite(doc, "$");
}

TEST(ResultsJsonTest, NoAudio_HasTheFlagAndSaysSo) {
  const json doc = analysed_document(testing::render(testing::arm_swing(2), 4, 30), nullptr);
  EXPECT_EQ(doc["rhythm_analysis"]["music"], (json{{"has_audio", false},
                                                   {"status", "no_audio"},
                                                   {"status_message", "The video has no audio track"}}));
}

TEST(ResultsJsonTest, HumanSize_UsesBinaryUnits) {
  EXPECT_EQ(human_size(0), "0 B");
  EXPECT_EQ(human_size(1023), "1023 B");
  EXPECT_EQ(human_size(1536), "1.5 KB");
  EXPECT_EQ(human_size(int64_t{3} << 30), "3.0 GB");
  EXPECT_EQ(human_size(-5), "0 B");
}

TEST(ResultsJsonTest, WriteJsonFile_RoundTrips_AndFailsOnBadPath) {
  const std::filesystem::path path = std::filesystem::path(DD_TEST_BINARY_DIR) / "results_roundtrip.json";
  const json doc = {{"a", 1}, {"b", {1.5, nullptr}}};
  ASSERT_TRUE(write_json_file(doc, path).has_value());
  std::ifstream in(path);
  EXPECT_EQ(json::parse(in), doc);
  std::filesystem::remove(path);
  const auto failed = write_json_file(doc, "/nonexistent-dir/results.json");
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace dd::report
