// Runs the whole pipeline on videos generated with the ffmpeg CLI: a person (messi5.jpg from
// Debian's opencv-doc) sliding across the frame with a sine soundtrack, and broken inputs.
#include "pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "video/probe.h"
#include "video/test_media.h"
#include "video/video_reader.h"

namespace dd::pipeline {
namespace {

namespace fs = std::filesystem;

const fs::path kPersonImage = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("dd_pipeline_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    ASSERT_TRUE(fs::exists(kPersonImage)) << kPersonImage << " missing (Debian package opencv-doc)";
    // 2 s at 15 fps: the player pans slowly from left to right, with a 440 Hz tone.
    ffmpeg("-loop 1 -i " + kPersonImage.string() +
           " -f lavfi -i color=c=gray:size=640x300:rate=15 -f lavfi -i sine=frequency=440:sample_rate=44100"
           " -filter_complex \"[0:v]scale=480:300[p];[1:v][p]overlay=x=(W-w)*t/2:y=0,format=yuv420p[v]\""
           " -map \"[v]\" -map 2:a -t 2 -r 15 -c:v libx264 -preset ultrafast -c:a aac " +
           (dir_ / "person.mp4").string());
    ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=10 -t 1 -c:v libx264 -preset ultrafast " +
           (dir_ / "nobody.mp4").string());
    ffmpeg(
        "-f lavfi -i testsrc2=size=320x240:rate=10 -t 1 -vf scale=out_color_matrix=bt709 -colorspace bt709 "
        "-color_primaries bt709 -color_trc bt709 -c:v libx264 -preset ultrafast " +
        (dir_ / "nobody_bt709.mp4").string());
    ffmpeg(
        "-f lavfi -i testsrc2=size=320x240:rate=10 -t 1 -vf scale=out_color_matrix=bt2020 -colorspace "
        "bt2020nc "
        "-color_primaries bt2020 -color_trc arib-std-b67 -pix_fmt yuv420p10le -c:v libx264 -preset "
        "ultrafast " +
        (dir_ / "nobody_hlg.mp4").string());
    ffmpeg("-f lavfi -i sine=frequency=440 -t 1 -c:a aac " + (dir_ / "audio_only.m4a").string());
    // The person clip's 2 s of video with 10 minutes of sound: the audio stage alone takes
    // seconds, so a cancel that waits for it shows.
    ffmpeg("-i " + (dir_ / "person.mp4").string() +
           " -f lavfi -i sine=frequency=440:sample_rate=44100 -map 0:v -map 1:a -t 600 -c:v copy -c:a aac " +
           (dir_ / "long_audio.mp4").string());
    std::ofstream(dir_ / "text.mp4") << "this is not a video\n";
    std::ofstream(dir_ / "empty.mp4");
    const auto size = fs::file_size(dir_ / "person.mp4");
    fs::copy_file(dir_ / "person.mp4", dir_ / "truncated.mp4");
    fs::resize_file(dir_ / "truncated.mp4", size / 3);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static void ffmpeg(const std::string& args) {
    const std::string command = "ffmpeg -nostdin -loglevel error -y " + args;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  static PipelineOptions options(bool write_video) {
    PipelineOptions options;
    options.pose.model = "lite";
    options.write_video = write_video;
    options.pose.model_dir = DD_TEST_MODEL_DIR;
    return options;
  }

  static std::vector<fs::path> entries(const fs::path& dir) {
    std::vector<fs::path> found;
    if (!fs::exists(dir)) return found;
    for (const auto& entry : fs::directory_iterator(dir)) found.push_back(entry.path());
    return found;
  }

  static nlohmann::json read_json(const fs::path& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
  }

  inline static fs::path dir_;
};

TEST_F(PipelineTest, PersonVideoProducesEveryOutput) {
  const fs::path out = dir_ / "out_person";
  std::vector<Progress> reports;
  auto outputs = run(dir_ / "person.mp4", out, options(/*write_video=*/true),
                     [&](const Progress& p) { reports.push_back(p); }, {});
  ASSERT_TRUE(outputs) << outputs.error().message;
  for (const auto& file : {outputs->results_json, outputs->landmarks_csv, outputs->landmarks_json,
                           outputs->overlay_mp4, outputs->thumbnail_jpg}) {
    EXPECT_TRUE(fs::exists(file)) << file;
    EXPECT_GT(fs::file_size(file), 100u) << file;
  }
  EXPECT_EQ(entries(out).size(), 5u) << "no staging leftovers";

  const auto results = read_json(outputs->results_json);
  EXPECT_EQ(results["video_info"]["frame_count"], 30);
  EXPECT_EQ(results["video_info"]["width"], 640);
  EXPECT_TRUE(results["video_info"]["has_audio"].get<bool>());
  EXPECT_GT(results["processing"]["detection_rate"].get<double>(), 0.9);
  EXPECT_EQ(results["processing"]["model"], "lite");
  EXPECT_GT(results["pose_analysis"]["average_confidence"].get<double>(), 0.3);

  auto overlay = video::probe_video(outputs->overlay_mp4);
  ASSERT_TRUE(overlay) << overlay.error().message;
  EXPECT_EQ(overlay->video_codec, "h264");
  EXPECT_TRUE(overlay->has_audio);
  EXPECT_NEAR(overlay->duration_s, 2.0, 0.15);
  EXPECT_EQ(overlay->width, 640);

  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.front().stage, "probe");
  EXPECT_FALSE(reports.front().eta_s) << "no time-left estimate before any work";
  EXPECT_EQ(reports.back().stage, "done");
  EXPECT_DOUBLE_EQ(reports.back().fraction, 1.0);
  for (size_t i = 1; i < reports.size(); ++i) EXPECT_GE(reports[i].fraction, reports[i - 1].fraction);
  for (const Progress& report : reports) {
    if (report.stage == "pose" && report.frame < 5) {
      EXPECT_FALSE(report.eta_s) << report.message;
    }
    if (report.eta_s) {
      EXPECT_GE(*report.eta_s, 0.0);
    }
  }
}

TEST_F(PipelineTest, HealthyVideoHasNoWarningsAndItsDisplayName) {
  auto named = options(/*write_video=*/false);
  named.display_name = "Salsa night.mp4";
  auto outputs = run(dir_ / "person.mp4", dir_ / "out_named", named, {}, {});
  ASSERT_TRUE(outputs) << outputs.error().message;
  const auto results = read_json(outputs->results_json);
  EXPECT_EQ(results["warnings"], nlohmann::json::array());
  EXPECT_EQ(results["video_info"]["filename"], "Salsa night.mp4");
  EXPECT_EQ(read_json(outputs->landmarks_json)["video"], "Salsa night.mp4");
}

// A phone upload cut short (index at the front, the end of the data missing) opens with its
// full length; the results say how much of it could be decoded.
TEST_F(PipelineTest, TruncatedVideoWarnsHowManyFramesWereDecoded) {
  const fs::path input = video::testing::media("truncated_faststart.mp4");
  ASSERT_FALSE(input.empty());
  auto info = video::probe_video(input);
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_EQ(info->frame_count, 60);
  auto outputs = run(input, dir_ / "out_truncated_faststart", options(/*write_video=*/true), {}, {});
  ASSERT_TRUE(outputs) << outputs.error().message;
  const auto results = read_json(outputs->results_json);
  const int64_t decoded = results["video_info"]["frame_count"].get<int64_t>();
  EXPECT_GT(decoded, 0);
  EXPECT_LT(decoded, 50);
  ASSERT_TRUE(results["warnings"].is_array());
  ASSERT_GE(results["warnings"].size(), 1u);
  EXPECT_EQ(
      results["warnings"][0].get<std::string>().rfind(
          "only " + std::to_string(decoded) + " of 60 frames could be decoded (the file looks truncated)", 0),
      0u)
      << results["warnings"].dump();
  // testsrc2 has nobody in it: that is said too.
  EXPECT_NE(results["warnings"].dump().find("no person was found"), std::string::npos);
}

TEST_F(PipelineTest, VideoWithoutPersonCompletesWithEmptyAnalysis) {
  const fs::path out = dir_ / "out_nobody";
  auto outputs = run(dir_ / "nobody.mp4", out, options(/*write_video=*/false), {}, {});
  ASSERT_TRUE(outputs) << outputs.error().message;
  EXPECT_TRUE(outputs->overlay_mp4.empty());
  const auto results = read_json(outputs->results_json);
  EXPECT_EQ(results["processing"]["detection_rate"].get<double>(), 0.0);
  EXPECT_TRUE(results["movement_analysis"].empty());
  EXPECT_EQ(entries(out).size(), 4u);
}

// The overlay is drawn on the decoded YUV values and tagged with the source's matrix, so
// what it does not draw on looks exactly like the source.
TEST_F(PipelineTest, OverlayKeepsTheSourceColours_Bt709) {
  const fs::path input = dir_ / "nobody_bt709.mp4";
  const fs::path out = dir_ / "out_bt709";
  auto outputs = run(input, out, options(/*write_video=*/true), {}, {});
  ASSERT_TRUE(outputs) << outputs.error().message;
  auto last_frame = [](const fs::path& path) {
    auto reader = video::VideoReader::open(path);
    EXPECT_TRUE(reader) << path;
    video::VideoFrame frame, last;
    while (reader && (*reader)->read(frame).value()) last.rgb = frame.rgb.clone();
    return last.rgb;
  };
  const cv::Mat source = last_frame(input);
  const cv::Mat overlay = last_frame(outputs->overlay_mp4);
  ASSERT_EQ(source.size(), overlay.size());
  const cv::Rect below_hud(0, 160, 320, 80);  // nobody in view: only the HUD is drawn, top left
  cv::Mat diff;
  cv::absdiff(source(below_hud), overlay(below_hud), diff);
  const cv::Scalar mean = cv::mean(diff);
  EXPECT_LT((mean[0] + mean[1] + mean[2]) / 3, 2.5);
  auto reader = video::VideoReader::open(outputs->overlay_mp4);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->yuv_matrix(), video::YuvMatrix::kBt709);
}

