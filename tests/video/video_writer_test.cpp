#include "video/video_writer.h"

#include "test_media.h"
#include "video/audio_decoder.h"
#include "video/probe.h"
#include "video/video_reader.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace dd::video {
namespace {

namespace fs = std::filesystem;
using testing::media;

fs::path output_path(const std::string& name) {
  const fs::path dir = fs::path(DD_TEST_BINARY_DIR) / "video_out";
  fs::create_directories(dir);
  fs::remove(dir / name);
  return dir / name;
}

std::vector<VideoFrame> read_all(const fs::path& path) {
  std::vector<VideoFrame> frames;
  auto reader = VideoReader::open(path);
  EXPECT_TRUE(reader.has_value()) << (reader.has_value() ? "" : reader.error().message);
  if (!reader.has_value()) return frames;
  VideoFrame frame;
  while (true) {
    auto more = (*reader)->read(frame);
    if (!more.has_value() || !*more) break;
    frames.push_back(frame);
    frame.rgb = cv::Mat();
    frame.i420 = cv::Mat();
  }
  return frames;
}

// Re-encodes every frame of input (with its timestamps) and the input's audio into output.
void transcode(const fs::path& input, const fs::path& output, bool keep_audio) {
  const auto frames = read_all(input);
  ASSERT_FALSE(frames.empty());
  const auto info = probe_video(input);
  ASSERT_TRUE(info.has_value());
  WriterOptions options;
  options.preset = "ultrafast";
  if (keep_audio) options.audio_source = input;
  auto writer = VideoWriter::create(output, frames[0].rgb.cols, frames[0].rgb.rows, info->fps, options);
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  for (const auto& frame : frames) {
    const Status status = (*writer)->write(frame.rgb, frame.timestamp_s);
    ASSERT_TRUE(status.has_value()) << status.error().message;
  }
  const Status finished = (*writer)->finish();
  ASSERT_TRUE(finished.has_value()) << finished.error().message;
}

// ffprobe's view of the first video stream's colour description: "key=value" lines.
std::string colour_description(const fs::path& path, const std::string& keys) {
  return testing::command_output("ffprobe -v error -select_streams v:0 -show_entries stream=" + keys +
                                 " -of default=noprint_wrappers=1 '" + path.string() + "'");
}

double zero_crossing_hz(const AudioTrack& track) {
  int crossings = 0;
  for (size_t i = 1; i < track.samples.size(); ++i) {
    if (track.samples[i - 1] < 0 && track.samples[i] >= 0) ++crossings;
  }
  return crossings * static_cast<double>(track.sample_rate) / static_cast<double>(track.samples.size());
}

TEST(VideoWriterTest, RoundTrip_H264AacMp4) {
  const fs::path out = output_path("round_trip.mp4");
  transcode(media("h264_aac.mp4"), out, /*keep_audio=*/true);
  const auto info = probe_video(out);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_EQ(info->width, 320);
  EXPECT_EQ(info->height, 240);
  EXPECT_EQ(info->frame_count, 60);
  EXPECT_NEAR(info->duration_s, 2.0, 1.0 / 30.0);
  EXPECT_NEAR(info->fps, 30.0, 0.1);
  EXPECT_TRUE(info->has_audio);
  EXPECT_EQ(info->audio_codec, "aac");
  EXPECT_EQ(info->audio_sample_rate, 44100);
  EXPECT_FALSE(fs::exists(fs::path(out) += ".part"));

  const std::string pix_fmt = testing::command_output(
      "ffprobe -v error -select_streams v:0 -show_entries stream=pix_fmt -of csv=p=0 '" + out.string() + "'");
  EXPECT_EQ(pix_fmt.substr(0, 7), "yuv420p");

  // +faststart: the index (moov) precedes the media data (mdat).
  std::ifstream in(out, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const size_t moov = bytes.find("moov");
  const size_t mdat = bytes.find("mdat");
  ASSERT_NE(moov, std::string::npos);
  ASSERT_NE(mdat, std::string::npos);
  EXPECT_LT(moov, mdat);

  const auto source = read_all(media("h264_aac.mp4"));
  const auto frames = read_all(out);
  ASSERT_EQ(frames.size(), source.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_NEAR(frames[i].timestamp_s, source[i].timestamp_s, 1e-3) << "frame " << i;
  }
  cv::Mat diff;
  cv::absdiff(frames[30].rgb, source[30].rgb, diff);
  const cv::Scalar mean = cv::mean(diff);
  EXPECT_LT((mean[0] + mean[1] + mean[2]) / 3.0, 6.0);

  const auto audio = decode_audio(out, 16000);
  ASSERT_TRUE(audio.has_value()) << audio.error().message;
  EXPECT_NEAR(static_cast<double>(audio->samples.size()) / 16000.0, 2.0, 0.1);
  EXPECT_NEAR(zero_crossing_hz(*audio), 440.0, 10.0);
}

TEST(VideoWriterTest, KeepsTimestamps_VfrInput) {
  const fs::path out = output_path("vfr.mp4");
  transcode(media("vfr.mkv"), out, /*keep_audio=*/false);
  const auto source = read_all(media("vfr.mkv"));
  const auto frames = read_all(out);
  ASSERT_EQ(frames.size(), source.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_NEAR(frames[i].timestamp_s, source[i].timestamp_s, 1e-3) << "frame " << i;
  }
  const auto info = probe_video(out);
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->has_audio);
}

TEST(VideoWriterTest, ReencodesAudioToAac_PcmAndOpus) {
  for (const char* name : {"mjpeg.avi", "vp9_opus.mkv"}) {
    const fs::path out = output_path(std::string("reencoded_") + name + ".mp4");
    transcode(media(name), out, /*keep_audio=*/true);
    const auto info = probe_video(out);
    ASSERT_TRUE(info.has_value()) << name;
    EXPECT_EQ(info->audio_codec, "aac") << name;
    const auto audio = decode_audio(out, 16000);
    ASSERT_TRUE(audio.has_value()) << name << ": " << audio.error().message;
    EXPECT_NEAR(static_cast<double>(audio->samples.size()) / 16000.0, 2.0, 0.1) << name;
    EXPECT_NEAR(zero_crossing_hz(*audio), 440.0, 10.0) << name;
  }
}

TEST(VideoWriterTest, KeepsAudioInSync_VideoStartingLate) {
  for (const char* name : {"sync_aac.mkv", "sync_pcm.mkv"}) {
    const fs::path out = output_path(std::string("sync_") + name + ".mp4");
    transcode(media(name), out, /*keep_audio=*/true);
    const auto frames = read_all(out);
    ASSERT_FALSE(frames.empty()) << name;
    double flash_s = -1;
    for (const auto& frame : frames) {
      if (cv::mean(frame.rgb)[0] > 128) {
        flash_s = frame.timestamp_s;
        break;
      }
    }
    const auto audio = decode_audio(out, 16000);
    ASSERT_TRUE(audio.has_value()) << name << ": " << audio.error().message;
    double tone_s = -1;
    for (size_t i = 0; i < audio->samples.size(); ++i) {
      if (std::abs(audio->samples[i]) > 0.05f) {
        tone_s = static_cast<double>(i) / audio->sample_rate;
        break;
      }
    }
    EXPECT_NEAR(flash_s, 1.0, 1.0 / 30.0) << name;
    EXPECT_NEAR(tone_s, 1.0, 0.03) << name;
  }
}

TEST(VideoWriterTest, CropsToEvenSize_OddFrames) {
  const fs::path out = output_path("odd.mp4");
  auto writer = VideoWriter::create(out, 101, 77, 25.0);
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  const cv::Mat frame(77, 101, CV_8UC3, cv::Scalar(200, 40, 40));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*writer)->write(frame, i / 25.0).has_value());
  ASSERT_TRUE((*writer)->finish().has_value());
  const auto frames = read_all(out);
  ASSERT_EQ(frames.size(), 10u);
  EXPECT_EQ(frames[0].rgb.cols, 100);
  EXPECT_EQ(frames[0].rgb.rows, 76);
  const cv::Vec3b px = frames[5].rgb.at<cv::Vec3b>(38, 50);
  EXPECT_NEAR(px[0], 200, 8);
  EXPECT_NEAR(px[1], 40, 8);
  EXPECT_NEAR(px[2], 40, 8);
}

