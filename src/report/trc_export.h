// landmarks.trc export: an OpenSim marker file (tab-separated, PathFileType 4) of a dancer's
// MotionTrack, the 33 BlazePose landmark names as markers.
#pragma once

#include <ostream>
#include <string_view>

#include "core/result.h"
#include "report/motion_track.h"

namespace dd::report {

// Writes the TRC header (DataRate = CameraRate = OrigDataRate = the track's rate, Units m,
// OrigDataStartFrame 1) and one row per sample: Frame# from 1, Time in s (the video's time), then X Y Z
// of each marker in metres with Y up (OpenSim's vertical axis); a missing marker is three
// empty fields. `file_name` goes into the first line. Unavailable when the stream fails.
Status write_trc(const MotionTrack& track, std::string_view file_name, std::ostream& out);

}  // namespace dd::report
