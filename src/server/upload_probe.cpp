#include "server/upload_probe.h"

#include <string>

#include "video/probe.h"

namespace dd::server {

Result<UploadedVideo> probe_upload(const std::filesystem::path& path) {
  auto info = video::probe_video(path);
  if (!info) {
    // The client sees this message: it names the upload, never where the server keeps it.
    std::string message = info.error().message;
    for (const std::string& where : {": " + path.string(), path.string()}) {
      for (size_t at; (at = message.find(where)) != std::string::npos;) message.replace(at, where.size(), "");
    }
    return make_error(info.error().code, message);
  }
  if (info->width <= 0 || info->height <= 0 || info->fps <= 0) {
    return make_error(ErrorCode::kInvalidArgument, "the file has no video picture");
  }
  return UploadedVideo{info->duration_s, info->width, info->height, info->fps, info->frame_count};
}

}  // namespace dd::server
