#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "app/command_runner.h"

namespace dd::app {
namespace {

namespace fs = std::filesystem;
using testing::run_command;

class ExportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dd_export_command_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "result");
    fs::copy_file(fs::path(DD_TEST_DATA_DIR) / "aerobics_world_40.json", root_ / "result" / "landmarks.json");
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string cli(const std::string& arguments) const { return std::string(DD_CLI_PATH) + " " + arguments; }

  fs::path root_;
};

TEST_F(ExportCommandTest, WritesTheChosenExportsIntoTheOutputDirectory) {
  const auto run =
      run_command(cli("export " + (root_ / "result").string() +
                      " --formats trc,bvh,angles --filter butterworth:6 -o " + (root_ / "out").string()));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* name : {"landmarks.trc", "skeleton.bvh", "angles.csv"}) {
    EXPECT_TRUE(fs::is_regular_file(root_ / "out" / name)) << name;
    EXPECT_NE(run.output.find(name), std::string::npos) << run.output;
  }
  std::ifstream trc(root_ / "out" / "landmarks.trc");
  std::string first_line;
  std::getline(trc, first_line);
  EXPECT_EQ(first_line, "PathFileType\t4\t(X/Y/Z)\tlandmarks.trc");
}

TEST_F(ExportCommandTest, DefaultsToAllExportsBesideTheLandmarks) {
  const auto run = run_command(cli("export " + (root_ / "result").string() + " --filter none"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* name : {"landmarks.trc", "skeleton.bvh", "angles.csv"})
    EXPECT_TRUE(fs::is_regular_file(root_ / "result" / name)) << name;
}

TEST_F(ExportCommandTest, UnknownExportOrFilterIsExit3AndWritesNothing) {
  const std::string dir = (root_ / "result").string();
  const std::string out = (root_ / "out").string();
  const auto bad_format = run_command(cli("export " + dir + " --formats trc,c3d -o " + out));
  EXPECT_EQ(bad_format.exit_code, 3) << bad_format.output;
  EXPECT_NE(bad_format.output.find("unknown export 'c3d'"), std::string::npos) << bad_format.output;
  const auto bad_filter = run_command(cli("export " + dir + " --filter kalman -o " + out));
  EXPECT_EQ(bad_filter.exit_code, 3) << bad_filter.output;
  EXPECT_NE(bad_filter.output.find("unknown filter 'kalman'"), std::string::npos) << bad_filter.output;
  const auto bad_cutoff = run_command(cli("export " + dir + " --filter butterworth:0 -o " + out));
  EXPECT_EQ(bad_cutoff.exit_code, 3) << bad_cutoff.output;
  EXPECT_FALSE(fs::exists(out));
  const auto analyze = run_command(cli("analyze " + (root_ / "missing.mp4").string() + " --export bvh,fbx"));
  EXPECT_EQ(analyze.exit_code, 3) << analyze.output;
  EXPECT_NE(analyze.output.find("unknown export 'fbx'"), std::string::npos) << analyze.output;
}

TEST_F(ExportCommandTest, DirectoryWithoutLandmarksIsNotFound) {
  const auto run = run_command(cli("export " + (root_ / "nowhere").string()));
  EXPECT_EQ(run.exit_code, 4) << run.output;
}

}  // namespace
}  // namespace dd::app
