#include "video/probe.h"

#include "test_media.h"

#include <gtest/gtest.h>

namespace dd::video {
namespace {

using testing::media;

TEST(ProbeTest, ReportsFacts_H264AacMp4) {
  const auto info = probe_video(media("h264_aac.mp4"));
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->width, 320);
  EXPECT_EQ(info->height, 240);
  EXPECT_EQ(info->rotation_deg, 0);
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_NE(info->container.find("mp4"), std::string::npos);
  EXPECT_NEAR(info->fps, 30.0, 0.01);
  EXPECT_NEAR(info->duration_s, 2.0, 0.05);
  EXPECT_EQ(info->frame_count, 60);
  EXPECT_FALSE(info->frame_count_estimated);
  EXPECT_TRUE(info->has_audio);
  EXPECT_EQ(info->audio_codec, "aac");
  EXPECT_EQ(info->audio_sample_rate, 44100);
  EXPECT_EQ(info->audio_channels, 1);
  EXPECT_EQ(info->size_bytes, static_cast<int64_t>(std::filesystem::file_size(media("h264_aac.mp4"))));
}

TEST(ProbeTest, EstimatesFrameCount_MatroskaWithoutCount) {
  const auto info = probe_video(media("vp9_opus.mkv"));
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->video_codec, "vp9");
  EXPECT_TRUE(info->frame_count_estimated);
  EXPECT_NEAR(static_cast<double>(info->frame_count), 60.0, 1.0);
  EXPECT_EQ(info->audio_codec, "opus");
  EXPECT_EQ(info->audio_sample_rate, 48000);
}

TEST(ProbeTest, ReportsCodec_AviMjpegAndMpeg4) {
  const auto mjpeg = probe_video(media("mjpeg.avi"));
  ASSERT_TRUE(mjpeg.has_value()) << mjpeg.error().message;
  EXPECT_EQ(mjpeg->video_codec, "mjpeg");
  EXPECT_EQ(mjpeg->frame_count, 60);
  EXPECT_EQ(mjpeg->audio_codec, "pcm_s16le");
  const auto mpeg4 = probe_video(media("mpeg4.avi"));
  ASSERT_TRUE(mpeg4.has_value()) << mpeg4.error().message;
  EXPECT_EQ(mpeg4->video_codec, "mpeg4");
  EXPECT_FALSE(mpeg4->has_audio);
  EXPECT_TRUE(mpeg4->audio_codec.empty());
}

TEST(ProbeTest, SwapsDimensions_Rotated90) {
  const auto info = probe_video(media("rot90.mov"));
  ASSERT_TRUE(info.has_value()) << info.error().message;
  // "rotate=90" is stored as a 90 degree counter-clockwise display matrix (as ffprobe shows).
  EXPECT_EQ(info->rotation_deg, 270);
  EXPECT_EQ(info->width, 240);
  EXPECT_EQ(info->height, 320);
}

TEST(ProbeTest, NotFound_MissingFile) {
  const auto info = probe_video(std::filesystem::path(DD_TEST_BINARY_DIR) / "no_such_video.mp4");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code, ErrorCode::kNotFound);
  EXPECT_NE(info.error().message.find("no_such_video.mp4"), std::string::npos);
}

TEST(ProbeTest, InvalidArgument_NotAVideo) {
  for (const char* name : {"empty.mp4", "text.mp4", "audio_only.m4a", "tiny.avi", "huge.avi"}) {
    const auto info = probe_video(media(name));
    ASSERT_FALSE(info.has_value()) << name;
    EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument) << name << ": " << info.error().message;
    EXPECT_FALSE(info.error().message.empty());
  }
}

TEST(ProbeTest, InvalidArgument_Directory) {
  const auto info = probe_video(DD_TEST_BINARY_DIR);
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument);
}

TEST(ProbeTest, DataLoss_TruncatedBeforeIndex) {
  const auto info = probe_video(media("truncated.mp4"));
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code, ErrorCode::kDataLoss) << info.error().message;
}

}  // namespace
}  // namespace dd::video
