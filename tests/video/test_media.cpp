#include "test_media.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>

namespace dd::video::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFfmpeg = "ffmpeg -nostdin -v error -y ";
// 2 s of 320x240 at 30 fps (60 frames) plus a 440 Hz tone.
constexpr const char* kVideoSource = "-f lavfi -i testsrc2=size=320x240:rate=30:duration=2 ";
constexpr const char* kAudioSource = "-f lavfi -i sine=frequency=440:sample_rate=44100:duration=2 ";

fs::path media_dir() {
  const fs::path dir = fs::path(DD_TEST_BINARY_DIR) / "video_media";
  fs::create_directories(dir);
  return dir;
}

std::string quoted(const fs::path& p) {
  // Built by append: g++ 12 flags "'" + string + "'" with a false -Wrestrict.
  std::string out(1, '\'');
  out.append(p.string());
  out.push_back('\'');
  return out;
}

bool write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Writes the clip into tmp; the caller renames it so parallel test processes never see a
// half-made file.
bool make(const std::string& name, const fs::path& tmp) {
  const std::string out = quoted(tmp);
  if (name == "h264_aac.mp4") {
    return run_command(std::string(kFfmpeg) + kVideoSource + kAudioSource +
                       "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -f mp4 " + out);
  }
  if (name == "faststart.mp4") {
    return run_command(std::string(kFfmpeg) + kVideoSource + kAudioSource +
                       "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "
                       "-movflags +faststart -f mp4 " +
                       out);
  }
  if (name == "vp9_opus.mkv") {
    return run_command(std::string(kFfmpeg) + kVideoSource +
                       "-f lavfi -i sine=frequency=440:sample_rate=48000:duration=2 "
                       "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 500k -c:a libopus "
                       "-f matroska " +
                       out);
  }
  if (name == "mjpeg.avi") {
    return run_command(std::string(kFfmpeg) + kVideoSource + kAudioSource +
                       "-c:v mjpeg -q:v 3 -pix_fmt yuvj420p -c:a pcm_s16le -f avi " + out);
  }
  if (name == "mpeg4.avi") {
    return run_command(std::string(kFfmpeg) + kVideoSource + "-c:v mpeg4 -q:v 3 -f avi " + out);
  }
  if (name == "rot90.mov") {
    return run_command(std::string(kFfmpeg) + "-i " + quoted(media("h264_aac.mp4")) +
                       " -c copy -metadata:s:v rotate=90 -f mov " + out);
  }
  if (name == "vfr.mkv") {
    // 30 frames at 30 fps, then 10 frames at 10 fps: the second half lasts 1 s.
    return run_command(std::string(kFfmpeg) +
                       "-f lavfi -i testsrc2=size=320x240:rate=30 -frames:v 40 "
                       "-vf \"setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'\" -fps_mode passthrough "
                       "-c:v libx264 -preset ultrafast -f matroska " +
                       out);
  }
  if (name == "video_only.mp4") {
    return run_command(std::string(kFfmpeg) + kVideoSource +
                       "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -f mp4 " + out);
  }
  if (name == "audio_only.m4a") {
    return run_command(std::string(kFfmpeg) + kAudioSource + "-c:a aac -f mp4 " + out);
  }
  if (name == "wide.mp4") {
    // 1080 px wide RGB24 rows: swscale's vector code overruns an exactly sized buffer.
    return run_command(std::string(kFfmpeg) +
                       "-f lavfi -i testsrc2=size=1080x64:rate=30:duration=0.5 "
                       "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -f mp4 " +
                       out);
  }
  if (name == "bt709.mp4") {
    return run_command(std::string(kFfmpeg) + kVideoSource +
                       "-vf scale=out_color_matrix=bt709 -colorspace bt709 -color_primaries bt709 "
                       "-color_trc bt709 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -f mp4 " +
                       out);
  }
  if (name == "hlg.mp4") {
    // An HDR phone video's description: 10-bit BT.2020 with the HLG transfer.
    return run_command(std::string(kFfmpeg) + kVideoSource +
                       "-vf scale=out_color_matrix=bt2020 -colorspace bt2020nc -color_primaries bt2020 "
                       "-color_trc arib-std-b67 -c:v libx264 -preset ultrafast -pix_fmt yuv420p10le -f mp4 " +
                       out);
  }
  if (name == "odd.mkv") {
    // Lossless with an odd width and height, which H.264 4:2:0 cannot hold.
    return run_command(std::string(kFfmpeg) +
                       "-f lavfi -i testsrc=size=161x121:rate=30:duration=0.5 -c:v ffv1 -pix_fmt yuv420p "
                       "-f matroska " +
                       out);
  }
  if (name == "huge.avi") {
    return run_command(std::string(kFfmpeg) +
                       "-f lavfi -i color=red:s=9000x16:r=1:d=1 -c:v mjpeg -pix_fmt yuvj420p -f avi " + out);
  }
  if (name == "vp9.webm") {
    return run_command(std::string(kFfmpeg) + kVideoSource +
                       "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 500k -f webm " + out);
  }
  if (name == "tiny.avi") {
    return run_command(
        std::string(kFfmpeg) +
        "-f lavfi -i testsrc2=size=8x8:rate=30:duration=1 -c:v mjpeg -pix_fmt yuvj420p -f avi " + out);
  }
  if (name == "sync_aac.mkv" || name == "sync_pcm.mkv") {
    // Video starts 0.5 s after the audio; at 1.5 s the picture turns white and a 1 kHz tone
    // starts, so both events sit 1.0 s after the first frame.
    const std::string audio_codec = name == "sync_aac.mkv" ? "aac" : "pcm_s16le";
    return run_command(
        std::string(kFfmpeg) +
        "-f lavfi -i color=black:s=160x120:r=30:d=2 -f lavfi -i color=white:s=160x120:r=30:d=2 "
        "-f lavfi -i sine=frequency=1000:sample_rate=44100:duration=2.5 -filter_complex "
        "\"[0][1]overlay=enable='gte(t,1)',setpts=PTS+0.5/TB[v];"
        "[2]volume=volume=0:enable='lt(t,1.5)'[a]\" -map '[v]' -map '[a]' "
        "-c:v libx264 -preset ultrafast -c:a " +
        audio_codec + " -f matroska " + out);
  }
  if (name == "empty.mp4") return write_bytes(tmp, "");
  if (name == "text.mp4") {
    return write_bytes(tmp, "This is a plain text file pretending to be a video.\nIt has two lines.\n");
  }
  if (name == "truncated.mp4") {
    // moov is at the end of a normal MP4, so cutting the tail removes the index.
    const std::string bytes = read_bytes(media("h264_aac.mp4"));
    return write_bytes(tmp, bytes.substr(0, bytes.size() * 6 / 10));
  }
  if (name == "truncated_faststart.mp4") {
    const std::string bytes = read_bytes(media("faststart.mp4"));
    return write_bytes(tmp, bytes.substr(0, bytes.size() * 6 / 10));
  }
  if (name == "corrupt.mp4") {
    // Garbage over a stretch in the middle of mdat: some frames break, the rest decode.
    std::string bytes = read_bytes(media("faststart.mp4"));
    std::mt19937 rng(7);
    for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 4000 && i < bytes.size(); ++i) {
      bytes[i] = static_cast<char>(rng());
    }
    return write_bytes(tmp, bytes);
  }
  if (name == "no_frames.mp4") {
    // Index intact but every sample zeroed: opens, yet nothing decodes.
    std::string bytes = read_bytes(media("video_only.mp4"));
    const size_t mdat = bytes.find("mdat");
    if (mdat == std::string::npos) return false;
    for (size_t i = mdat + 4; i < bytes.size(); ++i) bytes[i] = 0;
    return write_bytes(tmp, bytes);
  }
  ADD_FAILURE() << "unknown test clip " << name;
  return false;
}

}  // namespace