// A phone's HDR video (10-bit BT.2020, HLG) gets an overlay that says so, so players show it
// like the source.
TEST_F(PipelineTest, OverlayKeepsTheSourceColourDescription_Hlg) {
  auto outputs = run(dir_ / "nobody_hlg.mp4", dir_ / "out_hlg", options(/*write_video=*/true), {}, {});
  ASSERT_TRUE(outputs) << outputs.error().message;
  auto reader = video::VideoReader::open(outputs->overlay_mp4);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->yuv_matrix(), video::YuvMatrix::kBt2020);
  EXPECT_EQ((*reader)->colour_tags().primaries, 9);  // BT.2020
  EXPECT_EQ((*reader)->colour_tags().transfer, 18);  // HLG
}

TEST_F(PipelineTest, BadInputsFailCleanlyAndLeaveNothing) {
  struct Case {
    std::string file;
    ErrorCode code;
  };
  const std::vector<Case> cases = {{"missing.mp4", ErrorCode::kNotFound},
                                   {"text.mp4", ErrorCode::kInvalidArgument},
                                   {"empty.mp4", ErrorCode::kInvalidArgument},
                                   {"audio_only.m4a", ErrorCode::kInvalidArgument}};
  for (const auto& c : cases) {
    const fs::path out = dir_ / ("out_" + c.file);
    auto outputs = run(dir_ / c.file, out, options(true), {}, {});
    ASSERT_FALSE(outputs) << c.file;
    EXPECT_EQ(outputs.error().code, c.code) << c.file << ": " << outputs.error().message;
    EXPECT_FALSE(outputs.error().message.empty());
    EXPECT_TRUE(entries(out).empty()) << c.file;
  }
  // A truncated file is either rejected or analysed up to where it breaks; never partial output.
  const fs::path out = dir_ / "out_truncated";
  auto truncated = run(dir_ / "truncated.mp4", out, options(true), {}, {});
  if (truncated) {
    EXPECT_TRUE(fs::exists(truncated->results_json));
  } else {
    EXPECT_TRUE(entries(out).empty()) << truncated.error().message;
  }
}

