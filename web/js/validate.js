// Client-side checks on a chosen video before it is uploaded (the server checks again).

import { formatLimitDuration } from './format.js';

export const kAcceptedExtensions = ['mp4', 'mov', 'avi', 'mkv', 'webm', 'm4v'];
// The server's defaults (MAX_FILE_SIZE, MAX_VIDEO_DURATION); /health may report others as `limits`.
export const kDefaultLimits = { maxBytes: 100 * 1024 * 1024, maxDurationS: 600 };

/** Returns the lower-case extension of a file name without the dot, or '' when it has none. */
export function extensionOf(name) {
  const dot = typeof name === 'string' ? name.lastIndexOf('.') : -1;
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Returns null when the name, MIME type and size are acceptable, else a message for the user. */
export function checkFile({ name, type, size }, limits = kDefaultLimits) {
  const ext = extensionOf(name);
  const videoType = typeof type === 'string' && type.startsWith('video/');
  if (!kAcceptedExtensions.includes(ext) && !videoType) {
    return `“${name}” is not a video we can read. Use ${kAcceptedExtensions.map((e) => e.toUpperCase()).join(', ')}.`;
  }
  if (!kAcceptedExtensions.includes(ext)) {
    return `The file extension “.${ext || '?'}” is not supported. Rename or convert it to ${kAcceptedExtensions.join(', ')}.`;
  }
  if (!Number.isFinite(size) || size <= 0) return `“${name}” is empty.`;
  if (size > limits.maxBytes) {
    const mb = (limits.maxBytes / (1024 * 1024)).toFixed(0);
    return `“${name}” is ${(size / (1024 * 1024)).toFixed(1)} MB; the limit is ${mb} MB.`;
  }
  return null;
}

/** Returns null when the duration (s) from the video's metadata is within limits, else a message. */
export function checkDuration(durationS, limits = kDefaultLimits) {
  if (!Number.isFinite(durationS)) return null; // unknown here (codec the browser lacks): the server decides
  if (durationS <= 0) return 'The video has no frames.';
  if (durationS > limits.maxDurationS) {
    return `The video is ${formatLimitDuration(durationS)} long; this server takes up to ${formatLimitDuration(limits.maxDurationS)}. Trim it and try again.`;
  }
  return null;
}
