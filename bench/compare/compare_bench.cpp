// Time to compare two analysed 60 s, 30 fps clips (issue 12 target: under 1 s): the tests'
// synthetic dancer against a copy starting 1 s later and 5% slower, with --mirror auto (two
// alignments) and off. Run with --benchmark_repetitions=5 for a median.
#include <benchmark/benchmark.h>

#include <cmath>

#include "compare/compare.h"
#include "compare/synthetic_dance.h"

namespace {

constexpr double kDuration_s = 60;
constexpr double kFps = 30;

void BM_CompareSixtySecondClips(benchmark::State& state) {
  using namespace dd::compare;
  const auto reference =
      testing::make_sequence(kDuration_s, kFps, [](double t) { return testing::dance_pose(t); });
  const auto student =
      testing::make_sequence(kDuration_s, kFps, [](double t) -> std::optional<dd::pose::PoseFrame> {
        if (t < 1) return std::nullopt;
        return testing::dance_pose((t - 1) / 1.05);
      });
  CompareOptions options;
  options.mirror = state.range(0) != 0 ? MirrorMode::kAuto : MirrorMode::kOff;
  for (auto _ : state) {
    auto result = compare_sequences(reference, student, options);
    // Expected result: the copy is found 1 s late and 5% slower.
    if (!result || std::abs(result->offset_s - 1 - 0.05 * kDuration_s / 2) > 0.5 ||
        std::abs(result->tempo_ratio - 1.05) > 0.02) {
      state.SkipWithError("the comparison did not find the known offset and tempo");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.counters["frames"] = static_cast<double>(reference.frames.size() + student.frames.size());
}
BENCHMARK(BM_CompareSixtySecondClips)->ArgName("mirror_auto")->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

}  // namespace
BENCHMARK_MAIN();
