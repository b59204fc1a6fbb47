#include "video/detail/av_input.h"

#include "core/log.h"

extern "C" {
#include <libavutil/display.h>
}

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <system_error>
#include <vector>

namespace dd::video::detail {
namespace {

constexpr int kMinDimension = 16;
constexpr int kMaxDimension = 8192;
constexpr size_t kSniffBytes = 4096;

// FFmpeg prints straight to stderr by default; its messages (one per corrupt packet on a
// damaged file) belong in our log at debug level. Must not throw across the C boundary.
void forward_ffmpeg_log(void* avcl, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_WARNING) return;
  std::array<char, 1024> line{};
  int print_prefix = 1;
  va_list copy;
  va_copy(copy, args);
  av_log_format_line2(avcl, level, fmt, copy, line.data(), static_cast<int>(line.size()), &print_prefix);
  va_end(copy);
  try {
    std::string text(line.data());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    DD_LOG_DEBUG("ffmpeg: {}", text);
  } catch (...) {
    // Logging is best effort; a failed log line must not unwind into FFmpeg.
  }
}

// Whether the first bytes look like a container FFmpeg knows: tells a truncated video
// (DataLoss) from a file that was never a video (InvalidArgument).
bool looks_like_media(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> buffer(kSniffBytes + AVPROBE_PADDING_SIZE, 0);
  in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(kSniffBytes));
  const auto got = in.gcount();
  if (got <= 0) return false;
  AVProbeData probe{};
  const std::string name = path.string();
  probe.filename = name.c_str();
  probe.buf = buffer.data();
  probe.buf_size = static_cast<int>(got);
  int score = 0;
  const AVInputFormat* format = av_probe_input_format3(&probe, 1, &score);
  return format != nullptr && score >= AVPROBE_SCORE_MAX / 4;
}

// Demuxers that accept almost any bytes (plain text, raw images) but never hold a video.
bool is_non_video_format(const AVInputFormat& format) {
  const std::string name = format.name;
  return name == "tty" || name == "txt" || name.find("_pipe") != std::string::npos;
}

double to_seconds(int64_t value, AVRational time_base) {
  return static_cast<double>(value) * av_q2d(time_base);
}

}  // namespace

void install_ffmpeg_log() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(forward_ffmpeg_log); });
}

std::string av_error_text(int code) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
  av_strerror(code, text.data(), text.size());
  return text.data();
}

Result<InputFormatPtr> open_input(const std::filesystem::path& path) {
  install_ffmpeg_log();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return make_error(ErrorCode::kNotFound, "video file not found: " + path.string());
  }
  if (!std::filesystem::is_regular_file(status)) {
    return make_error(ErrorCode::kInvalidArgument, "not a regular file: " + path.string());
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0) {
    return make_error(ErrorCode::kInvalidArgument, "empty file is not a video: " + path.string());
  }

  AVFormatContext* raw = nullptr;
  const int open_rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (open_rc < 0) {
    if (open_rc == AVERROR(ENOENT)) {
      return make_error(ErrorCode::kNotFound, "video file not found: " + path.string());
    }
    if (looks_like_media(path)) {
      return make_error(ErrorCode::kDataLoss,
                        "truncated or corrupt media file (" + av_error_text(open_rc) + "): " + path.string());
    }
    return make_error(ErrorCode::kInvalidArgument,
                      "not a video file (" + av_error_text(open_rc) + "): " + path.string());
  }
  InputFormatPtr format(raw);
  if (is_non_video_format(*format->iformat)) {
    return make_error(ErrorCode::kInvalidArgument, std::string("not a video file (detected ") +
                                                       format->iformat->name + "): " + path.string());
  }
  const int info_rc = avformat_find_stream_info(format.get(), nullptr);
  if (info_rc < 0) {
    return make_error(ErrorCode::kDataLoss,
                      "cannot read stream parameters (" + av_error_text(info_rc) + "): " + path.string());
  }
  return format;
}

