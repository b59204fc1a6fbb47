#include "report/motion_exports.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "pose/landmarks_json.h"
#include "report/angles_csv.h"
#include "report/bvh_export.h"
#include "report/landmarks_csv.h"
#include "report/motion_track.h"
#include "report/synthetic_motion.h"
#include "report/trc_export.h"

namespace dd::report {
namespace {

namespace fs = std::filesystem;
using analysis::TrajectoryFilter;
using analysis::TrajectoryFilterKind;

const TrajectoryFilter kNoFilter{TrajectoryFilterKind::kNone, 6};

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t end = line.find(separator, start);
    fields.push_back(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return fields;
    start = end + 1;
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string export_text(const pose::PoseSequence& dancer, MotionExport format,
                        const TrajectoryFilter& filter = kNoFilter) {
  std::ostringstream out;
  const auto status = write_motion_export(dancer, format, filter, motion_export_file_name(format), out);
  EXPECT_TRUE(status.has_value()) << (status ? "" : status.error().message);
  return out.str();
}

// ---- TRC ----------------------------------------------------------------------------------

struct ParsedTrc {
  std::map<std::string, std::string> header;  // DataRate, NumFrames, ... -> value
  std::vector<std::string> markers;
  std::vector<std::vector<std::string>> rows;  // Frame#, Time, X1, Y1, Z1, ...
};

ParsedTrc parse_trc(const std::string& text) {
  ParsedTrc trc;
  const auto lines = lines_of(text);
  EXPECT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[0], "PathFileType\t4\t(X/Y/Z)\tlandmarks.trc");
  const auto keys = split(lines[1], '\t');
  const auto values = split(lines[2], '\t');
  EXPECT_EQ(keys.size(), values.size());
  for (size_t i = 0; i < keys.size() && i < values.size(); ++i) trc.header[keys[i]] = values[i];
  const auto names = split(lines[3], '\t');
  EXPECT_EQ(names[0], "Frame#");
  EXPECT_EQ(names[1], "Time");
  for (size_t i = 2; i < names.size(); i += 3) trc.markers.push_back(names[i]);
  const auto axes = split(lines[4], '\t');
  EXPECT_EQ(axes[2], "X1");
  EXPECT_EQ(axes.back(), "Z33");
  EXPECT_EQ(lines[5], "");
  for (size_t i = 6; i < lines.size(); ++i) trc.rows.push_back(split(lines[i], '\t'));
  return trc;
}

TEST(TrcExportTest, ParsesBackWithHeaderMarkersFramesUnitsAndRate) {
  const auto dancer = testing::rigid_dancer_sequence(/*frame_count=*/45, /*fps=*/30);
  const auto trc = parse_trc(export_text(dancer, MotionExport::kTrc));
  EXPECT_DOUBLE_EQ(std::stod(trc.header.at("DataRate")), 30);
  EXPECT_DOUBLE_EQ(std::stod(trc.header.at("CameraRate")), 30);
  EXPECT_DOUBLE_EQ(std::stod(trc.header.at("OrigDataRate")), 30);
  EXPECT_EQ(trc.header.at("NumFrames"), "45");
  EXPECT_EQ(trc.header.at("OrigNumFrames"), "45");
  EXPECT_EQ(trc.header.at("OrigDataStartFrame"), "1");
  EXPECT_EQ(trc.header.at("NumMarkers"), "33");
  EXPECT_EQ(trc.header.at("Units"), "m");
  ASSERT_EQ(trc.markers.size(), 33u);
  for (int i = 0; i < pose::kLandmarkCount; ++i)
    EXPECT_EQ(trc.markers[static_cast<size_t>(i)], landmark_name(i));
  ASSERT_EQ(trc.rows.size(), 45u);
  for (size_t k = 0; k < trc.rows.size(); ++k) {
    ASSERT_EQ(trc.rows[k].size(), 2u + 3u * 33u);
    EXPECT_EQ(trc.rows[k][0], std::to_string(k + 1));
    EXPECT_NEAR(std::stod(trc.rows[k][1]), k / 30.0, 1e-5);
  }
}

TEST(TrcExportTest, MetresWithYUpAndTheLowestFootOnTheFloor) {
  const auto dancer = testing::rigid_dancer_sequence(30, 30);
  const auto trc = parse_trc(export_text(dancer, MotionExport::kTrc));
  const auto coordinate = [&trc](size_t row, int marker, int axis) {
    return std::stod(trc.rows[row][2 + 3 * static_cast<size_t>(marker) + static_cast<size_t>(axis)]);
  };
  for (size_t k = 0; k < trc.rows.size(); ++k) {
    double lowest_foot = 1e9;
    for (int marker : {pose::kLeftAnkle, pose::kRightAnkle, pose::kLeftHeel, pose::kRightHeel,
                       pose::kLeftFootIndex, pose::kRightFootIndex}) {
      lowest_foot = std::min(lowest_foot, coordinate(k, marker, 1));
    }
    EXPECT_NEAR(lowest_foot, 0, 1e-6) << k;
    // Y up: the nose above the hips above the ankles; distances in metres as generated.
    EXPECT_GT(coordinate(k, pose::kNose, 1), coordinate(k, pose::kLeftHip, 1));
    EXPECT_GT(coordinate(k, pose::kLeftHip, 1), coordinate(k, pose::kLeftAnkle, 1));
    const auto points = testing::rigid_dancer_at(k / 30.0);
    for (int axis = 0; axis < 3; ++axis) {
      const double expected = axis == 0   ? points[pose::kLeftWrist].x - points[pose::kRightKnee].x
                              : axis == 1 ? points[pose::kLeftWrist].y - points[pose::kRightKnee].y
                                          : points[pose::kLeftWrist].z - points[pose::kRightKnee].z;
      EXPECT_NEAR(coordinate(k, pose::kLeftWrist, axis) - coordinate(k, pose::kRightKnee, axis), expected,
                  1e-5);
    }
  }
}

TEST(TrcExportTest, ResamplesAVariableFrameRateToTheAverageRate) {
  // 25 fps on average, frames alternately 30 and 50 ms apart.
  auto dancer = testing::rigid_dancer_sequence(41, 25);
  double t = 0;
  for (size_t k = 0; k < dancer.frames.size(); ++k) {
    dancer.frames[k].timestamp_s = t;
    t += k % 2 ? 0.05 : 0.03;
  }
  const double last_s = dancer.frames.back().timestamp_s;  // 0.8 s
  const auto trc = parse_trc(export_text(dancer, MotionExport::kTrc));
  EXPECT_DOUBLE_EQ(std::stod(trc.header.at("DataRate")), 25);
  ASSERT_EQ(trc.rows.size(), static_cast<size_t>(std::floor(last_s * 25 + 1e-6)) + 1);
  for (size_t k = 0; k < trc.rows.size(); ++k) EXPECT_NEAR(std::stod(trc.rows[k][1]), k / 25.0, 1e-5);
}

TEST(TrcExportTest, ShortGapsAreFilledAndLongGapsLeftEmpty) {
  auto dancer = testing::rigid_dancer_sequence(60, 30);
  for (size_t k = 5; k < 9; ++k) dancer.frames[k].detected = false;    // 4 frames: filled
  for (size_t k = 20; k < 35; ++k) dancer.frames[k].detected = false;  // 15 frames: left empty
  const auto trc = parse_trc(export_text(dancer, MotionExport::kTrc));
  ASSERT_EQ(trc.rows.size(), 60u);
  EXPECT_FALSE(trc.rows[6][2].empty());
  for (size_t k = 20; k < 35; ++k) {
    ASSERT_EQ(trc.rows[k].size(), 2u + 3u * 33u) << k;
    for (size_t field = 2; field < trc.rows[k].size(); ++field) EXPECT_TRUE(trc.rows[k][field].empty()) << k;
  }
  EXPECT_FALSE(trc.rows[35][2].empty());
}

// ---- BVH ----------------------------------------------------------------------------------

struct BvhJoint {
  std::string name;
  int parent = -1;
  Vec3 offset;
  bool has_end_site = false;
  Vec3 end_site;
  int channel_count = 0;
};

struct ParsedBvh {
  std::vector<BvhJoint> joints;
  std::vector<std::vector<double>> frames;
  double frame_time_s = 0;
};

ParsedBvh parse_bvh(const std::string& text) {
  ParsedBvh bvh;
  std::istringstream in(text);
  std::string word;
  std::vector<int> stack;
  bool in_end_site = false;
  int pending_joint = -1;
  in >> word;
  EXPECT_EQ(word, "HIERARCHY");
  while (in >> word && word != "MOTION") {
    if (word == "ROOT" || word == "JOINT") {
      BvhJoint joint;
      in >> joint.name;
      joint.parent = stack.empty() ? -1 : stack.back();
      bvh.joints.push_back(joint);
      pending_joint = static_cast<int>(bvh.joints.size()) - 1;
    } else if (word == "End") {
      in >> word;  // Site
      in_end_site = true;
      bvh.joints[static_cast<size_t>(stack.back())].has_end_site = true;
    } else if (word == "{") {
      if (!in_end_site) stack.push_back(pending_joint);
    } else if (word == "}") {
      if (in_end_site) {
        in_end_site = false;
      } else {
        stack.pop_back();
      }
    } else if (word == "OFFSET") {
      Vec3 v;
      in >> v.x >> v.y >> v.z;
      auto& joint = bvh.joints[static_cast<size_t>(stack.back())];
      (in_end_site ? joint.end_site : joint.offset) = v;
    } else if (word == "CHANNELS") {
      auto& joint = bvh.joints[static_cast<size_t>(stack.back())];
      in >> joint.channel_count;
      std::vector<std::string> names(static_cast<size_t>(joint.channel_count));
      for (auto& name : names) in >> name;
      const std::vector<std::string> rotations = {"Zrotation", "Xrotation", "Yrotation"};
      EXPECT_EQ(std::vector<std::string>(names.end() - 3, names.end()), rotations);
    }
  }
  EXPECT_TRUE(stack.empty());
  size_t frame_count = 0;
  in >> word >> frame_count;
  EXPECT_EQ(word, "Frames:");
  in >> word >> word >> bvh.frame_time_s;
  size_t channels = 0;
  for (const auto& joint : bvh.joints) channels += static_cast<size_t>(joint.channel_count);
  for (size_t f = 0; f < frame_count; ++f) {
    std::vector<double> values(channels);
    for (auto& value : values) in >> value;
    bvh.frames.push_back(values);
  }
  EXPECT_TRUE(static_cast<bool>(in));
  return bvh;
}

using Matrix = std::array<double, 9>;

Matrix multiply(const Matrix& a, const Matrix& b) {
  Matrix c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k)
        c[static_cast<size_t>(i * 3 + j)] +=
            a[static_cast<size_t>(i * 3 + k)] * b[static_cast<size_t>(k * 3 + j)];
  return c;
}

Vec3 rotate_vector(const Matrix& m, Vec3 v) {
  return {m[0] * v.x + m[1] * v.y + m[2] * v.z, m[3] * v.x + m[4] * v.y + m[5] * v.z,
          m[6] * v.x + m[7] * v.y + m[8] * v.z};
}

Matrix axis_rotation(char axis, double degrees) {
  const double r = degrees * std::numbers::pi / 180, c = std::cos(r), s = std::sin(r);
  if (axis == 'X') return {1, 0, 0, 0, c, -s, 0, s, c};
  if (axis == 'Y') return {c, 0, s, 0, 1, 0, -s, 0, c};
  return {c, -s, 0, s, c, 0, 0, 0, 1};
}

// Forward kinematics of one frame: the world position of every joint and end site by name
// (end sites as "<joint>/end").
std::map<std::string, Vec3> forward_kinematics(const ParsedBvh& bvh, const std::vector<double>& frame) {
  std::map<std::string, Vec3> positions;
  std::vector<Matrix> world(bvh.joints.size());
  std::vector<Vec3> origin(bvh.joints.size());
  size_t channel = 0;
  for (size_t j = 0; j < bvh.joints.size(); ++j) {
    const auto& joint = bvh.joints[j];
    Vec3 translation;
    if (joint.channel_count == 6) {
      translation = {frame[channel], frame[channel + 1], frame[channel + 2]};
      channel += 3;
    }
    const Matrix local =
        multiply(multiply(axis_rotation('Z', frame[channel]), axis_rotation('X', frame[channel + 1])),
                 axis_rotation('Y', frame[channel + 2]));
    channel += 3;
    if (joint.parent < 0) {
      origin[j] = joint.offset + translation;
      world[j] = local;
    } else {
      const auto parent = static_cast<size_t>(joint.parent);
      origin[j] = origin[parent] + rotate_vector(world[parent], joint.offset);
      world[j] = multiply(world[parent], local);
    }
    positions[joint.name] = origin[j];
    if (joint.has_end_site)
      positions[joint.name + "/end"] = origin[j] + rotate_vector(world[j], joint.end_site);
  }
  return positions;
}

// The body point (one landmark or the midpoint of two) each BVH joint and end site sits on.
const std::map<std::string, std::pair<int, int>>& joint_landmarks() {
  using namespace pose;
  static const std::map<std::string, std::pair<int, int>> kPoints = {
      {"Hips", {kLeftHip, kRightHip}},
      {"Spine", {kLeftHip, kRightHip}},
      {"Neck", {kLeftShoulder, kRightShoulder}},
      {"Head", {kLeftShoulder, kRightShoulder}},
      {"Head/end", {kLeftEar, kRightEar}},
      {"LeftShoulder", {kLeftShoulder, kLeftShoulder}},
      {"LeftElbow", {kLeftElbow, kLeftElbow}},
      {"LeftWrist", {kLeftWrist, kLeftWrist}},
      {"LeftWrist/end", {kLeftIndex, kLeftPinky}},
      {"RightShoulder", {kRightShoulder, kRightShoulder}},
      {"RightElbow", {kRightElbow, kRightElbow}},
      {"RightWrist", {kRightWrist, kRightWrist}},
      {"RightWrist/end", {kRightIndex, kRightPinky}},
      {"LeftHip", {kLeftHip, kLeftHip}},
      {"LeftKnee", {kLeftKnee, kLeftKnee}},
      {"LeftAnkle", {kLeftAnkle, kLeftAnkle}},
      {"LeftAnkle/end", {kLeftFootIndex, kLeftFootIndex}},
      {"RightHip", {kRightHip, kRightHip}},
      {"RightKnee", {kRightKnee, kRightKnee}},
      {"RightAnkle", {kRightAnkle, kRightAnkle}},
      {"RightAnkle/end", {kRightFootIndex, kRightFootIndex}},
  };
  return kPoints;
}

// Export axes of a MediaPipe world landmark (Y and Z flipped).
Vec3 export_axes(const pose::Landmark& lm) {
  return {lm.x, -static_cast<double>(lm.y), -static_cast<double>(lm.z)};
}

Vec3 body_point(const pose::PoseFrame& frame, std::pair<int, int> point) {
  return 0.5 * (export_axes(frame.world[static_cast<size_t>(point.first)]) +
                export_axes(frame.world[static_cast<size_t>(point.second)]));
}

// The largest distance, over frames and joints, between the BVH's forward kinematics and the
// landmarks, both relative to the hips (the floor lift moves them together).
double worst_fk_error_m(const ParsedBvh& bvh, const pose::PoseSequence& dancer) {
  double worst = 0;
  EXPECT_EQ(bvh.frames.size(), dancer.frames.size());
  for (size_t k = 0; k < bvh.frames.size() && k < dancer.frames.size(); ++k) {
    const auto positions = forward_kinematics(bvh, bvh.frames[k]);
    const Vec3 hips = positions.at("Hips");
    const Vec3 landmark_hips = body_point(dancer.frames[k], joint_landmarks().at("Hips"));
    for (const auto& [name, point] : joint_landmarks()) {
      const auto found = positions.find(name);
      EXPECT_NE(found, positions.end()) << name;
      if (found == positions.end()) continue;
      const Vec3 error = (found->second - hips) - (body_point(dancer.frames[k], point) - landmark_hips);
      worst = std::max(worst, norm(error));
    }
  }
  return worst;
}

TEST(BvhExportTest, HierarchyIsRootedAtTheHipsWithTheBodysJoints) {
  const auto bvh = parse_bvh(export_text(testing::rigid_dancer_sequence(10, 30), MotionExport::kBvh));
  std::vector<std::string> names;
  for (const auto& joint : bvh.joints) names.push_back(joint.name);
  const std::vector<std::string> expected = {"Hips",         "Spine",      "Neck",      "Head",
                                             "LeftShoulder", "LeftElbow",  "LeftWrist", "RightShoulder",
                                             "RightElbow",   "RightWrist", "LeftHip",   "LeftKnee",
                                             "LeftAnkle",    "RightHip",   "RightKnee", "RightAnkle"};
  EXPECT_EQ(names, expected);
  const auto joint_names = bvh_joint_names();
  EXPECT_EQ(std::vector<std::string>(joint_names.begin(), joint_names.end()), expected);
  EXPECT_EQ(bvh.joints[0].parent, -1);
  EXPECT_EQ(bvh.joints[0].channel_count, 6);
  EXPECT_NEAR(bvh.frame_time_s, 1.0 / 30, 1e-7);
  // Bone lengths are the generated ones: upper arm 0.28 m, shank 0.39 m, shoulder width 0.34 m.
  EXPECT_NEAR(norm(bvh.joints[5].offset), 0.28, 1e-5);   // LeftElbow from LeftShoulder
  EXPECT_NEAR(norm(bvh.joints[15].offset), 0.39, 1e-5);  // RightAnkle from RightKnee
  EXPECT_NEAR(norm(bvh.joints[4].offset) + norm(bvh.joints[7].offset), 0.34, 1e-5);
}

TEST(BvhExportTest, ForwardKinematicsReproducesTheLandmarksOfAGeneratedMotion) {
  const auto dancer = testing::rigid_dancer_sequence(/*frame_count=*/150, /*fps=*/30);
  const auto bvh = parse_bvh(export_text(dancer, MotionExport::kBvh));
  ASSERT_EQ(bvh.frames.size(), 150u);
  EXPECT_LT(worst_fk_error_m(bvh, dancer), 0.01);
  EXPECT_LT(worst_fk_error_m(bvh, dancer), 1e-4);  // float landmarks, 5-decimal angles
}

TEST(BvhExportTest, RootFollowsTheHipsAboveTheFloor) {
  const auto dancer = testing::rigid_dancer_sequence(20, 30);
  const auto bvh = parse_bvh(export_text(dancer, MotionExport::kBvh));
  const auto trc = parse_trc(export_text(dancer, MotionExport::kTrc));
  for (size_t k = 0; k < bvh.frames.size(); ++k) {
    const double hip_y = 0.5 * (std::stod(trc.rows[k][2 + 3 * pose::kLeftHip + 1]) +
                                std::stod(trc.rows[k][2 + 3 * pose::kRightHip + 1]));
    EXPECT_NEAR(bvh.frames[k][1], hip_y, 1e-5) << k;
  }
}

TEST(BvhExportTest, FramesWithoutAPoseRepeatTheNearestPose) {
  auto dancer = testing::rigid_dancer_sequence(60, 30);
  for (size_t k = 0; k < 3; ++k) dancer.frames[k].detected = false;
  for (size_t k = 20; k < 40; ++k) dancer.frames[k].detected = false;
  const auto bvh = parse_bvh(export_text(dancer, MotionExport::kBvh));
  ASSERT_EQ(bvh.frames.size(), 60u);
  EXPECT_EQ(bvh.frames[0], bvh.frames[3]);
  EXPECT_EQ(bvh.frames[25], bvh.frames[19]);
  EXPECT_NE(bvh.frames[40], bvh.frames[19]);
}

TEST(BvhExportTest, NoPoseAtAllIsAFailedPrecondition) {
  auto dancer = testing::rigid_dancer_sequence(10, 30);
  for (auto& frame : dancer.frames) frame.detected = false;
  std::ostringstream out;
  const auto status = write_motion_export(dancer, MotionExport::kBvh, kNoFilter, "skeleton.bvh", out);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition);
}

