#include "video/video_reader.h"

#include "core/log.h"
#include "video/detail/av_input.h"

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace dd::video {

struct VideoReader::State {
  VideoInfo info;
  detail::InputFormatPtr format;
  detail::CodecContextPtr decoder;
  detail::PacketPtr packet;
  detail::FramePtr frame;
  detail::SwsPtr sws;
  detail::FramePtr sws_output;  // I420 conversions: padded planes that swscale may overrun
  FramePixels pixels = FramePixels::kRgb24;
  YuvMatrix matrix = YuvMatrix::kBt601;
  ColourTags tags;
  int stream_index = -1;
  AVRational time_base{0, 1};
  int64_t start_pts = AV_NOPTS_VALUE;
  cv::Size scaled_size;  // sws output, before rotation
  bool demux_done = false;
  bool demux_failed = false;  // reading stopped on an error, not at the end of the file
  bool decoder_flushed = false;
  int64_t next_index = 0;
  double last_timestamp_s = -1;
  int64_t corrupt_count = 0;
  // Frame buffers handed out before: one whose only owner is this pool again (the consumer
  // dropped its frame) is reused, which saves allocating and page-faulting ~6 MB per 1080p frame.
  std::vector<cv::Mat> buffers;

  cv::Mat take_buffer(int rows, int cols, int type);
  Status convert_rgb(const AVFrame& frame, cv::Mat& out);
  Status convert_i420(const AVFrame& frame, cv::Mat& out);

  // Counts a skipped packet/frame; a badly damaged file has thousands, so only the first
  // few are logged as warnings.
  void note_corruption(const char* what, int rc) {
    constexpr int64_t kLoggedCorruptions = 5;
    ++corrupt_count;
    if (corrupt_count <= kLoggedCorruptions) {
      DD_LOG_WARN("video: skipping {} in {}: {}{}", what, info.path, detail::av_error_text(rc),
                  corrupt_count == kLoggedCorruptions ? " (further ones not logged)" : "");
    }
  }
};

cv::Mat VideoReader::State::take_buffer(int rows, int cols, int type) {
  // Enough for the pipeline's queue plus the frames being decoded and consumed.
  constexpr size_t kMaxPooledBuffers = 12;
  for (cv::Mat& buffer : buffers) {
    // The consumer thread drops its reference with an atomic decrement; acquire pairs with it.
    const bool only_pool = buffer.u != nullptr && __atomic_load_n(&buffer.u->refcount, __ATOMIC_ACQUIRE) == 1;
    if (only_pool && buffer.rows == rows && buffer.cols == cols && buffer.type() == type) return buffer;
  }
  cv::Mat buffer(rows, cols, type);
  if (buffers.size() < kMaxPooledBuffers) buffers.push_back(buffer);
  return buffer;
}

namespace {

// More than swscale writes or reads past the end of a row in its vector loops.
constexpr int kSwsSpareBytes = 256;

// Scale-before-rotate size: the rotated frame must fit max_height, so a 90/270 rotation
// limits the decoded width. The shorter side is the same either way up.
cv::Size compute_scaled_size(int coded_width, int coded_height, int rotation_deg,
                             const ReaderOptions& options) {
  const bool swap = rotation_deg == 90 || rotation_deg == 270;
  const int displayed_height = swap ? coded_width : coded_height;
  const int short_side = std::min(coded_width, coded_height);
  double scale = 1.0;
  if (options.max_height > 0 && displayed_height > options.max_height)
    scale = std::min(scale, static_cast<double>(options.max_height) / displayed_height);
  if (options.max_short_side > 0 && short_side > options.max_short_side)
    scale = std::min(scale, static_cast<double>(options.max_short_side) / short_side);
  if (scale >= 1.0) return {coded_width, coded_height};
  // Even sizes keep chroma planes aligned for the encoder later on.
  auto even = [](double v) { return std::max(2, static_cast<int>(std::lround(v / 2.0)) * 2); };
  return {even(coded_width * scale), even(coded_height * scale)};
}

int sws_colorspace(AVColorSpace space) {
  switch (space) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    default: return SWS_CS_ITU601;
  }
}

YuvMatrix yuv_matrix_of(AVColorSpace space) {
  switch (space) {
    case AVCOL_SPC_BT709: return YuvMatrix::kBt709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return YuvMatrix::kBt2020;
    default: return YuvMatrix::kBt601;
  }
}

cv::Mat rotate_i420(cv::Mat& i420, cv::RotateFlags rotation) {
  const cv::Size size = i420_picture_size(i420);
  const bool swap = rotation != cv::ROTATE_180;
  const cv::Size rotated_size = swap ? cv::Size(size.height, size.width) : size;
  cv::Mat rotated(rotated_size.height * 3 / 2, rotated_size.width, CV_8UC1);
  I420Planes from = i420_planes(i420);
  I420Planes to = i420_planes(rotated);
  cv::rotate(from.y, to.y, rotation);
  cv::rotate(from.u, to.u, rotation);
  cv::rotate(from.v, to.v, rotation);
  return rotated;
}

bool is_full_range(const AVFrame& frame) {
  switch (static_cast<AVPixelFormat>(frame.format)) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P: return true;
    default: return frame.color_range == AVCOL_RANGE_JPEG;
  }
}

