// PoseTracker latency on a 1080p frame: a tracked frame (landmark model only, crop and
// decoding included) and a detector frame (static mode: detector + landmark model).
#include <benchmark/benchmark.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

#include "pose/image_to_tensor.h"
#include "pose/landmark_decoder.h"
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

// Our share of a tracked frame without inference: the rotated 256x256 crop of a 1080p
// frame, landmark decoding, heatmap refinement and projection.
void BM_CropAndDecode1080p(benchmark::State& state) {
  const cv::Mat frame = frame_1080p();
  if (frame.empty()) {
    state.SkipWithError("messi5.jpg missing (opencv-doc)");
    return;
  }
  using namespace dd::pose;
  std::vector<float> input(kLandmarkInputSize * kLandmarkInputSize * 3);
  std::vector<float> raw(kModelLandmarkCount * 5, 128.0f);
  std::vector<float> heatmap(kHeatmapSize * kHeatmapSize * kModelLandmarkCount, 1.0f);
  const NormalizedRect roi{0.5f, 0.55f, 0.45f, 0.8f, 0.2f};
  for (auto _ : state) {
    roi_to_tensor(frame, roi, kLandmarkInputSize, input);
    ModelLandmarks landmarks = decode_roi_landmarks(raw);
    refine_landmarks_from_heatmap(landmarks, heatmap, kHeatmapSize, kModelLandmarkCount, kHeatmapKernelSize,
                                  kHeatmapMinConfidence);
    for (auto& lm : landmarks) lm = project_to_frame(lm, roi);
    benchmark::DoNotOptimize(landmarks);
    benchmark::DoNotOptimize(input.data());
  }
}

// The crop alone from a frame that is not in cache, as in the pipeline, where the decoder
// thread has just written it: each iteration uses the next of 8 frames (48 MB in all).
void BM_CropColdFrame1080p(benchmark::State& state) {
  const cv::Mat frame = frame_1080p();
  if (frame.empty()) {
    state.SkipWithError("messi5.jpg missing (opencv-doc)");
    return;
  }
  std::vector<cv::Mat> frames(8);
  for (cv::Mat& copy : frames) copy = frame.clone();
  std::vector<float> input(dd::pose::kLandmarkInputSize * dd::pose::kLandmarkInputSize * 3);
  const dd::pose::NormalizedRect roi{0.5f, 0.55f, 0.45f, 0.8f, 0.2f};
  size_t next = 0;
  for (auto _ : state) {
    dd::pose::roi_to_tensor(frames[next], roi, dd::pose::kLandmarkInputSize, input);
    next = (next + 1) % frames.size();
    benchmark::DoNotOptimize(input.data());
  }
}

// The detector's letterboxed 224x224 input from a 1080p frame.
void BM_DetectorInput1080p(benchmark::State& state) {
  const cv::Mat frame = frame_1080p();
  if (frame.empty()) {
    state.SkipWithError("messi5.jpg missing (opencv-doc)");
    return;
  }
  std::vector<float> input(dd::pose::kDetectorInputSize * dd::pose::kDetectorInputSize * 3);
  for (auto _ : state) {
    dd::pose::letterbox_to_tensor(frame, dd::pose::kDetectorInputSize, input);
    benchmark::DoNotOptimize(input.data());
  }
}

void BM_TrackedFrame_Full1080p(benchmark::State& state) {
  run(state, "full", false);
}
void BM_DetectorFrame_Full1080p(benchmark::State& state) {
  run(state, "full", true);
}
void BM_TrackedFrame_Lite1080p(benchmark::State& state) {
  run(state, "lite", false);
}

BENCHMARK(BM_CropAndDecode1080p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CropColdFrame1080p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DetectorInput1080p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TrackedFrame_Full1080p)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DetectorFrame_Full1080p)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TrackedFrame_Lite1080p)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
