#include "pipeline/pipeline_options.h"

#include <cmath>
#include <string>

#include "pose/model_files.h"

namespace dd::pipeline {
namespace {

// Below this the overlay's HUD text is no longer legible.
constexpr int kMinOverlaySize = 120;

bool is_probability(double value) {
  return std::isfinite(value) && value >= 0.0 && value <= 1.0;
}

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

Status validate_options(const PipelineOptions& options) {
  if (!pose::landmark_model_from_name(options.pose.model))
    return invalid("model must be one of " + pose::landmark_model_names_text());
  if (!is_probability(options.pose.min_detection_confidence))
    return invalid("min_detection_confidence must be a number from 0 to 1");
  if (!is_probability(options.pose.min_tracking_confidence))
    return invalid("min_tracking_confidence must be a number from 0 to 1");
  if (options.pose.num_threads < 0) return invalid("num_threads must be >= 0");
  if (options.overlay_max_size != 0 && options.overlay_max_size < kMinOverlaySize)
    return invalid("overlay_max_size must be 0 (the input's size) or at least " +
                   std::to_string(kMinOverlaySize));
  return ok_status();
}

Result<PipelineOptions> options_from_json(const nlohmann::json& options, const PipelineOptions& defaults) {
  if (!options.is_object()) return invalid("options must be a JSON object");
  PipelineOptions result = defaults;
  for (const auto& [key, value] : options.items()) {
    if (key == "model") {
      if (!value.is_string()) return invalid("model must be one of " + pose::landmark_model_names_text());
      result.pose.model = value.get<std::string>();
    } else if (key == "write_video" || key == "smooth_landmarks") {
      if (!value.is_boolean()) return invalid(key + " must be true or false");
      (key == "write_video" ? result.write_video : result.pose.smooth_landmarks) = value.get<bool>();
    } else if (key == "min_detection_confidence" || key == "min_tracking_confidence") {
      if (!value.is_number() || !is_probability(value.get<double>()))
        return invalid(key + " must be a number from 0 to 1");
      (key == "min_detection_confidence" ? result.pose.min_detection_confidence
                                         : result.pose.min_tracking_confidence) = value.get<float>();
    } else if (key == "overlay_max_size") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 1 << 16)
        return invalid("overlay_max_size must be a whole number of pixels");
      result.overlay_max_size = value.get<int>();
    } else {
      return invalid("unknown option: " + key);
    }
  }
  DD_TRY(validate_options(result));
  return result;
}

}  // namespace dd::pipeline
