#include "analysis/music_beats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/analysis.h"
#include "analysis/synthetic_pose.h"

namespace dd::analysis {
namespace {

constexpr int kRate = 22050;

void expect_click_beats(double bpm) {
  const double first_s = 0.5;
  const auto samples = testing::click_track(bpm, /*duration_s=*/20, kRate, first_s);
  auto beats = track_beats({samples, kRate});
  ASSERT_TRUE(beats.has_value());
  ASSERT_TRUE(beats->bpm.has_value());
  EXPECT_NEAR(*beats->bpm, bpm, 1);
  const double period = 60 / bpm;
  const size_t clicks = static_cast<size_t>((20 - first_s) / period) + 1;
  EXPECT_GE(beats->beat_times_s.size(), clicks - 2);
  EXPECT_LE(beats->beat_times_s.size(), clicks);
  for (double beat : beats->beat_times_s) {
    const double k = std::round((beat - first_s) / period);
    EXPECT_NEAR(beat, first_s + k * period, 0.030) << "beat at " << beat;
  }
}

TEST(MusicBeatsTest, ClickTrackAt100Bpm_GivesTempoAndBeats) {
  expect_click_beats(100);
}

TEST(MusicBeatsTest, ClickTrackAt128Bpm_GivesTempoAndBeats) {
  expect_click_beats(128);
}

TEST(MusicBeatsTest, NoiseOnly_HasNoTempo) {
  std::vector<float> samples(10 * kRate);
  uint32_t state = 7;
  for (auto& s : samples) {
    state = state * 1664525u + 1013904223u;
    s = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
  }
  auto beats = track_beats({samples, kRate});
  ASSERT_TRUE(beats.has_value());
  EXPECT_FALSE(beats->bpm.has_value());
  EXPECT_EQ(beats->status, BeatStatus::kNoSteadyBeat);
  EXPECT_STREQ(beat_status_name(beats->status), "no_steady_beat");
}

// Clicks at `pulse_bpm` whose every other click is `weak` as loud: a bar's strong beats and
// the off-beats between them (which of the two is "the" tempo is the octave question).
std::vector<float> strong_weak_clicks(double pulse_bpm, double weak, double duration_s = 20) {
  std::vector<float> samples(static_cast<size_t>(duration_s * kRate));
  const double period_s = 60 / pulse_bpm;
  uint32_t state = 99;
  for (size_t i = 0; i < samples.size(); ++i) {
    state = state * 1664525u + 1013904223u;
    const double t = static_cast<double>(i) / kRate - 0.5;
    double click = 0;
    if (t >= 0) {
      const auto pulse = static_cast<long>(std::floor(t / period_s));
      const double since = t - static_cast<double>(pulse) * period_s;
      const double gain = pulse % 2 == 0 ? 0.8 : 0.8 * weak;
      if (since < 0.015)
        click = gain * std::exp(-since * 200) * std::sin(2 * std::numbers::pi * 1500 * since);
    }
    samples[i] = static_cast<float>(click + (static_cast<double>(state >> 8) / 16777216.0 - 0.5) * 0.01);
  }
  return samples;
}

TEST(MusicBeatsTest, TempoOctave_IsTheOneDancersCount) {
  // Strong beats at 60 BPM with off-beats between them: a dancer counts 120.
  const auto slow_bar = strong_weak_clicks(120, 0.5);
  auto beats = track_beats({slow_bar, kRate});
  ASSERT_TRUE(beats.has_value());
  ASSERT_TRUE(beats->bpm.has_value());
  EXPECT_NEAR(*beats->bpm, 120, 2);
  // Strong beats at 90 BPM with off-beats: 90 is counted (180 is outside the counting range)...
  const auto march = strong_weak_clicks(180, 0.5);
  beats = track_beats({march, kRate});
  ASSERT_TRUE(beats.has_value() && beats->bpm.has_value());
  EXPECT_NEAR(*beats->bpm, 90, 2);
  // ...and the dancer's accents settle 75 against 150 (75 is just below the counting range).
  const auto bar = strong_weak_clicks(150, 0.5);
  beats = track_beats({bar, kRate}, 150.0);
  ASSERT_TRUE(beats.has_value() && beats->bpm.has_value());
  EXPECT_NEAR(*beats->bpm, 150, 2);
  beats = track_beats({bar, kRate}, 75.0);
  ASSERT_TRUE(beats.has_value() && beats->bpm.has_value());
  EXPECT_NEAR(*beats->bpm, 75, 2);
}

TEST(MusicBeatsTest, TempoOctaveChoice_WeighsRangeStrengthAndAccents) {
  const std::vector<TempoCandidate> candidates = {{66, 1.0}, {33, 0.9}, {132, 0.6}};
  EXPECT_DOUBLE_EQ(choose_tempo_octave(candidates, std::nullopt), 132);  // inside 80..160
  EXPECT_DOUBLE_EQ(choose_tempo_octave(candidates, 66.0), 66);           // the dancer's accents tip it
  const std::vector<TempoCandidate> weak_double = {{66, 1.0}, {132, 0.2}};
  EXPECT_DOUBLE_EQ(choose_tempo_octave(weak_double, std::nullopt), 66);  // no pulse at 132 at all
  const std::vector<TempoCandidate> both_counted = {{85, 1.0}, {170, 0.8}, {42.5, 0.9}};
  EXPECT_DOUBLE_EQ(choose_tempo_octave(both_counted, std::nullopt), 85);
  const std::vector<TempoCandidate> two_in_range = {{150, 1.0}, {75, 0.9}};
  EXPECT_DOUBLE_EQ(choose_tempo_octave(two_in_range, 75.0), 75);
}

TEST(MusicBeatsTest, SilenceAndShortAudio_HaveNoTempo) {
  std::vector<float> silence(5 * kRate, 0.0f);
  auto beats = track_beats({silence, kRate});
  ASSERT_TRUE(beats.has_value());
  EXPECT_FALSE(beats->bpm.has_value());
  EXPECT_EQ(beats->status, BeatStatus::kSilent);
  std::vector<float> blip(100, 0.5f);
  beats = track_beats({blip, kRate});
  ASSERT_TRUE(beats.has_value());
  EXPECT_FALSE(beats->bpm.has_value());
  EXPECT_EQ(beats->status, BeatStatus::kTooShort);
}

TEST(MusicBeatsTest, RejectsTooLowSampleRate) {
  std::vector<float> samples(1000, 0.0f);
  auto beats = track_beats({samples, 100});
  ASSERT_FALSE(beats.has_value());
  EXPECT_EQ(beats.error().code, ErrorCode::kInvalidArgument);
}

TEST(BeatAlignmentTest, OffsetsAreSignedToNearestBeat) {
  const std::vector<double> beats = {1.0, 1.5, 2.0, 2.5};
  const std::vector<double> accents = {1.02, 1.46, 2.24, 9.0};  // the last is outside the span
  const auto alignment = align_to_beats(accents, beats, 0.5);
  ASSERT_TRUE(alignment.has_value());
  EXPECT_EQ(alignment->accent_count, 3u);
  EXPECT_NEAR(alignment->mean_offset_ms, (20 - 40 + 240) / 3.0, 1e-6);
  EXPECT_NEAR(alignment->mean_abs_offset_ms, (20 + 40 + 240) / 3.0, 1e-6);
  EXPECT_NEAR(alignment->on_beat_share, 2.0 / 3, 1e-9);
  const double sigma = 0.05;
  const double expected =
      (std::exp(-0.02 * 0.02 / (2 * sigma * sigma)) + std::exp(-0.04 * 0.04 / (2 * sigma * sigma)) +
       std::exp(-0.24 * 0.24 / (2 * sigma * sigma))) /
      3;
  EXPECT_NEAR(alignment->beat_align_score, expected, 1e-9);
  EXPECT_FALSE(align_to_beats(accents, std::vector<double>{1.0}, 0.5).has_value());
}

TEST(BeatAlignmentTest, TempoMatch_AllowsHalfAndDouble) {
  double ratio = 0;
  EXPECT_TRUE(tempo_matches(60, 120, &ratio));
  EXPECT_NEAR(ratio, 0.5, 1e-12);
  EXPECT_TRUE(tempo_matches(243, 120, nullptr));
  EXPECT_TRUE(tempo_matches(118, 120, nullptr));
  EXPECT_FALSE(tempo_matches(90, 120, nullptr));
  EXPECT_FALSE(tempo_matches(100, 0, nullptr));
}

// A dancer swinging the arms from side to side, turning at `offset_s` after every 120 BPM beat.
AnalysisResult dance_to_clicks(double offset_s) {
  const double period = 0.5;
  const auto motion = [=](double t) {
    const double a = 0.8 * std::cos(std::numbers::pi * (t - 0.5 - offset_s) / period);
    return testing::standing_with_arms(a, a);
  };
  const auto sequence = testing::render(motion, 20, 30);
  const auto samples = testing::click_track(120, 20, kRate, 0.5);
  const AudioView audio{samples, kRate};
  auto result = analyze(sequence, &audio);
  EXPECT_TRUE(result.has_value());
  return result ? *result : AnalysisResult{};
}

TEST(BeatAlignmentTest, DancerOnTheBeat_IsAligned) {
  const auto result = dance_to_clicks(0);
  ASSERT_TRUE(result.music.has_audio);
  ASSERT_TRUE(result.music.bpm.has_value());
  EXPECT_NEAR(*result.music.bpm, 120, 1);
  ASSERT_TRUE(result.music.alignment.has_value());
  EXPECT_GE(result.music.alignment->on_beat_share, 0.95);
  EXPECT_GE(result.music.alignment->beat_align_score, 0.8);
  EXPECT_NEAR(result.music.alignment->mean_offset_ms, 0, 20);
  EXPECT_GE(result.music.alignment->accent_count, 30u);
  ASSERT_TRUE(result.music.tempo_match.has_value());
  EXPECT_TRUE(*result.music.tempo_match);  // 60 swings a minute against 120 BPM: half
  EXPECT_NEAR(*result.music.tempo_ratio, 0.5, 0.02);
}

TEST(BeatAlignmentTest, DancerBetweenTheBeats_IsNotAligned) {
  const auto result = dance_to_clicks(0.25);
  ASSERT_TRUE(result.music.alignment.has_value());
  EXPECT_LE(result.music.alignment->on_beat_share, 0.1);
  EXPECT_LE(result.music.alignment->beat_align_score, 0.1);
  EXPECT_GE(result.music.alignment->mean_abs_offset_ms, 200);
}

}  // namespace
}  // namespace dd::analysis
