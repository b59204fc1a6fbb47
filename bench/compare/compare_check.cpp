// Manual check of the comparison on real landmark files (not a test): compares two landmark
// JSON files (MediaPipe reference runs or `dancedynamics pose --out`), optionally after
// changing the student: --shift S drops its first S seconds, --speed F plays it F times
// faster, --mirror flips it. Prints comparison.json without the timeline and path.
// Usage: compare_check reference.json student.json [--shift S] [--speed F] [--mirror]
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <utility>

#include "compare/compare.h"
#include "pose/landmarks_json.h"

namespace {

void mirror_frame(dd::pose::PoseFrame& frame) {
  using namespace dd::pose;
  for (auto& landmark : frame.landmarks) landmark.x = 1 - landmark.x;
  // Left and right swap: pairs of landmarks (1..10 are the face's pairs, 11.. the body's).
  constexpr std::pair<int, int> kPairs[] = {{1, 4},   {2, 5},   {3, 6},   {7, 8},   {9, 10},  {11, 12},
                                            {13, 14}, {15, 16}, {17, 18}, {19, 20}, {21, 22}, {23, 24},
                                            {25, 26}, {27, 28}, {29, 30}, {31, 32}};
  for (const auto& [a, b] : kPairs) std::swap(frame.landmarks[a], frame.landmarks[b]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: compare_check reference.json student.json [--shift S] [--speed F] [--mirror]\n";
    return 2;
  }
  double shift_s = 0, speed = 1;
  bool mirror = false;
  for (int i = 3; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--shift") && i + 1 < argc)
      shift_s = std::stod(argv[++i]);
    else if (!std::strcmp(argv[i], "--speed") && i + 1 < argc)
      speed = std::stod(argv[++i]);
    else if (!std::strcmp(argv[i], "--mirror"))
      mirror = true;
  }
  auto reference = dd::pose::read_landmarks_json(argv[1]);
  auto student = dd::pose::read_landmarks_json(argv[2]);
  if (!reference || !student) {
    std::cerr << "cannot read the landmark files\n";
    return 1;
  }
  dd::pose::PoseSequence changed = student->sequence;
  changed.frames.clear();
  for (auto frame : student->sequence.frames) {
    if (frame.timestamp_s < shift_s) continue;
    frame.timestamp_s = (frame.timestamp_s - shift_s) / speed;
    if (mirror) mirror_frame(frame);
    changed.frames.push_back(frame);
  }
  auto result = dd::compare::compare_sequences(reference->sequence, changed, {});
  if (!result) {
    std::cerr << result.error().message << '\n';
    return 1;
  }
  auto json = dd::compare::comparison_to_json(*result);
  json.erase("timeline");
  json.erase("worst_moments");
  std::cout << json.dump() << '\n';
  return 0;
}
