// Test media for the video tests, generated on first use with the ffmpeg CLI (lavfi testsrc2
// and sine sources) into the test binary directory, so no checked-in or external files.
#pragma once

#include <opencv2/core.hpp>

#include <filesystem>
#include <string>

namespace dd::video::testing {

// Path of the named clip, generating it if it is missing; fails the test (returns an
// empty path) when ffmpeg cannot make it. Names: h264_aac.mp4, faststart.mp4,
// vp9_opus.mkv, vp9.webm, mjpeg.avi, mpeg4.avi, rot90.mov, vfr.mkv, video_only.mp4,
// audio_only.m4a, tiny.avi, huge.avi, wide.mp4, sync_aac.mkv, sync_pcm.mkv, empty.mp4,
// text.mp4, truncated.mp4, truncated_faststart.mp4, corrupt.mp4, no_frames.mp4, bt709.mp4,
// odd.mkv, hlg.mp4.
std::filesystem::path media(const std::string& name);

// ffmpeg's own RGB24 decode of frame 0 (rotation applied), for comparing with ours.
cv::Mat ffmpeg_first_frame(const std::filesystem::path& video, int width, int height);

// Runs a shell command; true when it exits with status 0.
bool run_command(const std::string& command);

// Standard output of a shell command (empty when it fails to start).
std::string command_output(const std::string& command);

}  // namespace dd::video::testing
