#include "report/trc_export.h"

#include <cstdio>
#include <string>

#include "report/landmarks_csv.h"

namespace dd::report {

Status write_trc(const MotionTrack& track, std::string_view file_name, std::ostream& out) {
  const size_t frame_count = track.samples.size();
  char text[160];
  out << "PathFileType\t4\t(X/Y/Z)\t" << file_name << '\n';
  out << "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames"
         "\n";
  std::snprintf(text, sizeof text, "%.6g\t%.6g\t%zu\t%d\tm\t%.6g\t1\t%zu\n", track.rate_hz, track.rate_hz,
                frame_count, pose::kLandmarkCount, track.rate_hz, frame_count);
  out << text;
  out << "Frame#\tTime";
  for (int marker = 0; marker < pose::kLandmarkCount; ++marker)
    out << '\t' << landmark_name(marker) << "\t\t";
  out << "\n\t";
  for (int marker = 1; marker <= pose::kLandmarkCount; ++marker)
    out << "\tX" << marker << "\tY" << marker << "\tZ" << marker;
  out << "\n\n";

  std::string line;
  for (size_t k = 0; k < frame_count; ++k) {
    const auto& sample = track.samples[k];
    std::snprintf(text, sizeof text, "%zu\t%.5f", k + 1, sample.time_s);
    line = text;
    for (int marker = 0; marker < pose::kLandmarkCount; ++marker) {
      if (!sample.has(marker)) {
        line.append(3, '\t');
        continue;
      }
      const auto& p = sample.at(marker);
      std::snprintf(text, sizeof text, "\t%.6f\t%.6f\t%.6f", p.x, p.y, p.z);
      line += text;
    }
    out << line << '\n';
  }
  if (!out) return make_error(ErrorCode::kUnavailable, "report: landmarks.trc write failed");
  return ok_status();
}

}  // namespace dd::report
