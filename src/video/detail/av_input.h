// Opening a media file with libavformat and describing its streams; shared by the probe,
// the reader and the audio decoder so they classify broken files the same way.
#pragma once

#include "core/result.h"
#include "video/detail/av_handles.h"
#include "video/probe.h"

#include <filesystem>

namespace dd::video::detail {

// Routes FFmpeg's own log lines into ours (debug level); idempotent.
void install_ffmpeg_log();

// Opens the file and reads its stream parameters; NotFound for a missing file,
// InvalidArgument for an empty or unrecognised file, DataLoss for a recognised but broken one.
Result<InputFormatPtr> open_input(const std::filesystem::path& path);

// Index of the main video stream (cover art excluded), or -1 when there is none.
int find_video_stream(const AVFormatContext& format);

// Describes the opened file; InvalidArgument when it has no usable video stream.
Result<VideoInfo> describe_input(const AVFormatContext& format, const std::filesystem::path& path);

// Clockwise rotation (0, 90, 180, 270) a player applies to the stream's frames.
int stream_rotation_deg(const AVStream& stream);

// Opens a decoder for the stream; thread_count 0 lets FFmpeg pick.
Result<CodecContextPtr> open_decoder(const AVStream& stream, int thread_count);

}  // namespace dd::video::detail
