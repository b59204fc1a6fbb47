// Decoding a file's audio track into mono float samples at a chosen rate (for beat tracking).
#pragma once

#include "core/result.h"

#include <filesystem>
#include <stop_token>
#include <vector>

namespace dd::video {

struct AudioTrack {
  std::vector<float> samples;  // mono, [-1, 1]; sample 0 is at the first video frame's time
  int sample_rate = 0;
};

// The audio track downmixed to mono and resampled to sample_rate, aligned with the video
// (audio before the first frame dropped, a late start padded with silence); NotFound when the
// file has no audio stream, InvalidArgument for a sample rate outside 1000..384000, plus the
// probe's errors for the file itself; Cancelled soon after stop is requested (a packet later).
Result<AudioTrack> decode_audio(const std::filesystem::path& path, int sample_rate,
                                std::stop_token stop = {});

}  // namespace dd::video
