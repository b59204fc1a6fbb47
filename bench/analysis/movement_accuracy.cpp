// Accuracy of the movement types on the hand-labelled real clips (tests/data/movement), not a
// test: prints per-frame and per-clip confusion matrices, agreement between the landmark
// models, and each clip's intensity, as markdown; with a clip name, also that clip's types
// every 0.1 s (S W D J C, - without pose) under its labels.
// Usage: movement_accuracy [data_dir [clip]]
#include <array>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/movement_fixture.h"

namespace {

using dd::analysis::kMovementTypeCount;
using dd::analysis::movement_type_name;
using dd::analysis::MovementType;
using Matrix = std::array<std::array<int, kMovementTypeCount>, kMovementTypeCount>;

void print_matrix(const char* title, const Matrix& m) {
  std::printf("\n%s (rows: labelled, columns: predicted)\n\n| |", title);
  for (size_t t = 0; t < kMovementTypeCount; ++t)
    std::printf(" %s |", movement_type_name(static_cast<MovementType>(t)));
  std::printf("\n|---|");
  for (size_t t = 0; t < kMovementTypeCount; ++t) std::printf("---|");
  std::printf("\n");
  for (size_t r = 0; r < kMovementTypeCount; ++r) {
    std::printf("| %s |", movement_type_name(static_cast<MovementType>(r)));
    for (size_t c = 0; c < kMovementTypeCount; ++c) std::printf(" %d |", m[r][c]);
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc >= 2 ? argv[1] : "tests/data/movement";
  const std::string shown_clip = argc >= 3 ? argv[2] : "";
  const auto clips = dd::testing::read_movement_labels(dir + "/labels.json");
  if (clips.empty()) {
    std::fprintf(stderr, "no labels in %s/labels.json\n", dir.c_str());
    return 1;
  }
  const std::vector<std::string> models = {"lite", "full", "heavy"};
  std::map<std::string, Matrix> frame_matrix, clip_matrix;
  std::map<std::string, std::array<int, 2>> accepted;  // model -> accepted, labelled frames
  // model -> per labelled type: timeline intensity sum and point count
  std::map<std::string, std::array<std::array<double, 2>, kMovementTypeCount>> type_intensity;
  std::printf("| clip | model | accepted frames | dominant | distribution S/W/D/J/C %% | intensity |\n");
  std::printf("|---|---|---|---|---|---|\n");
  int agreeing_clips = 0, clip_count = 0;
  double agreeing_frames = 0, compared_frames = 0;
  for (const auto& clip : clips) {
    std::map<std::string, std::vector<std::optional<MovementType>>> frame_types;
    std::map<std::string, MovementType> dominant;
    for (const auto& model : models) {
      const auto sequence = dd::testing::read_movement_fixture(dir + "/" + clip.clip + "." + model + ".txt");
      if (!sequence) continue;
      const auto result = dd::analysis::analyze(*sequence, nullptr);
      if (!result) continue;
      const auto score = dd::testing::score_clip(clip, *sequence, *result);
      for (size_t r = 0; r < kMovementTypeCount; ++r)
        for (size_t c = 0; c < kMovementTypeCount; ++c) frame_matrix[model][r][c] += score.confusion[r][c];
      accepted[model][0] += score.accepted_frames;
      accepted[model][1] += score.labelled_frames;
      ++clip_matrix[model][static_cast<size_t>(clip.dominant.front())]
                   [static_cast<size_t>(result->movement_type)];
      frame_types[model] = result->frame_types;
      for (const auto& point : result->timeline) {
        const auto* segment = clip.at(point.t_s);
        if (segment == nullptr || !point.intensity) continue;
        auto& cell = type_intensity[model][static_cast<size_t>(segment->accepted.front())];
        cell[0] += *point.intensity;
        cell[1] += 1;
      }
      if (clip.clip == shown_clip) {
        std::string labelled, predicted;
        double next_s = 0;
        for (size_t f = 0; f < sequence->frames.size(); ++f) {
          const double t = sequence->frames[f].timestamp_s;
          if (t + 1e-9 < next_s) continue;
          next_s += 0.1;
          const auto* segment = clip.at(t);
          labelled += segment ? movement_type_name(segment->accepted.front())[0] : ' ';
          predicted += result->frame_types[f] ? movement_type_name(*result->frame_types[f])[0] : '-';
        }
        std::string intensity;  // tens of the timeline's intensity, every 0.1 s
        for (const auto& point : result->timeline)
          intensity += point.intensity
                           ? static_cast<char>('0' + std::min(9, static_cast<int>(*point.intensity / 10)))
                           : '-';
        std::fprintf(stderr, "%-6s label %s\n%-6s types %s\n%-6s 10s   %s\n", model.c_str(), labelled.c_str(),
                     model.c_str(), predicted.c_str(), model.c_str(), intensity.c_str());
      }
      dominant[model] = result->movement_type;
      const auto& d = result->movement_distribution;
      std::printf("| %s | %s | %.0f%% | %s%s | %.0f/%.0f/%.0f/%.0f/%.0f | %.0f |\n", clip.clip.c_str(),
                  model.c_str(), 100 * score.accuracy(), movement_type_name(result->movement_type),
                  score.dominant_accepted ? "" : " (wrong)", 100 * d[0], 100 * d[1], 100 * d[2], 100 * d[3],
                  100 * d[4], result->body.intensity);
    }
    if (dominant.size() >= 2) {
      ++clip_count;
      bool same = true;
      for (const auto& [model, type] : dominant) same &= type == dominant.begin()->second;
      agreeing_clips += same ? 1 : 0;
      // Per frame: every pair of models.
      for (auto a = frame_types.begin(); a != frame_types.end(); ++a) {
        for (auto b = std::next(a); b != frame_types.end(); ++b) {
          for (size_t f = 0; f < a->second.size() && f < b->second.size(); ++f) {
            if (!a->second[f] || !b->second[f]) continue;
            compared_frames += 1;
            agreeing_frames += *a->second[f] == *b->second[f] ? 1 : 0;
          }
        }
      }
    }
  }
  for (const auto& [model, counts] : accepted) {
    std::printf("\n## %s: %d of %d labelled frames accepted (%.1f%%)\n", model.c_str(), counts[0], counts[1],
                counts[1] > 0 ? 100.0 * counts[0] / counts[1] : 0.0);
    print_matrix("Per frame", frame_matrix[model]);
    print_matrix("Per clip (dominant type; labelled = the clip's first accepted type)", clip_matrix[model]);
    std::printf("\nMean timeline intensity of the frames labelled:");
    for (size_t t = 0; t < kMovementTypeCount; ++t) {
      const auto& cell = type_intensity[model][t];
      if (cell[1] > 0)
        std::printf(" %s %.0f (%.0f s);", movement_type_name(static_cast<MovementType>(t)), cell[0] / cell[1],
                    cell[1] / 10);
    }
    std::printf("\n");
  }
  std::printf("\nModels agree on the dominant type of %d of %d clips and on %.1f%% of frames (pairs)\n",
              agreeing_clips, clip_count,
              compared_frames > 0 ? 100 * agreeing_frames / compared_frames : 0.0);
  return 0;
}
