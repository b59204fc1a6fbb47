// Runs the real dancedynamics binary and checks its output and exit codes.
#include <gtest/gtest.h>

#include <string>

#include "app/exit_code.h"
#include "command_runner.h"
#include "core/version.h"

namespace {

using dd::app::testing::RunResult;

RunResult run_cli(const std::string& args, const std::string& env = "") {
  return dd::app::testing::run_command(env + " " + DD_CLI_PATH + " " + args);
}

TEST(CliTest, VersionPrintsProjectVersion) {
  auto run = run_cli("--version");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.output.find(std::string("dancedynamics ") + dd::kVersion), std::string::npos) << run.output;
}

TEST(CliTest, HelpListsSubcommandsAndOptions) {
  auto run = run_cli("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.output.find("models"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("--model-dir"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("DD_MODEL_DIR"), std::string::npos) << run.output;
}

TEST(CliTest, UnknownOptionIsAUsageError) {
  auto run = run_cli("models --no-such-flag");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("no-such-flag"), std::string::npos) << run.output;
}

TEST(CliTest, ModelsCommandVerifiesInstalledModels) {
  auto run = run_cli(std::string("--model-dir ") + DD_TEST_MODEL_DIR + " models");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("pose_landmark_heavy.tflite"), std::string::npos) << run.output;
}

TEST(CliTest, ModelDirFromEnvironmentAndFlagOverridesIt) {
  auto from_env = run_cli("models", "DD_MODEL_DIR=/nonexistent-dir");
  EXPECT_EQ(from_env.exit_code, dd::app::exit_code_for(dd::ErrorCode::kNotFound)) << from_env.output;
  EXPECT_NE(from_env.output.find("/nonexistent-dir/pose_detection.tflite"), std::string::npos);
  auto flag_wins =
      run_cli(std::string("--model-dir ") + DD_TEST_MODEL_DIR + " models", "DD_MODEL_DIR=/nonexistent-dir");
  EXPECT_EQ(flag_wins.exit_code, 0) << flag_wins.output;
}

TEST(CliTest, BadLogLevelIsRejected) {
  auto run = run_cli("--log-level loud models");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("loud"), std::string::npos) << run.output;
}

}  // namespace