TEST_F(PipelineTest, BadOptionsAreRejected) {
  auto bad_model = options(true);
  bad_model.pose.model = "huge";
  auto outputs = run(dir_ / "person.mp4", dir_ / "out_bad_model", bad_model, {}, {});
  ASSERT_FALSE(outputs);
  EXPECT_EQ(outputs.error().code, ErrorCode::kInvalidArgument);
  auto bad_threshold = options(true);
  bad_threshold.pose.min_detection_confidence = 1.5f;
  outputs = run(dir_ / "person.mp4", dir_ / "out_bad_threshold", bad_threshold, {}, {});
  ASSERT_FALSE(outputs);
  EXPECT_EQ(outputs.error().code, ErrorCode::kInvalidArgument);
  for (int size : {-1, 40}) {
    auto bad_size = options(true);
    bad_size.overlay_max_size = size;
    outputs = run(dir_ / "person.mp4", dir_ / "out_bad_size", bad_size, {}, {});
    ASSERT_FALSE(outputs) << size;
    EXPECT_EQ(outputs.error().code, ErrorCode::kInvalidArgument) << size;
    EXPECT_TRUE(entries(dir_ / "out_bad_size").empty());
  }
}

// The overlay is scaled down so that its shorter side fits overlay_max_size; the landmarks
// and results still come from the full-size frames.
TEST_F(PipelineTest, OverlayMaxSize_ScalesTheOverlayOnly) {
  auto small = options(true);
  small.overlay_max_size = 150;
  const fs::path out = dir_ / "out_small_overlay";
  auto outputs = run(dir_ / "person.mp4", out, small, {}, {});
  ASSERT_TRUE(outputs) << outputs.error().message;
  auto overlay = video::probe_video(outputs->overlay_mp4);
  ASSERT_TRUE(overlay) << overlay.error().message;
  EXPECT_EQ(overlay->width, 320);  // 640x300 -> 320x150
  EXPECT_EQ(overlay->height, 150);
  EXPECT_NEAR(overlay->duration_s, 2.0, 0.15);
  const auto results = read_json(outputs->results_json);
  EXPECT_EQ(results["video_info"]["width"], 640);
  EXPECT_GT(results["processing"]["detection_rate"].get<double>(), 0.9);
}

