#include "pipeline/pipeline.h"

#include <malloc.h>
#include <opencv2/core.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <thread>
#include <utility>

#include "analysis/analysis.h"
#include "core/log.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/progress_model.h"
#include "pipeline/progress_reporter.h"
#include "pipeline/staging_dir.h"
#include "pipeline/warnings.h"
#include "pose/landmarks_json.h"
#include "pose/model_files.h"
#include "pose/pose_tracker.h"
#include "report/landmarks_csv.h"
#include "report/motion_exports.h"
#include "report/results_json.h"
#include "video/audio_decoder.h"
#include "video/overlay.h"
#include "video/probe.h"
#include "video/thumbnail.h"
#include "video/video_reader.h"
#include "video/video_writer.h"

namespace dd::pipeline {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Frames decoded ahead of the consumer: up to 8 to hide decode jitter, fewer when frames are
// big (two 4K RGB frames are 50 MB), so the queue holds at most ~64 MB.
constexpr size_t kMaxQueuedFrames = 8;
constexpr size_t kMinQueuedFrames = 2;
constexpr size_t kQueueBudgetBytes = 64u << 20;
// Drawn frames waiting for the encoder thread.
constexpr size_t kEncodeQueueFrames = 2;
// Music analysis works on mono audio at this rate (onsets need < 11 kHz of bandwidth).
constexpr int kAudioSampleRate = 22050;

Error cancelled_error() {
  return make_error(ErrorCode::kCancelled, "analysis cancelled");
}

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::kProbe: return "probe";
    case Stage::kPose: return "pose";
    case Stage::kAnalysis: return "analysis";
    case Stage::kEncode: return "encode";
    case Stage::kDone: return "done";
  }
  return "";
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Starts `stage` on the bar's span that the stages' measured weights give it.
void enter_stage(ProgressReporter& reporter, const StageWeights& weights, Stage stage, std::string message) {
  reporter.stage(stage_name(stage), overall_fraction(weights, stage, 0), overall_fraction(weights, stage, 1),
                 std::move(message));
}

// Decodes `input` on its own thread into a bounded queue; the caller consumes frames in order.
class FrameSource {
 public:
  static Result<std::unique_ptr<FrameSource>> open(const fs::path& input,
                                                   const video::ReaderOptions& options = {}) {
    auto reader = video::VideoReader::open(input, options);
    if (!reader) return reader.error();
    const cv::Size size = (*reader)->output_size();
    const size_t bytes_per_2_pixels = options.pixels == video::FramePixels::kI420 ? 3 : 6;
    const size_t frame_bytes =
        std::max<size_t>(1, static_cast<size_t>(size.width) * size.height * bytes_per_2_pixels / 2);
    const size_t capacity = std::clamp(kQueueBudgetBytes / frame_bytes, kMinQueuedFrames, kMaxQueuedFrames);
    return std::unique_ptr<FrameSource>(new FrameSource(std::move(*reader), capacity));
  }

  cv::Size frame_size() const { return reader_->output_size(); }
  video::YuvMatrix yuv_matrix() const { return reader_->yuv_matrix(); }
  video::ColourTags colour_tags() const { return reader_->colour_tags(); }

  ~FrameSource() {
    thread_.request_stop();
    queue_.close();
  }

  // Calls consume(frame) for every frame in order; stops at the first error (the decoder's
  // or consume's), or with Cancelled when stop is requested. After it succeeds, reader()
  // tells how the decode went.
  template <typename Consume>
  Status for_each(std::stop_token stop, Consume&& consume) {
    while (auto frame = queue_.pop(stop)) DD_TRY(consume(*frame));
    if (stop.stop_requested()) return cancelled_error();
    thread_.join();
    return decode_status_;
  }

  const video::VideoReader& reader() const { return *reader_; }

