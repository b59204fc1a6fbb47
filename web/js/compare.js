// Pure helpers of the "Compare with a reference" view (no DOM), shared by the view and its unit tests.

const kDash = '—';
export const kBodyParts = ['head', 'torso', 'left_arm', 'right_arm', 'left_leg', 'right_leg'];
const kOnTimeS = 0.05; // below one frame at 20 fps: "in time"
const kSameTempo = 0.02;

/**
 * Returns the sessions a comparison may use: completed analyses (never comparisons) in which a
 * person was found (a detectionRate of 0 has nothing to compare), in list order.
 */
export function comparableSessions(sessions) {
  return (sessions ?? []).filter((s) => s.status === 'completed' && (s.kind ?? 'analysis') === 'analysis'
    && s.detectionRate !== 0);
}

/** Returns whether a comparison says the two videos are different dances (offset and tempo then mean nothing). */
export function isDifferentChoreography(comparison) {
  return comparison?.different_choreography === true;
}

/** Returns a signed offset such as "+0.50 s"; a dash when missing. */
export function formatOffset(offsetS) {
  if (!Number.isFinite(offsetS)) return kDash;
  const text = Math.abs(offsetS).toFixed(2);
  if (text === '0.00') return '0.00 s';
  return `${offsetS > 0 ? '+' : '−'}${text} s`;
}

/** Returns what an offset means for the student: "late", "early" or "in time". */
export function describeOffset(offsetS) {
  if (!Number.isFinite(offsetS)) return '';
  if (Math.abs(offsetS) < kOnTimeS) return 'the student is in time';
  return `the student is ${Math.abs(offsetS).toFixed(2)} s ${offsetS > 0 ? 'late' : 'early'}`;
}

/** Returns a tempo ratio such as "1.10×"; a dash when missing or not positive. */
export function formatTempo(ratio) {
  if (!Number.isFinite(ratio) || ratio <= 0) return kDash;
  return `${ratio.toFixed(2)}×`;
}

/** Returns what a tempo ratio (student duration / reference duration) means: slower, faster or same speed. */
export function describeTempo(ratio) {
  if (!Number.isFinite(ratio) || ratio <= 0) return '';
  if (Math.abs(ratio - 1) < kSameTempo) return 'same speed as the reference';
  const percent = Math.round(Math.abs(ratio - 1) * 100);
  return `the student is ${percent}% ${ratio > 1 ? 'slower' : 'faster'}`;
}

/** Returns a time on a video clock as "m:ss.s"; a dash when missing or negative. */
export function formatMoment(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return kDash;
  const tenths = Math.round(seconds * 10);
  const m = Math.floor(tenths / 600);
  const s = (tenths % 600) / 10;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** Returns an angle difference such as "38° off"; a dash when missing. */
export function formatDegrees(deg) {
  if (!Number.isFinite(deg)) return kDash;
  return `${Math.round(deg)}° off`;
}

/** Returns the worst moments of comparison.json, well-formed ones only, in the server's order. */
export function worstMoments(comparison) {
  const list = Array.isArray(comparison?.worst_moments) ? comparison.worst_moments : [];
  return list.filter((m) => Number.isFinite(m?.t_reference));
}

/** Returns the body part with the lowest score, or null when there are no scores. */
export function weakestBodyPart(bodyParts) {
  let weakest = null;
  for (const part of kBodyParts) {
    const value = bodyParts?.[part];
    if (Number.isFinite(value) && (weakest === null || value < bodyParts[weakest])) weakest = part;
  }
  return weakest;
}
