#include "compare/compare.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "compare/limb_features.h"

namespace dd::compare {
namespace {

using analysis::kBodyPartCount;
using analysis::kBodyPartNames;

// Both sequences are resampled to this grid (nearest frame) so the warping path means the
// same thing whatever the two frame rates are.
constexpr double kSampleRateHz = 30;
constexpr size_t kMinPoseFrames = 10;
// The DTW keeps a byte per band cell (up to 2 x 20 s x 30 Hz per sample): ~65 MB at this length.
constexpr double kMaxDuration_s = 30 * 60;

// DTW costs are visibility-weighted chord lengths |u - v| of unit limb directions (~ the
// angle in radians for small angles). Skipping a sample at either end of either sequence
// costs kSkipCost (chord of ~50 degrees): cheaper than matching unrelated movement, dearer
// than matching the same movement danced imperfectly.
constexpr double kSkipCost = 0.85;
constexpr double kGapCost = 0.5;      // one side has no pose: unknown, so neither good nor bad
constexpr double kBothGapCost = 0.3;  // neither side has a pose: both out of view together

// Band half-width: a share of the longer sequence, within [min, max] seconds, so offsets of
// several seconds and tempo differences of ~20% fit while memory stays linear in length.
constexpr double kBandShare = 0.3;
constexpr double kMinBand_s = 5;
constexpr double kMaxBand_s = 20;

// Score of an angle difference: 100 * exp(-(angle / kScoreScale_deg)^2 / 2), i.e. 5 deg -> 97,
// 10 -> 88, 20 -> 61, 30 -> 32, 45 -> 8: tracking noise costs little, a limb clearly elsewhere
// costs nearly everything.
constexpr double kScoreScale_deg = 20;
// Worst moments: deviations averaged over +-kWorstWindow_s, one moment per kWorstSeparation_s,
// and only deviations a coach would point out.
constexpr double kWorstWindow_s = 0.25;
constexpr double kWorstSeparation_s = 1.0;
constexpr double kMinWorstDeviation_deg = 15;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Chance level: up to kChanceReferenceSamples reference samples, each against kChancePairs
// student samples spread over the clip.
constexpr size_t kChanceReferenceSamples = 600;
constexpr size_t kChancePairs = 16;
// Below this similarity (above chance) the two videos do not dance the same routine: a
// routine against itself danced again, mirrored, shifted or 10% faster scores 60 or more,
// unrelated routines 0..25 (see docs/analysis.md).
constexpr double kMinSameChoreography = 35;

double angle_score(double angle_deg) {
  const double r = angle_deg / kScoreScale_deg;
  return 100.0 * std::exp(-0.5 * r * r);
}

// Motion is each segment's direction change over +-kMotionHalfSpan samples (0.2 s): it tells
// a held pose from one passed through, and standing still from dancing.
constexpr size_t kMotionHalfSpan = 3;

struct Sample {
  int64_t frame = 0;  // source frame index
  double t_s = 0;     // source frame timestamp
  LimbFeatures features;
  std::array<float, kSegmentCount> motion_x{}, motion_y{}, motion_weight{};
};

void add_motion(std::vector<Sample>& samples) {
  for (size_t k = 0; k < samples.size(); ++k) {
    const size_t before = k >= kMotionHalfSpan ? k - kMotionHalfSpan : 0;
    const size_t after = std::min(samples.size() - 1, k + kMotionHalfSpan);
    const LimbFeatures& a = samples[before].features;
    const LimbFeatures& b = samples[after].features;
    if (!a.valid || !b.valid || before == after) continue;
    // Rescaled to a full +-span so the ends of the sequence are not slower than the middle.
    const float scale = float(2 * kMotionHalfSpan) / float(after - before);
    for (size_t s = 0; s < kSegmentCount; ++s) {
      samples[k].motion_x[s] = (b.dx[s] - a.dx[s]) * scale;
      samples[k].motion_y[s] = (b.dy[s] - a.dy[s]) * scale;
      samples[k].motion_weight[s] = std::min(a.weight[s], b.weight[s]);
    }
  }
}

// Per body part, the weighted mean difference of the two motions in degrees (chord ~ radians).
std::array<double, kBodyPartCount> motion_deviation_deg(const Sample& reference, const Sample& student) {
  std::array<double, kBodyPartCount> sum{}, weight{};
  for (size_t s = 0; s < kSegmentCount; ++s) {
    const double w = double(reference.motion_weight[s]) * double(student.motion_weight[s]);
    if (w <= 0) continue;
    const double ex = reference.motion_x[s] - student.motion_x[s];
    const double ey = reference.motion_y[s] - student.motion_y[s];
    sum[kSegmentPart[s]] += w * std::sqrt(ex * ex + ey * ey);
    weight[kSegmentPart[s]] += w;
  }
  for (size_t p = 0; p < kBodyPartCount; ++p) sum[p] = weight[p] > 0 ? sum[p] / weight[p] * 180.0 / M_PI : 0;
  return sum;
}

Status validate(const pose::PoseSequence& sequence, const char* which) {
  size_t with_pose = 0;
  for (size_t i = 0; i < sequence.frames.size(); ++i) {
    const auto& frame = sequence.frames[i];
    if (!std::isfinite(frame.timestamp_s) ||
        (i > 0 && frame.timestamp_s < sequence.frames[i - 1].timestamp_s))
      return make_error(
          ErrorCode::kInvalidArgument,
          std::string("the ") + which + " timestamps are not increasing at frame " + std::to_string(i));
    if (frame.detected) ++with_pose;
  }
  if (!sequence.frames.empty() &&
      sequence.frames.back().timestamp_s - sequence.frames.front().timestamp_s > kMaxDuration_s)
    return make_error(ErrorCode::kInvalidArgument, std::string("the ") + which + " is longer than " +
                                                       std::to_string(int(kMaxDuration_s / 60)) + " minutes");
  if (with_pose < kMinPoseFrames)
    return make_error(ErrorCode::kInvalidArgument,
                      std::string("the ") + which + " has too few frames with a pose (" +
                          std::to_string(with_pose) + ", need " + std::to_string(kMinPoseFrames) + ")");
  return ok_status();
}

// Nearest frame at every 1/kSampleRateHz from the first timestamp to the last.
std::vector<Sample> resample(const pose::PoseSequence& sequence, bool mirror) {
  const auto& frames = sequence.frames;
  const double t0 = frames.front().timestamp_s;
  const double duration_s = frames.back().timestamp_s - t0;
  const size_t count = static_cast<size_t>(std::floor(duration_s * kSampleRateHz + 1e-6)) + 1;
  std::vector<Sample> samples(count);
  size_t f = 0;
  for (size_t k = 0; k < count; ++k) {
    const double t = t0 + double(k) / kSampleRateHz;
    while (f + 1 < frames.size() &&
           std::abs(frames[f + 1].timestamp_s - t) <= std::abs(frames[f].timestamp_s - t))
      ++f;
    samples[k].frame = frames[f].index;
    samples[k].t_s = frames[f].timestamp_s;
    samples[k].features = limb_features(frames[f], sequence.width, sequence.height, mirror);
  }
  add_motion(samples);
  return samples;
}

// Pose difference plus motion difference, both visibility-weighted chord lengths.
double frame_cost(const Sample& sa, const Sample& sb) {
  const LimbFeatures& a = sa.features;
  const LimbFeatures& b = sb.features;
  if (!a.valid || !b.valid) return (!a.valid && !b.valid) ? kBothGapCost : kGapCost;
  double sum = 0, weight = 0, motion_sum = 0, motion_weight = 0;
  for (size_t s = 0; s < kSegmentCount; ++s) {
    const double w = double(a.weight[s]) * double(b.weight[s]);
    const double ex = a.dx[s] - b.dx[s];
    const double ey = a.dy[s] - b.dy[s];
    sum += w * std::sqrt(ex * ex + ey * ey);
    weight += w;
    const double mw = double(sa.motion_weight[s]) * double(sb.motion_weight[s]);
    const double mx = sa.motion_x[s] - sb.motion_x[s];
    const double my = sa.motion_y[s] - sb.motion_y[s];
    motion_sum += mw * std::sqrt(mx * mx + my * my);
    motion_weight += mw;
  }
  if (weight <= 1e-3) return kGapCost;
  return sum / weight + (motion_weight > 1e-3 ? motion_sum / motion_weight : 0);
}

struct Alignment {
  std::vector<std::pair<size_t, size_t>> path;  // sample indices, monotone
};

// Banded DTW with the symmetric P=1 step pattern (Sakoe & Chiba): diagonal steps weigh 2, and
// a step of 2 on one side and 1 on the other weighs 3, so local tempo stays within 1/2..2 and
// neither video can absorb seconds of the other into one frame. The path may start on the
// first row or column and end on the last row or column, paying kSkipCost per skipped
// sample. Keeps three rows of costs and one step byte per band cell.
Alignment align(const std::vector<Sample>& reference, const std::vector<Sample>& student) {
  const size_t nr = reference.size(), ns = student.size();
  const double band_s =
      std::clamp(kBandShare * double(std::max(nr, ns)) / kSampleRateHz, kMinBand_s, kMaxBand_s);
  const auto band = static_cast<size_t>(band_s * kSampleRateHz);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // kTwoStudent: from (i-1, j-2) through (i, j-1); kTwoReference: from (i-2, j-1) through (i-1, j).
  enum Step : uint8_t { kStart, kDiagonal, kTwoStudent, kTwoReference };

  std::vector<size_t> lo(nr), hi(nr), offset(nr + 1, 0);
  for (size_t i = 0; i < nr; ++i) {
    lo[i] = i > band ? i - band : 0;
    hi[i] = std::min(ns - 1, i + band);
    const size_t width = lo[i] <= hi[i] ? hi[i] - lo[i] + 1 : 0;
    offset[i + 1] = offset[i] + width;
  }
  std::vector<uint8_t> steps(offset[nr]);
  std::vector<double> d2(ns, kInf), d1(ns, kInf), d0(ns, kInf);  // accumulated: rows i-2, i-1, i
  std::vector<double> c1(ns, kInf), c0(ns, kInf);                // local cost: rows i-1, i
  double best = kInf;
  size_t best_i = 0, best_j = 0;
  for (size_t i = 0; i < nr; ++i) {
    std::fill(d0.begin(), d0.end(), kInf);
    std::fill(c0.begin(), c0.end(), kInf);
    if (lo[i] > hi[i]) {
      std::swap(d2, d1), std::swap(d1, d0), std::swap(c1, c0);
      continue;
    }
    for (size_t j = lo[i]; j <= hi[i]; ++j) c0[j] = frame_cost(reference[i], student[j]);
    for (size_t j = lo[i]; j <= hi[i]; ++j) {
      const double c = c0[j];
      double value = kInf;
      uint8_t step = kStart;
      if (i == 0 || j == 0) value = kSkipCost * double(i + j) + 2 * c;
      if (i >= 1 && j >= 1 && d1[j - 1] + 2 * c < value) value = d1[j - 1] + 2 * c, step = kDiagonal;
      if (i >= 1 && j >= 2 && d1[j - 2] + 2 * c0[j - 1] + c < value)
        value = d1[j - 2] + 2 * c0[j - 1] + c, step = kTwoStudent;
      if (i >= 2 && j >= 1 && d2[j - 1] + 2 * c1[j] + c < value)
        value = d2[j - 1] + 2 * c1[j] + c, step = kTwoReference;
      d0[j] = value;
      steps[offset[i] + (j - lo[i])] = step;
      if (i == nr - 1 || j == ns - 1) {
        const double total = value + kSkipCost * double((nr - 1 - i) + (ns - 1 - j));
        if (total < best) best = total, best_i = i, best_j = j;
      }
    }
    std::swap(d2, d1), std::swap(d1, d0), std::swap(c1, c0);
  }

  Alignment alignment;
  size_t i = best_i, j = best_j;
  while (true) {
    alignment.path.emplace_back(i, j);
    const uint8_t step = steps[offset[i] + (j - lo[i])];
    if (step == kStart) break;
    if (step == kDiagonal) {
      --i, --j;
    } else if (step == kTwoStudent) {
      alignment.path.emplace_back(i, j - 1);
      i -= 1, j -= 2;
    } else {
      alignment.path.emplace_back(i - 1, j);
      i -= 2, j -= 1;
    }
  }
  std::reverse(alignment.path.begin(), alignment.path.end());
  return alignment;
}

// Drops the runs at both ends where one side stands still (one sample matched to many): they
// are the DTW's way of absorbing what one video has before or after the shared movement.
std::pair<size_t, size_t> matched_range(const std::vector<std::pair<size_t, size_t>>& path) {
  size_t first = 0, last = path.size() - 1;
  auto diagonal = [&](size_t k) {
    return path[k + 1].first != path[k].first && path[k + 1].second != path[k].second;
  };
  while (first + 1 < path.size() && !diagonal(first)) ++first;
  while (last > first && !diagonal(last - 1)) --last;
  if (first >= last) return {0, path.size() - 1};
  return {first, last};
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  return values[mid];
}

// One matched pair's scores: per body part (weight 0 where unseen) and the frame score with the
// six parts counting equally (NaN when no part is seen on both sides).
struct PairScore {
  PartDeviation deviation;
  std::array<double, kBodyPartCount> part_score{};
  double frame = kNaN;
};

PairScore score_pair(const Sample& reference, const Sample& student) {
  PairScore result{part_deviation(reference.features, student.features), {}, kNaN};
  const auto motion_deg = motion_deviation_deg(reference, student);
  double sum = 0, weight = 0;
  for (size_t p = 0; p < kBodyPartCount; ++p) {
    const double w = result.deviation.weight[p];
    if (w <= 0) continue;
    // Scored on pose and motion together: the right pose at the wrong moment of its
    // movement, or held while the reference moves, is not a match.
    result.part_score[p] = angle_score(std::hypot(result.deviation.angle_deg[p], motion_deg[p]));
    // Every part counts the same in the frame's score (legs have 3 segments, arms 2), less
    // only when barely visible.
    const double part_weight_in_frame = std::min(1.0, w);
    sum += part_weight_in_frame * result.part_score[p];
    weight += part_weight_in_frame;
  }
  if (weight > 0) result.frame = sum / weight;
  return result;
}

// What the same scores give for poses paired at random: each reference sample against
// kChancePairs student samples spread over the whole student clip, whatever the timing. Two
// people standing upright already agree on much (the torso, the legs); the alignment is
// worth something only as far as it beats this.
struct ChanceScores {
  double similarity = kNaN;
  std::array<double, kBodyPartCount> part{};
};

ChanceScores chance_scores(const std::vector<Sample>& reference, const std::vector<Sample>& student) {
  std::array<double, kBodyPartCount> part_sum{}, part_weight{};
  double sum = 0;
  size_t count = 0;
  const size_t reference_step = std::max<size_t>(1, reference.size() / kChanceReferenceSamples);
  for (size_t r = 0; r < reference.size(); r += reference_step) {
    if (!reference[r].features.valid) continue;
    for (size_t k = 0; k < kChancePairs; ++k) {
      const size_t s = (k * student.size() + r % student.size()) / kChancePairs % student.size();
      if (!student[s].features.valid) continue;
      const PairScore pair = score_pair(reference[r], student[s]);
      if (std::isnan(pair.frame)) continue;
      sum += pair.frame;
      ++count;
      for (size_t p = 0; p < kBodyPartCount; ++p) {
        part_sum[p] += pair.deviation.weight[p] * pair.part_score[p];
        part_weight[p] += pair.deviation.weight[p];
      }
    }
  }
  ChanceScores chance;
  if (count == 0) return chance;
  chance.similarity = sum / double(count);
  for (size_t p = 0; p < kBodyPartCount; ++p)
    chance.part[p] = part_weight[p] > 0 ? part_sum[p] / part_weight[p] : kNaN;
  return chance;
}

// How far `score` is from chance towards a perfect 100, on 0..100; `score` itself when the chance
// level is unknown.
double above_chance(double score, double chance) {
  if (!std::isfinite(score) || !std::isfinite(chance) || chance >= 100) return score;
  return std::clamp(100 * (score - chance) / (100 - chance), 0.0, 100.0);
}

Comparison score(const std::vector<Sample>& reference, const std::vector<Sample>& student,
                 const Alignment& alignment, const CompareOptions& options, bool mirror) {
  Comparison result;
  result.mirror = mirror;
  const auto [first, last] = matched_range(alignment.path);

  // Per matched pair: part deviations and the frame score.
  struct Pair {
    size_t r, s;
    PartDeviation deviation;
    double score = kNaN;  // NaN when either side has no pose
  };
  std::vector<Pair> pairs;
  pairs.reserve(last - first + 1);
  std::array<double, kBodyPartCount> part_sum{}, part_weight{};
  double similarity_sum = 0;
  size_t similarity_count = 0;
  std::vector<double> lags;
  for (size_t k = first; k <= last; ++k) {
    const auto [r, s] = alignment.path[k];
    const PairScore scored = score_pair(reference[r], student[s]);
    Pair pair{r, s, scored.deviation, scored.frame};
    for (size_t p = 0; p < kBodyPartCount; ++p) {
      part_sum[p] += pair.deviation.weight[p] * scored.part_score[p];
      part_weight[p] += pair.deviation.weight[p];
    }
    if (!std::isnan(pair.score)) {
      similarity_sum += pair.score;
      ++similarity_count;
    }
    lags.push_back(student[s].t_s - reference[r].t_s);
    pairs.push_back(pair);
  }
  // Scores count only what the alignment adds over chance; a match no better than chance is
  // different choreography, and its timing means nothing.
  const ChanceScores chance = chance_scores(reference, student);
  const double matched_similarity = similarity_count > 0 ? similarity_sum / double(similarity_count) : 0;
  result.chance_similarity = chance.similarity;
  result.similarity = above_chance(matched_similarity, chance.similarity);
  for (size_t p = 0; p < kBodyPartCount; ++p)
    result.body_parts[std::string(kBodyPartNames[p])] =
        part_weight[p] > 0 ? above_chance(part_sum[p] / part_weight[p], chance.part[p]) : kNaN;
  result.different_choreography = result.similarity < kMinSameChoreography;
  result.offset_s = median(lags);
  // Tempo: the median pace over windows of a quarter of the matched path, so a stretch where
  // the alignment is loose (a pose held at the start can be matched at any pace) does not
  // decide it.
  const size_t span = last - first;
  const size_t quarter = std::max<size_t>(1, span / 4);
  std::vector<double> paces;
  for (size_t k = first; k + quarter <= last; ++k) {
    const auto& a = alignment.path[k];
    const auto& b = alignment.path[k + quarter];
    const double reference_s = reference[b.first].t_s - reference[a.first].t_s;
    if (reference_s > 0) paces.push_back((student[b.second].t_s - student[a.second].t_s) / reference_s);
  }
  result.tempo_ratio = paces.empty() ? 1 : median(paces);

  // Timeline on the reference clock: means of the pairs within half a step of each point.
  const double rate = options.timeline_rate_hz > 0 ? options.timeline_rate_hz : 10;
  const double t0 = reference.front().t_s;
  const double duration_s = reference.back().t_s - t0;
  const size_t points = static_cast<size_t>(std::floor(duration_s * rate + 1e-6)) + 1;
  std::vector<double> score_sum(points, 0), lag_sum(points, 0);
  std::vector<size_t> score_count(points, 0), lag_count(points, 0);
  for (const Pair& pair : pairs) {
    const auto point = static_cast<size_t>(std::lround((reference[pair.r].t_s - t0) * rate));
    if (point >= points) continue;
    lag_sum[point] += student[pair.s].t_s - reference[pair.r].t_s - result.offset_s;
    ++lag_count[point];
    if (std::isnan(pair.score)) continue;
    score_sum[point] += pair.score;
    ++score_count[point];
  }
  for (size_t k = 0; k < points; ++k) {
    result.timeline_t.push_back(double(k) / rate);
    result.timeline_similarity.push_back(
        score_count[k] ? above_chance(score_sum[k] / double(score_count[k]), chance.similarity) : kNaN);
    result.timing_error_s.push_back(lag_count[k] ? lag_sum[k] / double(lag_count[k]) : kNaN);
  }

  // Worst moments: each part's deviation averaged over a short window of pairs (so one bad
  // frame does not count), then the largest, at least kWorstSeparation_s apart.
  const auto window = static_cast<size_t>(kWorstWindow_s * kSampleRateHz);
  struct Candidate {
    size_t pair;
    size_t part;
    double angle_deg;
  };
  std::vector<Candidate> candidates;
  for (size_t p = 0; p < kBodyPartCount; ++p) {
    double sum = 0, weight = 0;
    size_t lo = 0, hi = 0;  // window [lo, hi) over pairs
    for (size_t k = 0; k < pairs.size(); ++k) {
      while (hi < pairs.size() && hi <= k + window) {
        sum += pairs[hi].deviation.weight[p] * pairs[hi].deviation.angle_deg[p];
        weight += pairs[hi].deviation.weight[p];
        ++hi;
      }
      while (lo + window < k) {
        sum -= pairs[lo].deviation.weight[p] * pairs[lo].deviation.angle_deg[p];
        weight -= pairs[lo].deviation.weight[p];
        ++lo;
      }
      // A part must be seen in most of the window to be blamed.
      if (pairs[k].deviation.weight[p] > 0 && weight >= 0.25 * double(hi - lo) &&
          sum / weight >= kMinWorstDeviation_deg)
        candidates.push_back({k, p, sum / weight});
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.angle_deg > b.angle_deg; });
  for (const Candidate& candidate : candidates) {
    if (static_cast<int>(result.worst_moments.size()) >= options.max_worst_moments) break;
    const double t_reference = reference[pairs[candidate.pair].r].t_s;
    const bool near_chosen = std::any_of(
        result.worst_moments.begin(), result.worst_moments.end(),
        [&](const WorstMoment& m) { return std::abs(m.t_reference_s - t_reference) < kWorstSeparation_s; });
    if (near_chosen) continue;
    result.worst_moments.push_back(WorstMoment{t_reference, student[pairs[candidate.pair].s].t_s,
                                               std::string(kBodyPartNames[candidate.part]),
                                               candidate.angle_deg});
  }

  for (const auto& [r, s] : alignment.path) {
    const std::pair<int64_t, int64_t> frames{reference[r].frame, student[s].frame};
    if (result.path.empty() || result.path.back() != frames) result.path.push_back(frames);
  }
  return result;
}

Comparison compare_once(const std::vector<Sample>& reference, const pose::PoseSequence& student,
                        const CompareOptions& options, bool mirror) {
  const std::vector<Sample> student_samples = resample(student, mirror);
  return score(reference, student_samples, align(reference, student_samples), options, mirror);
}

}  // namespace

std::optional<MirrorMode> parse_mirror_mode(std::string_view name) {
  if (name == "auto") return MirrorMode::kAuto;
  if (name == "on") return MirrorMode::kOn;
  if (name == "off") return MirrorMode::kOff;
  return std::nullopt;
}

Result<Comparison> compare_sequences(const pose::PoseSequence& reference, const pose::PoseSequence& student,
                                     const CompareOptions& options) {
  DD_TRY(validate(reference, "reference"));
  DD_TRY(validate(student, "student"));
  if (!std::isfinite(options.timeline_rate_hz) || options.timeline_rate_hz <= 0 ||
      options.timeline_rate_hz > 1000)
    return make_error(ErrorCode::kInvalidArgument, "timeline_rate_hz must be within (0, 1000]");
  if (options.max_worst_moments < 0)
    return make_error(ErrorCode::kInvalidArgument, "max_worst_moments must be >= 0");

  const std::vector<Sample> reference_samples = resample(reference, false);
  if (options.mirror != MirrorMode::kAuto)
    return compare_once(reference_samples, student, options, options.mirror == MirrorMode::kOn);
  Comparison plain = compare_once(reference_samples, student, options, false);
  Comparison mirrored = compare_once(reference_samples, student, options, true);
  return mirrored.similarity > plain.similarity ? std::move(mirrored) : std::move(plain);
}

nlohmann::json comparison_to_json(const Comparison& comparison) {
  // NaN (no data) becomes null; values are rounded to what a reader can use.
  auto number = [](double value, double scale) -> nlohmann::json {
    if (!std::isfinite(value)) return nullptr;
    return std::round(value * scale) / scale;
  };
  nlohmann::json body_parts = nlohmann::json::object();
  for (const auto& [name, value] : comparison.body_parts) body_parts[name] = number(value, 10);
  nlohmann::json t = nlohmann::json::array(), similarity = nlohmann::json::array(),
                 timing = nlohmann::json::array();
  for (size_t k = 0; k < comparison.timeline_t.size(); ++k) {
    t.push_back(number(comparison.timeline_t[k], 1000));
    similarity.push_back(
        number(k < comparison.timeline_similarity.size() ? comparison.timeline_similarity[k] : NAN, 10));
    timing.push_back(number(k < comparison.timing_error_s.size() ? comparison.timing_error_s[k] : NAN, 1000));
  }
  nlohmann::json worst = nlohmann::json::array();
  for (const WorstMoment& moment : comparison.worst_moments)
    worst.push_back({{"t_reference", number(moment.t_reference_s, 1000)},
                     {"t_student", number(moment.t_student_s, 1000)},
                     {"body_part", moment.body_part},
                     {"deviation_deg", number(moment.deviation_deg, 10)}});
  // Timing of an alignment that means nothing is not reported.
  const bool timed = !comparison.different_choreography;
  return {{"similarity", number(comparison.similarity, 10)},
          {"chance_similarity", number(comparison.chance_similarity, 10)},
          {"different_choreography", comparison.different_choreography},
          {"choreography_note", comparison.different_choreography
                                    ? "The two videos do not dance the same routine: their poses match "
                                      "no better than poses paired at random, so timing is not reported."
                                    : ""},
          {"offset_s", timed ? number(comparison.offset_s, 1000) : nullptr},
          {"tempo_ratio", timed ? number(comparison.tempo_ratio, 1000) : nullptr},
          {"mirror", comparison.mirror},
          {"body_parts", body_parts},
          {"timeline", {{"t", t}, {"similarity", similarity}, {"timing_error_s", timing}}},
          {"worst_moments", worst}};
}

}  // namespace dd::compare
