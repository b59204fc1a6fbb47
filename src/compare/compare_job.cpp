#include "compare/compare_job.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "compare/limb_features.h"
#include "pipeline/progress_reporter.h"
#include "pipeline/staging_dir.h"
#include "pose/landmarks_json.h"
#include "video/overlay.h"
#include "video/video_reader.h"
#include "video/video_writer.h"

namespace dd::compare {
namespace {

namespace fs = std::filesystem;

// Each side of comparison.mp4 is decoded at most this tall: a preview, and two streams to encode.
constexpr int kMaxPanelHeight = 540;
// A body part is drawn red when its limbs differ from the reference's by more than this.
constexpr double kHighlightAngle_deg = 30;
constexpr double kCompareShare = 0.1;  // of the progress bar, when the video is written
const cv::Scalar kHighlightColour(235, 40, 40);
const cv::Scalar kLabelColour(255, 255, 255);

Error cancelled_error() {
  return make_error(ErrorCode::kCancelled, "comparison cancelled");
}

Result<pose::PoseSequence> load(const CompareInput& input, const char* which) {
  auto document = pose::read_landmarks_json(input.landmarks_json);
  if (!document)
    return make_error(document.error().code, std::string(which) + ": " + document.error().message);
  return std::move(document->sequence);
}

Status write_json(const nlohmann::json& json, const fs::path& path) {
  std::ofstream out(path);
  out << json.dump(2) << '\n';
  out.close();
  if (!out) return make_error(ErrorCode::kUnavailable, "cannot write " + path.string());
  return ok_status();
}

// For every reference frame, the student time shown beside it: along the path inside the
// matched part, and at the same pace beyond it.
std::vector<double> warp_times(const pose::PoseSequence& reference, const pose::PoseSequence& student,
                               const Comparison& comparison) {
  auto time_of = [](const pose::PoseSequence& sequence, int64_t index) {
    const auto i = static_cast<size_t>(std::clamp<int64_t>(index, 0, int64_t(sequence.frames.size()) - 1));
    return sequence.frames[i].timestamp_s;
  };
  std::vector<double> times(reference.frames.size(), 0);
  std::vector<bool> set(reference.frames.size(), false);
  for (const auto& [r, s] : comparison.path) {
    if (r < 0 || size_t(r) >= times.size()) continue;
    times[size_t(r)] = time_of(student, s);  // the last match of a reference frame wins
    set[size_t(r)] = true;
  }
  // Fill the frames the path skipped from their nearest matched neighbour, keeping its lag.
  double lag = comparison.offset_s;
  for (size_t i = 0; i < times.size(); ++i) {
    if (set[i]) {
      lag = times[i] - reference.frames[i].timestamp_s;
    } else {
      times[i] = reference.frames[i].timestamp_s + lag;
    }
  }
  // Before the first match: the first match's lag.
  const auto first = std::find(set.begin(), set.end(), true);
  if (first != set.end()) {
    const size_t f = static_cast<size_t>(first - set.begin());
    for (size_t i = 0; i < f; ++i)
      times[i] = reference.frames[i].timestamp_s + (times[f] - reference.frames[f].timestamp_s);
  }
  return times;
}

const pose::PoseFrame& pose_at(const pose::PoseSequence& sequence, int64_t index) {
  static const pose::PoseFrame kNoPose;
  if (index < 0 || size_t(index) >= sequence.frames.size()) return kNoPose;
  return sequence.frames[size_t(index)];
}

void highlight(cv::Mat& panel, const pose::PoseFrame& pose,
               const std::array<bool, analysis::kBodyPartCount>& parts) {
  const int thickness = std::max(3, panel.rows / 90);
  for (size_t s = 0; s < kSegmentCount; ++s) {
    if (!parts[kSegmentPart[s]]) continue;
    const SegmentLine line = segment_line(pose, s);
    if (line.visibility < 0.5f || !std::isfinite(line.x0 + line.y0 + line.x1 + line.y1)) continue;
    auto point = [&](float x, float y) {
      return cv::Point(static_cast<int>(std::clamp(x, -1.0f, 2.0f) * float(panel.cols)),
                       static_cast<int>(std::clamp(y, -1.0f, 2.0f) * float(panel.rows)));
    };
    cv::line(panel, point(line.x0, line.y0), point(line.x1, line.y1), kHighlightColour, thickness,
             cv::LINE_AA);
  }
}

void label(cv::Mat& panel, const std::string& text) {
  const double scale = std::max(0.5, panel.rows / 900.0);
  const int thickness = std::max(1, panel.rows / 400);
  cv::putText(panel, text, cv::Point(panel.rows / 40, panel.rows / 15), cv::FONT_HERSHEY_SIMPLEX, scale,
              cv::Scalar(0, 0, 0), thickness + 2, cv::LINE_AA);
  cv::putText(panel, text, cv::Point(panel.rows / 40, panel.rows / 15), cv::FONT_HERSHEY_SIMPLEX, scale,
              kLabelColour, thickness, cv::LINE_AA);
}

// Reference frames in decode order beside the student's frame at the warped time; the
// student video is only read forwards (each decoded once).
Status write_video(const CompareInput& reference_input, const CompareInput& student_input,
                   const pose::PoseSequence& reference, const pose::PoseSequence& student,
                   const Comparison& comparison, const fs::path& output, pipeline::ProgressReporter& reporter,
                   std::stop_token stop) {
  video::ReaderOptions reader_options;
  reader_options.max_height = kMaxPanelHeight;
  auto reference_reader = video::VideoReader::open(reference_input.video, reader_options);
  if (!reference_reader) return reference_reader.error();
  auto student_reader = video::VideoReader::open(student_input.video, reader_options);
  if (!student_reader) return student_reader.error();

  const cv::Size reference_size = (*reference_reader)->output_size();
  const cv::Size student_source = (*student_reader)->output_size();
  const int height = reference_size.height & ~1;
  const int student_width = std::max(2, static_cast<int>(std::lround(double(student_source.width) * height /
                                                                     std::max(1, student_source.height))));
  const int width = (reference_size.width + student_width) & ~1;
  if (height < 2) return make_error(ErrorCode::kInvalidArgument, "the reference video frame is too small");

  const video::VideoInfo& info = (*reference_reader)->info();
  video::WriterOptions writer_options;
  if (info.has_audio) writer_options.audio_source = reference_input.video;
  const double fps = info.fps > 0 ? info.fps : 30;
  auto writer = video::VideoWriter::create(output, width, height, fps, writer_options);
  if (!writer) return writer.error();

  const std::vector<double> student_times = warp_times(reference, student, comparison);
  video::OverlayOptions overlay_options;
  overlay_options.draw_hud = false;
  video::OverlayRenderer reference_renderer(overlay_options), student_renderer(overlay_options);
  const double student_frame_s =
      1.0 / ((*student_reader)->info().fps > 0 ? (*student_reader)->info().fps : 30);

  video::VideoFrame reference_frame, student_frame, pending;
  bool have_student = false, have_pending = false, student_ended = false;
  reporter.set_total(static_cast<int64_t>(reference.frames.size()));
  cv::Mat canvas(height, width, CV_8UC3);
  while (true) {
    if (stop.stop_requested()) return cancelled_error();
    auto more = (*reference_reader)->read(reference_frame);
    if (!more) return more.error();
    if (!*more) break;
    const int64_t r = reference_frame.index;
    const double target_s = (r >= 0 && size_t(r) < student_times.size())
                                ? student_times[size_t(r)]
                                : reference_frame.timestamp_s + comparison.offset_s;
    // Show the student's frame nearest the target: advance while the next one starts no later
    // than half a frame after it. A frame read too early waits in `pending`.
    while (!student_ended) {
      if (!have_pending) {
        auto read = (*student_reader)->read(pending);
        if (!read) return read.error();
        if (!*read) {
          student_ended = true;
          break;
        }
        have_pending = true;
      }
      if (have_student && pending.timestamp_s > target_s + 0.5 * student_frame_s) break;
      std::swap(student_frame, pending);
      have_student = true;
      have_pending = false;
    }

    cv::Mat left = canvas(cv::Rect(0, 0, reference_size.width, height));
    cv::Mat right = canvas(cv::Rect(reference_size.width, 0, width - reference_size.width, height));
    reference_frame.rgb(cv::Rect(0, 0, reference_size.width, height)).copyTo(left);
    const bool student_in_range = have_student && target_s >= -0.5 * student_frame_s &&
                                  !(student_ended && target_s > student_frame.timestamp_s + student_frame_s);
    const pose::PoseFrame& reference_pose = pose_at(reference, r);
    const pose::PoseFrame& student_pose =
        student_in_range ? pose_at(student, student_frame.index) : pose_at(student, -1);
    if (student_in_range) {
      cv::Mat scaled;
      cv::resize(student_frame.rgb, scaled, cv::Size(student_width, height), 0, 0, cv::INTER_AREA);
      scaled(cv::Rect(0, 0, right.cols, height)).copyTo(right);
    } else {
      right.setTo(cv::Scalar(0, 0, 0));
    }
    DD_TRY(reference_renderer.draw(left, reference_pose));
    DD_TRY(student_renderer.draw(right, student_pose));

    const PartDeviation deviation =
        part_deviation(limb_features(reference_pose, reference.width, reference.height, false),
                       limb_features(student_pose, student.width, student.height, comparison.mirror));
    std::array<bool, analysis::kBodyPartCount> reference_parts{}, student_parts{};
    for (size_t p = 0; p < analysis::kBodyPartCount; ++p) {
      if (deviation.weight[p] <= 0 || deviation.angle_deg[p] < kHighlightAngle_deg) continue;
      reference_parts[p] = true;
      student_parts[comparison.mirror ? mirrored_part(p) : p] = true;
    }
    highlight(left, reference_pose, reference_parts);
    highlight(right, student_pose, student_parts);
    label(left, "reference");
    char text[64];
    if (student_in_range)
      std::snprintf(text, sizeof text, "student  %+.2f s%s", target_s - reference_frame.timestamp_s,
                    comparison.mirror ? "  (mirrored)" : "");
    else
      std::snprintf(text, sizeof text, "student  (outside the video)");
    label(right, text);

    DD_TRY((*writer)->write(canvas, reference_frame.timestamp_s));
    reporter.frame(r + 1);
  }
  if (stop.stop_requested()) return cancelled_error();
  return (*writer)->finish();
}

}  // namespace

Result<CompareOutputs> run_comparison(const CompareInput& reference_input, const CompareInput& student_input,
                                      const fs::path& output_dir, const CompareOptions& options,
                                      bool write_video_file, const pipeline::ProgressCallback& progress,
                                      std::stop_token stop) {
  pipeline::ProgressReporter reporter(progress, /*total_frames=*/0);
  reporter.stage("compare", 0, write_video_file ? kCompareShare : 1.0, "aligning the two dances");
  auto reference = load(reference_input, "reference");
  if (!reference) return reference.error();
  auto student = load(student_input, "student");
  if (!student) return student.error();
  if (write_video_file) {
    for (const fs::path* video : {&reference_input.video, &student_input.video}) {
      std::error_code ec;
      if (video->empty() || !fs::is_regular_file(*video, ec))
        return make_error(ErrorCode::kNotFound, "video not found: " + video->string());
    }
  }
  if (stop.stop_requested()) return cancelled_error();

  auto comparison = compare_sequences(*reference, *student, options);
  if (!comparison) return comparison.error();
  if (stop.stop_requested()) return cancelled_error();

  auto staging = pipeline::StagingDir::create(output_dir);
  if (!staging) return staging.error();
  DD_TRY(write_json(comparison_to_json(*comparison), staging->file("comparison.json")));

  CompareOutputs outputs;
  if (write_video_file) {
    reporter.stage("encode", kCompareShare, 1.0, "drawing the side-by-side video");
    DD_TRY(write_video(reference_input, student_input, *reference, *student, *comparison,
                       staging->file("comparison.mp4"), reporter, stop));
    auto mp4 = staging->publish("comparison.mp4", output_dir / "comparison.mp4");
    if (!mp4) return mp4.error();
    outputs.comparison_mp4 = *mp4;
  }
  if (stop.stop_requested()) return cancelled_error();
  // comparison.json last: its presence marks a complete run.
  auto json = staging->publish("comparison.json", output_dir / "comparison.json");
  if (!json) return json.error();
  outputs.comparison_json = *json;
  reporter.stage("done", 1, 1, "comparison complete");
  return outputs;
}

}  // namespace dd::compare
