// Saving a frame as a small JPEG preview.
#pragma once

#include "core/result.h"

#include <opencv2/core.hpp>

#include <filesystem>

namespace dd::video {

// Writes rgb (RGB24) as a JPEG no wider than max_width (never enlarged), aspect kept;
// InvalidArgument for an empty/non-RGB image or bad limits, Unavailable when it cannot be written.
Status save_thumbnail(const cv::Mat& rgb, const std::filesystem::path& path, int max_width = 320,
                      int jpeg_quality = 85);

}  // namespace dd::video