std::optional<cv::RotateFlags> rotation_of(int degrees) {
  switch (degrees) {
    case 90: return cv::ROTATE_90_CLOCKWISE;
    case 180: return cv::ROTATE_180;
    case 270: return cv::ROTATE_90_COUNTERCLOCKWISE;
    default: return std::nullopt;
  }
}

Error unconvertible(const AVFrame& frame, const char* to) {
  const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format));
  return make_error(ErrorCode::kUnimplemented, std::string("cannot convert pixel format ") +
                                                   (name != nullptr ? name : "unknown") + " to " + to);
}

}  // namespace

Status VideoReader::State::convert_rgb(const AVFrame& frame, cv::Mat& out) {
  sws.reset(sws_getCachedContext(
      sws.release(), frame.width, frame.height, static_cast<AVPixelFormat>(frame.format), scaled_size.width,
      scaled_size.height, AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr));
  if (!sws) return unconvertible(frame, "RGB");
  const int* coefficients = sws_getCoefficients(sws_colorspace(frame.colorspace));
  sws_setColorspaceDetails(sws.get(), coefficients, is_full_range(frame) ? 1 : 0,
                           sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);

  // swscale's SIMD code may write a few bytes past the last row (seen at 1080 px wide RGB24),
  // so the buffer gets spare rows and the frame is a view of the rows above (still continuous).
  const int spare_rows = 1 + kSwsSpareBytes / (scaled_size.width * 3);
  cv::Mat buffer = take_buffer(scaled_size.height + spare_rows, scaled_size.width, CV_8UC3);
  cv::Mat scaled = buffer.rowRange(0, scaled_size.height);
  uint8_t* dst_data[4] = {scaled.data, nullptr, nullptr, nullptr};
  const int dst_stride[4] = {static_cast<int>(scaled.step[0]), 0, 0, 0};
  sws_scale(sws.get(), frame.data, frame.linesize, 0, frame.height, dst_data, dst_stride);

  if (auto rotation = rotation_of(info.rotation_deg)) {
    cv::rotate(scaled, out, *rotation);
  } else {
    out = std::move(scaled);
  }
  return ok_status();
}

