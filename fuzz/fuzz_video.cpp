// libFuzzer: the video probe, frame reader and audio decoder (FFmpeg behind our wrappers) on
// mutated media written to a temporary file. FFmpeg itself is not instrumented, so coverage
// counts our wrapper code; crashes anywhere are still caught.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/log.h"
#include "video/audio_decoder.h"
#include "video/probe.h"
#include "video/video_reader.h"

namespace {

const std::filesystem::path& media_path() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("dd_fuzz_video_" + std::to_string(getpid()) + ".bin");
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  dd::set_log_level("off");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(media_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto info = dd::video::probe_video(media_path());
  if (!info) return 0;
  dd::video::ReaderOptions options;
  options.thread_count = 1;
  options.max_height = 64;
  if (auto reader = dd::video::VideoReader::open(media_path(), options)) {
    dd::video::VideoFrame frame;
    for (int i = 0; i < 8; ++i) {
      auto more = (*reader)->read(frame);
      if (!more || !*more) break;
    }
  }
  if (info->has_audio) (void)dd::video::decode_audio(media_path(), 8000);
  return 0;
}
