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

/** Returns the index of the time in sorted times nearest to t; -1 when there are none. */
export function nearestIndex(times, t) {
  const n = times?.length ?? 0;
  if (n === 0 || !Number.isFinite(t)) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && Math.abs(times[lo - 1] - t) <= Math.abs(times[lo] - t) ? lo - 1 : lo;
}

const kSameTimeS = 0.02;

/**
 * Returns where one arrow-key step from fromS lands: the next (direction +1) or previous (-1)
 * beat of sorted beats when there are any within the clip, else one second on; clamped to
 * [0, durationS].
 */
export function stepTime(fromS, direction, beats, durationS) {
  const clamp = (v) => Math.min(durationS, Math.max(0, v));
  const list = Array.isArray(beats) ? beats.filter((b) => Number.isFinite(b) && b >= 0 && b <= durationS) : [];
  if (list.length >= 2) {
    if (direction > 0) {
      const next = list.find((b) => b > fromS + kSameTimeS);
      if (next !== undefined) return next;
    } else {
      for (let i = list.length - 1; i >= 0; i -= 1) if (list[i] < fromS - kSameTimeS) return list[i];
    }
  }
  return clamp(fromS + direction);
}

/**
 * Draws the timeline chart into canvas and wires seeking. timeline is results.timeline (t with
 * intensity 0..100 and optionally velocity); onSeek(t) is called on click or keys. options:
 * beats (s, marked on top and stepped by the arrow keys), readout (an element that shows the
 * values under the pointer), valueName (the 0..100 line's name), velocityUnit (its readout unit).
 * The drawing follows the canvas size (a ResizeObserver), so a chart made while its section is
 * hidden draws as soon as it is shown. Returns {setTime(t), setLoop(a, b), redraw(), destroy()}.
 */