TEST(VideoWriterTest, LeavesNoFile_WithoutFinish) {
  const fs::path out = output_path("abandoned.mp4");
  {
    auto writer = VideoWriter::create(out, 64, 48, 30.0);
    ASSERT_TRUE(writer.has_value()) << writer.error().message;
    const cv::Mat frame(48, 64, CV_8UC3, cv::Scalar(0, 128, 255));
    ASSERT_TRUE((*writer)->write(frame, 0.0).has_value());
    EXPECT_TRUE(fs::exists(fs::path(out) += ".part"));
  }
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(fs::path(out) += ".part"));
}

TEST(VideoWriterTest, WritesI420_ValuesAndMatrixKept) {
  ReaderOptions i420;
  i420.pixels = FramePixels::kI420;
  auto reader = VideoReader::open(media("bt709.mp4"), i420);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  ASSERT_EQ((*reader)->yuv_matrix(), YuvMatrix::kBt709);
  std::vector<VideoFrame> frames;
  VideoFrame frame;
  while (*(*reader)->read(frame)) {
    frames.push_back(frame);
    frame.i420 = cv::Mat();
  }
  ASSERT_EQ(frames.size(), 60u);

  const fs::path out = output_path("i420_bt709.mp4");
  WriterOptions options;
  options.matrix = YuvMatrix::kBt709;
  auto writer = VideoWriter::create(out, 320, 240, 30.0, options);
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  const Status rgb_refused = (*writer)->write(cv::Mat(240, 320, CV_8UC3, cv::Scalar::all(0)), 0.0);
  ASSERT_FALSE(rgb_refused.has_value());
  EXPECT_EQ(rgb_refused.error().code, ErrorCode::kInvalidArgument);
  const Status wrong_size = (*writer)->write_i420(cv::Mat(240, 320, CV_8UC1, cv::Scalar::all(0)), 0.0);
  ASSERT_FALSE(wrong_size.has_value());
  EXPECT_EQ(wrong_size.error().code, ErrorCode::kInvalidArgument);
  for (const auto& f : frames) ASSERT_TRUE((*writer)->write_i420(f.i420, f.timestamp_s).has_value());
  ASSERT_TRUE((*writer)->finish().has_value());

  EXPECT_EQ(colour_description(out, "color_space,color_primaries,color_transfer,color_range"),
            "color_range=tv\ncolor_space=bt709\ncolor_transfer=bt709\ncolor_primaries=bt709\n");
  auto written = VideoReader::open(out, i420);
  ASSERT_TRUE(written.has_value());
  VideoFrame back;
  ASSERT_TRUE(*(*written)->read(back));
  cv::Mat diff;
  cv::absdiff(back.i420, frames[0].i420, diff);
  EXPECT_LT(cv::mean(diff)[0], 2.0);  // x264's loss only: no colour conversion in between
}

