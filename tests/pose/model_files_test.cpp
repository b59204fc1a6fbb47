#include "pose/model_files.h"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>

namespace dd::pose {
namespace {

const std::filesystem::path kModelDir = DD_TEST_MODEL_DIR;

TEST(ModelFilesTest, EveryInstalledModelMatchesItsSha256) {
  for (ModelFile model : kAllModelFiles) {
    auto path = locate_model_file(kModelDir, model, /*verify_checksum=*/true);
    ASSERT_TRUE(path) << path.error().message;
  }
}

TEST(ModelFilesTest, EveryModelIsATfliteFlatbuffer) {
  for (ModelFile model : kAllModelFiles) {
    auto path = locate_model_file(kModelDir, model, /*verify_checksum=*/false);
    ASSERT_TRUE(path) << path.error().message;
    std::ifstream file(*path, std::ios::binary);
    std::array<char, 8> header{};
    file.read(header.data(), header.size());
    ASSERT_TRUE(file) << *path;
    // A FlatBuffer starts with the root table offset, then the 4-byte file identifier.
    EXPECT_EQ(std::string(header.data() + 4, 4), "TFL3") << *path;
    EXPECT_GT(std::filesystem::file_size(*path), 1'000'000u) << *path;
  }
}

TEST(ModelFilesTest, MissingModelIsNotFoundNamingThePath) {
  auto path = locate_model_file("/nonexistent-model-dir", ModelFile::kLandmarkFull, true);
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().code, ErrorCode::kNotFound);
  EXPECT_NE(path.error().message.find("/nonexistent-model-dir/pose_landmark_full.tflite"), std::string::npos);
}

TEST(ModelFilesTest, WrongChecksumIsDataLossNamingTheFile) {
  auto dir = std::filesystem::temp_directory_path() / "dd_model_files_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pose_landmark_lite.tflite", std::ios::binary) << "not the model";
  auto path = locate_model_file(dir, ModelFile::kLandmarkLite, true);
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(path.error().message.find("pose_landmark_lite.tflite"), std::string::npos);
  // Without verification the same file is accepted: the check is what rejects it.
  EXPECT_TRUE(locate_model_file(dir, ModelFile::kLandmarkLite, false));
  std::filesystem::remove_all(dir);
}

TEST(ModelFilesTest, LandmarkModelNamesParse) {
  EXPECT_EQ(landmark_model_from_name("lite").value(), ModelFile::kLandmarkLite);
  EXPECT_EQ(landmark_model_from_name("full").value(), ModelFile::kLandmarkFull);
  EXPECT_EQ(landmark_model_from_name("heavy").value(), ModelFile::kLandmarkHeavy);
  auto bad = landmark_model_from_name("huge");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace dd::pose
