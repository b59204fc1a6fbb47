#include "server/upload_probe.h"

#include "video/probe.h"

namespace dd::server {

Result<UploadedVideo> probe_upload(const std::filesystem::path& path) {
  auto info = video::probe_video(path);
  if (!info) return info.error();
  if (info->width <= 0 || info->height <= 0 || info->fps <= 0) {
    return make_error(ErrorCode::kInvalidArgument, "the file has no video picture");
  }
  return UploadedVideo{info->duration_s, info->width, info->height, info->fps, info->frame_count};
}

}  // namespace dd::server
