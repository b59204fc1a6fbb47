// Time to analyse a 10-minute 30 fps pose sequence (the tests' synthetic dancer swinging the
// arms at 2 Hz, with a 0.3 s gap every 10 s), without and with 10 minutes of 22.05 kHz audio.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/synthetic_pose.h"

namespace {

constexpr double kDuration_s = 600;
constexpr int kSampleRate = 22050;

void BM_AnalyzeTenMinutes(benchmark::State& state) {
  const auto sequence = dd::testing::render(dd::testing::arm_swing(2), kDuration_s, 30, {},
                                            [](double t) { return std::fmod(t, 10) < 9.7; });
  std::vector<float> samples;
  dd::analysis::AudioView audio;
  const bool with_audio = state.range(0) != 0;
  if (with_audio) {
    samples = dd::testing::click_track(120, kDuration_s, kSampleRate);
    audio = {samples, kSampleRate};
  }
  for (auto _ : state) {
    auto result = dd::analysis::analyze(sequence, with_audio ? &audio : nullptr);
    // Expected result: the 2 Hz swing is found (120 BPM), and 120 BPM music when there is audio.
    if (!result || !result->rhythm.bpm || std::abs(*result->rhythm.bpm - 120) > 2 ||
        (with_audio && (!result->music.bpm || std::abs(*result->music.bpm - 120) > 1))) {
      state.SkipWithError("analysis of the synthetic dancer gave the wrong tempo");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.counters["frames"] = static_cast<double>(sequence.frames.size());
}
BENCHMARK(BM_AnalyzeTenMinutes)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
