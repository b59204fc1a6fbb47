// Draws the BlazePose 33-landmark skeleton from landmarks.json on a canvas over the original video.

// BlazePose topology (MediaPipe's pose connections): face, arms and hands, torso, legs and feet.
export const kPoseConnections = [
  [0, 1], [1, 2], [2, 3], [3, 7], [0, 4], [4, 5], [5, 6], [6, 8], [9, 10],
  [11, 12], [11, 13], [13, 15], [15, 17], [15, 19], [15, 21], [17, 19],
  [12, 14], [14, 16], [16, 18], [16, 20], [16, 22], [18, 20],
  [11, 23], [12, 24], [23, 24], [23, 25], [24, 26], [25, 27], [26, 28],
  [27, 29], [28, 30], [29, 31], [30, 32], [27, 31], [28, 32],
];
export const kMinVisibility = 0.5;

const kLeftColour = '#4fd1c5';
const kRightColour = '#f6ad55';
const kCentreColour = '#e2e8f0';

/** Returns the index into frames (sorted by t) of the frame nearest to time tS; -1 when there are none. */
export function frameAt(frames, tS) {
  if (!Array.isArray(frames) || frames.length === 0) return -1;
  let lo = 0;
  let hi = frames.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid].t < tS) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(frames[lo - 1].t - tS) <= Math.abs(frames[lo].t - tS)) return lo - 1;
  return lo;
}

/**
 * Returns the rectangle (in CSS pixels of a box) that a video of videoW x videoH occupies when shown
 * with object-fit: contain in a box of boxW x boxH.
 */
export function containRect(videoW, videoH, boxW, boxH) {
  if (!(videoW > 0 && videoH > 0 && boxW > 0 && boxH > 0)) return { x: 0, y: 0, w: boxW || 0, h: boxH || 0 };
  const scale = Math.min(boxW / videoW, boxH / videoH);
  const w = videoW * scale;
  const h = videoH * scale;
  return { x: (boxW - w) / 2, y: (boxH - h) / 2, w, h };
}

function sideColour(i, j) {
  const side = (k) => (k <= 10 ? 0 : k % 2 === 1 ? -1 : 1);
  const s = side(i) + side(j);
  return s < 0 ? kLeftColour : s > 0 ? kRightColour : kCentreColour;
}

/** Draws one frame's landmarks ([[x,y,z,vis]x33] normalised to the frame) into rect on ctx. */
export function drawSkeleton(ctx, landmarks, rect, scale = 1) {
  if (!Array.isArray(landmarks) || landmarks.length < 33) return;
  const px = (p) => [rect.x + p[0] * rect.w, rect.y + p[1] * rect.h];
  const visible = (p) => p && (p[3] ?? 1) >= kMinVisibility;
  ctx.lineWidth = 3 * scale;
  ctx.lineCap = 'round';
  for (const [i, j] of kPoseConnections) {
    const a = landmarks[i];
    const b = landmarks[j];
    if (!visible(a) || !visible(b)) continue;
    ctx.strokeStyle = sideColour(i, j);
    ctx.beginPath();
    ctx.moveTo(...px(a));
    ctx.lineTo(...px(b));
    ctx.stroke();
  }
  ctx.fillStyle = '#ffffff';
  for (const p of landmarks) {
    if (!visible(p)) continue;
    const [x, y] = px(p);
    ctx.beginPath();
    ctx.arc(x, y, 3.5 * scale, 0, Math.PI * 2);
    ctx.fill();
  }
}

/**
 * Keeps a canvas over a video showing the skeleton of the frame on screen. Returns an object with
 * setEnabled(bool) and destroy().
 */
export function attachSkeleton(video, canvas, data) {
  const frames = Array.isArray(data?.frames) ? data.frames : [];
  let enabled = true;
  let handle = 0;
  let lastIndex = -2;
  const render = () => {
    handle = 0;
    const dpr = window.devicePixelRatio || 1;
    const boxW = canvas.clientWidth;
    const boxH = canvas.clientHeight;
    if (canvas.width !== Math.round(boxW * dpr) || canvas.height !== Math.round(boxH * dpr)) {
      canvas.width = Math.round(boxW * dpr);
      canvas.height = Math.round(boxH * dpr);
      lastIndex = -2;
    }
    const index = enabled ? frameAt(frames, video.currentTime) : -1;
    if (index !== lastIndex) {
      const ctx = canvas.getContext('2d');
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, boxW, boxH);
      if (index >= 0) {
        const rect = containRect(video.videoWidth || data.width, video.videoHeight || data.height, boxW, boxH);
        drawSkeleton(ctx, frames[index].landmarks, rect, Math.max(0.6, Math.min(1.5, rect.w / 640)));
      }
      lastIndex = index;
    }
    if (!video.paused) schedule();
  };
  const schedule = () => {
    if (handle) return;
    // A paused video presents no new frames, so seeks while paused are drawn on the next animation frame.
    handle = !video.paused && video.requestVideoFrameCallback
      ? video.requestVideoFrameCallback(render)
      : requestAnimationFrame(render);
  };
  const onResize = () => { lastIndex = -2; schedule(); };
  const events = ['play', 'seeked', 'loadeddata', 'timeupdate'];
  events.forEach((e) => video.addEventListener(e, schedule));
  window.addEventListener('resize', onResize);
  schedule();
  return {
    setEnabled(value) {
      enabled = value;
      canvas.hidden = !value;
      lastIndex = -2;
      schedule();
    },
    destroy() {
      events.forEach((e) => video.removeEventListener(e, schedule));
      window.removeEventListener('resize', onResize);
    },
  };
}