 private:
  FrameSource(std::unique_ptr<video::VideoReader> reader, size_t capacity)
      : reader_(std::move(reader)), queue_(capacity) {
    thread_ = std::jthread([this](std::stop_token stop) { decode_loop(stop); });
  }

  void decode_loop(std::stop_token stop) {
    while (!stop.stop_requested()) {
      video::VideoFrame frame;
      auto more = reader_->read(frame);
      if (!more) {
        decode_status_ = more.error();
        break;
      }
      if (!*more) break;
      if (!queue_.push(std::move(frame), stop)) break;
    }
    queue_.close();
  }

  std::unique_ptr<video::VideoReader> reader_;
  BoundedQueue<video::VideoFrame> queue_;
  Status decode_status_;
  std::jthread thread_;
};

struct PoseStage {
  pose::PoseSequence sequence;
  cv::Mat thumbnail_frame;  // first frame with a pose, else the first frame
  bool decode_stopped_early = false;
  int64_t corrupt_packets = 0;
};

Result<PoseStage> track_poses(const fs::path& input, const video::VideoInfo& info,
                              const PipelineOptions& options, ProgressReporter& reporter,
                              std::stop_token stop) {
  auto tracker = pose::PoseTracker::create(options.pose);
  if (!tracker) return tracker.error();

  auto source = FrameSource::open(input);
  if (!source) return source.error();

  PoseStage result;
  result.sequence.width = info.width;
  result.sequence.height = info.height;
  result.sequence.fps = info.fps;
  if (info.frame_count > 0) result.sequence.frames.reserve(static_cast<size_t>(info.frame_count));
  bool thumbnail_has_pose = false;
  DD_TRY((*source)->for_each(stop, [&](const video::VideoFrame& decoded) -> Status {
    auto pose_frame = (*tracker)->process(decoded.rgb, decoded.index, decoded.timestamp_s);
    if (!pose_frame) return pose_frame.error();
    if (result.thumbnail_frame.empty() || (!thumbnail_has_pose && pose_frame->detected)) {
      result.thumbnail_frame = decoded.rgb.clone();
      thumbnail_has_pose = pose_frame->detected;
    }
    result.sequence.frames.push_back(*pose_frame);
    reporter.frame(static_cast<int64_t>(result.sequence.frames.size()));
    return ok_status();
  }));
  if (result.sequence.frames.empty())
    return make_error(ErrorCode::kInvalidArgument, "the video has no decodable frames");
  result.decode_stopped_early = (*source)->reader().ended_early();
  result.corrupt_packets = (*source)->reader().corrupt_packet_count();
  return result;
}