// A real dancer: MediaPipe's world landmarks of 40 frames of an aerobics clip.
TEST(BvhExportTest, ForwardKinematicsFollowsARealClip) {
  const fs::path fixture = fs::path(DD_TEST_DATA_DIR) / "aerobics_world_40.json";
  auto document = pose::read_landmarks_json(fixture);
  ASSERT_TRUE(document.has_value()) << fixture << ": " << (document ? "" : document.error().message);
  const auto& dancer = document->sequence;
  const auto bvh = parse_bvh(export_text(dancer, MotionExport::kBvh));
  ASSERT_EQ(bvh.frames.size(), dancer.frames.size());
  // The BVH's bones are rigid (median lengths) while MediaPipe's landmark distances vary from
  // frame to frame by a few centimetres, so the reference is the landmarks with every bone,
  // walked from the hips outwards, rescaled to its median length along its measured direction.
  double worst_m = 0;
  for (size_t k = 0; k < dancer.frames.size(); ++k) {
    const auto& frame = dancer.frames[k];
    const auto positions = forward_kinematics(bvh, bvh.frames[k]);
    std::map<std::string, Vec3> rigid;
    const auto rescaled = [&](const std::string& parent, const std::string& child, Vec3 rest) {
      const Vec3 direction =
          body_point(frame, joint_landmarks().at(child)) - body_point(frame, joint_landmarks().at(parent));
      return rigid.at(parent) + norm(rest) * normalized(direction);
    };
    for (const auto& joint : bvh.joints) {
      rigid[joint.name] = joint.parent < 0 ? body_point(frame, joint_landmarks().at(joint.name))
                                           : rescaled(bvh.joints[static_cast<size_t>(joint.parent)].name,
                                                      joint.name, joint.offset);
      if (joint.has_end_site)
        rigid[joint.name + "/end"] = rescaled(joint.name, joint.name + "/end", joint.end_site);
    }
    for (const auto& [name, point] : rigid) {
      const Vec3 error = (positions.at(name) - positions.at("Hips")) - (point - rigid.at("Hips"));
      worst_m = std::max(worst_m, norm(error));
    }
  }
  EXPECT_LT(worst_m, 0.01);
}

