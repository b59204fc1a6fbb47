// Video module throughput: decode-only fps (1080p30, 720p30 synthetic clips and OpenCV's
// vtest.avi), H.264 encode fps at 1080p and 720p, overlay drawing time per 1080p frame on RGB
// and on I420, and the whole overlay pass (decode, draw, encode) either way.
// Clips are generated with the ffmpeg CLI into /tmp on first run. Use
// --benchmark_repetitions=5 for medians; frames/s is the "fps" counter.
#include "video/overlay.h"
#include "video/video_reader.h"
#include "video/video_writer.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace dd::video;

const fs::path kVtest = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

// A 5 s testsrc2 clip of the given height at 30 fps, H.264 as a phone would record it.
fs::path synthetic_clip(int height) {
  const int width = height * 16 / 9;
  const fs::path path = fs::temp_directory_path() / ("dd_bench_" + std::to_string(height) + "p30.mp4");
  if (fs::exists(path)) return path;
  const fs::path tmp = fs::path(path) += ".part.mp4";
  const std::string command =
      "ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=" + std::to_string(width) + "x" +
      std::to_string(height) + ":rate=30:duration=5 -c:v libx264 -preset veryfast -pix_fmt yuv420p '" +
      tmp.string() + "'";
  if (std::system(command.c_str()) != 0) return {};
  fs::rename(tmp, path);
  return path;
}

std::vector<VideoFrame> load_frames(const fs::path& path, size_t count) {
  std::vector<VideoFrame> frames;
  auto reader = VideoReader::open(path);
  if (!reader.has_value()) return frames;
  VideoFrame frame;
  while (frames.size() < count) {
    auto more = (*reader)->read(frame);
    if (!more.has_value() || !*more) break;
    frames.push_back(frame);
    frame.rgb = cv::Mat();
  }
  return frames;
}

