// PoseFrame: what the pose tracker produces for one video frame, and the BlazePose
// landmark indices. The only per-frame state the rest of the pipeline keeps.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace dd::pose {

inline constexpr int kLandmarkCount = 33;

// BlazePose landmark indices (odd = left, even = right from 11 on).
enum LandmarkIndex : int {
  kNose = 0,
  kLeftEyeInner = 1,
  kLeftEye = 2,
  kLeftEyeOuter = 3,
  kRightEyeInner = 4,
  kRightEye = 5,
  kRightEyeOuter = 6,
  kLeftEar = 7,
  kRightEar = 8,
  kMouthLeft = 9,
  kMouthRight = 10,
  kLeftShoulder = 11,
  kRightShoulder = 12,
  kLeftElbow = 13,
  kRightElbow = 14,
  kLeftWrist = 15,
  kRightWrist = 16,
  kLeftPinky = 17,
  kRightPinky = 18,
  kLeftIndex = 19,
  kRightIndex = 20,
  kLeftThumb = 21,
  kRightThumb = 22,
  kLeftHip = 23,
  kRightHip = 24,
  kLeftKnee = 25,
  kRightKnee = 26,
  kLeftAnkle = 27,
  kRightAnkle = 28,
  kLeftHeel = 29,
  kRightHeel = 30,
  kLeftFootIndex = 31,
  kRightFootIndex = 32,
};

struct Landmark {
  float x = 0;           // image landmarks: [0,1] of the displayed frame width; world: metres
  float y = 0;           // image: [0,1] of the frame height (down); world: metres (down)
  float z = 0;           // image: depth on the scale of x (frame width), origin at mid-hip; world: metres
  float visibility = 0;  // 0..1, likelihood the point is visible (not occluded)
  float presence = 0;    // 0..1, likelihood the point is in the frame
};

// A rotated rectangle in frame-normalised coordinates (MediaPipe's NormalizedRect).
struct NormalizedRect {
  float x_center = 0;
  float y_center = 0;
  float width = 0;     // fraction of the frame width
  float height = 0;    // fraction of the frame height
  float rotation = 0;  // radians, positive turns the rect's x axis towards +y (clockwise on screen)
};

struct PoseFrame {
  int64_t index = 0;       // frame number in decode order, from 0
  double timestamp_s = 0;  // presentation time in seconds (real, from the stream)
  bool detected = false;   // false: no pose in this frame; landmarks are meaningless
  float pose_score = 0;    // landmark model's pose flag (probability a pose is present)
  std::array<Landmark, kLandmarkCount> landmarks{};  // normalised to the frame
  std::array<Landmark, kLandmarkCount> world{};      // metres, origin at the hips
  NormalizedRect roi{};                              // the region the landmark model looked at
};

// The whole video's poses with the frame geometry needed to compare x and y distances.
struct PoseSequence {
  int width = 0;   // displayed frame width in pixels (rotation applied)
  int height = 0;  // displayed frame height in pixels
  double fps = 0;  // average frame rate (informational; use timestamps for time)
  std::vector<PoseFrame> frames;
};

}  // namespace dd::pose
