// End-to-end throughput of pipeline::run: realtime factor (video duration / wall time) with
// and without the overlay video, on a person (messi5.jpg from opencv-doc) panning across
// generated 1080p30 and 720p30 clips, and on OpenCV's vtest.avi (pedestrians). Clips are
// generated with the ffmpeg CLI into /tmp on first run. Use --benchmark_repetitions=3 for medians.
#include "pipeline/pipeline.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "video/probe.h"

namespace {

namespace fs = std::filesystem;

const fs::path kPersonImage = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";
const fs::path kVtest = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

// 10 s at 30 fps: the player slides across a grey background with a 440 Hz tone.
fs::path person_clip(int height) {
  const int width = height * 16 / 9;
  const fs::path path = fs::temp_directory_path() / ("dd_bench_person_" + std::to_string(height) + "p30.mp4");
  if (fs::exists(path)) return path;
  const fs::path tmp = fs::path(path) += ".part.mp4";
  const std::string h = std::to_string(height), w = std::to_string(width);
  const std::string command =
      "ffmpeg -nostdin -v error -y -loop 1 -i " + kPersonImage.string() +
      " -f lavfi -i color=c=gray:size=" + w + "x" + h +
      ":rate=30 -f lavfi -i sine=frequency=440 -filter_complex \"[0:v]scale=-2:" + h +
      "[p];[1:v][p]overlay=x=(W-w)*t/10:y=0,format=yuv420p[v]\" -map \"[v]\" -map 2:a -t 10 -c:v libx264 "
      "-preset veryfast -c:a aac '" +
      tmp.string() + "'";
  if (std::system(command.c_str()) != 0) return {};
  fs::rename(tmp, path);
  return path;
}

void analyze(benchmark::State& state, const fs::path& clip, bool write_video) {
  if (clip.empty() || !fs::exists(clip)) {
    state.SkipWithError("clip missing (ffmpeg CLI or opencv-doc not installed?)");
    return;
  }
  auto info = dd::video::probe_video(clip);
  if (!info) {
    state.SkipWithError(info.error().message.c_str());
    return;
  }
  dd::pipeline::PipelineOptions options;
  options.pose.model = "full";
  options.write_video = write_video;
  options.pose.num_threads = static_cast<int>(state.range(0));
  options.pose.model_dir = DD_BENCH_MODEL_DIR;
  const fs::path out = fs::temp_directory_path() / "dd_pipeline_bench_out";
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto outputs = dd::pipeline::run(clip, out, options, {}, {});
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!outputs) {
      state.SkipWithError(outputs.error().message.c_str());
      return;
    }
  }
  fs::remove_all(out);
  state.counters["realtime_factor"] = info->duration_s * static_cast<double>(state.iterations()) / seconds;
  state.counters["fps"] =
      static_cast<double>(info->frame_count) * static_cast<double>(state.iterations()) / seconds;
}

void BM_Analyze1080pWithVideo(benchmark::State& state) {
  analyze(state, person_clip(1080), true);
}
void BM_Analyze1080pNoVideo(benchmark::State& state) {
  analyze(state, person_clip(1080), false);
}
void BM_Analyze720pWithVideo(benchmark::State& state) {
  analyze(state, person_clip(720), true);
}
void BM_AnalyzeVtestWithVideo(benchmark::State& state) {
  analyze(state, kVtest, true);
}

// Argument: inference threads.
BENCHMARK(BM_Analyze1080pWithVideo)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_Analyze1080pNoVideo)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_Analyze720pWithVideo)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_AnalyzeVtestWithVideo)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
