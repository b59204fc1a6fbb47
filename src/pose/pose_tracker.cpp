#include "pose/pose_tracker.h"

#include <cmath>
#include <utility>

#include "core/log.h"
#include "nn/model.h"
#include "pose/image_to_tensor.h"
#include "pose/landmark_decoder.h"
#include "pose/model_files.h"

namespace dd::pose {
namespace {

constexpr float kNmsIouThreshold = 0.3f;
// Output order of the landmark model: landmarks, pose flag, segmentation, heatmap, world.
enum LandmarkOutput : size_t { kLandmarks = 0, kPoseFlag = 1, kHeatmap = 3, kWorld = 4 };

Status check_shapes(const nn::Model& model, const std::filesystem::path& path,
                    std::initializer_list<size_t> input_counts, std::initializer_list<size_t> output_counts) {
  const auto mismatch = [&](const char* what) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("pose: {} has unexpected {} tensors (not a MediaPipe pose model?)", path.string(), what));
  };
  if (model.inputs().size() != input_counts.size() || model.outputs().size() != output_counts.size()) {
    return mismatch("input/output");
  }
  size_t i = 0;
  for (size_t count : input_counts) {
    if (model.inputs()[i++].element_count() != count) return mismatch("input");
  }
  i = 0;
  for (size_t count : output_counts) {
    if (model.outputs()[i++].element_count() != count) return mismatch("output");
  }
  return ok_status();
}

Point2f point(const Landmark& lm) {
  return {lm.x, lm.y};
}

}  // namespace

PoseTracker::PoseTracker(const PoseOptions& options, std::shared_ptr<nn::ThreadPool> thread_pool,
                         std::unique_ptr<nn::Model> detector, std::unique_ptr<nn::Model> landmark)
    : options_(options),
      thread_pool_(std::move(thread_pool)),
      detector_(std::move(detector)),
      landmark_(std::move(landmark)) {}

PoseTracker::~PoseTracker() = default;

Result<std::unique_ptr<PoseTracker>> PoseTracker::create(const PoseOptions& options) {
  auto landmark_file = landmark_model_from_name(options.model);
  if (!landmark_file) return landmark_file.error();
  const auto in_unit_range = [](float v) { return v >= 0.0f && v <= 1.0f; };
  if (!in_unit_range(options.min_detection_confidence) || !in_unit_range(options.min_tracking_confidence)) {
    return make_error(ErrorCode::kInvalidArgument, "pose: confidence thresholds must be within [0, 1]");
  }
  if (options.num_threads < 0) {
    return make_error(ErrorCode::kInvalidArgument, "pose: num_threads must be >= 0");
  }
  auto detector_path = locate_model_file(options.model_dir, ModelFile::kDetector, /*verify_checksum=*/true);
  if (!detector_path) return detector_path.error();
  auto landmark_path = locate_model_file(options.model_dir, *landmark_file, /*verify_checksum=*/true);
  if (!landmark_path) return landmark_path.error();

  nn::ModelOptions model_options;
  model_options.thread_pool = nn::ThreadPool::create(options.num_threads);
  auto detector = nn::Model::load(*detector_path, model_options);
  if (!detector) return detector.error();
  DD_TRY(check_shapes(**detector, *detector_path, {kDetectorInputSize * kDetectorInputSize * 3},
                      {kAnchorCount * kDetectorCoordCount, kAnchorCount}));
  // The segmentation head (output 2) is never read: skipping it saves most of lite's time.
  auto landmark = nn::Model::load(*landmark_path, model_options, {"Identity_2"});
  if (!landmark) return landmark.error();
  DD_TRY(check_shapes(**landmark, *landmark_path, {kLandmarkInputSize * kLandmarkInputSize * 3},
                      {kModelLandmarkCount * 5, 1, kLandmarkInputSize * kLandmarkInputSize,
                       kHeatmapSize * kHeatmapSize * kModelLandmarkCount, kModelLandmarkCount * 3}));
  DD_LOG_INFO("pose: loaded {} and {}", detector_path->filename().string(),
              landmark_path->filename().string());
  return std::unique_ptr<PoseTracker>(new PoseTracker(
      options, model_options.thread_pool, std::move(detector).value(), std::move(landmark).value()));
}

