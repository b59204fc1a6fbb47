// Unit tests for the web app's pure logic: formatting, validation, chart scaling, reconnect
// backoff, video sync decisions, skeleton frame lookup, the progress connection's fallbacks, the
// compare view's wording, and the colour palette's contrast.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  describeMusic, estimateEta, formatBpm, formatBytes, formatDuration, formatFps, formatLimitDuration, formatOffsetMs,
  formatOutOf100, formatRelativeTime, formatScore, formatShare, humanise, withoutPaths,
} from '../../web/js/format.js';
import { frameStepTime, loopSeek, parseAspect } from '../../web/js/player.js';
import { backoffDelayMs } from '../../web/js/backoff.js';
import { checkDuration, checkFile, extensionOf } from '../../web/js/validate.js';
import { buildBands, linearScale, nearestIndex, niceMax, stepTime, timeAtX } from '../../web/js/chart.js';
import { linkVideos, mapTime, planSync } from '../../web/js/sync.js';
import { containRect, frameAt, kPoseConnections } from '../../web/js/skeleton.js';
import { ProgressConnection, websocketUrl } from '../../web/js/socket.js';
import {
  comparableSessions, describeOffset, describeTempo, formatDegrees, formatMoment, formatOffset, formatTempo,
  isDifferentChoreography, weakestBodyPart, worstMoments,
} from '../../web/js/compare.js';

test('formatDuration gives m:ss, h:mm:ss and a dash for bad input', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(59.6), '1:00');
  assert.equal(formatDuration(125), '2:05');
  assert.equal(formatDuration(3725), '1:02:05');
  assert.equal(formatDuration(-1), '—');
  assert.equal(formatDuration(NaN), '—');
});

test('formatBytes picks the unit and precision', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(100 * 1024 * 1024), '100 MB');
  assert.equal(formatBytes(undefined), '—');
});

test('share, score, BPM, offset and fps formatting', () => {
  assert.equal(formatShare(0.876), '88%');
  assert.equal(formatShare(0.876, 1), '87.6%');
  assert.equal(formatShare(undefined), '—');
  assert.equal(formatScore(71.6), '72');
  assert.equal(formatScore(130), '100');
  assert.equal(formatBpm(118.4), '118 BPM');
  assert.equal(formatBpm(92.25), '92.3 BPM');
  assert.equal(formatBpm(0), '—');
  assert.equal(formatOffsetMs(35.4), '35 ms late');
  assert.equal(formatOffsetMs(-39), '39 ms early');
  assert.equal(formatOffsetMs(-12.6), '13 ms early');
  assert.equal(formatOffsetMs(3), 'on the beat');
  assert.equal(formatFps(24.46), '24.5 fps');
  assert.equal(humanise('left_arm'), 'Left arm');
});

test('estimateEta prefers the server value and extrapolates otherwise', () => {
  assert.equal(estimateEta(0.5, 10, 3), 3);
  assert.equal(estimateEta(0.25, 10, null), 30);
  assert.equal(estimateEta(0, 10, null), null);
  assert.equal(estimateEta(1, 10, null), 0);
  // No estimate until it means something: never "0:00" at the first frame.
  assert.equal(estimateEta(1 / 178, 0.4, 0), null, 'first frame, server says 0');
  assert.equal(estimateEta(0.02, 10, 5), null, 'under 3% done');
  assert.equal(estimateEta(0.5, 1, 4), null, 'under 3 s in');
  assert.equal(estimateEta(0.5, 10, 0), 10, 'a zero from the server mid-way is ignored');
});

test('formatRelativeTime buckets ages and accepts seconds, ms and ISO strings', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  assert.equal(formatRelativeTime('2026-01-01T11:59:30Z', now), 'just now');
  assert.equal(formatRelativeTime((now - 5 * 60000) / 1000, now), '5 min ago');
  assert.equal(formatRelativeTime(now - 3 * 3600000, now), '3 h ago');
  assert.equal(formatRelativeTime('2025-12-01T00:00:00Z', now), '2025-12-01');
  assert.equal(formatRelativeTime('not a date', now), '—');
});