// An HDR source's transfer and primaries are kept, so players tone-map the overlay like the
// source instead of showing HLG values as SDR.
TEST(VideoWriterTest, WritesI420_SourceTransferAndPrimariesKept) {
  ReaderOptions i420;
  i420.pixels = FramePixels::kI420;
  auto reader = VideoReader::open(media("hlg.mp4"), i420);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  VideoFrame frame;
  ASSERT_TRUE(*(*reader)->read(frame));
  const fs::path out = output_path("i420_hlg.mp4");
  WriterOptions options;
  options.matrix = (*reader)->yuv_matrix();
  options.tags = (*reader)->colour_tags();
  auto writer = VideoWriter::create(out, 320, 240, 30.0, options);
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  const Status rgb_refused = (*writer)->write(cv::Mat(240, 320, CV_8UC3, cv::Scalar::all(0)), 0.0);
  ASSERT_FALSE(rgb_refused.has_value());
  EXPECT_EQ(rgb_refused.error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE((*writer)->write_i420(frame.i420, 0.0).has_value());
  ASSERT_TRUE((*writer)->finish().has_value());
  EXPECT_EQ(colour_description(out, "color_space,color_primaries,color_transfer"),
            "color_space=bt2020nc\ncolor_transfer=arib-std-b67\ncolor_primaries=bt2020\n");

  WriterOptions bad;
  bad.tags.transfer = 1000;
  EXPECT_EQ(VideoWriter::create(output_path("bad_tags.mp4"), 64, 48, 30.0, bad).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(VideoWriterTest, RejectsBadInput_SizeTypeAndOptions) {
  const fs::path out = output_path("bad.mp4");
  auto writer = VideoWriter::create(out, 64, 48, 30.0);
  ASSERT_TRUE(writer.has_value());
  const Status wrong_size = (*writer)->write(cv::Mat(40, 64, CV_8UC3, cv::Scalar(0)), 0.0);
  ASSERT_FALSE(wrong_size.has_value());
  EXPECT_EQ(wrong_size.error().code, ErrorCode::kInvalidArgument);
  const Status wrong_type = (*writer)->write(cv::Mat(48, 64, CV_8UC1, cv::Scalar(0)), 0.0);
  ASSERT_FALSE(wrong_type.has_value());
  EXPECT_EQ(wrong_type.error().code, ErrorCode::kInvalidArgument);
  const Status empty = (*writer)->finish();
  ASSERT_FALSE(empty.has_value());
  EXPECT_FALSE(fs::exists(out));

  EXPECT_EQ(VideoWriter::create(out, 8, 8, 30.0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(VideoWriter::create(out, 64, 48, 0.0).error().code, ErrorCode::kInvalidArgument);
  WriterOptions bad_preset;
  bad_preset.preset = "warp-speed";
  EXPECT_EQ(VideoWriter::create(out, 64, 48, 30.0, bad_preset).error().code, ErrorCode::kInvalidArgument);
  WriterOptions no_audio;
  no_audio.audio_source = media("video_only.mp4");
  EXPECT_EQ(VideoWriter::create(out, 64, 48, 30.0, no_audio).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(fs::path(out) += ".part"));
}

}  // namespace
}  // namespace dd::video
