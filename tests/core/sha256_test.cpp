#include "core/sha256.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace dd {
namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& bytes) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(Sha256Test, MatchesKnownDigests) {
  // FIPS 180-2 test vector "abc" and the empty message.
  auto abc = write_temp("dd_sha256_abc", "abc");
  EXPECT_EQ(sha256_file_hex(abc).value(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto empty = write_temp("dd_sha256_empty", "");
  EXPECT_EQ(sha256_file_hex(empty).value(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::filesystem::remove(abc);
  std::filesystem::remove(empty);
}

TEST(Sha256Test, MissingFileIsNotFound) {
  auto digest = sha256_file_hex("/nonexistent/dd/file");
  ASSERT_FALSE(digest);
  EXPECT_EQ(digest.error().code, ErrorCode::kNotFound);
  EXPECT_NE(digest.error().message.find("/nonexistent/dd/file"), std::string::npos);
}

}  // namespace
}  // namespace dd
