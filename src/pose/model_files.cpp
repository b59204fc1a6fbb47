#include "pose/model_files.h"

#include <system_error>

#include "core/sha256.h"

namespace dd::pose {

const ModelFileInfo& model_file_info(ModelFile model) {
  static const ModelFileInfo kDetector{"pose_detection.tflite",
                                       "a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85"};
  static const ModelFileInfo kLite{"pose_landmark_lite.tflite",
                                   "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"};
  static const ModelFileInfo kFull{"pose_landmark_full.tflite",
                                   "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"};
  static const ModelFileInfo kHeavy{"pose_landmark_heavy.tflite",
                                    "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"};
  switch (model) {
    case ModelFile::kDetector: return kDetector;
    case ModelFile::kLandmarkLite: return kLite;
    case ModelFile::kLandmarkFull: return kFull;
    case ModelFile::kLandmarkHeavy: return kHeavy;
  }
  return kFull;
}

std::string landmark_model_names_text() {
  std::string text;
  for (std::string_view name : kLandmarkModelNames) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

Result<ModelFile> landmark_model_from_name(std::string_view name) {
  for (ModelFile model : {ModelFile::kLandmarkLite, ModelFile::kLandmarkFull, ModelFile::kLandmarkHeavy}) {
    if (model_file_short_name(model) == name) return model;
  }
  return make_error(
      ErrorCode::kInvalidArgument,
      "unknown model '" + std::string(name) + "' (expected one of " + landmark_model_names_text() + ")");
}

std::string_view model_file_short_name(ModelFile model) {
  switch (model) {
    case ModelFile::kDetector: return "detector";
    case ModelFile::kLandmarkLite: return "lite";
    case ModelFile::kLandmarkFull: return "full";
    case ModelFile::kLandmarkHeavy: return "heavy";
  }
  return "full";
}

Result<std::filesystem::path> locate_model_file(const std::filesystem::path& model_dir, ModelFile model,
                                                bool verify_checksum) {
  const ModelFileInfo& info = model_file_info(model);
  const std::filesystem::path path = model_dir / std::string(info.file_name);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return make_error(ErrorCode::kNotFound, "model file " + path.string() +
                                                " is missing (run scripts/setup.sh, or set DD_MODEL_DIR)");
  }
  if (verify_checksum) {
    auto digest = sha256_file_hex(path);
    if (!digest) return digest.error();
    if (*digest != info.sha256) {
      return make_error(ErrorCode::kDataLoss, "model file " + path.string() + " has SHA-256 " + *digest +
                                                  ", expected " + std::string(info.sha256) +
                                                  " (reinstall with scripts/setup.sh)");
    }
  }
  return path;
}

}  // namespace dd::pose