TEST_F(PipelineTest, UnwritableOutputDirectoryIsUnavailable) {
  const fs::path blocker = dir_ / "a_file";
  std::ofstream(blocker) << "x";
  auto outputs = run(dir_ / "person.mp4", blocker / "sub", options(false), {}, {});
  ASSERT_FALSE(outputs);
  EXPECT_EQ(outputs.error().code, ErrorCode::kUnavailable) << outputs.error().message;
}

TEST_F(PipelineTest, CancelStopsAndLeavesNothing) {
  const fs::path out = dir_ / "out_cancelled";
  std::stop_source stop;
  auto outputs = run(
      dir_ / "person.mp4", out, options(true),
      [&](const Progress& p) {
        if (p.stage == "pose") stop.request_stop();
      },
      stop.get_token());
  ASSERT_FALSE(outputs);
  EXPECT_EQ(outputs.error().code, ErrorCode::kCancelled);
  EXPECT_TRUE(entries(out).empty());
}

// A stop request ends the run within a deadline in every stage, with Cancelled and no output.
// The stop is requested from the progress callback when the stage has started, as a
// cancelled job's DELETE would; the clip's 10-minute soundtrack makes a stage that ignored
// the stop take seconds. (Measured: well under 0.5 s in every stage; the deadline leaves
// room for a loaded machine.)
TEST_F(PipelineTest, CancelEndsEveryStageWithinADeadline) {
  constexpr auto kDeadline = std::chrono::milliseconds(1500);
  for (const std::string stage : {"pose", "analysis", "encode"}) {
    const fs::path out = dir_ / ("out_cancel_" + stage);
    std::stop_source stop;
    std::chrono::steady_clock::time_point requested;
    auto outputs = run(
        dir_ / "long_audio.mp4", out, options(/*write_video=*/true),
        [&](const Progress& p) {
          // In the pose stage, once frames flow (the queue is full); elsewhere at the start.
          const bool in_stage = p.stage == stage && (stage != "pose" || p.frame > 0);
          if (in_stage && !stop.stop_requested()) {
            requested = std::chrono::steady_clock::now();
            stop.request_stop();
          }
        },
        stop.get_token());
    const auto returned = std::chrono::steady_clock::now();
    ASSERT_TRUE(stop.stop_requested()) << stage << " never reported";
    ASSERT_FALSE(outputs) << stage;
    EXPECT_EQ(outputs.error().code, ErrorCode::kCancelled) << stage << ": " << outputs.error().message;
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(returned - requested);
    EXPECT_LT(took, kDeadline) << stage;
    std::printf("cancel in %s: returned after %lld ms\n", stage.c_str(),
                static_cast<long long>(took.count()));
    EXPECT_TRUE(entries(out).empty()) << stage;
  }
}

}  // namespace
}  // namespace dd::pipeline
