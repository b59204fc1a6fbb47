#include "server/content_disposition.h"

#include <gtest/gtest.h>

namespace dd::server {
namespace {

TEST(ContentDispositionTest, DownloadFilename_KeepsTheUploadsStem) {
  EXPECT_EQ(download_filename("Salsa night.mov", "overlay.mp4"), "Salsa night_overlay.mp4");
  EXPECT_EQ(download_filename("routine.v2.mp4", "results.json"), "routine.v2_results.json");
  EXPECT_EQ(download_filename("no_extension", "landmarks.csv"), "no_extension_landmarks.csv");
  EXPECT_EQ(download_filename("", "overlay.mp4"), "dancedynamics_overlay.mp4");
  EXPECT_EQ(download_filename(".mp4", "overlay.mp4"), "dancedynamics_overlay.mp4");
  EXPECT_EQ(download_filename("C:\\clips\\a.mp4", "overlay.mp4"), "a_overlay.mp4");
}

TEST(ContentDispositionTest, PlainAsciiNameHasOnlyFilename) {
  EXPECT_EQ(content_disposition("attachment", "dance_results.json"),
            "attachment; filename=\"dance_results.json\"");
}

TEST(ContentDispositionTest, NonAsciiNameGetsFallbackAndFilenameStar) {
  // "Tänze 💃.mp4": ä is 2 UTF-8 bytes, the emoji 4; each becomes one '_' in the fallback.
  EXPECT_EQ(content_disposition("inline", "T\xC3\xA4nze \xF0\x9F\x92\x83.mp4"),
            "inline; filename=\"T_nze _.mp4\"; filename*=UTF-8''T%C3%A4nze%20%F0%9F%92%83.mp4");
}

TEST(ContentDispositionTest, QuotesBackslashesAndControlsNeverReachTheHeader) {
  const std::string header = content_disposition("attachment", "a\"b\\c/d\r\ne;f.csv");
  EXPECT_EQ(header, "attachment; filename=\"a_b_c_de;f.csv\"; filename*=UTF-8''a%22b%5Cc%2Fde%3Bf.csv");
  EXPECT_EQ(header.find('\r'), std::string::npos);
  EXPECT_EQ(content_disposition("inline", "\x01"), "inline; filename=\"download\"");
}

}  // namespace
}  // namespace dd::server
