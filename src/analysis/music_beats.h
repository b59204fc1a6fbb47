// Music tempo and beats from audio samples (onset envelope, autocorrelation tempo, dynamic
// programming beat tracker after Ellis 2007), and how movement accents line up with the beats.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"

namespace dd::analysis {

// Mono audio samples (any scale) and their rate.
struct AudioView {
  std::span<const float> samples;
  int sample_rate = 0;
};

struct OnsetEnvelope {
  std::vector<double> strength;  // >= 0, unit standard deviation
  double frame_rate_hz = 0;      // strength[i] belongs to time i / frame_rate_hz
};

// Why a tempo was or was not found, for the page to say in words.
enum class BeatStatus {
  kFound,         // bpm and beats are set
  kTooShort,      // under 2 s of audio
  kSilent,        // no sound above the digital floor
  kNoSteadyBeat,  // sound without a periodic pulse: speech, ambience, free rhythm
};

// "found" | "too_short" | "silent" | "no_steady_beat" (the names results.json uses).
const char* beat_status_name(BeatStatus status);
// A sentence a dancer can read, e.g. "No steady beat in the audio (speech or ambience?)".
const char* beat_status_message(BeatStatus status);

struct MusicBeats {
  BeatStatus status = BeatStatus::kNoSteadyBeat;
  std::optional<double> bpm;         // nullopt unless status is kFound
  std::vector<double> beat_times_s;  // ascending
};

struct BeatAlignment {
  size_t accent_count = 0;    // accents inside the beat span that were compared
  double mean_offset_ms = 0;  // signed mean of accent - nearest beat (positive: late)
  double mean_abs_offset_ms = 0;
  double on_beat_share = 0;     // 0..1, share within +-1/8 beat period
  double beat_align_score = 0;  // 0..1, mean exp(-d^2 / (2 sigma^2)), sigma = 0.1 beat period
};

// Spectral flux of log-compressed 40-band mel energies: ~46 ms Hann frames, hop a quarter of
// that; the positive band increases are averaged, the 1 s local mean removed (half-wave
// rectified) and the result scaled to unit standard deviation. Fails on a sample rate under
// 4000 Hz.
Result<OnsetEnvelope> onset_envelope(AudioView audio);

// Tempo: autocorrelation of the onset envelope weighted by a log-normal prior centred at
// 120 BPM (1.4 octaves wide), searched over 40..240 BPM and refined on a comb of the first
// four multiples of the lag; no tempo when the envelope's autocorrelation at that lag is under
// 0.2 (no steady beat: speech, ambience, silence). Tempo octave: of that tempo, its half and
// its double, the one a dancer counts wins (see choose_tempo_octave). Beats: Ellis's dynamic
// programming (transition cost 100 * ln(interval / period)^2), weak beats at the ends trimmed.
// `accent_bpm`: the rate of the movement's accents, when known. Fails like onset_envelope.
Result<MusicBeats> track_beats(AudioView audio, std::optional<double> accent_bpm = std::nullopt);

struct TempoCandidate {
  double bpm = 0;
  double strength = 0;  // the onset autocorrelation at its period, relative to the detected tempo's
};

// The tempo octave a dancer counts in. Candidates whose strength is under 0.3 are out; the rest
// score their strength, plus 1 inside 80..160 BPM (where dancers count; falling linearly to 0
// half an octave outside it), plus 0.5 when within 6% of the movement's accent rate. The first
// candidate (the detected tempo) wins ties.
double choose_tempo_octave(std::span<const TempoCandidate> candidates, std::optional<double> accent_bpm);

// Offsets of each accent to its nearest beat, over accents within half a period of the first
// and last beat. nullopt with fewer than two beats or no accent inside the span.
std::optional<BeatAlignment> align_to_beats(std::span<const double> accent_times_s,
                                            std::span<const double> beat_times_s, double beat_period_s);

// Whether two tempi agree within 6%, allowing one to be half or double the other; `ratio`
// receives movement_bpm / music_bpm.
bool tempo_matches(double movement_bpm, double music_bpm, double* ratio);

}  // namespace dd::analysis
