#include "analysis/music_beats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <numeric>
#include <string>

#include "analysis/real_fft.h"

namespace dd::analysis {
namespace {

constexpr int kMinSampleRate = 4000;
constexpr size_t kMelBands = 40;
constexpr double kMinBpm = 40;
constexpr double kMaxBpm = 240;
constexpr double kPriorBpm = 120;
constexpr double kPriorOctaves = 1.4;
constexpr double kTightness = 100;
constexpr double kMinAudio_s = 2;
constexpr double kMinBeatCorrelation = 0.2;
// Where dancers count (Moelants 2002: preferred tempi cluster around 120 BPM).
constexpr double kCountedMinBpm = 80;
constexpr double kCountedMaxBpm = 160;
constexpr double kMinOctaveStrength = 0.3;
constexpr double kRangeFalloff_octaves = 0.5;
constexpr double kTempoTolerance = 0.06;
// The movement's accents settle between two countable octaves; they do not pull a tempo out
// of the counting range (a dancer accenting every other beat still counts every beat).
constexpr double kAccentBonus = 0.5;

double hz_to_mel(double hz) {
  return 2595 * std::log10(1 + hz / 700);
}
double mel_to_hz(double mel) {
  return 700 * (std::pow(10, mel / 2595) - 1);
}

// Triangular mel filters over the FFT bins: weights[band] = (first bin, weights...).
struct MelBank {
  std::vector<size_t> first;
  std::vector<std::vector<float>> weights;
};

MelBank make_mel_bank(size_t fft_size, int sample_rate) {
  MelBank bank;
  const double top_hz = std::min(8000.0, sample_rate / 2.0);
  const double lo = hz_to_mel(30), hi = hz_to_mel(top_hz);
  std::vector<double> edges(kMelBands + 2);
  for (size_t i = 0; i < edges.size(); ++i)
    edges[i] = mel_to_hz(lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(kMelBands + 1));
  const double bin_hz = static_cast<double>(sample_rate) / static_cast<double>(fft_size);
  for (size_t b = 0; b < kMelBands; ++b) {
    const double left = edges[b], centre = edges[b + 1], right = edges[b + 2];
    const auto first = static_cast<size_t>(std::ceil(left / bin_hz));
    std::vector<float> w;
    for (size_t k = first; static_cast<double>(k) * bin_hz < right && k <= fft_size / 2; ++k) {
      const double f = static_cast<double>(k) * bin_hz;
      w.push_back(
          static_cast<float>(f < centre ? (f - left) / (centre - left) : (right - f) / (right - centre)));
    }
    if (w.empty()) {  // a band narrower than a bin at low sample rates: take the nearest bin
      w.push_back(1.0f);
    }
    bank.first.push_back(std::min(first, fft_size / 2));
    bank.weights.push_back(std::move(w));
  }
  return bank;
}

double interpolate(const std::vector<double>& v, double x) {
  if (x < 0 || x > static_cast<double>(v.size() - 1)) return 0;
  const auto i = static_cast<size_t>(x);
  if (i + 1 >= v.size()) return v[i];
  const double f = x - static_cast<double>(i);
  return v[i] * (1 - f) + v[i + 1] * f;
}

// Autocorrelation of the mean-removed envelope at lags 0..max_lag.
std::vector<double> autocorrelation(const std::vector<double>& env, size_t max_lag) {
  const size_t n = env.size();
  const double mean = std::accumulate(env.begin(), env.end(), 0.0) / static_cast<double>(n);
  std::vector<double> acf(max_lag + 1, 0.0);
  for (size_t lag = 0; lag <= max_lag && lag < n; ++lag) {
    double sum = 0;
    for (size_t i = 0; i + lag < n; ++i) sum += (env[i] - mean) * (env[i + lag] - mean);
    acf[lag] = sum / static_cast<double>(n - lag);
  }
  return acf;
}

// The highest autocorrelation within 4% of `lag` (the octave's peak need not fall on an exact
// multiple of the refined period).
double peak_near(const std::vector<double>& acf, double lag) {
  const auto lo = static_cast<size_t>(std::max(1.0, std::floor(lag * 0.96)));
  const auto hi = static_cast<size_t>(std::ceil(lag * 1.04));
  double best = -1e300;
  for (size_t l = lo; l <= hi && l < acf.size(); ++l) best = std::max(best, acf[l]);
  return best;
}

// Beat period in envelope frames, or 0 when there is none.
double estimate_period(const std::vector<double>& env, double frame_rate_hz) {
  const size_t n = env.size();
  const double mean = std::accumulate(env.begin(), env.end(), 0.0) / static_cast<double>(n);
  const auto min_lag = static_cast<size_t>(std::floor(60 / kMaxBpm * frame_rate_hz));
  const auto max_lag = static_cast<size_t>(std::ceil(60 / kMinBpm * frame_rate_hz));
  const size_t acf_len = std::min(n - 1, 4 * max_lag + 2);
  if (acf_len <= max_lag + 1) return 0;
  std::vector<double> acf(acf_len + 1, 0.0);
  for (size_t lag = 0; lag <= acf_len; ++lag) {
    double sum = 0;
    for (size_t i = 0; i + lag < n; ++i) sum += (env[i] - mean) * (env[i + lag] - mean);
    acf[lag] = sum / static_cast<double>(n - lag);
  }
  if (acf[0] <= 0) return 0;
  size_t best = 0;
  double best_score = 0;
  for (size_t lag = std::max<size_t>(min_lag, 1); lag <= max_lag; ++lag) {
    if (!(acf[lag] > acf[lag - 1] && acf[lag] >= acf[lag + 1])) continue;
    const double bpm = 60 * frame_rate_hz / static_cast<double>(lag);
    const double octaves = std::log2(bpm / kPriorBpm) / kPriorOctaves;
    const double score = acf[lag] * std::exp(-0.5 * octaves * octaves);
    if (score > best_score) {
      best_score = score;
      best = lag;
    }
  }
  // A weak best peak means no steady beat (speech, ambience, silence): no tempo at all.
  if (best == 0 || acf[best] < kMinBeatCorrelation * acf[0]) return 0;
  // Refine to a fraction of a frame: the lag whose first multiples together correlate most.
  double period = static_cast<double>(best);
  double comb_best = -1e300;
  for (double lag = static_cast<double>(best) - 1; lag <= static_cast<double>(best) + 1; lag += 0.01) {
    double comb = 0;
    for (int m = 1; m <= 4 && m * lag <= static_cast<double>(acf_len); ++m) comb += interpolate(acf, m * lag);
    if (comb > comb_best) {
      comb_best = comb;
      period = lag;
    }
  }
  return period;
}

std::vector<size_t> dynamic_programming_beats(const std::vector<double>& env, double period) {
  const size_t n = env.size();
  // Local score: the envelope smoothed by a Gaussian of a 32nd of the period (Ellis 2007).
  const double sigma = std::max(1.0, period / 32);
  const auto half = static_cast<size_t>(std::ceil(3 * sigma));
  std::vector<double> local(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    double sum = 0;
    for (size_t j = i >= half ? i - half : 0; j < std::min(n, i + half + 1); ++j) {
      const double d = (static_cast<double>(j) - static_cast<double>(i)) / sigma;
      sum += env[j] * std::exp(-0.5 * d * d);
    }
    local[i] = sum;
  }
  std::vector<double> cumulative(n);
  std::vector<long> backlink(n, -1);
  const auto near = static_cast<long>(std::round(period / 2));
  const auto far = static_cast<long>(std::round(2 * period));
  for (size_t i = 0; i < n; ++i) {
    const long t = static_cast<long>(i);
    double best = 0;
    long best_prev = -1;
    for (long prev = std::max(0L, t - far); prev <= t - near; ++prev) {
      const double ratio = static_cast<double>(t - prev) / period;
      const double cost = std::log(ratio);
      const double score = cumulative[static_cast<size_t>(prev)] - kTightness * cost * cost;
      if (best_prev < 0 || score > best) {
        best = score;
        best_prev = prev;
      }
    }
    cumulative[i] = local[i] + (best_prev >= 0 ? best : 0);
    backlink[i] = best_prev;
  }
  // The last beat: the last local maximum of the cumulative score above half their median.
  std::vector<double> maxima;
  for (size_t i = 1; i + 1 < n; ++i) {
    if (cumulative[i] > cumulative[i - 1] && cumulative[i] >= cumulative[i + 1])
      maxima.push_back(cumulative[i]);
  }
  if (maxima.empty()) return {};
  std::nth_element(maxima.begin(), maxima.begin() + static_cast<std::ptrdiff_t>(maxima.size() / 2),
                   maxima.end());
  const double threshold = 0.5 * maxima[maxima.size() / 2];
  long last = -1;
  for (size_t i = n - 2; i >= 1; --i) {
    if (cumulative[i] > cumulative[i - 1] && cumulative[i] >= cumulative[i + 1] &&
        cumulative[i] >= threshold) {
      last = static_cast<long>(i);
      break;
    }
  }
  std::vector<size_t> beats;
  for (long i = last; i >= 0; i = backlink[static_cast<size_t>(i)]) beats.push_back(static_cast<size_t>(i));
  std::reverse(beats.begin(), beats.end());
  // Trim weak beats at both ends (silence or fade before the music starts).
  double energy = 0;
  for (size_t b : beats) energy += local[b] * local[b];
  const double floor = beats.empty() ? 0 : 0.5 * std::sqrt(energy / static_cast<double>(beats.size()));
  while (!beats.empty() && local[beats.front()] < floor) beats.erase(beats.begin());
  while (!beats.empty() && local[beats.back()] < floor) beats.pop_back();
  return beats;
}

}  // namespace

Result<OnsetEnvelope> onset_envelope(AudioView audio) {
  if (audio.sample_rate < kMinSampleRate) {
    return make_error(ErrorCode::kInvalidArgument,
                      "audio sample rate too low: " + std::to_string(audio.sample_rate));
  }
  const double rate = audio.sample_rate;
  size_t fft_size = 256;
  while (static_cast<double>(fft_size) < 0.046 * rate / std::numbers::sqrt2) fft_size *= 2;
  const size_t hop = fft_size / 4;
  OnsetEnvelope envelope;
  envelope.frame_rate_hz = rate / static_cast<double>(hop);
  const size_t n = audio.samples.size();
  const size_t frames = n / hop + 1;
  if (frames < 3) return envelope;

  RealFft fft(fft_size);
  const MelBank bank = make_mel_bank(fft_size, audio.sample_rate);
  std::vector<float> window(fft_size), frame(fft_size), power;
  for (size_t i = 0; i < fft_size; ++i) {
    window[i] = static_cast<float>(
        0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(fft_size)));
  }
  std::vector<std::array<double, kMelBands>> bands(frames);
  double peak = 0;
  for (size_t f = 0; f < frames; ++f) {
    // Frame f is centred on sample f * hop (zeros outside the signal).
    const long start = static_cast<long>(f * hop) - static_cast<long>(fft_size / 2);
    for (size_t i = 0; i < fft_size; ++i) {
      const long s = start + static_cast<long>(i);
      const float x = s >= 0 && static_cast<size_t>(s) < n ? audio.samples[static_cast<size_t>(s)] : 0.0f;
      frame[i] = std::isfinite(x) ? x * window[i] : 0.0f;
    }
    fft.power(frame, power);
    for (size_t b = 0; b < kMelBands; ++b) {
      double e = 0;
      for (size_t w = 0; w < bank.weights[b].size() && bank.first[b] + w < power.size(); ++w) {
        e += bank.weights[b][w] * power[bank.first[b] + w];
      }
      bands[f][b] = e;
      peak = std::max(peak, e);
    }
  }
  envelope.strength.assign(frames, 0.0);
  if (!(peak > 0)) return envelope;
  // log(1 + 1000 E / peak): about 30 dB of compression, so quiet onsets count without the
  // noise floor's flicker dominating.
  for (auto& frame_bands : bands) {
    for (double& e : frame_bands) e = std::log1p(1000 * e / peak);
  }
  std::vector<double> flux(frames, 0.0);
  for (size_t f = 1; f < frames; ++f) {
    double sum = 0;
    for (size_t b = 0; b < kMelBands; ++b) sum += std::max(0.0, bands[f][b] - bands[f - 1][b]);
    flux[f] = sum / kMelBands;
  }
  const auto local_width = static_cast<size_t>(envelope.frame_rate_hz);
  double sum_sq = 0;
  std::vector<double> prefix(frames + 1, 0.0);
  for (size_t f = 0; f < frames; ++f) prefix[f + 1] = prefix[f] + flux[f];
  for (size_t f = 0; f < frames; ++f) {
    const size_t lo = f >= local_width / 2 ? f - local_width / 2 : 0;
    const size_t hi = std::min(frames, f + local_width / 2 + 1);
    const double local_mean = (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
    envelope.strength[f] = std::max(0.0, flux[f] - local_mean);
    sum_sq += envelope.strength[f] * envelope.strength[f];
  }
  const double rms = std::sqrt(sum_sq / static_cast<double>(frames));
  if (rms > 0) {
    for (double& s : envelope.strength) s /= rms;
  }
  return envelope;
}

const char* beat_status_name(BeatStatus status) {
  switch (status) {
    case BeatStatus::kFound: return "found";
    case BeatStatus::kTooShort: return "too_short";
    case BeatStatus::kSilent: return "silent";
    case BeatStatus::kNoSteadyBeat: return "no_steady_beat";
  }
  return "no_steady_beat";
}

const char* beat_status_message(BeatStatus status) {
  switch (status) {
    case BeatStatus::kFound: return "Beat found in the music";
    case BeatStatus::kTooShort: return "The audio is too short to find a beat (under 2 seconds)";
    case BeatStatus::kSilent: return "The audio is silent";
    case BeatStatus::kNoSteadyBeat:
      return "No steady beat in the audio (speech, ambient sound or free rhythm)";
  }
  return "";
}

double choose_tempo_octave(std::span<const TempoCandidate> candidates, std::optional<double> accent_bpm) {
  double best_bpm = candidates.empty() ? 0 : candidates.front().bpm;
  double best_score = -1;
  for (const TempoCandidate& candidate : candidates) {
    if (candidate.strength < kMinOctaveStrength) continue;
    double score = candidate.strength;
    // 1 inside the counting range, falling to 0 half an octave outside it.
    const double octaves_outside =
        std::max({0.0, std::log2(kCountedMinBpm / candidate.bpm), std::log2(candidate.bpm / kCountedMaxBpm)});
    score += std::max(0.0, 1 - octaves_outside / kRangeFalloff_octaves);
    if (accent_bpm && std::abs(candidate.bpm / *accent_bpm - 1) <= kTempoTolerance) score += kAccentBonus;
    if (score > best_score) {
      best_score = score;
      best_bpm = candidate.bpm;
    }
  }
  return best_bpm;
}

Result<MusicBeats> track_beats(AudioView audio, std::optional<double> accent_bpm) {
  auto envelope = onset_envelope(audio);
  DD_TRY(envelope);
  MusicBeats beats;
  const std::vector<double>& env = envelope->strength;
  const double duration_s = static_cast<double>(audio.samples.size()) / audio.sample_rate;
  if (duration_s < kMinAudio_s || env.size() < 8) {
    beats.status = BeatStatus::kTooShort;
    return beats;
  }
  if (std::all_of(env.begin(), env.end(), [](double e) { return e == 0; })) {
    beats.status = BeatStatus::kSilent;
    return beats;
  }
  const double detected = estimate_period(env, envelope->frame_rate_hz);
  if (detected <= 0) return beats;
  // The detected tempo, its half and its double, each with its own autocorrelation peak.
  const double rate = envelope->frame_rate_hz;
  const std::vector<double> acf = autocorrelation(env, static_cast<size_t>(std::ceil(2.1 * detected)) + 1);
  std::vector<TempoCandidate> candidates;
  for (double factor : {1.0, 0.5, 2.0}) {
    const double lag = detected / factor;
    const double bpm = 60 * rate / lag;
    if (bpm < kMinBpm || bpm > kMaxBpm || lag + 2 >= static_cast<double>(acf.size()) || lag < 2) continue;
    candidates.push_back({bpm, factor == 1.0 ? 1.0 : peak_near(acf, lag) / peak_near(acf, detected)});
  }
  const double period = 60 * rate / choose_tempo_octave(candidates, accent_bpm);
  beats.status = BeatStatus::kFound;
  beats.bpm = 60 * rate / period;
  for (size_t frame : dynamic_programming_beats(env, period)) {
    beats.beat_times_s.push_back(static_cast<double>(frame) / envelope->frame_rate_hz);
  }
  return beats;
}

std::optional<BeatAlignment> align_to_beats(std::span<const double> accent_times_s,
                                            std::span<const double> beat_times_s, double beat_period_s) {
  if (beat_times_s.size() < 2 || !(beat_period_s > 0)) return std::nullopt;
  const double first = beat_times_s.front() - beat_period_s / 2;
  const double last = beat_times_s.back() + beat_period_s / 2;
  const double tolerance = beat_period_s / 8;
  const double sigma = 0.1 * beat_period_s;
  BeatAlignment alignment;
  double offset_sum = 0, abs_sum = 0, on_beat = 0, score = 0;
  for (double accent : accent_times_s) {
    if (accent < first || accent > last) continue;
    const auto it = std::lower_bound(beat_times_s.begin(), beat_times_s.end(), accent);
    double offset = 1e300;
    if (it != beat_times_s.end()) offset = accent - *it;
    if (it != beat_times_s.begin() && std::abs(accent - *(it - 1)) < std::abs(offset))
      offset = accent - *(it - 1);
    offset_sum += offset;
    abs_sum += std::abs(offset);
    on_beat += std::abs(offset) <= tolerance ? 1 : 0;
    score += std::exp(-offset * offset / (2 * sigma * sigma));
    ++alignment.accent_count;
  }
  if (alignment.accent_count == 0) return std::nullopt;
  const double count = static_cast<double>(alignment.accent_count);
  alignment.mean_offset_ms = 1000 * offset_sum / count;
  alignment.mean_abs_offset_ms = 1000 * abs_sum / count;
  alignment.on_beat_share = on_beat / count;
  alignment.beat_align_score = score / count;
  return alignment;
}

bool tempo_matches(double movement_bpm, double music_bpm, double* ratio) {
  const double r = music_bpm > 0 ? movement_bpm / music_bpm : 0;
  if (ratio != nullptr) *ratio = r;
  for (double factor : {0.5, 1.0, 2.0}) {
    if (std::abs(r / factor - 1) <= 0.06) return true;
  }
  return false;
}

}  // namespace dd::analysis
