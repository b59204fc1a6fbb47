// skeleton.bvh export: a BVH skeleton rooted at the hips whose bone lengths are the dancer's
// median landmark distances, with per-sample joint rotations solved from the MotionTrack.
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "report/motion_track.h"

namespace dd::report {

// The joints in file (depth-first) order: Hips, Spine, Neck, Head, shoulders, elbows, wrists,
// hips, knees, ankles. Each joint sits on a landmark or the midpoint of two (docs/analysis.md).
std::vector<std::string_view> bvh_joint_names();

// Writes the HIERARCHY (T-pose rest: Y up, facing +Z, the dancer's left on +X, metres) and
// one MOTION row per sample (Frame Time = 1 / rate): the hips' position, then Z X Y Euler
// angles in degrees of every joint relative to its parent (rotation = Rz * Rx * Ry). A
// sample whose landmarks are missing repeats the nearest solved pose. FailedPrecondition
// when no sample has a whole skeleton; Unavailable when the stream fails.
Status write_bvh(const MotionTrack& track, std::ostream& out);

}  // namespace dd::report
