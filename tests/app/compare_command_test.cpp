// Runs `dancedynamics compare` on analysis result directories with synthetic landmarks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/exit_code.h"
#include "command_runner.h"
#include "compare/synthetic_dance.h"
#include "pose/landmarks_json.h"

namespace {

namespace fs = std::filesystem;
using dd::app::testing::RunResult;

RunResult run_cli(const std::string& args) {
  return dd::app::testing::run_command(std::string(DD_CLI_PATH) + " " + args);
}

class CompareCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dd_compare_cli_" + std::to_string(getpid()));
    // Result directories as `analyze -o` leaves them (only landmarks.json matters here).
    write_result(root_ / "reference", 0.0);
    write_result(root_ / "student", 0.5);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  static void write_result(const fs::path& dir, double lag_s) {
    fs::create_directories(dir);
    auto sequence = dd::compare::testing::make_sequence(
        10, 30, [lag_s](double t) { return dd::compare::testing::dance_pose(t - lag_s); });
    ASSERT_TRUE(dd::pose::write_landmarks_json(dir / "landmarks.json",
                                               dd::pose::LandmarksDocument{"missing.mp4", "full", sequence})
                    .has_value());
  }
  fs::path root_;
};

TEST_F(CompareCommandTest, ResultDirectoriesWithoutVideo_WritesJsonAndSummary) {
  const fs::path out = root_ / "out";
  auto run =
      run_cli((root_ / "reference").string() + " " + (root_ / "student").string());  // no subcommand name
  EXPECT_NE(run.exit_code, 0);
  run = run_cli("compare " + (root_ / "reference").string() + " " + (root_ / "student").string() + " -o " +
                out.string() + " --no-video --mirror off");
  ASSERT_EQ(run.exit_code, dd::app::kExitOk) << run.output;
  EXPECT_NE(run.output.find("similarity:"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("behind"), std::string::npos) << run.output;
  std::ifstream in(out / "comparison.json");
  const auto json = nlohmann::json::parse(in);
  EXPECT_NEAR(json["offset_s"].get<double>(), 0.5, 1.0 / 30 + 1e-6);
  EXPECT_FALSE(json["mirror"].get<bool>());
  EXPECT_FALSE(fs::exists(out / "comparison.mp4"));
}

TEST_F(CompareCommandTest, VideoOfResultDirectoryMissing_NotFoundSuggestsNoVideo) {
  auto run = run_cli("compare " + (root_ / "reference").string() + " " + (root_ / "student").string() +
                     " -o " + (root_ / "out").string());
  EXPECT_EQ(run.exit_code, dd::app::exit_code_for(dd::ErrorCode::kNotFound)) << run.output;
  EXPECT_NE(run.output.find("--no-video"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(root_ / "out" / "comparison.json"));
}

TEST_F(CompareCommandTest, MissingInputAndBadMirror_Rejected) {
  auto missing =
      run_cli("compare " + (root_ / "nope").string() + " " + (root_ / "student").string() + " --no-video");
  EXPECT_EQ(missing.exit_code, dd::app::exit_code_for(dd::ErrorCode::kNotFound)) << missing.output;
  auto bad = run_cli("compare " + (root_ / "reference").string() + " " + (root_ / "student").string() +
                     " --mirror sideways --no-video");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("sideways"), std::string::npos) << bad.output;
}

}  // namespace