// ---- angles.csv ---------------------------------------------------------------------------

struct ParsedAngles {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  double value(size_t row, const std::string& column) const {
    const auto found = std::find(header.begin(), header.end(), column);
    EXPECT_NE(found, header.end()) << column;
    return std::stod(rows[row][static_cast<size_t>(found - header.begin())]);
  }
};

ParsedAngles parse_angles(const std::string& text) {
  ParsedAngles angles;
  const auto lines = lines_of(text);
  angles.header = split(lines.at(0), ',');
  for (size_t i = 1; i < lines.size(); ++i) angles.rows.push_back(split(lines[i], ','));
  return angles;
}

// Frame k of a pose built from chosen angles: left elbow 40 + 2k, right knee 100 + k, trunk
// leaning forward by 0.5k, the left upper arm and the right thigh straight down.
pose::PoseSequence known_angle_sequence(int frame_count) {
  auto dancer = testing::rigid_dancer_sequence(frame_count, 30);
  const double kRad = std::numbers::pi / 180;
  for (int k = 0; k < frame_count; ++k) {
    auto points = testing::rigid_dancer_at(k / 30.0);
    using namespace pose;
    points[kLeftHip] = {0.1, 0.9, 0};
    points[kRightHip] = {-0.1, 0.9, 0};
    const double lean = 0.5 * k * kRad;
    const Vec3 mid_shoulder = Vec3{0, 0.9, 0} + 0.5 * Vec3{0, std::cos(lean), std::sin(lean)};
    points[kLeftShoulder] = mid_shoulder + Vec3{0.17, 0, 0};
    points[kRightShoulder] = mid_shoulder - Vec3{0.17, 0, 0};
    const double elbow = (40 + 2 * k) * kRad;
    points[kLeftElbow] = points[kLeftShoulder] + Vec3{0, -0.3, 0};
    points[kLeftWrist] = points[kLeftElbow] + 0.25 * Vec3{0, std::cos(elbow), std::sin(elbow)};
    const double knee = (100 + k) * kRad;
    points[kRightKnee] = points[kRightHip] + Vec3{0, -0.4, 0};
    points[kRightAnkle] = points[kRightKnee] + 0.4 * Vec3{0, std::cos(knee), -std::sin(knee)};
    auto& frame = dancer.frames[static_cast<size_t>(k)];
    for (int i = 0; i < kLandmarkCount; ++i)
      frame.world[static_cast<size_t>(i)] = testing::world_landmark(points[static_cast<size_t>(i)]);
  }
  return dancer;
}

