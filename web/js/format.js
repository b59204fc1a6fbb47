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

/** Returns a signed millisecond offset such as "+35 ms"; a dash when missing. */
export function formatOffsetMs(ms) {
  if (!Number.isFinite(ms)) return kDash;
  const rounded = Math.round(ms);
  return `${rounded > 0 ? '+' : ''}${rounded} ms`;
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

/**
 * Returns the ETA in seconds: the server's eta_s when given, else extrapolated from the elapsed
 * time and the progress share; null when it cannot be known yet.
 */
export function estimateEta(progress, elapsedS, serverEtaS) {
  if (Number.isFinite(serverEtaS) && serverEtaS >= 0) return serverEtaS;
  if (!Number.isFinite(progress) || !Number.isFinite(elapsedS) || progress <= 0.01 || progress >= 1) {
    return progress >= 1 ? 0 : null;
  }
  return (elapsedS * (1 - progress)) / progress;
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
