// Encoding RGB or I420 frames to an H.264 MP4 (+faststart) with each frame's own timestamp, optionally
// carrying over another file's audio in sync. The file appears only when finish() succeeds.
#pragma once

#include "core/result.h"
#include "video/i420.h"

#include <opencv2/core.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace dd::video {

struct WriterOptions {
  // x264 quality (lower is better and bigger) and preset. Measured on 4 s of the sample
  // dance clips (1080p, 1080x1920 portrait, 720p): superfast at CRF 28 matches ultrafast at
  // CRF 23 in SSIM (26.9/22.2/20.2 against 25.7/22.4/20.3 dB) in 45-71% smaller files
  // (1.01/0.73/0.34 MB against 1.83/1.81/1.16 MB, the sources being 1.05/0.90/0.61 MB) for
  // about 1.8x x264's CPU time; veryfast at CRF 26 is smaller still but costs 2.3-3x.
  // ultrafast with CABAC and the deblocking filter off made overlays up to 9x their source.
  int crf = 28;
  std::string preset = "superfast";
  int thread_count = 0;  // encoder threads; 0 lets x264 choose
  // The colour matrix the stream is tagged with: write_i420's frames must be in it; RGB
  // frames are converted with BT.601, so write() needs the defaults here and in tags.
  YuvMatrix matrix = YuvMatrix::kBt601;
  ColourTags tags;                     // primaries and transfer to state instead of the matrix's SDR ones
  std::filesystem::path audio_source;  // file whose audio to keep (empty: no audio); AAC, MP3
                                       // and ALAC are copied, anything else becomes AAC
};

class VideoWriter {
 public:
  // A writer for frames of width x height (odd sizes lose their last row/column, as H.264
  // 4:2:0 needs even sizes); fps is the nominal rate (rate control, last frame's length).
  // InvalidArgument for bad sizes/options, NotFound/InvalidArgument/DataLoss for the audio
  // source, Unavailable when the output cannot be created.
  static Result<std::unique_ptr<VideoWriter>> create(const std::filesystem::path& path, int width, int height,
                                                     double fps, const WriterOptions& options = {});
  // Deletes the temporary file unless finish() succeeded.
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  // Encodes one RGB24 frame shown at timestamp_s (seconds from the start; should increase).
  // InvalidArgument for a wrong size/type, Internal/Unavailable when encoding or writing fails.
  Status write(const cv::Mat& rgb, double timestamp_s);
  // The same for an I420 frame (see i420.h) of the even-cropped size, in WriterOptions::matrix.
  Status write_i420(const cv::Mat& i420, double timestamp_s);
  // Flushes encoders, writes the remaining audio and the index, and moves the file into place.
  Status finish();
  // Frames accepted so far.
  int64_t frame_count() const;

 private:
  struct State;
  explicit VideoWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace dd::video