TEST(AnglesCsvTest, AKnownAngleSequenceComesBackExactly) {
  const auto angles = parse_angles(export_text(known_angle_sequence(40), MotionExport::kAngles));
  std::vector<std::string> expected_header = {"frame", "time", "filled"};
  for (auto name : angle_column_names()) expected_header.emplace_back(name);
  EXPECT_EQ(angles.header, expected_header);
  ASSERT_EQ(angles.rows.size(), 40u);
  // Three decimals in the file; float landmarks add < 1e-4 degrees.
  constexpr double kTolerance = 0.0006;
  for (size_t k = 0; k < 40; ++k) {
    const double step = static_cast<double>(k);
    EXPECT_EQ(angles.rows[k][0], std::to_string(k));
    EXPECT_EQ(angles.rows[k][2], "0");
    EXPECT_NEAR(angles.value(k, "left_elbow"), 40 + 2 * step, kTolerance) << k;
    EXPECT_NEAR(angles.value(k, "right_knee"), 100 + step, kTolerance) << k;
    EXPECT_NEAR(angles.value(k, "trunk_lean"), 0.5 * step, kTolerance) << k;
    EXPECT_NEAR(angles.value(k, "trunk_elevation"), 90 - 0.5 * step, kTolerance) << k;
    EXPECT_NEAR(angles.value(k, "left_upper_arm_elevation"), -90, kTolerance) << k;
    EXPECT_NEAR(angles.value(k, "left_forearm_elevation"), 90 - (40 + 2 * step), kTolerance) << k;
    EXPECT_NEAR(angles.value(k, "right_thigh_elevation"), -90, kTolerance) << k;
    EXPECT_NEAR(angles.value(k, "right_shank_elevation"), 90 - (100 + step), kTolerance) << k;
    for (size_t column = 3; column < angles.header.size(); ++column)
      EXPECT_FALSE(angles.rows[k][column].empty()) << angles.header[column];
  }
}