test('checkFile rejects wrong types, empty and oversized files with a message', () => {
  const limits = { maxBytes: 1000, maxDurationS: 10 };
  assert.equal(checkFile({ name: 'a.MP4', type: 'video/mp4', size: 10 }, limits), null);
  assert.match(checkFile({ name: 'notes.txt', type: 'text/plain', size: 10 }, limits), /not a video/);
  assert.match(checkFile({ name: 'clip.flv', type: 'video/x-flv', size: 10 }, limits), /extension “\.flv”/);
  assert.match(checkFile({ name: 'a.mp4', type: 'video/mp4', size: 0 }, limits), /empty/);
  assert.match(checkFile({ name: 'a.mp4', type: 'video/mp4', size: 2000 }, limits), /limit is 0 MB|limit/);
  assert.equal(extensionOf('.hidden'), '');
  assert.equal(extensionOf('x.tar.MKV'), 'mkv');
});

test('checkDuration leaves unknown durations to the server and rejects long ones', () => {
  const limits = { maxBytes: 1000, maxDurationS: 60 };
  assert.equal(checkDuration(NaN, limits), null);
  assert.equal(checkDuration(59.9, limits), null);
  assert.match(checkDuration(61, limits), /1 min 1 s long; this server takes up to 1 min/);
  assert.match(checkDuration(0, limits), /no frames/);
});

test('linearScale maps and inverts ranges; zero-width domain maps to the start', () => {
  const y = linearScale([0, 100], [200, 10]);
  assert.equal(y(0), 200);
  assert.equal(y(100), 10);
  assert.equal(y(50), 105);
  assert.equal(linearScale([3, 3], [0, 50])(7), 0);
});

test('niceMax rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
  assert.equal(niceMax(0.083), 0.1);
  assert.equal(niceMax(0.13), 0.2);
  assert.equal(niceMax(2.2), 2.5);
  assert.equal(niceMax(4.1), 5);
  assert.equal(niceMax(100), 100);
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(NaN), 1);
});

test('buildBands merges runs of one movement type and ends the last band at the duration', () => {
  const bands = buildBands([0, 0.1, 0.2, 0.3, 0.4], ['Standing', 'Standing', 'Dancing', 'Dancing', 'Jumping'], 0.5);
  assert.deepEqual(bands, [
    { start: 0, end: 0.2, type: 'Standing' },
    { start: 0.2, end: 0.4, type: 'Dancing' },
    { start: 0.4, end: 0.5, type: 'Jumping' },
  ]);
  assert.deepEqual(buildBands([], [], 3), []);
});

test('timeAtX converts a click position to a clamped time', () => {
  assert.equal(timeAtX(36, 36, 436, 8), 0);
  assert.equal(timeAtX(236, 36, 436, 8), 4);
  assert.equal(timeAtX(1000, 36, 436, 8), 8);
  assert.equal(timeAtX(0, 36, 436, 8), 0);
  assert.equal(timeAtX(100, 36, 36, 8), 0);
});

test('backoff doubles from the base, caps at the maximum and jitters within bounds', () => {
  const fixed = { baseMs: 500, maxMs: 8000, jitter: 0 };
  assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelayMs(a, fixed)), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
  assert.equal(backoffDelayMs(2, { ...fixed, jitter: 0.2, random: () => 0 }), 1600);
  assert.equal(backoffDelayMs(2, { ...fixed, jitter: 0.2, random: () => 1 }), 2400);
  assert.equal(backoffDelayMs(9, { ...fixed, jitter: 0.2, random: () => 1 }), 8000);
  assert.equal(backoffDelayMs(-3, fixed), 500);
});

test('planSync seeks only beyond the tolerance and mirrors play state and rate', () => {
  const leader = { currentTime: 5, paused: false, playbackRate: 1.5 };
  assert.deepEqual(planSync(leader, { currentTime: 5.1, paused: false, playbackRate: 1.5, duration: 10 }),
    { seekTo: null, play: null, rate: null });
  assert.deepEqual(planSync(leader, { currentTime: 2, paused: true, playbackRate: 1, duration: 10 }),
    { seekTo: 5, play: true, rate: 1.5 });
  assert.deepEqual(planSync({ ...leader, paused: true }, { currentTime: 5, paused: false, playbackRate: 1.5, duration: 10 }),
    { seekTo: null, play: false, rate: null });
});