int find_video_stream(const AVFormatContext& format) {
  int best = -1;
  int64_t best_pixels = -1;
  for (unsigned i = 0; i < format.nb_streams; ++i) {
    const AVStream& stream = *format.streams[i];
    if (stream.codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
    if (stream.disposition & AV_DISPOSITION_ATTACHED_PIC) continue;
    const int64_t pixels = int64_t{stream.codecpar->width} * stream.codecpar->height;
    if (pixels > best_pixels) {
      best = static_cast<int>(i);
      best_pixels = pixels;
    }
  }
  return best;
}

int stream_rotation_deg(const AVStream& stream) {
  size_t size = 0;
  const uint8_t* matrix = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix == nullptr || size < 9 * sizeof(int32_t)) return 0;
  const double ccw_deg = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(ccw_deg)) return 0;
  // The matrix stores a counter-clockwise angle; players rotate clockwise by its negation.
  int cw_deg = static_cast<int>(std::lround(-ccw_deg)) % 360;
  if (cw_deg < 0) cw_deg += 360;
  const int snapped = ((cw_deg + 45) / 90) * 90 % 360;
  if (snapped != cw_deg) {
    DD_LOG_WARN("video: rotation of {} degrees is not a multiple of 90; using {}", cw_deg, snapped);
  }
  return snapped;
}

Result<VideoInfo> describe_input(const AVFormatContext& format, const std::filesystem::path& path) {
  const int video_index = find_video_stream(format);
  if (video_index < 0) {
    return make_error(ErrorCode::kInvalidArgument, "no video stream in " + path.string());
  }
  const AVStream& stream = *format.streams[video_index];
  const AVCodecParameters& par = *stream.codecpar;
  if (par.width < kMinDimension || par.height < kMinDimension || par.width > kMaxDimension ||
      par.height > kMaxDimension) {
    return make_error(ErrorCode::kInvalidArgument,
                      "unsupported video size " + std::to_string(par.width) + "x" +
                          std::to_string(par.height) + " (allowed " + std::to_string(kMinDimension) + ".." +
                          std::to_string(kMaxDimension) + " px): " + path.string());
  }

  VideoInfo info;
  info.path = path.string();
  info.container = format.iformat->name;
  info.video_codec = avcodec_get_name(par.codec_id);
  info.rotation_deg = stream_rotation_deg(stream);
  const bool swap = info.rotation_deg == 90 || info.rotation_deg == 270;
  info.width = swap ? par.height : par.width;
  info.height = swap ? par.width : par.height;

  AVRational rate = stream.avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = stream.r_frame_rate;
  info.fps = (rate.num > 0 && rate.den > 0) ? av_q2d(rate) : 0.0;

  if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0) {
    info.duration_s = to_seconds(stream.duration, stream.time_base);
  } else if (format.duration != AV_NOPTS_VALUE && format.duration > 0) {
    info.duration_s = static_cast<double>(format.duration) / AV_TIME_BASE;
  }

  if (stream.nb_frames > 0) {
    info.frame_count = stream.nb_frames;
  } else {
    info.frame_count = std::llround(info.duration_s * info.fps);
    info.frame_count_estimated = true;
  }

  const int audio_index =
      av_find_best_stream(const_cast<AVFormatContext*>(&format), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (audio_index >= 0) {
    const AVCodecParameters& audio = *format.streams[audio_index]->codecpar;
    info.has_audio = true;
    info.audio_codec = avcodec_get_name(audio.codec_id);
    info.audio_sample_rate = audio.sample_rate;
    info.audio_channels = audio.ch_layout.nb_channels;
  }

  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  info.size_bytes = ec ? 0 : static_cast<int64_t>(size);
  return info;
}

Result<CodecContextPtr> open_decoder(const AVStream& stream, int thread_count) {
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (codec == nullptr) {
    return make_error(ErrorCode::kUnimplemented,
                      std::string("no decoder for codec ") + avcodec_get_name(stream.codecpar->codec_id));
  }
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) return make_error(ErrorCode::kInternal, "cannot allocate a decoder context");
  int rc = avcodec_parameters_to_context(ctx.get(), stream.codecpar);
  if (rc < 0) {
    return make_error(ErrorCode::kInternal, "cannot configure decoder: " + av_error_text(rc));
  }
  ctx->pkt_timebase = stream.time_base;
  ctx->thread_count = thread_count < 0 ? 0 : thread_count;
  ctx->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  rc = avcodec_open2(ctx.get(), codec, nullptr);
  if (rc < 0) {
    return make_error(ErrorCode::kDataLoss,
                      std::string("cannot open ") + codec->name + " decoder: " + av_error_text(rc));
  }
  return ctx;
}

}  // namespace dd::video::detail
