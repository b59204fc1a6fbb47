// The four MediaPipe pose model files: their names, SHA-256 sums, and where to find them.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dd::pose {

enum class ModelFile { kDetector, kLandmarkLite, kLandmarkFull, kLandmarkHeavy };

inline constexpr ModelFile kAllModelFiles[] = {ModelFile::kDetector, ModelFile::kLandmarkLite,
                                               ModelFile::kLandmarkFull, ModelFile::kLandmarkHeavy};

struct ModelFileInfo {
  std::string_view file_name;  // name under the model directory
  std::string_view sha256;     // of the file in npm @mediapipe/pose@0.5.1675469404
};

const ModelFileInfo& model_file_info(ModelFile model);

// The landmark models' names, lightest first: the one list every CLI flag and the API accept.
inline constexpr std::array<std::string_view, 3> kLandmarkModelNames = {"lite", "full", "heavy"};

// "lite, full, heavy": the accepted names for messages and help texts.
std::string landmark_model_names_text();

// Parses a name of kLandmarkModelNames into the landmark model; InvalidArgument otherwise.
Result<ModelFile> landmark_model_from_name(std::string_view name);

// Short name of a landmark model ("lite", "full", "heavy") or "detector".
std::string_view model_file_short_name(ModelFile model);

// Path of the model under model_dir after checking it exists (NotFound, with the path and
// how to install it) and, when verify_checksum, that its SHA-256 matches (DataLoss, naming
// the file).
Result<std::filesystem::path> locate_model_file(const std::filesystem::path& model_dir, ModelFile model,
                                                bool verify_checksum);

}  // namespace dd::pose
