// Manual accuracy check (not a test): runs the analysis on a MediaPipe landmark JSON
// ({"width","height","fps","frames":[{"index","t","landmarks":null|[[x,y,z,v]x33]}]}) and,
// optionally, raw mono float32 audio (ffmpeg -i clip -ac 1 -ar 22050 -f f32le out.raw), and
// prints results.json. Usage: reference_clip_check landmarks.json [audio.raw [sample_rate]]
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "report/results_json.h"

namespace {

bool load_sequence(const char* path, dd::pose::PoseSequence& sequence) {
  std::ifstream in(path);
  if (!in) return false;
  try {
    const nlohmann::json doc = nlohmann::json::parse(in);
    sequence.width = doc.at("width").get<int>();
    sequence.height = doc.at("height").get<int>();
    sequence.fps = doc.at("fps").get<double>();
    for (const auto& f : doc.at("frames")) {
      dd::pose::PoseFrame frame;
      frame.index = f.at("index").get<int64_t>();
      frame.timestamp_s = f.at("t").get<double>();
      const auto& lms = f.at("landmarks");
      frame.detected = !lms.is_null();
      if (frame.detected) {
        for (size_t i = 0; i < lms.size() && i < frame.landmarks.size(); ++i) {
          frame.landmarks[i] = {lms[i][0].get<float>(), lms[i][1].get<float>(), lms[i][2].get<float>(),
                                lms[i][3].get<float>(), 1.0f};
        }
      }
      sequence.frames.push_back(frame);
    }
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "bad JSON: " << e.what() << '\n';
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: reference_clip_check landmarks.json [audio.f32 [sample_rate]]\n";
    return 2;
  }
  dd::pose::PoseSequence sequence;
  if (!load_sequence(argv[1], sequence)) {
    std::cerr << "cannot read " << argv[1] << '\n';
    return 1;
  }
  std::vector<float> samples;
  dd::analysis::AudioView audio;
  if (argc >= 3) {
    std::ifstream raw(argv[2], std::ios::binary);
    float x;
    while (raw.read(reinterpret_cast<char*>(&x), sizeof x)) samples.push_back(x);
    audio.samples = samples;
    audio.sample_rate = argc >= 4 ? std::stoi(argv[3]) : 22050;
  }
  auto result = dd::analysis::analyze(sequence, argc >= 3 ? &audio : nullptr);
  if (!result) {
    std::cerr << result.error().message << '\n';
    return 1;
  }
  dd::report::VideoSummary video{argv[1],
                                 sequence.fps,
                                 static_cast<int64_t>(sequence.frames.size()),
                                 sequence.width,
                                 sequence.height,
                                 sequence.frames.empty() ? 0 : sequence.frames.back().timestamp_s,
                                 0,
                                 argc >= 3};
  dd::report::ProcessingStats stats{
      static_cast<int64_t>(sequence.frames.size()), result->frames_with_pose, 0, "reference", {}};
  std::cout << dd::report::build_results_json(video, stats, *result).dump(1) << '\n';
  return 0;
}
