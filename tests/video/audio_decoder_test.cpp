#include "video/audio_decoder.h"

#include "test_media.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dd::video {
namespace {

using testing::media;

// Frequency from upward zero crossings over the middle of the signal (edges skip codec
// priming and fade).
double zero_crossing_hz(const AudioTrack& track) {
  const size_t begin = track.samples.size() / 4;
  const size_t end = track.samples.size() * 3 / 4;
  int crossings = 0;
  for (size_t i = begin + 1; i < end; ++i) {
    if (track.samples[i - 1] < 0 && track.samples[i] >= 0) ++crossings;
  }
  return crossings * static_cast<double>(track.sample_rate) / static_cast<double>(end - begin);
}

double rms(const AudioTrack& track) {
  double sum = 0;
  for (float s : track.samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(track.samples.size()));
}

TEST(AudioDecoderTest, DecodesSine_AacResampledTo16k) {
  const auto track = decode_audio(media("h264_aac.mp4"), 16000);
  ASSERT_TRUE(track.has_value()) << track.error().message;
  EXPECT_EQ(track->sample_rate, 16000);
  EXPECT_NEAR(static_cast<double>(track->samples.size()), 32000.0, 1000.0);
  EXPECT_NEAR(zero_crossing_hz(*track), 440.0, 5.0);
  // lavfi sine has amplitude 1/8: RMS 0.125 / sqrt(2).
  EXPECT_NEAR(rms(*track), 0.125 / std::sqrt(2.0), 0.01);
}

TEST(AudioDecoderTest, DecodesSine_OpusAndPcm) {
  for (const char* name : {"vp9_opus.mkv", "mjpeg.avi"}) {
    const auto track = decode_audio(media(name), 22050);
    ASSERT_TRUE(track.has_value()) << name << ": " << track.error().message;
    EXPECT_NEAR(static_cast<double>(track->samples.size()), 44100.0, 1500.0) << name;
    EXPECT_NEAR(zero_crossing_hz(*track), 440.0, 5.0) << name;
  }
}

TEST(AudioDecoderTest, AlignsToFirstVideoFrame_AudioStartingEarly) {
  // The tone starts 1.0 s after the first video frame and 1.5 s after the audio stream start.
  for (const char* name : {"sync_pcm.mkv", "sync_aac.mkv"}) {
    const auto track = decode_audio(media(name), 16000);
    ASSERT_TRUE(track.has_value()) << name << ": " << track.error().message;
    size_t onset = track->samples.size();
    for (size_t i = 0; i < track->samples.size(); ++i) {
      if (std::abs(track->samples[i]) > 0.05f) {
        onset = i;
        break;
      }
    }
    EXPECT_NEAR(static_cast<double>(onset) / 16000.0, 1.0, 0.01) << name;
  }
}

TEST(AudioDecoderTest, NotFound_NoAudioStream) {
  const auto track = decode_audio(media("video_only.mp4"), 16000);
  ASSERT_FALSE(track.has_value());
  EXPECT_EQ(track.error().code, ErrorCode::kNotFound);
  EXPECT_NE(track.error().message.find("no audio"), std::string::npos);
}

TEST(AudioDecoderTest, InvalidArgument_BadSampleRate) {
  const auto track = decode_audio(media("h264_aac.mp4"), 0);
  ASSERT_FALSE(track.has_value());
  EXPECT_EQ(track.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace dd::video
