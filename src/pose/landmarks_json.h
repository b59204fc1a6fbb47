// Landmark JSON files: {"video","width","height","fps","model","frames":[{"index","t",
// "landmarks":null|[[x,y,z,visibility]x33],"world":null|[...]}]}, the format of
// MediaPipe reference runs and of `dancedynamics pose --out`.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"
#include "pose/pose_frame.h"

namespace dd::pose {

struct LandmarksDocument {
  std::string video;      // file name of the source video
  std::string model;      // landmark model: lite | full | heavy
  PoseSequence sequence;  // presence is not stored: read-back landmarks carry presence 0
};

// The document as JSON text (frames without a pose get null landmarks and world).
std::string landmarks_to_json(const LandmarksDocument& document);

// Writes landmarks_to_json to path, streamed frame by frame; Unavailable if the file cannot be written.
Status write_landmarks_json(const std::filesystem::path& path, const LandmarksDocument& document);
// The same without copying the sequence into a LandmarksDocument.
Status write_landmarks_json(const std::filesystem::path& path, std::string_view video, std::string_view model,
                            const PoseSequence& sequence);

// Parses and validates a document; InvalidArgument naming the first problem (bad JSON,
// missing or mistyped field, a landmark list that is not 33 x 4 numbers). Unknown keys are ignored.
Result<LandmarksDocument> parse_landmarks_json(std::string_view text);

// Reads and parses a file; NotFound if it cannot be opened, otherwise as parse_landmarks_json.
Result<LandmarksDocument> read_landmarks_json(const std::filesystem::path& path);

}  // namespace dd::pose
