#include "pipeline/progress_model.h"

#include <gtest/gtest.h>

#include <vector>

namespace dd::pipeline {
namespace {

TEST(StageWeightsTest, SumToOneAndPoseDominates) {
  for (bool write_video : {true, false}) {
    const StageWeights w = stage_weights(write_video);
    EXPECT_NEAR(w.pose + w.analysis + w.encode, 1.0, 1e-9) << write_video;
    EXPECT_GT(w.pose, 0.85) << "pose is most of a run's time";
    EXPECT_GT(w.analysis, 0.0);
  }
  EXPECT_GT(stage_weights(true).encode, 0.05);
  EXPECT_EQ(stage_weights(false).encode, 0.0);
  EXPECT_GT(stage_weights(false).pose, stage_weights(true).pose);
}

// Walking through the stages in order, with each stage's own fraction rising, the bar never
// goes back, starts at 0 and ends at 1.
TEST(OverallFractionTest, MonotonicThroughTheStages) {
  for (bool write_video : {true, false}) {
    const StageWeights w = stage_weights(write_video);
    std::vector<Stage> stages = {Stage::kProbe, Stage::kPose, Stage::kAnalysis};
    if (write_video) stages.push_back(Stage::kEncode);
    stages.push_back(Stage::kDone);
    double previous = 0;
    for (Stage stage : stages) {
      for (int step = 0; step <= 20; ++step) {
        const double fraction = overall_fraction(w, stage, step / 20.0);
        EXPECT_GE(fraction, previous) << static_cast<int>(stage) << " step " << step;
        EXPECT_LE(fraction, 1.0);
        previous = fraction;
      }
    }
    EXPECT_DOUBLE_EQ(overall_fraction(w, Stage::kProbe, 0), 0.0);
    EXPECT_DOUBLE_EQ(overall_fraction(w, Stage::kDone, 0), 1.0);
    const Stage last = write_video ? Stage::kEncode : Stage::kAnalysis;
    EXPECT_NEAR(overall_fraction(w, last, 1.0), 1.0, 1e-9);
  }
}

TEST(OverallFractionTest, HalfThePoseIsHalfThePoseShare) {
  const StageWeights w = stage_weights(true);
  EXPECT_NEAR(overall_fraction(w, Stage::kPose, 0.5), w.pose / 2, 1e-12);
  EXPECT_NEAR(overall_fraction(w, Stage::kEncode, 0.0), w.pose + w.analysis, 1e-12);
  // Out-of-range stage fractions (a container that undercounts its frames) stay in the stage.
  EXPECT_NEAR(overall_fraction(w, Stage::kPose, 1.7), w.pose, 1e-12);
  EXPECT_NEAR(overall_fraction(w, Stage::kPose, -1), 0.0, 1e-12);
}

TEST(EstimateEtaTest, AbsentUntilThePaceIsKnown) {
  EXPECT_FALSE(estimate_eta_s(/*fraction=*/0.001, /*elapsed_s=*/0.05, /*frames_seen=*/1));
  EXPECT_FALSE(estimate_eta_s(0.05, 0.9, 40)) << "less than a second of work";
  EXPECT_FALSE(estimate_eta_s(0.05, 3.0, kEtaMinFrames - 1)) << "too few frames";
  EXPECT_FALSE(estimate_eta_s(0.0, 3.0, 10)) << "no progress yet";
  ASSERT_TRUE(estimate_eta_s(0.05, kEtaMinElapsedS, kEtaMinFrames));
}

TEST(EstimateEtaTest, ExtrapolatesThePace) {
  // A quarter done in 20 s: 60 s left.
  EXPECT_NEAR(*estimate_eta_s(0.25, 20.0, 100), 60.0, 1e-9);
  EXPECT_NEAR(*estimate_eta_s(1.0, 80.0, 100), 0.0, 1e-9);
}

// With the weights matching the stages' real costs, a run whose stages take their weighted
// share of 85 s gets an ETA of about the real time left all the way through.
TEST(EstimateEtaTest, WeightedStagesGiveAnHonestEta) {
  const StageWeights w = stage_weights(true);
  const double total_s = 85;
  for (double done = 0.1; done < 1.0; done += 0.1) {
    const double elapsed_s = done * total_s;
    const double eta = *estimate_eta_s(done, elapsed_s, 1000);
    EXPECT_NEAR(eta, total_s - elapsed_s, 1e-6);
  }
  // Pose at 10 % of its frames is 10 % of the pose share, not 10 % of the bar.
  const double fraction = overall_fraction(w, Stage::kPose, 0.1);
  const double elapsed_s = 0.1 * w.pose * total_s;
  EXPECT_NEAR(*estimate_eta_s(fraction, elapsed_s, 100), total_s - elapsed_s, 1e-6);
}

}  // namespace
}  // namespace dd::pipeline
