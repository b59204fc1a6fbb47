#include "report/landmarks_csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/synthetic_pose.h"

namespace dd::report {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(LandmarksCsvTest, WritesOneRowPerLandmarkOfDetectedFrames) {
  // 10 frames, the middle four without pose.
  auto sequence =
      testing::render(testing::arm_swing(2), 10.0 / 30, 30, {}, [](double t) { return t < 0.1 || t > 0.22; });
  std::ostringstream out;
  ASSERT_TRUE(write_landmarks_csv(sequence, out).has_value());
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 1u + 6u * 33u);
  EXPECT_EQ(lines[0], "frame,time,landmark,x,y,z,visibility");
  EXPECT_EQ(lines[1].rfind("0,0.0000,nose,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[33].rfind("0,0.0000,right_foot_index,", 0), 0u) << lines[33];
  // The row after frame 2 is frame 7: frames 3..6 have no pose and no rows.
  EXPECT_EQ(lines[3 * 33 + 1].rfind("7,0.2333,nose,", 0), 0u) << lines[3 * 33 + 1];
  const auto& lm = sequence.frames[0].landmarks[pose::kLeftShoulder];
  char expected[128];
  std::snprintf(expected, sizeof expected, "0,0.0000,left_shoulder,%.6f,%.6f,%.6f,%.4f", lm.x, lm.y, lm.z,
                lm.visibility);
  EXPECT_EQ(lines[1 + pose::kLeftShoulder], expected);
}

TEST(LandmarksCsvTest, NonFiniteValuesAreEmptyFields) {
  auto sequence = testing::render(testing::arm_swing(2), 1.0 / 30, 30);
  sequence.frames[0].landmarks[0].x = std::nanf("");
  std::ostringstream out;
  ASSERT_TRUE(write_landmarks_csv(sequence, out).has_value());
  EXPECT_EQ(lines_of(out.str())[1].rfind("0,0.0000,nose,,", 0), 0u);
  EXPECT_EQ(out.str().find("nan"), std::string::npos);
}

TEST(LandmarksCsvTest, LandmarkNames_CoverAllIndices) {
  EXPECT_EQ(landmark_name(0), "nose");
  EXPECT_EQ(landmark_name(pose::kRightHeel), "right_heel");
  EXPECT_EQ(landmark_name(32), "right_foot_index");
  EXPECT_EQ(landmark_name(33), "");
  EXPECT_EQ(landmark_name(-1), "");
}

TEST(LandmarksCsvTest, FailsOnUnwritablePath) {
  const auto sequence = testing::render(testing::arm_swing(2), 0.1, 30);
  const auto status = write_landmarks_csv(sequence, std::filesystem::path("/nonexistent-dir/landmarks.csv"));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace dd::report
