#include "compare/compare_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "compare/synthetic_dance.h"
#include "pose/landmarks_json.h"
#include "video/probe.h"

namespace dd::compare {
namespace {

namespace fs = std::filesystem;

constexpr double kFps = 15;
constexpr double kDuration_s = 3;

// A generated clip (160x120 test pattern, optionally with a tone) and a synthetic landmarks.json for it.
CompareInput make_input(const fs::path& dir, const std::string& name, bool audio, double lag_s) {
  const fs::path video = dir / (name + ".mp4");
  std::string command =
      "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=160x120:rate=15:duration=3 ";
  if (audio) command += "-f lavfi -i sine=frequency=440:duration=3 -c:a aac -shortest ";
  command += "-c:v libx264 -pix_fmt yuv420p '" + video.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0);
  auto sequence =
      testing::make_sequence(kDuration_s, kFps, [lag_s](double t) { return testing::dance_pose(t - lag_s); });
  sequence.width = 160;
  sequence.height = 120;
  const fs::path landmarks = dir / (name + ".landmarks.json");
  EXPECT_TRUE(pose::write_landmarks_json(landmarks,
                                         pose::LandmarksDocument{video.filename().string(), "full", sequence})
                  .has_value());
  return CompareInput{video, landmarks};
}

class CompareJobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() / ("dd_compare_job_" + std::to_string(getpid())));
    fs::create_directories(*root_);
    reference_ = new CompareInput(make_input(*root_, "reference", true, 0));
    student_ = new CompareInput(make_input(*root_, "student", false, 0.2));
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*root_, ec);
    delete reference_;
    delete student_;
    delete root_;
  }
  fs::path output_dir(const std::string& name) const { return *root_ / name; }

  static fs::path* root_;
  static CompareInput* reference_;
  static CompareInput* student_;
};
fs::path* CompareJobTest::root_ = nullptr;
CompareInput* CompareJobTest::reference_ = nullptr;
CompareInput* CompareJobTest::student_ = nullptr;

size_t entries(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}

TEST_F(CompareJobTest, RunComparison_WritesJsonAndSideBySideVideoWithSound) {
  std::vector<std::string> stages;
  const auto out = output_dir("full");
  auto result = run_comparison(
      *reference_, *student_, out, CompareOptions{}, true,
      [&](const pipeline::Progress& p) {
        if (stages.empty() || stages.back() != p.stage) stages.push_back(p.stage);
      },
      std::stop_token{});
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->comparison_json, out / "comparison.json");
  EXPECT_EQ(result->comparison_mp4, out / "comparison.mp4");
  EXPECT_EQ(entries(out), 2u);  // no staging leftovers
  ASSERT_GE(stages.size(), 2u);
  EXPECT_EQ(stages.front(), "compare");
  EXPECT_NE(std::find(stages.begin(), stages.end(), "encode"), stages.end());

  std::ifstream in(result->comparison_json);
  const auto json = nlohmann::json::parse(in);
  for (const char* key :
       {"similarity", "offset_s", "tempo_ratio", "mirror", "body_parts", "timeline", "worst_moments"})
    EXPECT_TRUE(json.contains(key)) << key;
  EXPECT_NEAR(json["offset_s"].get<double>(), 0.2, 1.0 / kFps + 1e-6);

  auto info = video::probe_video(result->comparison_mp4);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->height, 120);
  EXPECT_EQ(info->width, 320);
  EXPECT_TRUE(info->has_audio);
  EXPECT_NEAR(info->duration_s, kDuration_s, 0.3);
}

TEST_F(CompareJobTest, NoVideo_WritesOnlyJson) {
  const auto out = output_dir("json_only");
  CompareInput reference{"", reference_->landmarks_json};
  auto result =
      run_comparison(reference, *student_, out, CompareOptions{}, false, nullptr, std::stop_token{});
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_TRUE(fs::exists(result->comparison_json));
  EXPECT_TRUE(result->comparison_mp4.empty());
  EXPECT_EQ(entries(out), 1u);
}

TEST_F(CompareJobTest, CancelledDuringEncode_LeavesNothing) {
  const auto out = output_dir("cancelled");
  std::stop_source stop;
  auto result = run_comparison(
      *reference_, *student_, out, CompareOptions{}, true,
      [&](const pipeline::Progress& p) {
        if (p.stage == "encode") stop.request_stop();
      },
      stop.get_token());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(entries(out), 0u);
}

TEST_F(CompareJobTest, MissingLandmarks_NotFoundAndNothingWritten) {
  const auto out = output_dir("missing");
  CompareInput student{student_->video, *root_ / "nope.json"};
  auto result = run_comparison(*reference_, student, out, CompareOptions{}, true, nullptr, std::stop_token{});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(entries(out), 0u);
}

TEST_F(CompareJobTest, MissingVideo_NotFound) {
  const auto out = output_dir("missing_video");
  CompareInput student{*root_ / "nope.mp4", student_->landmarks_json};
  auto result = run_comparison(*reference_, student, out, CompareOptions{}, true, nullptr, std::stop_token{});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace dd::compare
