// Time to analyse a 10-minute 30 fps pose sequence (synthetic dancer swinging arms and
// stepping) with and without 10 minutes of 22.05 kHz audio.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "analysis/analysis.h"

namespace {

dd::pose::PoseSequence make_dancer(double duration_s, double fps) {
  dd::pose::PoseSequence sequence;
  sequence.width = 1280;
  sequence.height = 720;
  sequence.fps = fps;
  const auto frames = static_cast<int64_t>(duration_s * fps);
  for (int64_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / fps;
    dd::pose::PoseFrame frame;
    frame.index = i;
    frame.timestamp_s = t;
    frame.detected = i % 300 < 290;  // a short gap every 10 s
    for (int j = 0; j < dd::pose::kLandmarkCount; ++j) {
      // A body 0.5 of the frame high; arms swing at 2 Hz, legs at 1 Hz, with a little noise.
      const double phase = 2 * std::numbers::pi * (j >= 11 && j <= 22 ? 2.0 : 1.0) * t + j;
      frame.landmarks[static_cast<size_t>(j)] = {
          static_cast<float>(0.5 + 0.01 * j % 7 * 0.01 + 0.03 * std::sin(phase)),
          static_cast<float>(0.25 + 0.5 * j / dd::pose::kLandmarkCount + 0.02 * std::cos(phase)),
          0.0f, 0.9f, 0.9f};
    }
    sequence.frames.push_back(frame);
  }
  return sequence;
}

void BM_AnalyzeTenMinutes(benchmark::State& state) {
  const dd::pose::PoseSequence sequence = make_dancer(600, 30);
  std::vector<float> samples;
  dd::analysis::AudioView audio;
  const bool with_audio = state.range(0) != 0;
  if (with_audio) {
    const int rate = 22050;
    samples.resize(static_cast<size_t>(600 * rate));
    for (size_t i = 0; i < samples.size(); ++i) {
      const double t = static_cast<double>(i) / rate;
      const double since_beat = std::fmod(t, 0.5);
      samples[i] = static_cast<float>(std::exp(-since_beat * 40) * std::sin(2 * std::numbers::pi * 880 * t));
    }
    audio = {samples, rate};
  }
  for (auto _ : state) {
    auto result = dd::analysis::analyze(sequence, with_audio ? &audio : nullptr);
    if (!result || !result->has_pose || !result->rhythm.bpm) {
      state.SkipWithError("analysis of the synthetic dancer found no pose or no rhythm");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.counters["frames"] = static_cast<double>(sequence.frames.size());
}
BENCHMARK(BM_AnalyzeTenMinutes)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