Status write_overlay_video(const fs::path& input, const fs::path& output, const video::VideoInfo& info,
                           const pose::PoseSequence& sequence, const analysis::AnalysisResult& analysis,
                           int max_size, ProgressReporter& reporter, std::stop_token stop) {
  // The overlay is drawn on the decoded YUV planes: no conversion to RGB and back.
  video::ReaderOptions reader_options;
  reader_options.max_short_side = max_size;
  reader_options.pixels = video::FramePixels::kI420;
  auto source = FrameSource::open(input, reader_options);
  if (!source) return source.error();
  const video::YuvMatrix matrix = (*source)->yuv_matrix();
  video::WriterOptions writer_options;
  writer_options.matrix = matrix;
  writer_options.tags = (*source)->colour_tags();
  if (info.has_audio) writer_options.audio_source = input;
  const cv::Size size = (*source)->frame_size();
  auto writer = video::VideoWriter::create(output, size.width, size.height, info.fps, writer_options);
  if (!writer) return writer.error();
  video::OverlayRenderer renderer;

  // Encoding runs on its own thread, so x264's threads are not left waiting while the next
  // frame is drawn.
  BoundedQueue<video::VideoFrame> drawn(kEncodeQueueFrames);
  Status encoded;
  std::jthread encoder([&] {
    while (auto frame = drawn.pop(stop)) {
      encoded = (*writer)->write_i420(frame->i420, frame->timestamp_s);
      if (!encoded) break;
    }
    drawn.close();  // after a failure: unblocks the drawing loop's push
  });

  size_t timeline_index = 0;
  int64_t written = 0;
  Status drawing = (*source)->for_each(stop, [&](video::VideoFrame& decoded) -> Status {
    const size_t index = static_cast<size_t>(decoded.index);
    pose::PoseFrame empty_pose;
    const pose::PoseFrame& pose = index < sequence.frames.size() ? sequence.frames[index] : empty_pose;

    video::HudInfo hud;
    if (index < analysis.frame_types.size() && analysis.frame_types[index])
      hud.movement_type = analysis::movement_type_name(*analysis.frame_types[index]);
    // The timeline is ~10 Hz: show the latest point at or before this frame.
    while (timeline_index + 1 < analysis.timeline.size() &&
           analysis.timeline[timeline_index + 1].t_s <= decoded.timestamp_s)
      ++timeline_index;
    if (timeline_index < analysis.timeline.size() && analysis.timeline[timeline_index].intensity)
      hud.intensity = *analysis.timeline[timeline_index].intensity / 100.0;

    DD_TRY(renderer.draw_i420(decoded.i420, matrix, pose, hud));
    if (!drawn.push(std::move(decoded), stop)) {
      return stop.stop_requested() ? cancelled_error() : make_error(ErrorCode::kInternal, "encoder stopped");
    }
    ++written;
    reporter.frame(written);
    return ok_status();
  });
  drawn.close();
  encoder.join();
  DD_TRY(encoded);  // the encoder's own error explains an "encoder stopped"
  DD_TRY(drawing);
  return (*writer)->finish();
}

}  // namespace

