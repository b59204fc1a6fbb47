// options_from_json: the one reader of a request's analysis options.
#include "pipeline/pipeline_options.h"

#include <gtest/gtest.h>

namespace dd::pipeline {
namespace {

PipelineOptions server_defaults() {
  PipelineOptions defaults;
  defaults.pose.model = "lite";
  defaults.pose.model_dir = "/models";
  defaults.pose.num_threads = 3;
  return defaults;
}

TEST(PipelineOptionsTest, EmptyObjectKeepsTheDefaults) {
  auto options = options_from_json(nlohmann::json::object(), server_defaults());
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->pose.model, "lite");
  EXPECT_EQ(options->pose.model_dir, "/models");
  EXPECT_EQ(options->pose.num_threads, 3);
  EXPECT_TRUE(options->write_video);
  EXPECT_EQ(options->overlay_max_size, 1080);
}

TEST(PipelineOptionsTest, EveryClientOptionIsRead) {
  auto options = options_from_json({{"model", "heavy"},
                                    {"write_video", false},
                                    {"smooth_landmarks", false},
                                    {"min_detection_confidence", 0.25},
                                    {"min_tracking_confidence", 0.75},
                                    {"overlay_max_size", 720}},
                                   server_defaults());
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->pose.model, "heavy");
  EXPECT_FALSE(options->write_video);
  EXPECT_FALSE(options->pose.smooth_landmarks);
  EXPECT_FLOAT_EQ(options->pose.min_detection_confidence, 0.25f);
  EXPECT_FLOAT_EQ(options->pose.min_tracking_confidence, 0.75f);
  EXPECT_EQ(options->overlay_max_size, 720);
  EXPECT_EQ(options->pose.model_dir, "/models");  // not a client's to choose
}

TEST(PipelineOptionsTest, BadValuesAreRejectedNamingTheField) {
  const std::pair<nlohmann::json, std::string> cases[] = {
      {nlohmann::json::array(), "options must be a JSON object"},
      {{{"model", "huge"}}, "model must be one of lite, full, heavy"},
      {{{"model", 1}}, "model must be one of lite, full, heavy"},
      {{{"write_video", "yes"}}, "write_video must be true or false"},
      {{{"smooth_landmarks", 1}}, "smooth_landmarks must be true or false"},
      {{{"min_detection_confidence", 1.5}}, "min_detection_confidence must be a number from 0 to 1"},
      {{{"min_tracking_confidence", "high"}}, "min_tracking_confidence must be a number from 0 to 1"},
      {{{"overlay_max_size", 40}}, "overlay_max_size must be 0 (the input's size) or at least 120"},
      {{{"overlay_max_size", -1}}, "overlay_max_size must be a whole number of pixels"},
      {{{"overlay_max_size", 720.5}}, "overlay_max_size must be a whole number of pixels"},
      {{{"model_dir", "/etc"}}, "unknown option: model_dir"},
      {{{"num_threads", 64}}, "unknown option: num_threads"},
  };
  for (const auto& [json, message] : cases) {
    auto options = options_from_json(json, server_defaults());
    ASSERT_FALSE(options) << json.dump();
    EXPECT_EQ(options.error().code, ErrorCode::kInvalidArgument) << json.dump();
    EXPECT_EQ(options.error().message, message) << json.dump();
  }
}

TEST(PipelineOptionsTest, ValidateChecksThreadsAndOverlaySize) {
  PipelineOptions options;
  EXPECT_TRUE(validate_options(options));
  options.pose.num_threads = -1;
  EXPECT_FALSE(validate_options(options));
  options.pose.num_threads = 0;
  options.overlay_max_size = 0;
  EXPECT_TRUE(validate_options(options));
}

}  // namespace
}  // namespace dd::pipeline
