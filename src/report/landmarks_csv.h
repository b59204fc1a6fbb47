// landmarks.csv export: one row per landmark per frame with a pose.
#pragma once

#include <filesystem>
#include <ostream>
#include <string_view>

#include "core/result.h"
#include "pose/pose_frame.h"

namespace dd::report {

// Lower-case BlazePose name of a landmark index ("nose", "left_shoulder", ...); "" out of range.
std::string_view landmark_name(int index);

// Writes the header `frame,time,landmark,x,y,z,visibility` and 33 rows per frame with a pose
// (frame index, time in s, landmark name, x and y normalised to the frame, z on the scale of
// x, visibility 0..1). Frames without a pose have no rows. Fails with kUnavailable when the
// stream goes bad.
Status write_landmarks_csv(const pose::PoseSequence& sequence, std::ostream& out);

// The same into a file; fails with kUnavailable when it cannot be written.
Status write_landmarks_csv(const pose::PoseSequence& sequence, const std::filesystem::path& path);

}  // namespace dd::report
