// PoseTracker: MediaPipe BlazePose (GHUM 3D) on a stream of RGB frames: detector when
// there is no track, landmark model on a rotated ROI, ROI tracking from the auxiliary
// landmarks, and one-euro smoothing; reproduces the web build's conventions.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "pose/detection.h"
#include "pose/pose_frame.h"
#include "pose/pose_smoother.h"

namespace dd::nn {
class Model;
class ThreadPool;
}  // namespace dd::nn

namespace dd::pose {

struct PoseOptions {
  std::string model = "full";             // landmark model: lite | full | heavy
  std::filesystem::path model_dir;        // directory of the .tflite files
  float min_detection_confidence = 0.5f;  // detector score threshold (kept if >=)
  float min_tracking_confidence = 0.5f;   // pose flag threshold (pose present if >)
  bool smooth_landmarks = true;           // one-euro smoothing of landmarks and world landmarks
  bool static_image_mode = false;         // detector on every frame, no tracking, no smoothing
  int num_threads = 0;                    // inference threads; 0 = all cores
};

class PoseTracker {
 public:
  ~PoseTracker();
  PoseTracker(const PoseTracker&) = delete;
  PoseTracker& operator=(const PoseTracker&) = delete;

  // Loads the detector and the chosen landmark model after verifying their checksums;
  // InvalidArgument for bad options, NotFound/DataLoss for missing or corrupt models.
  static Result<std::unique_ptr<PoseTracker>> create(const PoseOptions& options);

  // Tracks the pose in one RGB24 frame (timestamps should increase); InvalidArgument for an
  // empty or non-RGB24 image, Internal if inference fails. A frame without a pose is not
  // an error: detected is false.
  Result<PoseFrame> process(const cv::Mat& rgb, int64_t index, double timestamp_s);

  // Forgets the track and all filter state (e.g. before a new video).
  void reset();

  const PoseOptions& options() const { return options_; }

 private:
  PoseTracker(const PoseOptions& options, std::shared_ptr<nn::ThreadPool> thread_pool,
              std::unique_ptr<nn::Model> detector, std::unique_ptr<nn::Model> landmark);
  // The best detection's ROI in this frame, or nullopt when the detector finds nobody.
  Result<std::optional<NormalizedRect>> detect(const cv::Mat& rgb);
  void lose_track();

  PoseOptions options_;
  std::shared_ptr<nn::ThreadPool> thread_pool_;  // the models' threads, also used for the crops
  std::unique_ptr<nn::Model> detector_;
  std::unique_ptr<nn::Model> landmark_;
  PoseSmoother smoother_;
  std::optional<NormalizedRect> previous_roi_;
};

}  // namespace dd::pose
