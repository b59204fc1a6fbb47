#include "server/motion_export_handler.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace dd::server {
namespace {

namespace fs = std::filesystem;

class MotionExportHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    session_ = fs::temp_directory_path() / ("dd_motion_export_handler_" + std::to_string(::getpid()));
    fs::remove_all(session_);
    fs::create_directories(session_);
    landmarks_ = session_ / "landmarks.json";
    fs::copy_file(fs::path(DD_TEST_DATA_DIR) / "aerobics_world_40.json", landmarks_);
  }
  void TearDown() override { fs::remove_all(session_); }

  static std::string first_line(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
  }

  fs::path session_;
  fs::path landmarks_;
};

TEST_F(MotionExportHandlerTest, MakesEachExportOnceAndCachesItPerFilter) {
  const auto trc = motion_export_response(session_, landmarks_, "landmarks.trc", "");
  ASSERT_EQ(trc.status, 200) << trc.body;
  EXPECT_EQ(trc.file, session_ / "exports" / "butterworth_6" / "landmarks.trc");
  EXPECT_EQ(first_line(trc.file), "PathFileType\t4\t(X/Y/Z)\tlandmarks.trc");
  const auto bvh = motion_export_response(session_, landmarks_, "skeleton.bvh", "filter=none");
  ASSERT_EQ(bvh.status, 200) << bvh.body;
  EXPECT_EQ(bvh.file, session_ / "exports" / "none" / "skeleton.bvh");
  EXPECT_EQ(first_line(bvh.file), "HIERARCHY");
  const auto angles = motion_export_response(session_, landmarks_, "angles.csv", "filter=butterworth%3A4");
  ASSERT_EQ(angles.status, 200) << angles.body;
  EXPECT_EQ(angles.file, session_ / "exports" / "butterworth_4" / "angles.csv");
  EXPECT_EQ(angles.content_type, "text/csv; charset=utf-8");

  // Served from the cache: the landmarks are no longer needed.
  fs::remove(landmarks_);
  EXPECT_EQ(motion_export_response(session_, landmarks_, "landmarks.trc", "").status, 200);
  EXPECT_EQ(motion_export_response(session_, landmarks_, "landmarks.trc", "filter=one-euro").status, 404);
}

TEST_F(MotionExportHandlerTest, UnknownFilterOrParameterIs400WithoutPaths) {
  for (const char* query : {"filter=kalman", "filter=butterworth:-1", "smooth=1", "filter=%zz"}) {
    const auto response = motion_export_response(session_, landmarks_, "skeleton.bvh", query);
    EXPECT_EQ(response.status, 400) << query;
    EXPECT_EQ(response.body.find(session_.string()), std::string::npos) << response.body;
  }
  EXPECT_FALSE(fs::exists(session_ / "exports"));
}

TEST_F(MotionExportHandlerTest, UnknownNameIs404AndBadLandmarksDoNotLeakPaths) {
  EXPECT_EQ(motion_export_response(session_, landmarks_, "skeleton.fbx", "").status, 404);
  EXPECT_FALSE(is_motion_export_name("results.json"));
  EXPECT_TRUE(is_motion_export_name("angles.csv"));
  std::ofstream(landmarks_, std::ios::trunc) << "{\"frames\": []}";
  const auto response = motion_export_response(session_, landmarks_, "angles.csv", "");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find(session_.string()), std::string::npos) << response.body;
}

}  // namespace
}  // namespace dd::server
