// Latency of the four pose models on the XNNPACK backend at 1 and 2 threads, with the
// achieved GFLOP/s (2 * convolution MACs per inference, counted from the graph).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "nn/detail/graph.h"
#include "nn/detail/tflite_reader.h"
#include "nn/model.h"

namespace {

const std::filesystem::path kModelDir = DD_BENCH_MODEL_DIR;

void BM_Model(benchmark::State& state, const char* file, bool skip_segmentation) {
  const std::filesystem::path path = kModelDir / file;
  std::ifstream stream(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  auto graph = dd::nn::detail::read_tflite(bytes);
  if (!graph) {
    state.SkipWithError(("cannot read " + path.string() + ": " + graph.error().message).c_str());
    return;
  }
  std::vector<std::string> skipped_names;
  if (skip_segmentation) {
    skipped_names = {"Identity_2"};
    std::vector<int32_t> skipped;
    for (int32_t t : graph->outputs)
      if (graph->tensors[t].name == "Identity_2") skipped.push_back(t);
    dd::nn::detail::remove_dead_ops(*graph, skipped);
  }
  const int64_t macs = dd::nn::detail::count_macs(*graph);
  auto model = dd::nn::Model::load_from_buffer(
      bytes, {dd::nn::Backend::kXnnpack, static_cast<int>(state.range(0)), {}}, skipped_names);
  if (!model) {
    state.SkipWithError(model.error().message.c_str());
    return;
  }
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  for (float& v : (*model)->input(0)) v = pixel(rng);
  for (auto _ : state) {
    if (!(*model)->run()) {
      state.SkipWithError("run failed");
      return;
    }
    benchmark::DoNotOptimize((*model)->output(0).data());
  }
  state.counters["GMACs"] = static_cast<double>(macs) * 1e-9;
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(macs) * 1e-9,
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

// Landmark models also without their segmentation head (Model::load's skipped_outputs);
// their MAC count covers only the ops that still run.
BENCHMARK_CAPTURE(BM_Model, detector, "pose_detection.tflite", false)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Model, lite, "pose_landmark_lite.tflite", false)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Model, full, "pose_landmark_full.tflite", false)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Model, heavy, "pose_landmark_heavy.tflite", false)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Model, lite_noseg, "pose_landmark_lite.tflite", true)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Model, full_noseg, "pose_landmark_full.tflite", true)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Model, heavy_noseg, "pose_landmark_heavy.tflite", true)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
