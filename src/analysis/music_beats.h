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

struct MusicBeats {
  std::optional<double> bpm;         // nullopt: too short, silent or no periodic onsets
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
// 0.2 (no steady beat: speech, ambience, silence). Beats: Ellis's dynamic programming (transition cost
// 100 * ln(interval / period)^2), weak beats at the ends trimmed. Fails like onset_envelope.
Result<MusicBeats> track_beats(AudioView audio);

// Offsets of each accent to its nearest beat, over accents within half a period of the first
// and last beat. nullopt with fewer than two beats or no accent inside the span.
std::optional<BeatAlignment> align_to_beats(std::span<const double> accent_times_s,
                                            std::span<const double> beat_times_s, double beat_period_s);

// Whether two tempi agree within 6%, allowing one to be half or double the other; `ratio`
// receives movement_bpm / music_bpm.
bool tempo_matches(double movement_bpm, double music_bpm, double* ratio);

}  // namespace dd::analysis