void decode(benchmark::State& state, const fs::path& path) {
  if (path.empty() || !fs::exists(path)) {
    state.SkipWithError("clip missing (ffmpeg CLI or opencv-doc not installed?)");
    return;
  }
  ReaderOptions options;
  options.thread_count = static_cast<int>(state.range(0));
  int64_t frames = 0;
  for (auto _ : state) {
    auto reader = VideoReader::open(path, options);
    if (!reader.has_value()) {
      state.SkipWithError(reader.error().message.c_str());
      return;
    }
    VideoFrame frame;
    while (true) {
      auto more = (*reader)->read(frame);
      if (!more.has_value() || !*more) break;
      ++frames;
    }
    benchmark::DoNotOptimize(frame.rgb.data);
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

void BM_Decode1080p(benchmark::State& state) {
  decode(state, synthetic_clip(1080));
}
void BM_Decode720p(benchmark::State& state) {
  decode(state, synthetic_clip(720));
}
void BM_DecodeVtest(benchmark::State& state) {
  decode(state, kVtest);
}

void encode(benchmark::State& state, int height) {
  const auto frames = load_frames(synthetic_clip(height), 60);
  if (frames.empty()) {
    state.SkipWithError("could not decode the source clip");
    return;
  }
  WriterOptions options;
  options.preset = state.range(0) == 0 ? "veryfast" : state.range(0) == 1 ? "superfast" : "ultrafast";
  state.SetLabel(options.preset);
  const fs::path out = fs::temp_directory_path() / ("dd_bench_encode_" + std::to_string(height) + ".mp4");
  int64_t encoded = 0;
  for (auto _ : state) {
    auto writer = VideoWriter::create(out, frames[0].rgb.cols, frames[0].rgb.rows, 30.0, options);
    if (!writer.has_value()) {
      state.SkipWithError(writer.error().message.c_str());
      return;
    }
    for (const auto& frame : frames) {
      if (!(*writer)->write(frame.rgb, frame.timestamp_s).has_value()) {
        state.SkipWithError("encoding failed");
        return;
      }
      ++encoded;
    }
    if (!(*writer)->finish().has_value()) {
      state.SkipWithError("finishing failed");
      return;
    }
  }
  fs::remove(out);
  state.counters["fps"] = benchmark::Counter(static_cast<double>(encoded), benchmark::Counter::kIsRate);
}

void BM_Encode1080p(benchmark::State& state) {
  encode(state, 1080);
}
void BM_Encode720p(benchmark::State& state) {
  encode(state, 720);
}

dd::pose::PoseFrame spread_pose() {
  dd::pose::PoseFrame pose;
  pose.detected = true;
  pose.pose_score = 0.9f;
  for (int i = 0; i < dd::pose::kLandmarkCount; ++i) {
    // A spread of points over the frame so every edge has real length.
    pose.landmarks[i] = {0.3f + 0.4f * static_cast<float>(i % 5) / 4.0f,
                         0.1f + 0.8f * static_cast<float>(i) / dd::pose::kLandmarkCount, 0.0f, 0.9f, 0.9f};
  }
  return pose;
}

HudInfo busy_hud() {
  HudInfo hud;
  hud.movement_type = "Dancing";
  hud.intensity = 0.6;
  return hud;
}

// Arg: 0 draws on RGB, 1 on I420.
void BM_Overlay1080p(benchmark::State& state) {
  const bool i420 = state.range(0) == 1;
  state.SetLabel(i420 ? "i420" : "rgb");
  dd::pose::PoseFrame pose = spread_pose();
  const HudInfo hud = busy_hud();
  OverlayRenderer renderer;
  cv::Mat frame = i420 ? cv::Mat(1620, 1920, CV_8UC1, cv::Scalar(110))
                       : cv::Mat(1080, 1920, CV_8UC3, cv::Scalar(90, 110, 130));
  int64_t index = 0;
  for (auto _ : state) {
    pose.index = index++;
    pose.landmarks[dd::pose::kLeftWrist].x = 0.2f + 0.001f * static_cast<float>(index % 100);
    const dd::Status drawn =
        i420 ? renderer.draw_i420(frame, YuvMatrix::kBt601, pose, hud) : renderer.draw(frame, pose, hud);
    if (!drawn.has_value()) {
      state.SkipWithError("overlay failed");
      return;
    }
    benchmark::DoNotOptimize(frame.data);
  }
}

// The pipeline's overlay pass on one thread plus the decoder's and x264's: decode, draw,
// encode. Arg: 0 through RGB (convert, draw, convert back), 1 on the decoded I420 planes.
// Compare the process CPU time: it counts every thread's work.
void BM_OverlayPass1080p(benchmark::State& state) {
  const bool i420 = state.range(0) == 1;
  state.SetLabel(i420 ? "i420" : "rgb");
  const fs::path clip = synthetic_clip(1080);
  ReaderOptions reader_options;
  reader_options.pixels = i420 ? FramePixels::kI420 : FramePixels::kRgb24;
  const fs::path out = fs::temp_directory_path() / "dd_bench_overlay_pass.mp4";
  dd::pose::PoseFrame pose = spread_pose();
  const HudInfo hud = busy_hud();
  int64_t frames = 0;
  for (auto _ : state) {
    auto reader = VideoReader::open(clip, reader_options);
    if (!reader.has_value()) {
      state.SkipWithError(reader.error().message.c_str());
      return;
    }
    const cv::Size size = (*reader)->output_size();
    auto writer = VideoWriter::create(out, size.width, size.height, 30.0);
    if (!writer.has_value()) {
      state.SkipWithError(writer.error().message.c_str());
      return;
    }
    OverlayRenderer renderer;
    VideoFrame frame;
    while (true) {
      auto more = (*reader)->read(frame);
      if (!more.has_value() || !*more) break;
      pose.index = frame.index;
      dd::Status done = i420 ? renderer.draw_i420(frame.i420, YuvMatrix::kBt601, pose, hud)
                             : renderer.draw(frame.rgb, pose, hud);
      if (done.has_value()) {
        done = i420 ? (*writer)->write_i420(frame.i420, frame.timestamp_s)
                    : (*writer)->write(frame.rgb, frame.timestamp_s);
      }
      if (!done.has_value()) {
        state.SkipWithError(done.error().message.c_str());
        return;
      }
      ++frames;
    }
    if (!(*writer)->finish().has_value()) {
      state.SkipWithError("finishing failed");
      return;
    }
  }
  fs::remove(out);
  state.counters["fps"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

// Arg: decoder threads (0 = auto, i.e. one per core).
BENCHMARK(BM_Decode1080p)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_Decode720p)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_DecodeVtest)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
// Arg: 0 veryfast, 1 superfast, 2 ultrafast.
BENCHMARK(BM_Encode1080p)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_Encode720p)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_Overlay1080p)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OverlayPass1080p)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