test('planSync converges: applying a plan makes the reverse plan empty', () => {
  const a = { currentTime: 7, paused: false, playbackRate: 2, duration: 10 };
  const b = { currentTime: 1, paused: true, playbackRate: 1, duration: 10 };
  const plan = planSync(a, b);
  Object.assign(b, { currentTime: plan.seekTo, paused: !plan.play, playbackRate: plan.rate });
  assert.deepEqual(planSync(b, a), { seekTo: null, play: null, rate: null });
});

// A <video> stand-in whose events wait in a shared queue, as a browser's media tasks do, so a
// test decides exactly what the user does between two events.
class FakeVideo extends EventTarget {
  constructor(queue, { refusePlay = false } = {}) {
    super();
    Object.assign(this, { queue, refusePlay, paused: true, seeking: false, duration: 10, time: 0, rate: 1 });
  }

  fire(type) { this.queue.push(() => this.dispatchEvent(new Event(type))); }

  play() {
    if (this.refusePlay) return Promise.reject(new Error('NotAllowedError'));
    if (this.paused) { this.paused = false; this.fire('play'); }
    return Promise.resolve();
  }

  pause() { if (!this.paused) { this.paused = true; this.fire('pause'); } }

  get playbackRate() { return this.rate; }

  set playbackRate(rate) { if (rate !== this.rate) { this.rate = rate; this.fire('ratechange'); } }

  get currentTime() { return this.time; }

  set currentTime(t) { this.time = t; this.fire('seeked'); }
}

function linkedPair(options = {}) {
  const queue = [];
  const original = new FakeVideo(queue, options.original);
  const overlay = new FakeVideo(queue, options.overlay);
  linkVideos(original, overlay);
  const step = () => queue.shift()?.();
  const flush = async () => {
    for (let i = 0; i < 100 && queue.length; i += 1) { step(); await Promise.resolve(); }
    assert.equal(queue.length, 0, 'the two videos stop echoing each other');
  };
  return { original, overlay, step, flush };
}

test('linkVideos: a late pause event from the other video does not undo a rate change', async () => {
  const { original, overlay, step, flush } = linkedPair();
  overlay.play();
  await flush();
  assert.equal(original.paused, false);
  overlay.pause();
  step(); // the overlay's pause reaches the original, whose own pause event is now queued
  overlay.playbackRate = 1.5;
  await flush();
  assert.deepEqual([original.paused, overlay.paused], [true, true]);
  assert.deepEqual([original.playbackRate, overlay.playbackRate], [1.5, 1.5]);
});

test('linkVideos: the echo of a seek does not pull the video back from a newer seek', async () => {
  const { original, overlay, step, flush } = linkedPair();
  overlay.currentTime = 3;
  step(); // the original is sent to 3 s; its seeked event is queued
  overlay.currentTime = 7;
  await flush();
  assert.deepEqual([original.currentTime, overlay.currentTime], [7, 7]);
});

test('linkVideos: pausing while the follower\'s play event is pending leaves both paused', async () => {
  const { original, overlay, step, flush } = linkedPair();
  original.play();
  step(); // the overlay is started; its play event is queued
  original.pause();
  await flush();
  assert.deepEqual([original.paused, overlay.paused], [true, true]);
});

test('linkVideos: a refused play leaves no echo behind to swallow the next real one', async () => {
  const { original, overlay, flush } = linkedPair({ overlay: { refusePlay: true } });
  original.play();
  await flush();
  assert.equal(overlay.paused, true);
  original.pause();
  await flush();
  overlay.refusePlay = false;
  overlay.play();
  await flush();
  assert.equal(original.paused, false);
});

test('mapTime clamps into the follower duration', () => {
  assert.equal(mapTime(3, 10), 3);
  assert.equal(mapTime(12, 10), 9.999);
  assert.equal(mapTime(-1, 10), 0);
  assert.equal(mapTime(4, NaN), 4);
});

test('frameAt finds the nearest frame by time', () => {
  const frames = [0, 0.1, 0.2, 0.3].map((t, index) => ({ index, t }));
  assert.equal(frameAt(frames, -1), 0);
  assert.equal(frameAt(frames, 0.04), 0);
  assert.equal(frameAt(frames, 0.06), 1);
  assert.equal(frameAt(frames, 0.29), 3);
  assert.equal(frameAt(frames, 5), 3);
  assert.equal(frameAt([], 1), -1);
});

