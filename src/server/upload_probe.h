// The probe every upload passes before it becomes a session: video::probe_video's facts in
// the shape the API reports.
#pragma once

#include <filesystem>

#include "core/result.h"
#include "server/api.h"

namespace dd::server {

// Duration, size, frame rate and frame count of the video at `path`; InvalidArgument (or
// the probe's error) when it is not a decodable video with a picture.
Result<UploadedVideo> probe_upload(const std::filesystem::path& path);

}  // namespace dd::server
