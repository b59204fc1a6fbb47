#include "video/video_reader.h"

#include "test_media.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

namespace dd::video {
namespace {

using testing::media;

std::vector<VideoFrame> read_all(VideoReader& reader) {
  std::vector<VideoFrame> frames;
  VideoFrame frame;
  while (true) {
    auto more = reader.read(frame);
    EXPECT_TRUE(more.has_value()) << (more.has_value() ? "" : more.error().message);
    if (!more.has_value() || !*more) break;
    frames.push_back(frame);
    frame.rgb = cv::Mat();  // the next read must not overwrite a kept frame
    frame.i420 = cv::Mat();
  }
  return frames;
}

// Mean absolute difference per channel value between our frame and ffmpeg's own decode.
double mean_abs_diff(const cv::Mat& a, const cv::Mat& b) {
  EXPECT_EQ(a.size(), b.size());
  if (a.size() != b.size()) return 255;
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  const cv::Scalar mean = cv::mean(diff);
  return (mean[0] + mean[1] + mean[2]) / 3.0;
}

void expect_matches_ffmpeg(const std::string& name) {
  auto reader = VideoReader::open(media(name));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  VideoFrame frame;
  auto more = (*reader)->read(frame);
  ASSERT_TRUE(more.has_value() && *more) << name;
  const cv::Mat reference = testing::ffmpeg_first_frame(media(name), frame.rgb.cols, frame.rgb.rows);
  ASSERT_FALSE(reference.empty()) << name;
  EXPECT_LT(mean_abs_diff(frame.rgb, reference), 3.0) << name;
}

TEST(VideoReaderTest, ReusesBuffers_OnlyAfterTheConsumerDropsThem) {
  auto reader = VideoReader::open(media("h264_aac.mp4"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  VideoFrame kept;
  ASSERT_TRUE(*(*reader)->read(kept));
  const cv::Mat kept_copy = kept.rgb.clone();
  VideoFrame frame;
  ASSERT_TRUE(*(*reader)->read(frame));
  const uint8_t* dropped_data = frame.rgb.data;
  frame.rgb = cv::Mat();  // dropped: its buffer may come back
  bool reused = false;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(*(*reader)->read(frame));
    EXPECT_NE(frame.rgb.data, kept.rgb.data);
    reused = reused || frame.rgb.data == dropped_data;
  }
  EXPECT_TRUE(reused);
  EXPECT_EQ(cv::norm(kept.rgb, kept_copy, cv::NORM_INF), 0.0);  // a kept frame is never overwritten
}

TEST(VideoReaderTest, DecodesAllFrames_H264Mp4) {
  auto reader = VideoReader::open(media("h264_aac.mp4"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  const auto frames = read_all(**reader);
  ASSERT_EQ(frames.size(), 60u);
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].index, static_cast<int64_t>(i));
    EXPECT_NEAR(frames[i].timestamp_s, static_cast<double>(i) / 30.0, 1e-3);
    EXPECT_EQ(frames[i].rgb.type(), CV_8UC3);
    EXPECT_TRUE(frames[i].rgb.isContinuous());
    EXPECT_EQ(frames[i].rgb.cols, 320);
    EXPECT_EQ(frames[i].rgb.rows, 240);
  }
  EXPECT_EQ((*reader)->corrupt_packet_count(), 0);
}

TEST(VideoReaderTest, KeepsReturningEnd_AfterLastFrame) {
  auto reader = VideoReader::open(media("mpeg4.avi"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ(read_all(**reader).size(), 60u);
  VideoFrame frame;
  auto more = (*reader)->read(frame);
  ASSERT_TRUE(more.has_value());
  EXPECT_FALSE(*more);
}

TEST(VideoReaderTest, ColoursAreRgbOrder_TestPatternBars) {
  auto reader = VideoReader::open(media("h264_aac.mp4"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  VideoFrame frame;
  ASSERT_TRUE(*(*reader)->read(frame));
  // testsrc2 draws vertical bars: red, green, yellow, blue from the left.
  const auto px = [&](int x) { return frame.rgb.at<cv::Vec3b>(200, x); };
  EXPECT_GT(px(20)[0], 180);
  EXPECT_LT(px(20)[1], 70);
  EXPECT_LT(px(20)[2], 70);
  EXPECT_GT(px(75)[1], 180);
  EXPECT_LT(px(75)[0], 70);
  EXPECT_GT(px(130)[0], 180);
  EXPECT_GT(px(130)[1], 180);
  EXPECT_LT(px(130)[2], 70);
  EXPECT_GT(px(185)[2], 180);
  EXPECT_LT(px(185)[0], 70);
}

TEST(VideoReaderTest, MatchesFfmpegDecode_EachContainer) {
  for (const char* name : {"h264_aac.mp4", "vp9_opus.mkv", "mjpeg.avi", "mpeg4.avi", "rot90.mov"}) {
    expect_matches_ffmpeg(name);
  }
}

TEST(VideoReaderTest, DecodesAllFrames_OtherContainers) {
  for (const char* name : {"vp9_opus.mkv", "vp9.webm", "mjpeg.avi", "mpeg4.avi"}) {
    auto reader = VideoReader::open(media(name));
    ASSERT_TRUE(reader.has_value()) << name << ": " << reader.error().message;
    const auto frames = read_all(**reader);
    ASSERT_EQ(frames.size(), 60u) << name;
    EXPECT_NEAR(frames.back().timestamp_s, 59.0 / 30.0, 2e-3) << name;
  }
}

TEST(VideoReaderTest, SurvivesConverterOverrun_1080WideFrames) {
  // Before the spare rows, this aborted with heap corruption in release builds (FFmpeg's
  // assembly is not seen by ASan; valgrind shows the write past the end).
  auto reader = VideoReader::open(media("wide.mp4"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  VideoFrame frame;  // reused on purpose: freeing the previous frame exposed the damage
  int64_t count = 0;
  while (*(*reader)->read(frame)) ++count;
  EXPECT_EQ(count, 15);
  EXPECT_EQ(frame.rgb.cols, 1080);
  EXPECT_TRUE(frame.rgb.isContinuous());
  // Left bar of testsrc2 is red.
  EXPECT_GT(frame.rgb.at<cv::Vec3b>(60, 40)[0], 180);
}

TEST(VideoReaderTest, RotatesFrames_Rotated90) {
  auto reader = VideoReader::open(media("rot90.mov"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  VideoFrame frame;
  ASSERT_TRUE(*(*reader)->read(frame));
  EXPECT_EQ(frame.rgb.cols, 240);
  EXPECT_EQ(frame.rgb.rows, 320);
  EXPECT_EQ((*reader)->output_size(), cv::Size(240, 320));
  // The red bar (left of the upright pattern) ends up at the bottom after the turn.
  const cv::Vec3b bottom = frame.rgb.at<cv::Vec3b>(310, 120);
  EXPECT_GT(bottom[0], 180);
  EXPECT_LT(bottom[1], 70);
}

TEST(VideoReaderTest, KeepsVariableTimestamps_VfrClip) {
  auto reader = VideoReader::open(media("vfr.mkv"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  const auto frames = read_all(**reader);
  ASSERT_EQ(frames.size(), 40u);
  for (size_t i = 0; i < frames.size(); ++i) {
    const double expected_s =
        i < 30 ? static_cast<double>(i) / 30.0 : 1.0 + static_cast<double>(i - 30) / 10.0;
    // Matroska stores milliseconds.
    EXPECT_NEAR(frames[i].timestamp_s, expected_s, 2e-3) << "frame " << i;
  }
}

// The first frame's size with these scaling options.
cv::Size first_frame_size(const char* name, const ReaderOptions& options) {
  auto reader = VideoReader::open(media(name), options);
  EXPECT_TRUE(reader.has_value()) << reader.error().message;
  VideoFrame frame;
  if (!reader || !*(*reader)->read(frame)) return {};
  EXPECT_EQ(frame.rgb.size(), (*reader)->output_size());
  return frame.rgb.size();
}

TEST(VideoReaderTest, ScalesDown_MaxHeightOrShortSide) {
  ReaderOptions by_height;
  by_height.max_height = 120;
  EXPECT_EQ(first_frame_size("h264_aac.mp4", by_height), cv::Size(160, 120));
  auto scaled = VideoReader::open(media("h264_aac.mp4"), by_height);
  ASSERT_TRUE(scaled.has_value());
  EXPECT_EQ((*scaled)->info().height, 240);  // the probe's size, before scaling
  ReaderOptions by_short_side;
  by_short_side.max_short_side = 120;
  EXPECT_EQ(first_frame_size("h264_aac.mp4", by_short_side), cv::Size(160, 120));
  // Shown upright as 240x320 (portrait): the short side is the width.
  EXPECT_EQ(first_frame_size("rot90.mov", by_short_side), cv::Size(120, 160));
  ReaderOptions larger;  // larger than the video: unchanged
  larger.max_short_side = 480;
  EXPECT_EQ(first_frame_size("h264_aac.mp4", larger), cv::Size(320, 240));
}

TEST(VideoReaderTest, SameFrames_SingleThreadAndAuto) {
  ReaderOptions one;
  one.thread_count = 1;
  auto single = VideoReader::open(media("h264_aac.mp4"), one);
  auto threaded = VideoReader::open(media("h264_aac.mp4"));
  ASSERT_TRUE(single.has_value() && threaded.has_value());
  const auto a = read_all(**single);
  const auto b = read_all(**threaded);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(cv::norm(a[i].rgb, b[i].rgb, cv::NORM_INF), 0.0) << "frame " << i;
  }
}

VideoFrame first_frame(const std::string& name, FramePixels pixels) {
  ReaderOptions options;
  options.pixels = pixels;
  auto reader = VideoReader::open(media(name), options);
  EXPECT_TRUE(reader.has_value()) << name;
  VideoFrame frame;
  if (!reader.has_value()) return frame;
  auto read = (*reader)->read(frame);
  EXPECT_TRUE(read.has_value() && *read) << name;
  return frame;
}

// OpenCV's I420 -> RGB is BT.601 limited range, which is what these clips hold.
cv::Mat i420_to_rgb(const cv::Mat& i420) {
  cv::Mat rgb;
  cv::cvtColor(i420, rgb, cv::COLOR_YUV2RGB_I420);
  return rgb;
}

TEST(VideoReaderTest, I420Frames_ShowTheSamePictureAsRgb) {
  // H.264, full-range MJPEG (narrowed), a rotated clip and VP9.
  for (const char* name : {"h264_aac.mp4", "mjpeg.avi", "rot90.mov", "vp9.webm"}) {
    const VideoFrame rgb = first_frame(name, FramePixels::kRgb24);
    const VideoFrame yuv = first_frame(name, FramePixels::kI420);
    ASSERT_TRUE(is_i420(yuv.i420)) << name;
    ASSERT_EQ(i420_picture_size(yuv.i420), rgb.rgb.size()) << name;
    EXPECT_LT(mean_abs_diff(i420_to_rgb(yuv.i420), rgb.rgb), 2.0) << name;
    EXPECT_TRUE(yuv.rgb.empty());
  }
}

TEST(VideoReaderTest, I420Frames_LimitedRangeFromFullRangeMjpeg) {
  VideoFrame frame = first_frame("mjpeg.avi", FramePixels::kI420);
  ASSERT_TRUE(is_i420(frame.i420));
  double low = 0, high = 0;
  cv::minMaxLoc(i420_planes(frame.i420).y, &low, &high);
  EXPECT_GE(low, 16);  // testsrc2's black
  EXPECT_LE(high, 235);
  EXPECT_GT(high, 200);
}

TEST(VideoReaderTest, I420Frames_OddSizeCroppedToEven) {
  ReaderOptions options;
  options.pixels = FramePixels::kI420;
  auto reader = VideoReader::open(media("odd.mkv"), options);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ((*reader)->output_size(), cv::Size(160, 120));
  VideoFrame frame;
  ASSERT_TRUE(*(*reader)->read(frame));
  ASSERT_EQ(i420_picture_size(frame.i420), cv::Size(160, 120));
  // The decoder's own 161x121 planes (chroma 81x61), cut to 160x120: the same bytes.
  const std::string raw =
      testing::command_output("ffmpeg -nostdin -v error -i '" + media("odd.mkv").string() +
                              "' -frames:v 1 -f rawvideo -pix_fmt yuv420p -");
  ASSERT_EQ(raw.size(), 161u * 121 + 2u * 81 * 61);
  auto plane = [&](size_t offset, int width, int height) {
    return cv::Mat(height, width, CV_8UC1, const_cast<char*>(raw.data() + offset));
  };
  const I420Planes planes = i420_planes(frame.i420);
  EXPECT_EQ(cv::norm(planes.y, plane(0, 161, 121)(cv::Rect(0, 0, 160, 120)), cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(planes.u, plane(161 * 121, 81, 61)(cv::Rect(0, 0, 80, 60)), cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(planes.v, plane(161 * 121 + 81 * 61, 81, 61)(cv::Rect(0, 0, 80, 60)), cv::NORM_INF),
            0.0);
}

TEST(VideoReaderTest, I420Frames_ScaledDown) {
  ReaderOptions options;
  options.pixels = FramePixels::kI420;
  options.max_short_side = 120;
  auto reader = VideoReader::open(media("h264_aac.mp4"), options);
  ASSERT_TRUE(reader.has_value());
  VideoFrame frame;
  ASSERT_TRUE(*(*reader)->read(frame));
  EXPECT_EQ(i420_picture_size(frame.i420), cv::Size(160, 120));
  options.pixels = FramePixels::kRgb24;
  auto rgb_reader = VideoReader::open(media("h264_aac.mp4"), options);
  VideoFrame rgb;
  ASSERT_TRUE(*(*rgb_reader)->read(rgb));
  EXPECT_LT(mean_abs_diff(i420_to_rgb(frame.i420), rgb.rgb), 3.0);
}

TEST(VideoReaderTest, YuvMatrix_TheStreamsOwn) {
  auto tagged = VideoReader::open(media("bt709.mp4"));
  auto untagged = VideoReader::open(media("h264_aac.mp4"));
  auto hdr = VideoReader::open(media("hlg.mp4"));
  ASSERT_TRUE(tagged.has_value() && untagged.has_value() && hdr.has_value());
  EXPECT_EQ((*tagged)->yuv_matrix(), YuvMatrix::kBt709);
  EXPECT_EQ((*untagged)->yuv_matrix(), YuvMatrix::kBt601);
  EXPECT_EQ((*hdr)->yuv_matrix(), YuvMatrix::kBt2020);
  EXPECT_EQ((*untagged)->colour_tags().primaries, 0);
  EXPECT_EQ((*untagged)->colour_tags().transfer, 0);
  EXPECT_EQ((*hdr)->colour_tags().primaries, 9);  // BT.2020
  EXPECT_EQ((*hdr)->colour_tags().transfer, 18);  // ARIB STD-B67 (HLG)
}

TEST(VideoReaderTest, ReadsWhatIsThere_TruncatedFaststart) {
  auto reader = VideoReader::open(media("truncated_faststart.mp4"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  const auto frames = read_all(**reader);
  EXPECT_GT(frames.size(), 10u);
  EXPECT_LT(frames.size(), 60u);
}

TEST(VideoReaderTest, SkipsDamage_CorruptMiddle) {
  auto reader = VideoReader::open(media("corrupt.mp4"));
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  const auto frames = read_all(**reader);
  EXPECT_GT(frames.size(), 30u);
  EXPECT_GT((*reader)->corrupt_packet_count(), 0);
  for (size_t i = 1; i < frames.size(); ++i) {
    EXPECT_GT(frames[i].timestamp_s, frames[i - 1].timestamp_s);
  }
}

TEST(VideoReaderTest, DataLoss_NoDecodableFrames) {
  auto reader = VideoReader::open(media("no_frames.mp4"));
  if (!reader.has_value()) {
    EXPECT_EQ(reader.error().code, ErrorCode::kDataLoss) << reader.error().message;
    return;
  }
  VideoFrame frame;
  Result<bool> more = false;
  do {
    more = (*reader)->read(frame);
  } while (more.has_value() && *more);
  ASSERT_FALSE(more.has_value());
  EXPECT_EQ(more.error().code, ErrorCode::kDataLoss);
}

TEST(VideoReaderTest, OpenFails_NotAVideo) {
  auto missing = VideoReader::open(std::filesystem::path(DD_TEST_BINARY_DIR) / "missing.mkv");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto text = VideoReader::open(media("text.mp4"));
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace dd::video