TEST(AnglesCsvTest, FilledRowsAreMarkedAndLongGapsEmpty) {
  auto dancer = known_angle_sequence(60);
  for (size_t k = 10; k < 13; ++k) dancer.frames[k].detected = false;
  for (size_t k = 30; k < 45; ++k) dancer.frames[k].detected = false;
  const auto angles = parse_angles(export_text(dancer, MotionExport::kAngles));
  ASSERT_EQ(angles.rows.size(), 60u);
  EXPECT_EQ(angles.rows[9][2], "0");
  EXPECT_EQ(angles.rows[11][2], "1");
  // A filled trunk lean lies on the line between its neighbours (0.5 degrees a frame).
  EXPECT_NEAR(angles.value(11, "trunk_lean"), 5.5, 0.01);
  EXPECT_EQ(angles.rows[13][2], "0");
  EXPECT_EQ(angles.rows[35][2], "0");
  for (size_t column = 3; column < angles.header.size(); ++column)
    EXPECT_TRUE(angles.rows[35][column].empty());
}

TEST(AnglesCsvTest, ButterworthKeepsSlowAnglesAndRemovesJitter) {
  auto dancer = known_angle_sequence(90);
  // +-1 cm of alternating jitter on the left wrist.
  for (size_t k = 0; k < dancer.frames.size(); ++k)
    dancer.frames[k].world[pose::kLeftWrist].z += k % 2 ? 0.01f : -0.01f;
  const auto raw = parse_angles(export_text(dancer, MotionExport::kAngles));
  const auto smooth = parse_angles(
      export_text(dancer, MotionExport::kAngles, *analysis::parse_trajectory_filter("butterworth:6")));
  double raw_jitter = 0, smooth_jitter = 0;
  for (size_t k = 30; k < 60; ++k) {
    raw_jitter = std::max(raw_jitter, std::abs(raw.value(k, "left_elbow") - (40 + 2.0 * k)));
    smooth_jitter = std::max(smooth_jitter, std::abs(smooth.value(k, "left_elbow") - (40 + 2.0 * k)));
  }
  EXPECT_GT(raw_jitter, 1.0);
  EXPECT_LT(smooth_jitter, raw_jitter / 4);
}

