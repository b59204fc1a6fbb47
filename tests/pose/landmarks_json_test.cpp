#include "pose/landmarks_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace dd::pose {
namespace {

LandmarksDocument sample_document() {
  LandmarksDocument doc;
  doc.video = "clip.mp4";
  doc.model = "full";
  doc.sequence.width = 640;
  doc.sequence.height = 480;
  doc.sequence.fps = 29.97;
  PoseFrame lost;
  lost.index = 0;
  lost.timestamp_s = 0.0;
  PoseFrame found;
  found.index = 1;
  found.timestamp_s = 1.0 / 29.97;
  found.detected = true;
  for (int i = 0; i < kLandmarkCount; ++i) {
    found.landmarks[i] = Landmark{0.01f * i, 0.5f, -0.1f, 0.9f, 0.8f};
    found.world[i] = Landmark{-0.2f, 0.003f * i, 0.1f, 0.7f, 0.8f};
  }
  doc.sequence.frames = {lost, found};
  return doc;
}

TEST(LandmarksJsonTest, RoundTrip_KeepsValuesAndNullFrames) {
  const auto parsed = parse_landmarks_json(landmarks_to_json(sample_document()));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->video, "clip.mp4");
  EXPECT_EQ(parsed->model, "full");
  EXPECT_EQ(parsed->sequence.width, 640);
  EXPECT_EQ(parsed->sequence.height, 480);
  EXPECT_NEAR(parsed->sequence.fps, 29.97, 1e-12);
  ASSERT_EQ(parsed->sequence.frames.size(), 2u);
  EXPECT_FALSE(parsed->sequence.frames[0].detected);
  const PoseFrame& f = parsed->sequence.frames[1];
  EXPECT_TRUE(f.detected);
  EXPECT_EQ(f.index, 1);
  EXPECT_NEAR(f.timestamp_s, 1.0 / 29.97, 1e-12);
  EXPECT_NEAR(f.landmarks[32].x, 0.32f, 1e-7);
  EXPECT_NEAR(f.landmarks[5].visibility, 0.9f, 1e-7);
  EXPECT_NEAR(f.world[10].y, 0.03f, 1e-7);
  EXPECT_NEAR(f.world[10].z, 0.1f, 1e-7);
}

TEST(LandmarksJsonTest, StreamedText_EqualsWholeTreeDump) {
  // The writer streams frame by frame; its bytes must equal nlohmann's dump of the whole tree
  // (sorted keys, same number formatting), which is what earlier versions wrote.
  const std::string text = landmarks_to_json(sample_document());
  EXPECT_EQ(nlohmann::json::parse(text).dump(), text);
  EXPECT_EQ(text.rfind(R"({"fps":29.97,"frames":[{"index":0,"landmarks":null,"t":0.0,"world":null},)", 0),
            0u);
}

TEST(LandmarksJsonTest, ExtraKeys_AreIgnored) {
  const std::string text =
      R"({"video":"a.mp4","width":2,"height":3,"fps":30,"model":"lite","timing":{"x":1},"frames":[{"index":4,"t":0.5,"landmarks":null,"world":null}]})";
  const auto parsed = parse_landmarks_json(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->sequence.frames.at(0).index, 4);
}

TEST(LandmarksJsonTest, Malformed_ReturnsInvalidArgument) {
  const std::string bad[] = {
      "not json",
      "[]",
      R"({"video":"a","width":2,"height":3,"fps":30,"model":"full"})",
      R"({"video":"a","width":-2,"height":3,"fps":30,"model":"full","frames":[]})",
      R"({"video":"a","width":2,"height":3,"fps":"x","model":"full","frames":[]})",
      R"({"video":"a","width":2,"height":3,"fps":30,"model":"full","frames":[{"index":0,"t":0,"landmarks":[[1,2,3,4]]}]})",
      R"({"video":"a","width":2,"height":3,"fps":30,"model":"full","frames":[{"index":0}]})",
      R"({"video":"a","width":2,"height":3,"fps":30,"model":"full","frames":[3]})",
  };
  for (const std::string& text : bad) {
    const auto parsed = parse_landmarks_json(text);
    ASSERT_FALSE(parsed.has_value()) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << text;
  }
}

TEST(LandmarksJsonTest, File_WriteThenRead) {
  const std::filesystem::path path = std::filesystem::path(DD_TEST_BINARY_DIR) / "landmarks_json_test.json";
  ASSERT_TRUE(write_landmarks_json(path, sample_document()).has_value());
  const auto read = read_landmarks_json(path);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->sequence.frames.size(), 2u);
  std::filesystem::remove(path);
  const auto missing = read_landmarks_json(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace dd::pose