test('containRect letterboxes and pillarboxes like object-fit: contain', () => {
  assert.deepEqual(containRect(1920, 1080, 640, 480), { x: 0, y: 60, w: 640, h: 360 });
  assert.deepEqual(containRect(1080, 1920, 640, 360), { x: 218.75, y: 0, w: 202.5, h: 360 });
});

test('pose connections cover the 33 BlazePose landmarks with valid indices', () => {
  const used = new Set(kPoseConnections.flat());
  assert.equal(kPoseConnections.length, 35);
  assert.equal(used.size, 33);
  assert.ok([...used].every((i) => i >= 0 && i < 33));
});

test('websocketUrl turns a server path into ws:// or wss://', () => {
  assert.equal(websocketUrl('/ws/abc', 'http://host:7860/#/x'), 'ws://host:7860/ws/abc');
  assert.equal(websocketUrl('/ws/abc', 'https://host/'), 'wss://host/ws/abc');
  assert.equal(websocketUrl('ws://other:1/ws/z', 'http://host/'), 'ws://other:1/ws/z');
});

// A fake clock and WebSocket so the connection's reconnect and poll paths run deterministically.
function harness(pollBodies) {
  const timers = [];
  let now = 0;
  const clock = {
    setTimeout: (fn, ms) => { timers.push({ fn, at: now + ms, every: 0 }); return timers.length; },
    setInterval: (fn, ms) => { timers.push({ fn, at: now + ms, every: ms }); return timers.length; },
    clearTimeout: (id) => { if (id) timers[id - 1].dead = true; },
    clearInterval: (id) => { if (id) timers[id - 1].dead = true; },
  };
  const advance = async (ms) => {
    const end = now + ms;
    for (;;) {
      const next = timers.filter((t) => !t.dead && t.at <= end).sort((x, y) => x.at - y.at)[0];
      if (!next) break;
      now = next.at;
      if (next.every) next.at += next.every; else next.dead = true;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    now = end;
  };
  const sockets = [];
  class FakeSocket {
    constructor(url) { this.url = url; this.sent = []; sockets.push(this); }
    send(text) { this.sent.push(text); }
    close() { this.closed = true; }
  }
  const events = [];
  let polls = 0;
  const conn = new ProgressConnection({
    url: 'ws://h/ws/1',
    WebSocketImpl: FakeSocket,
    timers: clock,
    random: () => 0.5,
    pollResults: async () => { polls += 1; return pollBodies.shift() ?? { success: false, status: 'processing', progress: 0.5 }; },
    onProgress: (m) => events.push(['progress', m.progress]),
    onComplete: (b) => events.push(['complete', b?.results?.ok ?? null]),
    onError: (e) => events.push(['error', e]),
    onLink: (s) => events.push(['link', s]),
  });
  return { conn, sockets, events, advance, polls: () => polls };
}

test('ProgressConnection relays progress and completes on the complete message', () => {
  const h = harness([]);
  h.conn.start();
  h.sockets[0].onopen();
  h.sockets[0].onmessage({ data: JSON.stringify({ type: 'progress', progress: 0.4 }) });
  h.sockets[0].onmessage({ data: JSON.stringify({ type: 'complete', results: { ok: 1 } }) });
  assert.deepEqual(h.events.filter((e) => e[0] !== 'link'), [['progress', 0.4], ['complete', 1]]);
  assert.ok(h.sockets[0].closed);
});

test('ProgressConnection reconnects with backoff and polls results while the socket is down', async () => {
  const h = harness([{ success: false, status: 'processing', progress: 0.6 }]);
  h.conn.start();
  h.sockets[0].onopen();
  h.sockets[0].onclose();
  await h.advance(0);
  assert.equal(h.polls(), 1, 'polls at once when the socket drops');
  assert.deepEqual(h.events.at(-1), ['progress', 0.6]);
  await h.advance(499);
  assert.equal(h.sockets.length, 1, 'waits the backoff delay before reconnecting');
  await h.advance(1);
  assert.equal(h.sockets.length, 2);
  h.sockets[1].onclose(); // second failure: the delay doubles
  await h.advance(999);
  assert.equal(h.sockets.length, 2);
  await h.advance(1);
  assert.equal(h.sockets.length, 3);
});

test('ProgressConnection finishes from the poll when the socket never comes back', async () => {
  const h = harness([{ success: false, status: 'processing', progress: 0.9 }, { success: true, status: 'completed', results: { ok: 7 } }]);
  h.conn.start();
  h.sockets[0].onclose();
  await h.advance(2000);
  assert.deepEqual(h.events.filter((e) => e[0] === 'complete'), [['complete', 7]]);
  const socketsAfter = h.sockets.length;
  await h.advance(60000);
  assert.equal(h.sockets.length, socketsAfter, 'no reconnects after finishing');
});

test('ProgressConnection reports a failed job from the poll and from an error message', async () => {
  const h = harness([{ success: false, status: 'failed', error: 'decoder exploded' }]);
  h.conn.start();
  h.sockets[0].onclose();
  await h.advance(0);
  assert.deepEqual(h.events.filter((e) => e[0] === 'error'), [['error', 'decoder exploded']]);

  const g = harness([]);
  g.conn.start();
  g.sockets[0].onmessage({ data: JSON.stringify({ type: 'error', error: 'Session not found' }) });
  assert.deepEqual(g.events.filter((e) => e[0] === 'error'), [['error', 'Session not found']]);
});

test('ProgressConnection pings while open and polls when the socket goes silent', async () => {
  const h = harness([]);
  h.conn.options.pingMs = 1000;
  h.conn.options.silenceMs = -1; // every heartbeat counts as silent
  h.conn.start();
  h.sockets[0].onopen();
  await h.advance(1000);
  assert.deepEqual(h.sockets[0].sent, ['{"type":"ping"}']);
  assert.equal(h.polls(), 1);
});

test('ProgressConnection on a late connect to a finished job fetches the results', async () => {
  const h = harness([{ success: true, status: 'completed', results: { ok: 3 } }]);
  h.conn.start();
  h.sockets[0].onopen();
  h.sockets[0].onmessage({ data: JSON.stringify({ type: 'connected', status: 'completed' }) });
  await h.advance(0);
  assert.deepEqual(h.events.filter((e) => e[0] === 'complete'), [['complete', 3]]);
});

test('ProgressConnection reads the server progress object of a connected message', () => {
  const h = harness([]);
  h.conn.start();
  h.sockets[0].onopen();
  h.sockets[0].onmessage({ data: JSON.stringify({ type: 'connected', status: 'processing', progress: { progress: 0.3, stage: 'pose' } }) });
  assert.deepEqual(h.events.filter((e) => e[0] === 'progress'), [['progress', 0.3]]);
});

// WCAG 2 contrast of the palette in app.css, on the panel colour composited over the page's
// darkest and lightest (glow) backgrounds.
const css = fs.readFileSync(new URL('../../web/css/app.css', import.meta.url), 'utf8');
const cssVar = (name) => new RegExp(`--${name}:\\s*([^;]+);`).exec(css)[1].trim();
const parseColour = (text) => {
  const hex = /^#([0-9a-f]{6})$/i.exec(text);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16)).concat(1);
  const rgba = /rgba\(([^)]+)\)/.exec(text);
  return rgba[1].split(',').map(Number);
};
const over = (top, base) => top.slice(0, 3).map((c, i) => c * top[3] + base[i] * (1 - top[3])).concat(1);
const luminance = (rgb) => {
  const lin = rgb.slice(0, 3).map((c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
};
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

test('text colours meet WCAG AA (4.5:1) on the glass panels', () => {
  const pageDark = parseColour(cssVar('bg'));
  const pageGlow = over([109, 40, 217, 0.35], parseColour(cssVar('bg-2')));
  const panel = parseColour(cssVar('panel'));
  const foregrounds = { text: cssVar('text'), muted: cssVar('muted'), accent: cssVar('accent'), dangerText: '#fca5a5', badgeOk: '#86efac', badgeWarn: '#fde68a', axis: '#cbd5e1' };
  for (const base of [pageDark, pageGlow]) {
    const bg = over(panel, base);
    for (const [name, colour] of Object.entries(foregrounds)) {
      const ratio = contrast(parseColour(colour), bg);
      assert.ok(ratio >= 4.5, `${name} ${colour} on the panel: ${ratio.toFixed(2)}`);
    }
  }
  const white = [255, 255, 255, 1];
  for (const button of ['#6d28d9', '#a21caf', cssVar('danger-strong')]) {
    assert.ok(contrast(white, parseColour(button)) >= 4.5, `white on ${button}`);
  }
});

test('comparableSessions keeps completed analyses only, never comparisons', () => {
  const sessions = [
    { id: 'a', status: 'completed', kind: 'analysis' },
    { id: 'b', status: 'completed', kind: 'comparison' },
    { id: 'c', status: 'processing', kind: 'analysis' },
    { id: 'd', status: 'completed' }, // an older server without kind: an analysis
  ];
  assert.deepEqual(comparableSessions(sessions).map((s) => s.id), ['a', 'd']);
  assert.deepEqual(comparableSessions(undefined), []);
});

test('offset and tempo read as late/early and slower/faster', () => {
  assert.equal(formatOffset(0.5), '+0.50 s');
  assert.equal(formatOffset(-0.25), '−0.25 s');
  assert.equal(formatOffset(0.001), '0.00 s');
  assert.equal(formatOffset(undefined), '—');
  assert.equal(describeOffset(0.5), 'the student is 0.50 s late');
  assert.equal(describeOffset(-0.3), 'the student is 0.30 s early');
  assert.equal(describeOffset(0.02), 'the student is in time');
  assert.equal(formatTempo(1.1), '1.10×');
  assert.equal(formatTempo(0), '—');
  assert.equal(describeTempo(1.1), 'the student is 10% slower');
  assert.equal(describeTempo(0.8), 'the student is 20% faster');
  assert.equal(describeTempo(1.01), 'same speed as the reference');
});

test('moments and degrees format for the worst-moment list', () => {
  assert.equal(formatMoment(0), '0:00.0');
  assert.equal(formatMoment(1.04), '0:01.0');
  assert.equal(formatMoment(75.25), '1:15.3');
  assert.equal(formatMoment(59.96), '1:00.0');
  assert.equal(formatMoment(-1), '—');
  assert.equal(formatDegrees(37.6), '38° off');
  assert.equal(formatDegrees(null), '—');
  const c = { worst_moments: [{ t_reference: 1.5, body_part: 'left_arm' }, { body_part: 'head' }, null] };
  assert.deepEqual(worstMoments(c).map((m) => m.t_reference), [1.5]);
  assert.deepEqual(worstMoments({}), []);
});

test('weakestBodyPart names the lowest score, null without scores', () => {
  assert.equal(weakestBodyPart({ head: 90, torso: 95, left_arm: 40, right_arm: 88, left_leg: 70, right_leg: 71 }), 'left_arm');
  assert.equal(weakestBodyPart({ head: null }), null);
  assert.equal(weakestBodyPart(undefined), null);
});

test('limits read as a dancer says them', () => {
  assert.equal(formatLimitDuration(45), '45 s');
  assert.equal(formatLimitDuration(60), '1 min');
  assert.equal(formatLimitDuration(150), '2 min 30 s');
  assert.equal(formatLimitDuration(600), '10 min');
  assert.equal(formatLimitDuration(NaN), '—');
});

test('messages never show a server path', () => {
  const detail = 'not a decodable video: clip.mp4 (Invalid data found when processing input): /srv/data/sessions/81ab/input.mp4';
  assert.equal(withoutPaths(detail), 'not a decodable video: clip.mp4 (Invalid data found when processing input)');
  assert.equal(withoutPaths('cannot open /tmp/x.mp4 for reading'), 'cannot open (file) for reading');
  assert.equal(withoutPaths('the limit is 100 MB'), 'the limit is 100 MB');
  assert.equal(withoutPaths('only 40 of 178 frames could be decoded'), 'only 40 of 178 frames could be decoded');
});

test('scores read out of 100', () => {
  assert.equal(formatOutOf100(72.4), '72 / 100');
  assert.equal(formatOutOf100(null), '—');
});

test('the music card says in words when no beat is found and shows the tempo match', () => {
  assert.deepEqual(describeMusic({ has_audio: false }, true).tempo, 'No sound');
  assert.equal(describeMusic({ has_audio: true, bpm: null }).tempo, 'No beat found');
  assert.match(describeMusic({ has_audio: true, bpm: null }).note, /no steady beat/);
  const withReason = describeMusic({ has_audio: true, bpm: null, status: 'no_beat', reason: 'the music is too quiet' });
  assert.equal(withReason.tempo, 'No beat found');
  assert.equal(withReason.note, 'The music is too quiet.');
  assert.equal(describeMusic({ has_audio: true, bpm: 118, status: 'no_beat' }).tempo, 'No beat found');
  assert.equal(describeMusic({ has_audio: true, bpm: 124.2, tempo_match: true }).tempo, '124 BPM');
  assert.match(describeMusic({ has_audio: true, bpm: 124, tempo_match: true }).note, /Tempo match: yes/);
  assert.match(describeMusic({ has_audio: true, bpm: 124, tempo_match: false, tempo_ratio: 0.8 }).note, /Tempo match: no.*0\.80×/);
  assert.equal(describeMusic({ has_audio: true, bpm: 124 }).note, '');
});

test('arrow keys step to the next or previous beat, or a second without beats', () => {
  const beats = [0.5, 1.0, 1.5, 2.0];
  assert.equal(stepTime(0, 1, beats, 3), 0.5);
  assert.equal(stepTime(0.5, 1, beats, 3), 1.0, 'from a beat to the next, not the same one');
  assert.equal(stepTime(1.01, 1, beats, 3), 1.5, 'within 20 ms counts as on the beat');
  assert.equal(stepTime(1.2, -1, beats, 3), 1.0);
  assert.equal(stepTime(2.5, 1, beats, 3), 3, 'past the last beat: one second, clamped');
  assert.equal(stepTime(0.2, -1, beats, 3), 0);
  assert.equal(stepTime(1.2, 1, [], 3), 2.2);
  // Two quick presses: the second starts where the first asked to go.
  assert.equal(stepTime(stepTime(0, 1, beats, 3), 1, beats, 3), 1.0);
});

test('the chart readout finds the nearest sample', () => {
  assert.equal(nearestIndex([0, 0.1, 0.2, 0.3], 0.16), 2);
  assert.equal(nearestIndex([0, 0.1, 0.2, 0.3], 9), 3);
  assert.equal(nearestIndex([], 1), -1);
});

test('player: frame steps, loop and the clip shape', () => {
  assert.ok(Math.abs(frameStepTime(1, 1, 25, 10) - 1.04) < 1e-9);
  assert.ok(Math.abs(frameStepTime(1, -1, 25, 10) - 0.96) < 1e-9);
  assert.equal(frameStepTime(0, -1, 25, 10), 0);
  assert.ok(Math.abs(frameStepTime(0, 1, NaN, 10) - 1 / 30) < 1e-9, '30 fps when unknown');
  assert.equal(frameStepTime(9.99, 1, 25, 10), 10);
  assert.equal(loopSeek(2.0, { a: 1, b: 2 }), 1);
  assert.equal(loopSeek(1.5, { a: 1, b: 2 }), null);
  assert.equal(loopSeek(0.2, { a: 1, b: 2 }), 1, 'before A: back into the loop');
  assert.equal(loopSeek(5, null), null);
  assert.equal(parseAspect(720, 1280), 0.5625);
  assert.equal(parseAspect(0, 0), 16 / 9);
});

test('compare: analyses without a person are not offered; a different dance is flagged', () => {
  const sessions = [
    { id: 'a', status: 'completed', kind: 'analysis', detectionRate: 0.9 },
    { id: 'b', status: 'completed', kind: 'analysis', detectionRate: 0 },
    { id: 'c', status: 'completed', kind: 'analysis' },
  ];
  assert.deepEqual(comparableSessions(sessions).map((s) => s.id), ['a', 'c']);
  assert.equal(isDifferentChoreography({ different_choreography: true, offset_s: null }), true);
  assert.equal(isDifferentChoreography({ offset_s: 0.4 }), false);
});
