#include "video/audio_decoder.h"

#include "core/log.h"
#include "video/detail/av_input.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <new>

namespace dd::video {
namespace {

constexpr int kMinSampleRate = 1000;
constexpr int kMaxSampleRate = 384000;

// Appends whatever swr produces for the given input (nullptr input drains it).
Status convert_into(SwrContext* swr, const uint8_t** input, int input_samples, AudioTrack& track) {
  const int capacity = swr_get_out_samples(swr, input_samples);
  if (capacity < 0) return make_error(ErrorCode::kInternal, "audio resampler failed");
  if (capacity == 0) return ok_status();
  const size_t old_size = track.samples.size();
  try {
    track.samples.resize(old_size + static_cast<size_t>(capacity));
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::kUnavailable, "out of memory decoding audio");
  }
  uint8_t* out = reinterpret_cast<uint8_t*>(track.samples.data() + old_size);
  const int produced = swr_convert(swr, &out, capacity, input, input_samples);
  if (produced < 0) {
    track.samples.resize(old_size);
    return make_error(ErrorCode::kInternal, "audio resampling failed: " + detail::av_error_text(produced));
  }
  track.samples.resize(old_size + static_cast<size_t>(produced));
  return ok_status();
}

}  // namespace

Result<AudioTrack> decode_audio(const std::filesystem::path& path, int sample_rate, std::stop_token stop) {
  if (sample_rate < kMinSampleRate || sample_rate > kMaxSampleRate) {
    return make_error(ErrorCode::kInvalidArgument, "audio sample rate " + std::to_string(sample_rate) +
                                                       " outside " + std::to_string(kMinSampleRate) + ".." +
                                                       std::to_string(kMaxSampleRate));
  }
  auto format = detail::open_input(path);
  if (!format) return format.error();
  AVFormatContext* fmt = format->get();
  const int stream_index = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (stream_index < 0) {
    return make_error(ErrorCode::kNotFound, "no audio stream in " + path.string());
  }
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != stream_index) fmt->streams[i]->discard = AVDISCARD_ALL;
  }
  auto decoder = detail::open_decoder(*fmt->streams[stream_index], 1);
  if (!decoder) return decoder.error();
  AVCodecContext* dec = decoder->get();

  AVChannelLayout in_layout{};
  if (dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || dec->ch_layout.nb_channels <= 0) {
    av_channel_layout_default(&in_layout, dec->ch_layout.nb_channels > 0 ? dec->ch_layout.nb_channels : 1);
  } else {
    av_channel_layout_copy(&in_layout, &dec->ch_layout);
  }
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  SwrContext* raw_swr = nullptr;
  int rc = swr_alloc_set_opts2(&raw_swr, &mono, AV_SAMPLE_FMT_FLT, sample_rate, &in_layout, dec->sample_fmt,
                               dec->sample_rate, 0, nullptr);
  av_channel_layout_uninit(&in_layout);
  detail::SwrPtr swr(raw_swr);
  if (rc < 0 || !swr || swr_init(swr.get()) < 0) {
    return make_error(ErrorCode::kUnimplemented, "cannot resample audio of " + path.string());
  }

  detail::PacketPtr packet(av_packet_alloc());
  detail::FramePtr frame(av_frame_alloc());
  if (!packet || !frame) return make_error(ErrorCode::kInternal, "cannot allocate FFmpeg packet/frame");

  // Sample 0 is placed at the first video frame (the reader's timestamp 0), so audio events
  // and frame timestamps share one clock even when the streams start at different times.
  const AVStream& audio_stream = *fmt->streams[stream_index];
  double video_start_s = 0;
  const int video_index = detail::find_video_stream(*fmt);
  if (video_index >= 0 && fmt->streams[video_index]->start_time != AV_NOPTS_VALUE) {
    const AVStream& video = *fmt->streams[video_index];
    video_start_s = static_cast<double>(video.start_time) * av_q2d(video.time_base);
  }
  bool aligned = false;
  int64_t samples_to_drop = 0;

  AudioTrack track;
  track.sample_rate = sample_rate;
  int64_t corrupt = 0;
  bool flushed = false;
  while (true) {
    rc = avcodec_receive_frame(dec, frame.get());
    if (rc == 0) {
      if (!aligned && frame->best_effort_timestamp != AV_NOPTS_VALUE) {
        const double start_s =
            static_cast<double>(frame->best_effort_timestamp) * av_q2d(audio_stream.time_base) -
            video_start_s;
        const auto shift = static_cast<int64_t>(std::llround(start_s * sample_rate));
        if (shift > 0) track.samples.assign(static_cast<size_t>(shift), 0.0f);
        samples_to_drop = std::max<int64_t>(0, -shift);
      }
      aligned = true;
      DD_TRY(convert_into(swr.get(), const_cast<const uint8_t**>(frame->extended_data), frame->nb_samples,
                          track));
      if (samples_to_drop > 0) {
        const auto drop = static_cast<size_t>(
            std::min<int64_t>(samples_to_drop, static_cast<int64_t>(track.samples.size())));
        track.samples.erase(track.samples.begin(), track.samples.begin() + static_cast<std::ptrdiff_t>(drop));
        samples_to_drop -= static_cast<int64_t>(drop);
      }
      av_frame_unref(frame.get());
      continue;
    }
    if (rc == AVERROR_EOF) break;
    if (rc != AVERROR(EAGAIN)) {
      ++corrupt;
      continue;
    }
    if (flushed) break;
    if (stop.stop_requested()) return make_error(ErrorCode::kCancelled, "audio decoding cancelled");
    rc = av_read_frame(fmt, packet.get());
    if (rc < 0) {
      avcodec_send_packet(dec, nullptr);
      flushed = true;
      continue;
    }
    if (packet->stream_index == stream_index && avcodec_send_packet(dec, packet.get()) < 0) ++corrupt;
    av_packet_unref(packet.get());
  }
  DD_TRY(convert_into(swr.get(), nullptr, 0, track));
  if (corrupt > 0) DD_LOG_WARN("video: skipped {} corrupt audio packets in {}", corrupt, path.string());
  if (track.samples.empty()) {
    return make_error(ErrorCode::kDataLoss, "no decodable audio in " + path.string());
  }
  return track;
}

}  // namespace dd::video