export function createTimelineChart(canvas, timeline, durationS, onSeek, options = {}) {
  const t = timeline?.t ?? [];
  const intensity = timeline?.intensity ?? [];
  const velocity = timeline?.velocity ?? [];
  const types = timeline?.movement_type ?? [];
  const beats = Array.isArray(options.beats) ? options.beats.filter(Number.isFinite) : [];
  const valueName = options.valueName ?? 'Intensity';
  const duration = durationS > 0 ? durationS : t.length ? t[t.length - 1] : 0;
  const bands = buildBands(t, types, duration);
  const velocityMax = niceMax(Math.max(0, ...velocity.filter(Number.isFinite)));
  const hasVelocity = velocity.some(Number.isFinite);
  const pad = { left: 36, right: hasVelocity ? 44 : 12, top: beats.length ? 16 : 10, bottom: 24 };
  let playheadS = 0;
  let hoverS = null;
  let loop = null; // {a, b}
  let pending = null; // {s, until}: a seek asked for but not reported back yet

  const draw = () => {
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (!(w > 0 && h > 0)) return; // hidden: the ResizeObserver draws once it is shown
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
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
    if (loop) {
      ctx.fillStyle = 'rgba(253, 224, 71, 0.16)';
      ctx.fillRect(x(loop.a), pad.top, Math.max(2, x(loop.b) - x(loop.a)), h - pad.top - pad.bottom);
      ctx.fillStyle = '#fde047';
      for (const edge of [loop.a, loop.b]) ctx.fillRect(x(edge) - 1, pad.top, 2, h - pad.top - pad.bottom);
    }

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
    if (hasVelocity) { // the velocity line's own scale, on the right
      ctx.fillStyle = kVelocityColour;
      ctx.textAlign = 'left';
      for (const v of [0, velocityMax / 2, velocityMax]) ctx.fillText(String(Number(v.toPrecision(2))), w - pad.right + 6, yv(v));
      ctx.fillStyle = '#cbd5e1';
    }
    const tickStep = niceMax(duration / 6) || 1;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let s = 0; s <= duration + 1e-9; s += tickStep) {
      ctx.fillText(`${Number(s.toFixed(2))}s`, x(s), h - pad.bottom + 6);
    }
    if (beats.length) { // the music's beats: small ticks above the plot
      ctx.fillStyle = '#fde047';
      for (const b of beats) if (b <= duration) ctx.fillRect(x(b) - 0.75, 3, 1.5, pad.top - 6);
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

    if (hoverS !== null) {
      ctx.strokeStyle = 'rgba(255,255,255,0.45)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x(hoverS), pad.top);
      ctx.lineTo(x(hoverS), h - pad.bottom);
      ctx.stroke();
    }
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x(playheadS), pad.top);
    ctx.lineTo(x(playheadS), h - pad.bottom);
    ctx.stroke();
  };

  const timeOfEvent = (event) => {
    const box = canvas.getBoundingClientRect();
    return timeAtX(event.clientX - box.left, pad.left, box.width - pad.right, duration);
  };
  const seek = (s) => {
    pending = { s, until: performance.now() + 1000 };
    onSeek(s);
  };
  const readout = options.readout;
  const showReadout = (s) => {
    if (!readout) return;
    if (s === null) {
      readout.textContent = '';
      return;
    }
    const i = nearestIndex(t, s);
    const parts = [`${s.toFixed(1)} s`];
    if (i >= 0 && types[i]) parts.push(types[i]);
    if (Number.isFinite(intensity[i])) parts.push(`${valueName} ${Math.round(intensity[i])} / 100`);
    if (Number.isFinite(velocity[i])) parts.push(`velocity ${velocity[i].toFixed(3)}${options.velocityUnit ? ` ${options.velocityUnit}` : ''}`);
    readout.textContent = parts.join(' · ');
  };
  const onClick = (event) => seek(timeOfEvent(event));
  const onMove = (event) => {
    hoverS = timeOfEvent(event);
    showReadout(hoverS);
    draw();
  };
  const onLeave = () => {
    hoverS = null;
    showReadout(null);
    draw();
  };
  const onKey = (event) => {
    // Steps start from the last asked-for time, so two quick presses move twice.
    const from = pending && performance.now() < pending.until ? pending.s : playheadS;
    let next = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      const direction = event.key === 'ArrowRight' ? 1 : -1;
      next = event.shiftKey ? Math.min(duration, Math.max(0, from + 5 * direction)) : stepTime(from, direction, beats, duration);
    } else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = duration;
    if (next === null) return;
    event.preventDefault();
    seek(Math.min(duration, Math.max(0, next)));
  };
  canvas.addEventListener('click', onClick);
  canvas.addEventListener('pointermove', onMove);
  canvas.addEventListener('pointerleave', onLeave);
  canvas.addEventListener('keydown', onKey);
  canvas.setAttribute('aria-valuemin', '0');
  canvas.setAttribute('aria-valuemax', String(Math.round(duration * 10) / 10));
  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => draw()) : null;
  observer?.observe(canvas);

  const setTime = (s) => {
    playheadS = s;
    if (pending && Math.abs(pending.s - s) < kSameTimeS) pending = null;
    canvas.setAttribute('aria-valuenow', String(Math.round(s * 10) / 10));
    canvas.setAttribute('aria-valuetext', `${s.toFixed(1)} of ${duration.toFixed(1)} seconds`);
    draw();
  };
  setTime(0);
  return {
    bands,
    setTime,
    redraw: draw,
    /** The last time asked for by the keys or a click while the video has not got there yet, else the playhead. */
    target: () => (pending && performance.now() < pending.until ? pending.s : playheadS),
    seek,
    setLoop(a, b) {
      loop = Number.isFinite(a) && Number.isFinite(b) && b > a ? { a, b } : null;
      draw();
    },
    destroy() {
      observer?.disconnect();
      canvas.removeEventListener('click', onClick);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerleave', onLeave);
      canvas.removeEventListener('keydown', onKey);
    },
  };
}