Status VideoReader::State::convert_i420(const AVFrame& frame, cv::Mat& out) {
  const cv::Size size = scaled_size;  // even
  // Dropping an odd last row/column is a crop, not a rescale: the source is read cut to size.
  const bool unscaled = size.width == (frame.width & ~1) && size.height == (frame.height & ~1);
  const int source_width = unscaled ? size.width : frame.width;
  const int source_height = unscaled ? size.height : frame.height;
  cv::Mat buffer = take_buffer(size.height * 3 / 2, size.width, CV_8UC1);
  I420Planes planes = i420_planes(buffer);
  const AVFrame* source = &frame;
  if (!unscaled || frame.format != AV_PIX_FMT_YUV420P || is_full_range(frame)) {
    if (!sws_output || sws_output->width != size.width || sws_output->height != size.height) {
      sws_output.reset(av_frame_alloc());
      if (!sws_output) return make_error(ErrorCode::kInternal, "cannot allocate frame");
      sws_output->format = AV_PIX_FMT_YUV420P;
      sws_output->width = size.width;
      sws_output->height = size.height;
      if (av_frame_get_buffer(sws_output.get(), 0) < 0) {
        sws_output.reset();
        return make_error(ErrorCode::kInternal, "cannot allocate frame");
      }
    }
    sws.reset(sws_getCachedContext(sws.release(), source_width, source_height,
                                   static_cast<AVPixelFormat>(frame.format), size.width, size.height,
                                   AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr));
    if (!sws) return unconvertible(frame, "I420");
    // Same matrix on both sides: the values keep their meaning, only the range is narrowed.
    const int* coefficients = sws_getCoefficients(sws_colorspace(frame.colorspace));
    sws_setColorspaceDetails(sws.get(), coefficients, is_full_range(frame) ? 1 : 0, coefficients, 0, 0,
                             1 << 16, 1 << 16);
    sws_scale(sws.get(), frame.data, frame.linesize, 0, source_height, sws_output->data,
              sws_output->linesize);
    source = sws_output.get();
  }
  av_image_copy_plane(planes.y.data, static_cast<int>(planes.y.step), source->data[0], source->linesize[0],
                      size.width, size.height);
  av_image_copy_plane(planes.u.data, static_cast<int>(planes.u.step), source->data[1], source->linesize[1],
                      size.width / 2, size.height / 2);
  av_image_copy_plane(planes.v.data, static_cast<int>(planes.v.step), source->data[2], source->linesize[2],
                      size.width / 2, size.height / 2);

  if (auto rotation = rotation_of(info.rotation_deg)) {
    out = rotate_i420(buffer, *rotation);
  } else {
    out = std::move(buffer);
  }
  return ok_status();
}

VideoReader::VideoReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
VideoReader::~VideoReader() = default;

const VideoInfo& VideoReader::info() const {
  return state_->info;
}

cv::Size VideoReader::output_size() const {
  const bool swap = state_->info.rotation_deg == 90 || state_->info.rotation_deg == 270;
  return swap ? cv::Size(state_->scaled_size.height, state_->scaled_size.width) : state_->scaled_size;
}

YuvMatrix VideoReader::yuv_matrix() const {
  return state_->matrix;
}

ColourTags VideoReader::colour_tags() const {
  return state_->tags;
}

int64_t VideoReader::corrupt_packet_count() const {
  return state_->corrupt_count;
}

bool VideoReader::ended_early() const {
  return state_->demux_failed;
}

Result<std::unique_ptr<VideoReader>> VideoReader::open(const std::filesystem::path& path,
                                                       const ReaderOptions& options) {
  auto state = std::make_unique<State>();
  auto format = detail::open_input(path);
  if (!format) return format.error();
  state->format = std::move(*format);
  auto info = detail::describe_input(*state->format, path);
  if (!info) return info.error();
  state->info = std::move(*info);
  state->stream_index = detail::find_video_stream(*state->format);
  AVStream& stream = *state->format->streams[state->stream_index];
  // Packets of other streams are dropped by the demuxer instead of being read and discarded.
  for (unsigned i = 0; i < state->format->nb_streams; ++i) {
    if (static_cast<int>(i) != state->stream_index) state->format->streams[i]->discard = AVDISCARD_ALL;
  }
  state->time_base = stream.time_base;
  state->start_pts = stream.start_time;
  auto decoder = detail::open_decoder(stream, options.thread_count);
  if (!decoder) return decoder.error();
  state->decoder = std::move(*decoder);
  state->packet.reset(av_packet_alloc());
  state->frame.reset(av_frame_alloc());
  if (!state->packet || !state->frame) {
    return make_error(ErrorCode::kInternal, "cannot allocate FFmpeg packet/frame");
  }
  state->scaled_size =
      compute_scaled_size(stream.codecpar->width, stream.codecpar->height, state->info.rotation_deg, options);
  state->pixels = options.pixels;
  state->matrix = yuv_matrix_of(stream.codecpar->color_space);
  state->tags = defined_colour_tags(stream.codecpar->color_primaries, stream.codecpar->color_trc);
  if (state->pixels == FramePixels::kI420) {
    state->scaled_size.width = std::max(2, state->scaled_size.width & ~1);
    state->scaled_size.height = std::max(2, state->scaled_size.height & ~1);
  }
  return std::unique_ptr<VideoReader>(new VideoReader(std::move(state)));
}