// ---- names and files ----------------------------------------------------------------------

TEST(MotionExportsTest, ParsesExportListsAndRejectsUnknownNames) {
  const auto all = parse_motion_exports("trc,bvh,angles");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, (std::vector<MotionExport>{MotionExport::kTrc, MotionExport::kBvh, MotionExport::kAngles}));
  EXPECT_EQ(*parse_motion_exports("angles,trc,angles"),
            (std::vector<MotionExport>{MotionExport::kAngles, MotionExport::kTrc}));
  for (const char* bad : {"", "c3d", "trc,", "trc,,bvh", "TRC", "trc bvh"}) {
    const auto parsed = parse_motion_exports(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find("trc, bvh, angles"), std::string::npos);
  }
}

TEST(MotionExportsTest, FileNamesWithAndWithoutADancerSuffix) {
  EXPECT_EQ(motion_export_file_name(MotionExport::kTrc), "landmarks.trc");
  EXPECT_EQ(motion_export_file_name(MotionExport::kBvh), "skeleton.bvh");
  EXPECT_EQ(motion_export_file_name(MotionExport::kAngles), "angles.csv");
  EXPECT_EQ(motion_export_file_name(MotionExport::kBvh, "2"), "skeleton_2.bvh");
  EXPECT_EQ(*motion_export_from_file_name("skeleton.bvh"), MotionExport::kBvh);
  EXPECT_EQ(*motion_export_from_file_name("angles.csv"), MotionExport::kAngles);
  for (const char* bad : {"landmarks.csv", "skeleton.BVH", "../landmarks.trc", ""}) {
    const auto parsed = motion_export_from_file_name(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(MotionExportsTest, WritesEveryFileOrNone) {
  const fs::path directory = fs::temp_directory_path() / ("dd_motion_exports_" + std::to_string(::getpid()));
  fs::remove_all(directory);
  fs::create_directories(directory);
  const auto dancer = testing::rigid_dancer_sequence(30, 30);
  const auto written =
      write_motion_exports(dancer, *parse_motion_exports("trc,bvh,angles"), kNoFilter, directory);
  ASSERT_TRUE(written.has_value()) << written.error().message;
  EXPECT_EQ(written->size(), 3u);
  for (const char* name : {"landmarks.trc", "skeleton.bvh", "angles.csv"})
    EXPECT_GT(fs::file_size(directory / name), 1000u) << name;

  // Without any pose the BVH fails, and neither the TRC nor the angles of that run appear.
  const fs::path second = directory / "second";
  fs::create_directories(second);
  auto empty = dancer;
  for (auto& frame : empty.frames) frame.detected = false;
  const auto failed = write_motion_exports(empty, *parse_motion_exports("trc,angles,bvh"), kNoFilter, second);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(fs::is_empty(second));

  const auto unwritable =
      write_motion_exports(dancer, {MotionExport::kTrc}, kNoFilter, directory / "missing");
  ASSERT_FALSE(unwritable.has_value());
  EXPECT_EQ(unwritable.error().code, ErrorCode::kUnavailable);
  fs::remove_all(directory);
}

TEST(MotionExportsTest, BackwardTimestampsAreInvalid) {
  auto dancer = testing::rigid_dancer_sequence(10, 30);
  dancer.frames[5].timestamp_s = dancer.frames[4].timestamp_s;
  std::ostringstream out;
  const auto status = write_motion_export(dancer, MotionExport::kTrc, kNoFilter, "landmarks.trc", out);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

TEST(MotionExportsTest, AnEmptySequenceGivesHeadersWithoutRows) {
  pose::PoseSequence empty;
  empty.fps = 24;
  const auto trc = parse_trc(export_text(empty, MotionExport::kTrc));
  EXPECT_EQ(trc.header.at("NumFrames"), "0");
  EXPECT_TRUE(trc.rows.empty());
  EXPECT_EQ(parse_angles(export_text(empty, MotionExport::kAngles)).rows.size(), 0u);
}

}  // namespace
}  // namespace dd::report
