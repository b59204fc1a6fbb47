// Pure formatting helpers for the dashboard (no DOM), shared by the app and its unit tests.

const kDash = '—';

/** Returns "m:ss" (or "h:mm:ss") for a duration in seconds; a dash for missing or negative input. */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return kDash;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Returns a human size such as "12.3 MB" (binary multiples, decimal-looking units as users expect). */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return kDash;
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** Returns "42%" from a 0..1 share; a dash when missing. */
export function formatShare(share, digits = 0) {
  if (!Number.isFinite(share)) return kDash;
  return `${(share * 100).toFixed(digits)}%`;
}

/** Returns a 0..100 score rounded to an integer; a dash when missing. */
export function formatScore(score) {
  if (!Number.isFinite(score)) return kDash;
  return String(Math.round(Math.min(100, Math.max(0, score))));
}

/** Returns "120 BPM" rounded to one decimal below 100 and to integers above; a dash for missing or zero. */
export function formatBpm(bpm) {
  if (!Number.isFinite(bpm) || bpm <= 0) return kDash;
  return `${bpm >= 100 ? Math.round(bpm) : bpm.toFixed(1)} BPM`;
}

/**
 * Returns what a mean offset to the beat means for a dancer: "39 ms early", "12 ms late" or "on the
 * beat" (under 5 ms either way); a dash when missing. Positive offsets are late.
 */
export function formatOffsetMs(ms) {
  if (!Number.isFinite(ms)) return kDash;
  const rounded = Math.round(Math.abs(ms));
  if (rounded < 5) return 'on the beat';
  return `${rounded} ms ${ms > 0 ? 'late' : 'early'}`;
}

/** Returns a processing rate such as "24.5 fps"; a dash when missing. */
export function formatFps(fps) {
  if (!Number.isFinite(fps) || fps <= 0) return kDash;
  return `${fps.toFixed(fps >= 100 ? 0 : 1)} fps`;
}

/** Returns "left_arm" as "Left arm". */
export function humanise(key) {
  if (typeof key !== 'string' || key.length === 0) return kDash;
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

// Before this share of the work and this much time, any estimate is noise (a first frame's
// timing says nothing about the rest): show none rather than "0:00" or a wild guess.
export const kEtaMinProgress = 0.03;
export const kEtaMinElapsedS = 3;

/**
 * Returns the ETA in seconds once it means something: the server's eta_s when given, else
 * extrapolated from the elapsed time and the progress share; null while it cannot be known yet.
 */
export function estimateEta(progress, elapsedS, serverEtaS) {
  if (progress >= 1) return 0;
  if (!Number.isFinite(progress) || !Number.isFinite(elapsedS)) return null;
  if (progress < kEtaMinProgress || elapsedS < kEtaMinElapsedS) return null;
  if (Number.isFinite(serverEtaS) && serverEtaS > 0) return serverEtaS;
  return (elapsedS * (1 - progress)) / progress;
}

/** Returns a limit in seconds as a dancer reads it: "45 s", "1 min", "2 min 30 s", "10 min". */
export function formatLimitDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return kDash;
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const m = Math.floor(total / 60);
  const s = total % 60;
  return s ? `${m} min ${s} s` : `${m} min`;
}

/**
 * Returns a message without the absolute file paths in it: a trailing ": /path" goes, any other
 * becomes "(file)". Paths mean nothing to a dancer and tell a stranger about the server.
 */
export function withoutPaths(message) {
  if (typeof message !== 'string') return '';
  const path = String.raw`\/(?:[^\s/:]+\/)+[^\s:)]*`;
  return message
    .replace(new RegExp(String.raw`:\s*${path}\s*$`), '')
    .replace(new RegExp(String.raw`(^|[\s:(=])${path}`, 'g'), '$1(file)');
}

/** Returns a 0-100 body-part score as "72 / 100"; a dash when missing. */
export function formatOutOf100(score) {
  const text = formatScore(score);
  return text === kDash ? kDash : `${text} / 100`;
}

/**
 * Returns the words of the music card from rhythm_analysis.music (and the video's has_audio):
 * {tempo, note}. No beat found is said in words, never as dashes.
 */
export function describeMusic(music, videoHasAudio) {
  const m = music ?? {};
  const hasAudio = m.has_audio ?? videoHasAudio;
  if (hasAudio === false) return { tempo: 'No sound', note: 'This video has no sound track, so there is no beat to dance to.' };
  const words = m.status_message ?? m.reason;
  const reason = typeof words === 'string' && words ? words : '';
  const statusFound = m.status === undefined || m.status === null || m.status === 'ok' || m.status === 'found';
  if (!(Number.isFinite(m.bpm) && m.bpm > 0) || !statusFound) {
    const said = reason || (typeof m.status === 'string' && !statusFound ? humanise(m.status) : '');
    return {
      tempo: 'No beat found',
      note: said ? `${said.charAt(0).toUpperCase()}${said.slice(1)}${/[.!?]$/.test(said) ? '' : '.'}`
        : 'The sound has no steady beat we could follow (speech, ambience or very free music).',
    };
  }
  let note = '';
  if (m.tempo_match === true) note = 'Tempo match: yes, you move at the music\'s tempo (or half or double it).';
  else if (m.tempo_match === false) {
    const ratio = Number.isFinite(m.tempo_ratio) && m.tempo_ratio > 0 ? ` (your tempo is ${m.tempo_ratio.toFixed(2)}× the music's)` : '';
    note = `Tempo match: no, your movement keeps its own tempo${ratio}.`;
  }
  return { tempo: formatBpm(m.bpm), note };
}

/** Returns "just now", "5 min ago", "3 h ago" or a date for a time (ISO string, seconds or ms). */
export function formatRelativeTime(when, nowMs = Date.now()) {
  let ms;
  if (typeof when === 'number') ms = when < 1e12 ? when * 1000 : when;
  else if (typeof when === 'string') ms = Date.parse(when);
  if (!Number.isFinite(ms)) return kDash;
  const diffS = Math.max(0, (nowMs - ms) / 1000);
  if (diffS < 60) return 'just now';
  if (diffS < 3600) return `${Math.floor(diffS / 60)} min ago`;
  if (diffS < 86400) return `${Math.floor(diffS / 3600)} h ago`;
  return new Date(ms).toISOString().slice(0, 10);
}
