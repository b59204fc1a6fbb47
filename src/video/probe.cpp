#include "video/probe.h"

#include "video/detail/av_input.h"

namespace dd::video {

Result<VideoInfo> probe_video(const std::filesystem::path& path) {
  auto format = detail::open_input(path);
  if (!format) return format.error();
  return detail::describe_input(**format, path);
}

}  // namespace dd::video
