// The practice player under the results' videos: play, frame steps, speeds, an A–B loop, a
// mirror view, sound and full screen (the box, so the skeleton layer stays), with keys.
// The time arithmetic is pure (frameStepTime, loopSeek, parseAspect) for the unit tests.

import { formatMoment } from './compare.js';
import { stepTime } from './chart.js';

export const kSpeeds = [0.25, 0.5, 0.75, 1];

/** Returns the time one frame (direction +1/-1) from tS at fps, clamped to [0, durationS]; 30 fps when fps is unknown. */
export function frameStepTime(tS, direction, fps, durationS) {
  const frame = 1 / (Number.isFinite(fps) && fps > 0 ? fps : 30);
  const index = Math.round((Number.isFinite(tS) ? tS : 0) / frame) + direction;
  const end = Number.isFinite(durationS) && durationS > 0 ? durationS : Infinity;
  return Math.min(end, Math.max(0, index * frame));
}

/** Returns where a playing video at tS must jump to stay in the loop {a, b}: a once it reaches b, else null. */
export function loopSeek(tS, loop) {
  if (!loop || !(loop.b > loop.a)) return null;
  return tS >= loop.b || tS < loop.a - 0.25 ? loop.a : null;
}

/** Returns the CSS aspect ratio (width / height) of a video; 16/9 when unknown. */
export function parseAspect(width, height) {
  return width > 0 && height > 0 ? width / height : 16 / 9;
}

function typingInto(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
}

/**
 * Wires the player bar to the results' videos. driver() returns the video that has media (the
 * sync link moves the other); chart is the timeline chart (its seek keeps two quick key presses
 * apart). Returns a function that unwires everything.
 */
export function attachPlayer({ driver, videos, boxes, chart, fps, duration, beats }) {
  const $ = (id) => document.getElementById(id);
  const cleanups = [];
  const on = (target, type, handler) => {
    target.addEventListener(type, handler);
    cleanups.push(() => target.removeEventListener(type, handler));
  };
  let loop = null;
  let pendingA = null;
  let timer = 0;

  const now = () => chart.target();
  const seek = (s) => chart.seek(Math.min(duration, Math.max(0, s)));
  const refreshTime = () => {
    $('play-toggle').textContent = driver().paused ? 'Play' : 'Pause';
    $('player-time').textContent = `${formatMoment(driver().currentTime)} / ${formatMoment(duration)}`;
  };
  const togglePlay = () => {
    const video = driver();
    if (video.paused) {
      if (loop && (video.currentTime >= loop.b || video.currentTime < loop.a)) video.currentTime = loop.a;
      Promise.resolve(video.play()).catch(() => {});
    } else video.pause();
  };
  const step = (direction) => {
    driver().pause();
    seek(frameStepTime(now(), direction, fps, duration));
  };
  const setRate = (rate) => {
    for (const video of videos) video.playbackRate = rate;
    for (const b of document.querySelectorAll('#player-bar [data-rate]')) b.setAttribute('aria-pressed', String(Number(b.dataset.rate) === rate));
  };
  const showLoop = () => {
    $('loop-a').setAttribute('aria-pressed', String(pendingA !== null || loop !== null));
    $('loop-b').setAttribute('aria-pressed', String(loop !== null));
    $('loop-clear').disabled = loop === null && pendingA === null;
    $('loop-a').textContent = pendingA !== null ? `A ${formatMoment(pendingA)}` : loop ? `A ${formatMoment(loop.a)}` : 'Set A';
    $('loop-b').textContent = loop ? `B ${formatMoment(loop.b)}` : 'Set B';
    chart.setLoop(loop?.a, loop?.b);
  };
  const setA = () => {
    pendingA = driver().currentTime;
    if (loop && pendingA < loop.b) loop = { a: pendingA, b: loop.b };
    else loop = null;
    if (loop) pendingA = null;
    showLoop();
  };
  const setB = () => {
    const b = driver().currentTime;
    const a = pendingA ?? loop?.a ?? 0;
    if (b > a + 0.1) {
      loop = { a, b };
      pendingA = null;
    }
    showLoop();
  };
  const clearLoop = () => {
    loop = null;
    pendingA = null;
    showLoop();
  };
  // While playing, check the loop every 40 ms: timeupdate comes only ~4 times a second, and
  // animation frames stall on a busy machine.
  const checkLoop = () => {
    const video = driver();
    const target = loopSeek(video.currentTime, loop);
    if (target !== null && !video.seeking) video.currentTime = target;
  };
  const onPlay = () => {
    refreshTime();
    if (!timer) timer = setInterval(checkLoop, 40);
  };
  const onPause = () => {
    clearInterval(timer);
    timer = 0;
  };
  const toggleMirror = () => {
    const mirrored = $('mirror-toggle').getAttribute('aria-pressed') !== 'true';
    $('mirror-toggle').setAttribute('aria-pressed', String(mirrored));
    for (const box of boxes) box.classList.toggle('mirrored', mirrored);
  };
  const showSound = () => {
    const audible = !videos[0].muted;
    $('sound-toggle').setAttribute('aria-pressed', String(audible));
  };
  const toggleSound = () => {
    videos[0].muted = !videos[0].muted;
    showSound();
  };
  const fullScreen = () => {
    const box = boxes.find((b) => b.contains(driver())) ?? boxes[0];
    if (document.fullscreenElement) document.exitFullscreen?.();
    else box.requestFullscreen?.().catch(() => {});
  };

  for (const b of document.querySelectorAll('#player-bar [data-rate]')) on(b, 'click', () => setRate(Number(b.dataset.rate)));
  on($('play-toggle'), 'click', togglePlay);
  on($('step-back'), 'click', () => step(-1));
  on($('step-forward'), 'click', () => step(1));
  on($('loop-a'), 'click', setA);
  on($('loop-b'), 'click', setB);
  on($('loop-clear'), 'click', clearLoop);
  on($('mirror-toggle'), 'click', toggleMirror);
  on($('sound-toggle'), 'click', toggleSound);
  on($('fullscreen-button'), 'click', fullScreen);
  for (const video of videos) {
    for (const type of ['play', 'pause', 'timeupdate', 'seeked', 'loadedmetadata']) on(video, type, refreshTime);
    on(video, 'play', onPlay);
    on(video, 'pause', onPause);
    on(video, 'timeupdate', checkLoop);
    on(video, 'click', togglePlay);
  }
  on(document, 'keydown', (event) => {
    if (document.body.dataset.view !== 'results' || event.defaultPrevented) return;
    if (event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
    const onButton = event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement;
    let handled = true;
    if (event.key === ',') step(-1);
    else if (event.key === '.') step(1);
    else if (event.key === '[') setA();
    else if (event.key === ']') setB();
    else if (event.key === 'k' || (event.key === ' ' && !onButton)) togglePlay();
    else if ((event.key === 'ArrowRight' || event.key === 'ArrowLeft') && !onButton) {
      const direction = event.key === 'ArrowRight' ? 1 : -1;
      seek(event.shiftKey ? now() + 5 * direction : stepTime(now(), direction, beats, duration));
    } else handled = false;
    if (handled) event.preventDefault();
  });
  on(videos[0], 'volumechange', showSound);
  showSound(); // the original carries the one sound track
  setRate(1);
  clearLoop();
  $('mirror-toggle').setAttribute('aria-pressed', 'false');
  for (const box of boxes) box.classList.remove('mirrored');
  refreshTime();
  return () => {
    onPause();
    cleanups.forEach((fn) => fn());
  };
}
