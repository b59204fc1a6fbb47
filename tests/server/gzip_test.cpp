#include "server/gzip.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "server/gunzip.h"
#include "server/http_test_client.h"

namespace dd::server {
namespace {

namespace fs = std::filesystem;

using test::gunzip;

std::string landmark_like_csv(size_t rows) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> coordinate(0, 1);
  std::string csv = "frame,t,landmark,x,y,z,visibility\n";
  for (size_t i = 0; i < rows; ++i) {
    csv += std::to_string(i / 33) + "," + std::to_string(i * 0.001) + "," + std::to_string(i % 33) + "," +
           std::to_string(coordinate(random)) + "," + std::to_string(coordinate(random)) + ",0,0.9\n";
  }
  return csv;
}

TEST(GzipTest, AcceptsGzip_ReadsTheHeaderLikeBrowsersSendIt) {
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.8"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("deflate , gzip ; q=0.5"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
}

TEST(GzipTest, IsCompressible_TextYesMediaNo) {
  EXPECT_TRUE(is_compressible("application/json"));
  EXPECT_TRUE(is_compressible("text/csv; charset=utf-8"));
  EXPECT_TRUE(is_compressible("text/html; charset=utf-8"));
  EXPECT_FALSE(is_compressible("video/mp4"));
  EXPECT_FALSE(is_compressible("image/jpeg"));
  EXPECT_FALSE(is_compressible(""));
}

TEST(GzipTest, Compress_RoundTripsAndShrinksLandmarks) {
  const std::string csv = landmark_like_csv(20000);
  auto compressed = gzip_compress(csv);
  ASSERT_TRUE(compressed) << compressed.error().message;
  EXPECT_EQ(gunzip(*compressed), csv);
  EXPECT_LT(compressed->size(), csv.size() / 2) << "landmark exports are mostly digits";
  auto empty = gzip_compress("");
  ASSERT_TRUE(empty);
  EXPECT_EQ(gunzip(*empty), "");
}

TEST(GzipTest, GzippedCopy_MadeOnceAndRemadeWhenTheFileChanges) {
  const fs::path dir = fs::temp_directory_path() / ("dd_gzip_test_" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  const fs::path file = dir / "landmarks.csv";
  // Larger than one compression chunk, and an exact multiple of it, to cover the last read.
  std::string csv = landmark_like_csv(9000);
  csv.resize(4 * 64 * 1024, '\n');
  std::ofstream(file, std::ios::binary) << csv;

  auto copy = gzipped_copy(file);
  ASSERT_TRUE(copy) << copy.error().message;
  EXPECT_EQ(*copy, dir / "landmarks.csv.gz");
  EXPECT_EQ(gunzip(test::read_file(*copy)), csv);
  const auto made = fs::last_write_time(*copy);
  ASSERT_TRUE(gzipped_copy(file));
  EXPECT_EQ(fs::last_write_time(*copy), made) << "an up-to-date copy is reused";

  std::ofstream(file, std::ios::binary | std::ios::trunc) << "frame,t\n0,0\n";
  fs::last_write_time(file, made + std::chrono::seconds(2));
  ASSERT_TRUE(gzipped_copy(file));
  EXPECT_EQ(gunzip(test::read_file(*copy)), "frame,t\n0,0\n");

  auto missing = gzipped_copy(dir / "missing.csv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 2u) << "no temporary files left";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dd::server
