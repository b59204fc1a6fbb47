// angles.csv export: joint angles and segment angles to the horizontal, per sample of a
// dancer's MotionTrack, in degrees (definitions and figure in docs/analysis.md).
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "report/motion_track.h"

namespace dd::report {

// The angle columns in file order (after frame, time, filled).
std::vector<std::string_view> angle_column_names();

// Writes `frame,time,filled,<angles>`: one row per sample (frame counts samples from 0, time
// in s, filled 1 when a landmark of the row was gap-filled), angles in degrees with three
// decimals, an empty field where a landmark is missing. Unavailable when the stream fails.
Status write_angles_csv(const MotionTrack& track, std::ostream& out);

}  // namespace dd::report