Result<bool> VideoReader::read(VideoFrame& out) {
  State& s = *state_;
  AVFrame* frame = s.frame.get();
  while (true) {
    const int rc = avcodec_receive_frame(s.decoder.get(), frame);
    if (rc == 0) break;
    if (rc == AVERROR_EOF) {
      if (s.next_index == 0) {
        return make_error(ErrorCode::kDataLoss, "no decodable video frames in " + s.info.path);
      }
      return false;
    }
    if (rc != AVERROR(EAGAIN)) {
      // A broken frame: the decoder stays usable, so skip it like a corrupt packet.
      s.note_corruption("undecodable frame", rc);
      continue;
    }
    if (s.decoder_flushed) {
      return make_error(ErrorCode::kInternal, "video decoder stalled after flush");
    }
    if (s.demux_done) {
      avcodec_send_packet(s.decoder.get(), nullptr);
      s.decoder_flushed = true;
      continue;
    }
    const int read_rc = av_read_frame(s.format.get(), s.packet.get());
    if (read_rc < 0) {
      if (read_rc != AVERROR_EOF) {
        DD_LOG_WARN("video: stopped reading {} early: {}", s.info.path, detail::av_error_text(read_rc));
        s.demux_failed = true;
      }
      s.demux_done = true;
      continue;
    }
    if (s.packet->stream_index == s.stream_index) {
      const int send_rc = avcodec_send_packet(s.decoder.get(), s.packet.get());
      if (send_rc < 0 && send_rc != AVERROR(EAGAIN)) {
        s.note_corruption("corrupt packet", send_rc);
      }
    }
    av_packet_unref(s.packet.get());
  }

  if (frame->flags & AV_FRAME_FLAG_CORRUPT) ++s.corrupt_count;

  const Status converted =
      s.pixels == FramePixels::kI420 ? s.convert_i420(*frame, out.i420) : s.convert_rgb(*frame, out.rgb);
  if (!converted) {
    av_frame_unref(frame);
    return converted.error();
  }

  const double frame_period_s = s.info.fps > 0 ? 1.0 / s.info.fps : 1.0 / 30.0;
  double timestamp_s = s.last_timestamp_s + frame_period_s;
  const int64_t pts = frame->best_effort_timestamp;
  if (pts != AV_NOPTS_VALUE) {
    if (s.start_pts == AV_NOPTS_VALUE) s.start_pts = pts;
    timestamp_s = static_cast<double>(pts - s.start_pts) * av_q2d(s.time_base);
  }
  if (s.next_index == 0) {
    timestamp_s = std::max(0.0, timestamp_s);
  } else if (timestamp_s <= s.last_timestamp_s) {
    // Downstream maths divides by time steps; a repeated or backwards stamp gets a nominal one.
    timestamp_s = s.last_timestamp_s + frame_period_s;
  }
  s.last_timestamp_s = timestamp_s;
  out.timestamp_s = timestamp_s;
  out.index = s.next_index++;
  av_frame_unref(frame);
  return true;
}

}  // namespace dd::video