bool run_command(const std::string& command) {
  return std::system(command.c_str()) == 0;
}

std::string command_output(const std::string& command) {
  std::string text;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return text;
  std::array<char, 256> buffer{};
  size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) text.append(buffer.data(), got);
  ::pclose(pipe);
  return text;
}

fs::path media(const std::string& name) {
  const fs::path path = media_dir() / name;
  if (fs::exists(path)) return path;
  const fs::path tmp = media_dir() / ("tmp_" + std::to_string(::getpid()) + "_" + name);
  if (!make(name, tmp)) {
    ADD_FAILURE() << "could not generate test clip " << name;
    return {};
  }
  fs::rename(tmp, path);
  return path;
}

cv::Mat ffmpeg_first_frame(const fs::path& video, int width, int height) {
  const fs::path raw = media_dir() / ("ref_" + std::to_string(::getpid()) + ".rgb");
  if (!run_command(std::string(kFfmpeg) + "-i " + quoted(video) + " -frames:v 1 -f rawvideo -pix_fmt rgb24 " +
                   quoted(raw))) {
    return {};
  }
  const std::string bytes = read_bytes(raw);
  fs::remove(raw);
  if (bytes.size() != static_cast<size_t>(width) * height * 3) return {};
  cv::Mat frame(height, width, CV_8UC3);
  std::copy(bytes.begin(), bytes.end(), frame.data);
  return frame;
}

}  // namespace dd::video::testing
