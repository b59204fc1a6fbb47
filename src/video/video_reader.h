// Decoding a video file into RGB or I420 frames with real presentation timestamps, rotation applied.
#pragma once

#include "core/result.h"
#include "video/i420.h"
#include "video/probe.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>

namespace dd::video {

enum class FramePixels { kRgb24, kI420 };

struct VideoFrame {
  cv::Mat rgb;             // kRgb24: CV_8UC3, R,G,B byte order, continuous, rotation applied
  cv::Mat i420;            // kI420: see i420.h, values in the reader's yuv_matrix(), rotation applied
  int64_t index = 0;       // output frame number from 0
  double timestamp_s = 0;  // presentation time from the stream, relative to its start
};

struct ReaderOptions {
  int thread_count = 0;    // decoder threads; 0 lets FFmpeg choose (one per core)
  int max_height = 0;      // >0: frames taller than this (after rotation) are scaled down to it,
                           // keeping the aspect ratio; trades landmark detail for speed
  int max_short_side = 0;  // >0: likewise for the shorter side (1080 turns 4K into 1080p, either way up)
  // kI420 keeps the decoder's values (only full range is narrowed) and makes the size even by
  // dropping an odd last row or column, as the H.264 writer would.
  FramePixels pixels = FramePixels::kRgb24;
};

class VideoReader {
 public:
  // A reader positioned before the first frame; the probe's errors, plus DataLoss or
  // Unimplemented when the video decoder cannot be opened.
  static Result<std::unique_ptr<VideoReader>> open(const std::filesystem::path& path,
                                                   const ReaderOptions& options = {});
  ~VideoReader();
  VideoReader(const VideoReader&) = delete;
  VideoReader& operator=(const VideoReader&) = delete;

  // What the probe found (width/height are the displayed size before any scaling).
  const VideoInfo& info() const;
  // Size of the frames read() yields (width, height), after rotation and scaling.
  cv::Size output_size() const;
  // The colour matrix of I420 frames: the stream's own (BT.601 when it does not say).
  YuvMatrix yuv_matrix() const;
  // The stream's primaries and transfer where it states them (0 where it does not).
  ColourTags colour_tags() const;
  // Next frame into frame: true, or false at the end of the stream; DataLoss when the
  // stream ends without a single decodable frame. Corrupt packets are skipped and counted.
  Result<bool> read(VideoFrame& frame);
  // Packets or frames the decoder rejected so far.
  int64_t corrupt_packet_count() const;
  // True once reading stopped on an error before the end of the file (a truncated file).
  bool ended_early() const;

 private:
  struct State;
  explicit VideoReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace dd::video