void PoseTracker::reset() {
  previous_roi_.reset();
  smoother_ = PoseSmoother();
}

void PoseTracker::lose_track() {
  previous_roi_.reset();
  smoother_.on_pose_lost();
}

Result<std::optional<NormalizedRect>> PoseTracker::detect(const cv::Mat& rgb) {
  letterbox_to_tensor(rgb, kDetectorInputSize, detector_->input(0), thread_pool_.get());
  DD_TRY(detector_->run());
  std::vector<Detection> detections =
      decode_detections(detector_->output(0), detector_->output(1), options_.min_detection_confidence);
  if (detections.empty()) return std::optional<NormalizedRect>();
  detections = weighted_non_max_suppression(std::move(detections), kNmsIouThreshold);
  DD_LOG_DEBUG("pose: detector found {} candidate(s), best score {:.4f}", detections.size(),
               detections.front().score);
  // Only the best cluster is kept: one person.
  const Detection best = remove_letterbox(detections.front(), square_letterbox_padding(rgb.cols, rgb.rows));
  return std::optional<NormalizedRect>(
      roi_from_alignment_points(best.keypoints[0], best.keypoints[1], rgb.cols, rgb.rows));
}

Result<PoseFrame> PoseTracker::process(const cv::Mat& rgb, int64_t index, double timestamp_s) {
  if (rgb.empty() || rgb.type() != CV_8UC3) {
    return make_error(ErrorCode::kInvalidArgument, "pose: frame must be a non-empty RGB24 (CV_8UC3) image");
  }
  if (!std::isfinite(timestamp_s)) {
    return make_error(ErrorCode::kInvalidArgument, "pose: frame timestamp is not finite");
  }
  PoseFrame frame;
  frame.index = index;
  frame.timestamp_s = timestamp_s;
  const int width = rgb.cols;
  const int height = rgb.rows;

  std::optional<NormalizedRect> roi;
  const bool tracked = !options_.static_image_mode && previous_roi_.has_value();
  if (tracked) {
    roi = previous_roi_;
  } else {
    auto detected = detect(rgb);
    if (!detected) return detected.error();
    roi = *detected;
  }
  if (!roi) {
    lose_track();
    return frame;
  }
  frame.roi = *roi;

  roi_to_tensor(rgb, *roi, kLandmarkInputSize, landmark_->input(0), thread_pool_.get());
  DD_TRY(landmark_->run());
  frame.pose_score = landmark_->output(kPoseFlag)[0];
  DD_LOG_DEBUG("pose: frame {} ({}) pose flag {:.4f}", index, tracked ? "tracked" : "detected",
               frame.pose_score);
  if (!(static_cast<double>(frame.pose_score) > static_cast<double>(options_.min_tracking_confidence))) {
    lose_track();
    return frame;
  }

  ModelLandmarks roi_landmarks = decode_roi_landmarks(landmark_->output(kLandmarks));
  refine_landmarks_from_heatmap(roi_landmarks, landmark_->output(kHeatmap), kHeatmapSize, kModelLandmarkCount,
                                kHeatmapKernelSize, kHeatmapMinConfidence);
  for (int i = 0; i < kLandmarkCount; ++i) frame.landmarks[i] = project_to_frame(roi_landmarks[i], *roi);
  std::array<Landmark, 2> aux = {project_to_frame(roi_landmarks[kAuxCenterIndex], *roi),
                                 project_to_frame(roi_landmarks[kAuxScaleIndex], *roi)};
  frame.world = decode_world_landmarks(landmark_->output(kWorld), roi->rotation, roi_landmarks);

  const bool smooth = options_.smooth_landmarks && !options_.static_image_mode;
  smoother_.apply(frame.landmarks, frame.world, aux, filter_timestamp_ns(timestamp_s), width, height, smooth);
  previous_roi_ = roi_from_alignment_points(point(aux[0]), point(aux[1]), width, height);
  frame.detected = true;
  return frame;
}

}  // namespace dd::pose
