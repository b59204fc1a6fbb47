// PoseTracker latency on a 1080p frame: a tracked frame (landmark model only, crop and
// decoding included) and a detector frame (static mode: detector + landmark model).
#include <benchmark/benchmark.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>

#include "pose/pose_tracker.h"

namespace {

cv::Mat frame_1080p() {
  cv::Mat bgr = cv::imread("/usr/share/doc/opencv-doc/examples/data/messi5.jpg", cv::IMREAD_COLOR);
  if (bgr.empty()) return {};
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  cv::Mat scaled;
  cv::resize(rgb, scaled, cv::Size(1728, 1080), 0, 0, cv::INTER_LINEAR);
  cv::Mat canvas(1080, 1920, CV_8UC3, cv::Scalar(90, 110, 90));
  scaled.copyTo(canvas(cv::Rect(96, 0, scaled.cols, scaled.rows)));
  return canvas;
}

void run(benchmark::State& state, const char* model, bool static_mode) {
  const cv::Mat frame = frame_1080p();
  dd::pose::PoseOptions options;
  options.model = model;
  options.model_dir = DD_BENCH_MODEL_DIR;
  options.static_image_mode = static_mode;
  options.num_threads = static_cast<int>(state.range(0));
  auto tracker = dd::pose::PoseTracker::create(options);
  if (frame.empty() || !tracker) {
    state.SkipWithError(frame.empty() ? "messi5.jpg missing (opencv-doc)" : tracker.error().message.c_str());
    return;
  }
  int64_t index = 0;
  auto first = (*tracker)->process(frame, index, 0.0);  // the detector finds the player
  if (!first || !first->detected) {
    state.SkipWithError("no pose in the benchmark frame");
    return;
  }
  for (auto _ : state) {
    ++index;
    auto result = (*tracker)->process(frame, index, static_cast<double>(index) / 30.0);
    benchmark::DoNotOptimize(result);
  }
}

void BM_TrackedFrame_Full1080p(benchmark::State& state) { run(state, "full", false); }
void BM_DetectorFrame_Full1080p(benchmark::State& state) { run(state, "full", true); }
void BM_TrackedFrame_Lite1080p(benchmark::State& state) { run(state, "lite", false); }

BENCHMARK(BM_TrackedFrame_Full1080p)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DetectorFrame_Full1080p)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TrackedFrame_Lite1080p)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