Result<PipelineOutputs> run(const fs::path& input, const fs::path& output_dir, const PipelineOptions& options,
                            const ProgressCallback& progress, std::stop_token stop) {
  const auto run_start = Clock::now();
  DD_TRY(validate_options(options));
  auto info = video::probe_video(input);
  if (!info) return info.error();
  ProgressReporter reporter(progress, info->frame_count);
  const StageWeights weights = stage_weights(options.write_video);
  enter_stage(reporter, weights, Stage::kProbe,
              "probed " + std::to_string(info->width) + "x" + std::to_string(info->height) + ", " +
                  std::to_string(info->frame_count) + " frames");

  auto staging = StagingDir::create(output_dir);
  if (!staging) return staging.error();
  const std::string display_name =
      options.display_name.empty() ? input.filename().string() : options.display_name;

  enter_stage(reporter, weights, Stage::kPose, "finding the pose in every frame");
  auto poses = track_poses(input, *info, options, reporter, stop);
  if (!poses) return poses.error();
  if (stop.stop_requested()) return cancelled_error();
  const double pose_s = reporter.stage_elapsed_s();

  enter_stage(reporter, weights, Stage::kAnalysis, "analysing movement and music");
  std::optional<video::AudioTrack> audio;
  bool audio_undecodable = false;
  if (info->has_audio) {
    auto decoded = video::decode_audio(input, kAudioSampleRate, stop);
    if (decoded) {
      audio = std::move(*decoded);
    } else if (decoded.error().code == ErrorCode::kCancelled) {
      return cancelled_error();
    } else {
      DD_LOG_WARN("pipeline: audio not analysed: {}", decoded.error().message);
      audio_undecodable = true;
    }
  }
  analysis::AudioView audio_view;
  if (audio) audio_view = analysis::AudioView{audio->samples, audio->sample_rate};
  auto analysis = analysis::analyze(poses->sequence, audio ? &audio_view : nullptr);
  if (!analysis) return analysis.error();
  if (stop.stop_requested()) return cancelled_error();
  // The audio track grows with length (~5 MB a minute) and is not needed for encoding; the
  // pose pass's models and frame buffers are freed by now, but glibc keeps freed memory in
  // its arenas, so give it back before the encoder and the second decode allocate theirs.
  audio.reset();
  malloc_trim(0);

  const std::string model_name(options.pose.model);
  DD_TRY(
      pose::write_landmarks_json(staging->file("landmarks.json"), display_name, model_name, poses->sequence));
  DD_TRY(report::write_landmarks_csv(poses->sequence, staging->file("landmarks.csv")));
  DD_TRY(video::save_thumbnail(poses->thumbnail_frame, staging->file("thumbnail.jpg")));
  for (const auto format : options.motion_exports) {
    DD_TRY(report::write_motion_export_file(poses->sequence, format, options.export_filter,
                                            staging->file(report::motion_export_file_name(format))));
  }
  const double analysis_s = reporter.stage_elapsed_s();

  double encode_s = 0;
  if (options.write_video) {
    if (stop.stop_requested()) return cancelled_error();
    enter_stage(reporter, weights, Stage::kEncode, "drawing the overlay video");
    DD_TRY(write_overlay_video(input, staging->file("overlay.mp4"), *info, poses->sequence, *analysis,
                               options.overlay_max_size, reporter, stop));
    encode_s = reporter.stage_elapsed_s();
  }
  if (stop.stop_requested()) return cancelled_error();

  const auto frame_count = static_cast<int64_t>(poses->sequence.frames.size());
  RunFacts facts;
  facts.frames_expected = info->frame_count;
  facts.frames_expected_estimated = info->frame_count_estimated;
  facts.frames_decoded = frame_count;
  facts.duration_s = info->duration_s;
  facts.last_frame_s = poses->sequence.frames.back().timestamp_s;
  facts.decode_stopped_early = poses->decode_stopped_early;
  facts.corrupt_packets = poses->corrupt_packets;
  facts.frames_with_pose = analysis->frames_with_pose;
  facts.audio_undecodable = audio_undecodable;

  report::VideoSummary summary;
  summary.filename = display_name;
  summary.fps = info->fps;
  summary.frame_count = frame_count;
  summary.width = info->width;
  summary.height = info->height;
  summary.duration_s = info->duration_s;
  summary.size_bytes = info->size_bytes;
  summary.has_audio = info->has_audio;
  report::ProcessingStats stats;
  stats.total_frames = frame_count;
  stats.frames_with_pose = analysis->frames_with_pose;
  stats.model = model_name;
  stats.processing_time_s = seconds_since(run_start);
  stats.warnings = run_warnings(facts);
  DD_TRY(report::write_json_file(report::build_results_json(summary, stats, *analysis),
                                 staging->file("results.json")));
  DD_LOG_INFO("pipeline: {} frames in {:.1f} s: pose {:.1f} s, analysis {:.1f} s, overlay video {:.1f} s",
              frame_count, stats.processing_time_s, pose_s, analysis_s, encode_s);

  PipelineOutputs outputs;
  auto publish = [&](const std::string& name, fs::path* out) -> Status {
    auto path = staging->publish(name, output_dir / name);
    if (!path) return path.error();
    *out = *path;
    return ok_status();
  };
  DD_TRY(publish("landmarks.json", &outputs.landmarks_json));
  DD_TRY(publish("landmarks.csv", &outputs.landmarks_csv));
  DD_TRY(publish("thumbnail.jpg", &outputs.thumbnail_jpg));
  if (options.write_video) DD_TRY(publish("overlay.mp4", &outputs.overlay_mp4));
  for (const auto format : options.motion_exports) {
    DD_TRY(publish(report::motion_export_file_name(format), &outputs.motion_exports.emplace_back()));
  }
  // results.json last: its presence marks a complete run.
  DD_TRY(publish("results.json", &outputs.results_json));
  enter_stage(reporter, weights, Stage::kDone, "analysis complete");
  return outputs;
}

}  // namespace dd::pipeline
