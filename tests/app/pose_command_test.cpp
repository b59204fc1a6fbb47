// Runs `dancedynamics pose` and `dancedynamics compare-landmarks` end to end.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/exit_code.h"
#include "command_runner.h"
#include "pose/landmarks_json.h"

namespace {

using dd::app::testing::RunResult;

RunResult run(const std::string& command) {
  return dd::app::testing::run_command(command);
}

std::string cli() {
  return std::string(DD_CLI_PATH) + " --log-level warn --model-dir " + DD_TEST_MODEL_DIR;
}

const std::filesystem::path kDir = std::filesystem::path(DD_TEST_BINARY_DIR) / "pose_command_test";

TEST(PoseCommandTest, SyntheticVideo_WritesOneEntryPerFrame) {
  std::filesystem::create_directories(kDir);
  const auto video = kDir / "testsrc.mp4";
  const auto out = kDir / "testsrc.json";
  ASSERT_EQ(
      run("ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=160x120:rate=10:duration=1 -pix_fmt yuv420p " +
          video.string())
          .exit_code,
      0);
  const RunResult pose =
      run(cli() + " pose " + video.string() + " --model lite --threads 1 --out " + out.string());
  ASSERT_EQ(pose.exit_code, 0) << pose.output;
  const auto document = dd::pose::read_landmarks_json(out);
  ASSERT_TRUE(document.has_value()) << document.error().message;
  EXPECT_EQ(document->video, "testsrc.mp4");
  EXPECT_EQ(document->model, "lite");
  EXPECT_EQ(document->sequence.width, 160);
  EXPECT_EQ(document->sequence.height, 120);
  ASSERT_EQ(document->sequence.frames.size(), 10u);
  EXPECT_NEAR(document->sequence.frames[9].timestamp_s, 0.9, 1e-6);

  // A file compared with itself agrees perfectly.
  const RunResult compare = run(cli() + " compare-landmarks " + out.string() + " " + out.string());
  ASSERT_EQ(compare.exit_code, 0) << compare.output;
  EXPECT_NE(compare.output.find("detection agreement 100.00%"), std::string::npos) << compare.output;
}

TEST(PoseCommandTest, MissingInputs_AreNotFound) {
  const int not_found = dd::app::exit_code_for(dd::ErrorCode::kNotFound);
  EXPECT_EQ(run(cli() + " pose /nonexistent/video.mp4 --out /tmp/unused.json").exit_code, not_found);
  EXPECT_EQ(run(cli() + " compare-landmarks /nonexistent/a.json /nonexistent/b.json").exit_code, not_found);
}

TEST(PoseCommandTest, BadModelName_IsAUsageError) {
  const RunResult result = run(cli() + " pose video.mp4 --model medium");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("medium"), std::string::npos) << result.output;
}

}  // namespace
