// Probing a video file: container, codecs, geometry after rotation, timing and audio facts,
// read from the headers without decoding the whole file.
#pragma once

#include "core/result.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace dd::video {

struct VideoInfo {
  std::string path;
  std::string container;    // libavformat's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::string video_codec;  // e.g. "h264"
  int width = 0;            // displayed width in pixels (rotation applied)
  int height = 0;           // displayed height in pixels (rotation applied)
  int rotation_deg = 0;     // clockwise rotation applied to decoded frames: 0, 90, 180, 270
  double fps = 0;           // average frame rate
  double duration_s = 0;
  int64_t frame_count = 0;
  bool frame_count_estimated = false;  // true: duration * fps, the container had no count
  bool has_audio = false;
  std::string audio_codec;  // empty without audio
  int audio_sample_rate = 0;
  int audio_channels = 0;
  int64_t size_bytes = 0;
};

// Facts about the video at path; NotFound when missing, InvalidArgument when it is not a
// video (empty, text, audio only, absurd size), DataLoss when it is truncated beyond opening.
Result<VideoInfo> probe_video(const std::filesystem::path& path);

}  // namespace dd::video
