// Timeline chart: intensity and velocity over time on movement-type bands; click or arrow keys seek.
// Scaling and band building are pure functions so they can be unit-tested.

export const kMovementColours = {
  Standing: '#64748b',
  Walking: '#3b82f6',
  Dancing: '#a855f7',
  Jumping: '#f97316',
  Crouching: '#14b8a6',
};
const kUnknownColour = '#475569';
const kIntensityColour = '#f472b6';
const kVelocityColour = '#38bdf8';

/** Returns a function mapping [d0,d1] linearly onto [r0,r1]; a zero-width domain maps to r0. */
export function linearScale([d0, d1], [r0, r1]) {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** Returns a "nice" upper bound (1, 2, 2.5 or 5 x 10^k) at or above max; 1 for empty or non-positive input. */
export function niceMax(max) {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * exp >= max - 1e-12) return step * exp;
  }
  return 10 * exp;
}

/**
 * Returns contiguous bands [{start, end, type}] from per-point times and movement types; each band
 * ends where the next begins, the last at endS (or the last time).
 */
export function buildBands(times, types, endS) {
  const bands = [];
  const n = Math.min(times?.length ?? 0, types?.length ?? 0);
  for (let i = 0; i < n; i += 1) {
    const last = bands[bands.length - 1];
    if (last && last.type === types[i]) continue;
    if (last) last.end = times[i];
    bands.push({ start: times[i], end: times[i], type: types[i] });
  }
  if (bands.length) bands[bands.length - 1].end = Number.isFinite(endS) ? Math.max(endS, times[n - 1]) : times[n - 1];
  return bands;
}

/** Returns the time (s) under x within a plot spanning [left, right] over [0, durationS], clamped. */
export function timeAtX(x, left, right, durationS) {
  if (!(right > left) || !(durationS > 0)) return 0;
  return Math.min(durationS, Math.max(0, ((x - left) / (right - left)) * durationS));
}

/**
 * Draws the timeline chart into canvas and wires seeking. timeline is results.timeline; onSeek(t)
 * is called on click or arrow keys. Returns {setTime(t), redraw()}.
 */
export function createTimelineChart(canvas, timeline, durationS, onSeek) {
  const t = timeline?.t ?? [];
  const intensity = timeline?.intensity ?? [];
  const velocity = timeline?.velocity ?? [];
  const types = timeline?.movement_type ?? [];
  const duration = durationS > 0 ? durationS : t.length ? t[t.length - 1] : 0;
  const bands = buildBands(t, types, duration);
  const velocityMax = niceMax(Math.max(0, ...velocity.filter(Number.isFinite)));
  const pad = { left: 36, right: 12, top: 10, bottom: 24 };
  let playheadS = 0;

  const draw = () => {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const x = linearScale([0, duration || 1], [pad.left, w - pad.right]);
    const y = linearScale([0, 100], [h - pad.bottom, pad.top]);
    const yv = linearScale([0, velocityMax], [h - pad.bottom, pad.top]);

    for (const band of bands) {
      ctx.fillStyle = kMovementColours[band.type] ?? kUnknownColour;
      ctx.globalAlpha = 0.28;
      ctx.fillRect(x(band.start), pad.top, Math.max(1, x(band.end) - x(band.start)), h - pad.top - pad.bottom);
    }
    ctx.globalAlpha = 1;

    ctx.strokeStyle = 'rgba(226,232,240,0.15)';
    ctx.fillStyle = '#cbd5e1';
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    for (const v of [0, 50, 100]) {
      ctx.beginPath();
      ctx.moveTo(pad.left, y(v));
      ctx.lineTo(w - pad.right, y(v));
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(String(v), pad.left - 6, y(v));
    }
    const tickStep = niceMax(duration / 6) || 1;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let s = 0; s <= duration + 1e-9; s += tickStep) {
      ctx.fillText(`${Number(s.toFixed(2))}s`, x(s), h - pad.bottom + 6);
    }

    const line = (values, scaleY, colour, dash) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.setLineDash(dash);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < Math.min(t.length, values.length); i += 1) {
        if (!Number.isFinite(values[i])) { pen = false; continue; } // gaps stay gaps
        if (pen) ctx.lineTo(x(t[i]), scaleY(values[i]));
        else ctx.moveTo(x(t[i]), scaleY(values[i]));
        pen = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
    };
    if (t.length === 0) {
      ctx.fillStyle = '#cbd5e1';
      ctx.font = '14px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('No movement data: no pose was found', (pad.left + w - pad.right) / 2, (pad.top + h - pad.bottom) / 2);
    }
    line(velocity, yv, kVelocityColour, [5, 4]);
    line(intensity, y, kIntensityColour, []);

    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x(playheadS), pad.top);
    ctx.lineTo(x(playheadS), h - pad.bottom);
    ctx.stroke();
  };

  const seekFromEvent = (event) => {
    const box = canvas.getBoundingClientRect();
    onSeek(timeAtX(event.clientX - box.left, pad.left, box.width - pad.right, duration));
  };
  canvas.addEventListener('click', seekFromEvent);
  canvas.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 5 : 1;
    let next = null;
    if (event.key === 'ArrowRight') next = playheadS + step;
    else if (event.key === 'ArrowLeft') next = playheadS - step;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = duration;
    if (next === null) return;
    event.preventDefault();
    onSeek(Math.min(duration, Math.max(0, next)));
  });
  canvas.setAttribute('aria-valuemin', '0');
  canvas.setAttribute('aria-valuemax', String(Math.round(duration * 10) / 10));

  const setTime = (s) => {
    playheadS = s;
    canvas.setAttribute('aria-valuenow', String(Math.round(s * 10) / 10));
    canvas.setAttribute('aria-valuetext', `${s.toFixed(1)} of ${duration.toFixed(1)} seconds`);
    draw();
  };
  setTime(0);
  return { bands, setTime, redraw: draw };
}
