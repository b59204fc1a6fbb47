// The DanceDynamics page: upload -> processing -> results, compare two analyses (#/compare ->
// processing -> #/compare/<id>), plus the recent-sessions list. Views are sections shown one at a
// time; the URL hash (#/session/<id>, #/compare/<id>) reopens a session.

import * as api from './api.js';
import { toast } from './toast.js';
import { renderBodyPartBars } from './body_bars.js';
import { checkDuration, checkFile, kDefaultLimits } from './validate.js';
import {
  describeMusic, estimateEta, formatBpm, formatBytes, formatDuration, formatFps, formatLimitDuration, formatOffsetMs,
  formatRelativeTime, formatScore, formatShare, humanise, withoutPaths,
} from './format.js';
import { ProgressConnection, websocketUrl } from './socket.js';
import { linkVideos } from './sync.js';
import { attachSkeleton } from './skeleton.js';
import { createTimelineChart, kMovementColours } from './chart.js';
import { attachPlayer, parseAspect } from './player.js';
import { comparePickerRequest, fillComparePicker, renderComparison } from './compare_view.js';

const $ = (id) => document.getElementById(id);

const state = {
  limits: { ...kDefaultLimits },
  upload: null, // {abort}
  sessionId: null,
  filename: '',
  connection: null,
  elapsedTimer: null,
  startedAt: 0,
  teardown: [], // functions that release the results view (video links, skeleton, listeners)
  names: new Map(), // session id -> file name, from the last session list
  kinds: new Map(), // session id -> 'analysis' | 'comparison', from the last session list
  sessions: [], // the last session list
  detection: new Map(), // analysis id -> detection rate, read once from its results for the compare picker
  releaseComparison: null, // releases the comparison view (video, chart listeners)
};

// ---------- views ----------

function showView(name) {
  for (const view of ['upload', 'processing', 'results', 'compare', 'comparison']) {
    $(`view-${view}`).hidden = view !== name;
  }
  document.body.dataset.view = name;
  const heading = document.querySelector(`#view-${name} h1`);
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

function setProgress(bar, fill, share) {
  const pct = Math.max(0, Math.min(100, Math.round(share * 100)));
  fill.style.width = `${pct}%`;
  bar.setAttribute('aria-valuenow', String(pct));
}

function reportError(title, error) {
  toast('error', title, withoutPaths(error instanceof Error ? error.message : String(error)));
}

// ---------- upload ----------

function resetUpload() {
  state.upload?.abort();
  state.upload = null;
  state.sessionId = null;
  $('file-card').hidden = true;
  $('start-button').disabled = true;
  $('dropzone').dataset.state = 'idle';
  $('file-input').value = '';
}

/** Reads duration and size from the file's metadata; resolves to null fields when the browser cannot decode it. */
function readVideoMetadata(file) {
  return new Promise((resolve) => {
    const video = document.createElement('video');
    const url = URL.createObjectURL(file);
    const done = (meta) => {
      URL.revokeObjectURL(url);
      video.removeAttribute('src');
      resolve(meta);
    };
    const timer = setTimeout(() => done({ duration: NaN, width: 0, height: 0 }), 5000);
    video.preload = 'metadata';
    video.muted = true;
    video.onloadedmetadata = () => {
      clearTimeout(timer);
      done({ duration: video.duration, width: video.videoWidth, height: video.videoHeight });
    };
    video.onerror = () => {
      clearTimeout(timer);
      done({ duration: NaN, width: 0, height: 0 });
    };
    video.src = url;
  });
}

async function chooseFile(file) {
  if (!file) return;
  resetUpload();
  const problem = checkFile(file, state.limits);
  if (problem) {
    $('dropzone').dataset.state = 'error';
    toast('error', 'This file cannot be analysed', problem);
    return;
  }
  const meta = await readVideoMetadata(file);
  const durationProblem = checkDuration(meta.duration, state.limits);
  if (durationProblem) {
    $('dropzone').dataset.state = 'error';
    toast('error', 'This video is too long', durationProblem);
    return;
  }
  $('file-card').hidden = false;
  $('file-name').textContent = file.name;
  const parts = [formatBytes(file.size)];
  if (Number.isFinite(meta.duration)) parts.push(formatDuration(meta.duration));
  if (meta.width) parts.push(`${meta.width}×${meta.height}`);
  $('file-details').textContent = parts.join(' · ');
  upload(file);
}

function upload(file) {
  const bar = $('upload-progress');
  const fill = $('upload-fill');
  const label = $('upload-label');
  $('dropzone').dataset.state = 'uploading';
  $('file-card').dataset.state = 'uploading';
  setProgress(bar, fill, 0);
  label.textContent = 'Uploading… 0%';
  const job = api.uploadVideo(file, (loaded, total) => {
    const share = total > 0 ? loaded / total : 0;
    setProgress(bar, fill, share);
    label.textContent = share < 1 ? `Uploading… ${formatShare(share)} of ${formatBytes(total)}` : 'Checking the video on the server…';
  });
  state.upload = job;
  job.promise.then(
    (body) => {
      if (state.upload !== job) return;
      state.upload = null;
      state.sessionId = body.session_id;
      state.filename = body.filename || file.name;
      setProgress(bar, fill, 1);
      const info = [body.resolution, Number.isFinite(body.duration) ? formatDuration(body.duration) : null,
        Number.isFinite(body.fps) ? `${Math.round(body.fps)} fps` : null].filter(Boolean).join(' · ');
      const warnings = (Array.isArray(body.warnings) ? body.warnings : []).filter((w) => typeof w === 'string' && w);
      label.textContent = `Uploaded${info ? ` — ${info}` : ''}. Ready to analyse.${warnings.length ? ` Note: ${warnings.map(withoutPaths).join('; ')}` : ''}`;
      $('dropzone').dataset.state = 'ready';
      $('start-button').disabled = false;
      $('start-button').focus();
      refreshSessions();
    },
    (error) => {
      if (state.upload !== job) return;
      state.upload = null;
      $('dropzone').dataset.state = 'error';
      $('file-card').dataset.state = 'error';
      label.textContent = `Upload failed: ${withoutPaths(error.message)}`;
      reportError('Upload failed', error);
    },
  );
}

async function startAnalysis(event) {
  event.preventDefault();
  if (!state.sessionId) return;
  const model = new FormData($('analyze-form')).get('model') || 'full';
  $('start-button').disabled = true;
  try {
    const body = await api.startAnalysis(state.sessionId, model);
    openProcessing(state.sessionId, state.filename, body.websocket_url);
    refreshSessions();
  } catch (error) {
    $('start-button').disabled = false;
    reportError('Could not start the analysis', error);
  }
}

// ---------- processing ----------

function stopConnection() {
  state.connection?.stop();
  state.connection = null;
  clearInterval(state.elapsedTimer);
}

function openProcessing(id, filename, wsPath, kind = 'analysis') {
  stopConnection();
  state.sessionId = id;
  const comparing = kind === 'comparison';
  location.hash = comparing ? `#/compare/${id}` : `#/session/${id}`;
  $('processing-verb').textContent = comparing ? 'Comparing' : 'Analysing';
  $('cancel-button').textContent = comparing ? 'Cancel comparison' : 'Cancel analysis';
  $('processing-progress').setAttribute('aria-label', comparing ? 'Comparison progress' : 'Analysis progress');
  $('processing-name').textContent = filename || state.names.get(id) || id;
  $('processing-stage').textContent = 'Queued…';
  setProgress($('processing-progress'), $('processing-fill'), 0);
  for (const stat of ['frames', 'fps', 'eta']) $(`stat-${stat}`).textContent = '—';
  $('stat-percent').textContent = '0%';
  showView('processing');
  state.startedAt = performance.now();
  let lastProgress = 0;
  let serverEta = null;
  const tick = () => {
    const elapsed = (performance.now() - state.startedAt) / 1000;
    $('stat-elapsed').textContent = formatDuration(elapsed);
    $('stat-eta').textContent = formatDuration(estimateEta(lastProgress, elapsed, serverEta) ?? NaN);
  };
  state.elapsedTimer = setInterval(tick, 1000);
  const connection = new ProgressConnection({
    url: websocketUrl(wsPath || `/ws/${encodeURIComponent(id)}`, location.href),
    pollResults: () => api.getResults(id),
    onLink: (link) => {
      const labels = { connecting: 'Connecting…', live: 'Live updates', reconnecting: 'Connection lost — reconnecting (checking status meanwhile)…' };
      $('link-state').textContent = labels[link] ?? link;
      $('link-state').dataset.state = link;
    },
    onProgress: (msg) => {
      if (Number.isFinite(msg.progress)) lastProgress = Math.max(0, Math.min(1, msg.progress));
      serverEta = Number.isFinite(msg.eta_s) && lastProgress > 0 ? msg.eta_s : null; // queued: unknown
      setProgress($('processing-progress'), $('processing-fill'), lastProgress);
      $('stat-percent').textContent = formatShare(lastProgress);
      const queued = msg.status === 'queued' || msg.stage === 'queued';
      const stage = queued
        ? `Waiting for a worker${msg.queue_position > 0 ? ` (position ${msg.queue_position} in the queue)` : ''}…`
        : msg.message ? msg.message.charAt(0).toUpperCase() + msg.message.slice(1) : msg.stage ? humanise(msg.stage) : null;
      if (stage) $('processing-stage').textContent = stage;
      if (Number.isFinite(msg.frame)) {
        $('stat-frames').textContent = Number.isFinite(msg.total) && msg.total > 0 ? `${msg.frame} / ${msg.total}` : String(msg.frame);
      }
      if (Number.isFinite(msg.fps)) $('stat-fps').textContent = formatFps(msg.fps);
      tick();
    },
    onComplete: (body) => {
      stopConnection();
      if (comparing) openComparison(id);
      else openResults(id, body?.results ? body : null);
    },
    onError: (message) => {
      stopConnection();
      toast('error', comparing ? 'The comparison failed' : 'The analysis failed', withoutPaths(message));
      if (comparing) {
        openComparePicker();
      } else {
        showView('upload');
        resetUpload();
      }
      refreshSessions();
    },
  });
  state.connection = connection;
  connection.start();
}

async function cancelAnalysis() {
  const id = state.sessionId;
  const comparing = location.hash.startsWith('#/compare/');
  stopConnection();
  try {
    await api.deleteSession(id);
    toast('info', comparing ? 'Comparison cancelled' : 'Analysis cancelled', 'The session and its files were removed.');
  } catch (error) {
    reportError('Could not cancel', error);
  }
  if (comparing) openComparePicker();
  else goHome();
  refreshSessions();
}

// ---------- compare ----------

function releaseComparisonView() {
  state.releaseComparison?.();
  state.releaseComparison = null;
}

function openComparePicker() {
  stopConnection();
  releaseResults();
  releaseComparisonView();
  if (location.hash !== '#/compare') history.replaceState(null, '', '#/compare');
  fillComparePicker(state.sessions);
  showView('compare');
  learnDetectionRates();
}

/** Reads the detection rate of completed analyses the list does not give, so the picker leaves out those without a person. */
async function learnDetectionRates() {
  const unknown = state.sessions.filter((s) => s.kind === 'analysis' && s.status === 'completed' && s.detectionRate === undefined);
  if (unknown.length === 0) return;
  await Promise.all(unknown.map(async (s) => {
    try {
      const body = await api.getResults(s.id);
      const rate = body?.results?.processing?.detection_rate;
      if (Number.isFinite(rate)) {
        state.detection.set(s.id, rate);
        s.detectionRate = rate;
      }
    } catch { /* unknown: it stays offered and the server decides */ }
  }));
  if (document.body.dataset.view === 'compare') fillComparePicker(state.sessions);
}

async function startComparison(event) {
  event.preventDefault();
  const choice = comparePickerRequest();
  if (choice.reference_id && choice.reference_id === choice.student_id) {
    toast('error', 'Pick two different analyses', 'The reference and the student are the same video.');
    $('compare-student').focus();
    return;
  }
  $('compare-start').disabled = true;
  try {
    const body = await api.startComparison(choice);
    const name = `${state.names.get(choice.reference_id) || 'reference'} vs ${state.names.get(choice.student_id) || 'student'}`;
    openProcessing(body.session_id, name, body.websocket_url, 'comparison');
    refreshSessions();
  } catch (error) {
    $('compare-start').disabled = false;
    reportError('Could not start the comparison', error);
  }
}

async function openComparison(id) {
  releaseResults();
  releaseComparisonView();
  state.sessionId = id;
  let body;
  try {
    body = await api.getComparison(id);
  } catch (error) {
    reportError('Could not load the comparison', error);
    openComparePicker();
    return;
  }
  if (state.sessionId !== id) return; // the user moved on meanwhile
  if (!body.success || !body.comparison) {
    if (body.status === 'failed' || body.status === 'cancelled') {
      toast('error', 'This comparison failed', body.error || 'No details were given.');
      openComparePicker();
    } else {
      openProcessing(id, body.filename, body.websocket_url, 'comparison'); // still running: follow it live
    }
    return;
  }
  if (location.hash !== `#/compare/${id}`) history.replaceState(null, '', `#/compare/${id}`);
  state.releaseComparison = renderComparison(id, body);
  showView('comparison');
  refreshSessions();
}

// ---------- results ----------

function releaseResults() {
  state.teardown.forEach((fn) => fn());
  state.teardown = [];
  for (const id of ['video-original', 'video-overlay']) {
    const video = $(id);
    video.pause();
    video.removeAttribute('src');
    video.load();
    video.closest('.video-box').dataset.missing = 'false';
  }
}

async function openResults(id, body) {
  releaseResults();
  state.sessionId = id;
  let data = body;
  if (!data) {
    try {
      data = await api.getResults(id);
    } catch (error) {
      reportError('Could not load the results', error);
      goHome();
      return;
    }
  }
  if (!data.success || !data.results) {
    if (data.status === 'failed') {
      toast('error', 'This analysis failed', data.error || 'No details were given.');
      goHome();
    } else {
      openProcessing(id, '', null); // still running: follow it live
    }
    return;
  }
  if (location.hash !== `#/session/${id}`) history.replaceState(null, '', `#/session/${id}`);
  renderResults(id, data.results, data.download_url);
  showView('results');
  refreshSessions();
}

function setText(id, text) {
  $(id).textContent = text;
}

/** Sets a figure that may be words ("No beat found") instead of a number; words get a quieter style. */
function setFigure(id, text, isWords) {
  $(id).textContent = text;
  $(id).classList.toggle('words', isWords);
}

function setMeter(id, score) {
  $(id).style.width = `${Number.isFinite(score) ? Math.max(0, Math.min(100, score)) : 0}%`;
}

function renderResults(id, r, downloadUrl) {
  const info = r.video_info ?? {};
  const proc = r.processing ?? {};
  const move = r.movement_analysis ?? {};
  const rhythm = r.rhythm_analysis ?? {};
  const music = rhythm.music ?? {};
  const duration = Number(info.duration);

  // The name the user uploaded (the session list has it; results.json may name the stored copy).
  setText('results-title', state.names.get(id) || info.filename || 'Results');
  setText('results-meta', [
    info.width && info.height ? `${info.width}×${info.height}` : null,
    Number.isFinite(duration) ? formatDuration(duration) : null,
    Number.isFinite(info.fps) ? `${Math.round(info.fps)} fps` : null,
    proc.model ? `${humanise(proc.model)} model` : null,
    Number.isFinite(proc.processing_time) ? `analysed in ${proc.processing_time.toFixed(1)} s` : null,
    Number.isFinite(proc.realtime_factor) ? `${proc.realtime_factor.toFixed(2)}× real time` : null,
  ].filter(Boolean).join(' · '));
  $('no-pose-note').hidden = !(proc.detection_rate === 0 || !move.movement_type);
  const warnings = (Array.isArray(r.warnings) ? r.warnings : []).filter((w) => typeof w === 'string' && w);
  $('results-warnings').hidden = warnings.length === 0;
  $('results-warnings-list').replaceChildren(...warnings.map((w) => {
    const li = document.createElement('li');
    li.textContent = withoutPaths(w);
    return li;
  }));

  // Cards.
  setText('card-movement', move.movement_type || '—');
  const dist = move.movement_distribution ?? r.summary?.movement_distribution;
  const share = dist && move.movement_type ? dist[move.movement_type] : undefined;
  setText('card-movement-sub', Number.isFinite(share) ? `${formatShare(share > 1 ? share / 100 : share)} of the time` : '');
  setText('card-intensity', formatScore(move.intensity));
  setMeter('meter-intensity', move.intensity);
  setText('card-detection', formatShare(proc.detection_rate));
  setText('card-detection-sub', Number.isFinite(proc.frames_with_pose) && Number.isFinite(proc.total_frames)
    ? `${proc.frames_with_pose} of ${proc.total_frames} frames` : '');
  setText('card-confidence', formatShare(r.pose_analysis?.average_confidence));
  setText('card-smoothness', formatScore(r.smoothness_score));
  setMeter('meter-smoothness', r.smoothness_score);

  // Body parts.
  renderBodyPartBars($('body-bars'), move.body_part_activity, 'activity', r.summary?.most_active_body_part);

  // Rhythm and music.
  setFigure('rhythm-bpm', rhythm.has_rhythm === false ? 'No steady rhythm' : formatBpm(rhythm.estimated_bpm), rhythm.has_rhythm === false);
  setText('rhythm-consistency', Number.isFinite(rhythm.rhythm_consistency) ? `${formatScore(rhythm.rhythm_consistency)} / 100` : '—');
  setText('rhythm-peaks', Number.isFinite(rhythm.peak_count) ? `${rhythm.peak_count} in ${formatDuration(duration)}` : '—');
  const alignment = music.alignment ?? {};
  const musicWords = describeMusic(music, info.has_audio);
  const noBeat = !(Number.isFinite(music.bpm) && music.bpm > 0) || musicWords.tempo === 'No beat found';
  setFigure('music-bpm', musicWords.tempo, noBeat);
  const onBeat = Number.isFinite(alignment.on_beat_share) ? `${formatShare(alignment.on_beat_share)} on the beat`
    : Number.isFinite(alignment.beat_align_score) ? `${formatScore(alignment.beat_align_score)} / 100` : null;
  const noAlignment = noBeat ? 'no beat to align to' : 'no accents to align';
  setFigure('music-alignment', onBeat ?? noAlignment, !onBeat);
  const hasOffset = Number.isFinite(alignment.mean_offset_ms);
  setFigure('music-offset', hasOffset ? formatOffsetMs(alignment.mean_offset_ms) : noAlignment, !hasOffset);
  setText('music-note', musicWords.note);

  // Downloads. download_url null: the analysis wrote no overlay video.
  const overlayUrl = downloadUrl === null ? null : downloadUrl || api.urls.overlay(id);
  $('download-video').hidden = !overlayUrl;
  if (overlayUrl) $('download-video').href = overlayUrl;
  $('download-json').href = api.urls.export(id, 'results.json');
  $('download-csv').href = api.urls.export(id, 'landmarks.csv');
  $('download-trc').href = api.urls.export(id, 'landmarks.trc');
  $('download-bvh').href = api.urls.export(id, 'skeleton.bvh');
  $('download-angles').href = api.urls.export(id, 'angles.csv');

  // Videos, synchronised both ways, with the skeleton layer on the original.
  const original = $('video-original');
  const overlay = $('video-overlay');
  const missing = (video) => () => { video.closest('.video-box').dataset.missing = 'true'; };
  // The boxes take the clip's shape, so a portrait dance is shown tall, not shrunk into 16:9.
  const aspect = parseAspect(info.width, info.height);
  for (const box of [$('original-box'), $('overlay-box')]) box.style.setProperty('--aspect', String(aspect));
  $('video-grid').classList.toggle('portrait', aspect < 1);
  original.addEventListener('error', missing(original), { once: true });
  overlay.addEventListener('error', missing(overlay), { once: true });
  original.src = api.urls.video(id);
  if (overlayUrl) overlay.src = overlayUrl;
  else missing(overlay)();
  overlay.muted = true; // one sound track: the original's
  original.muted = false;
  state.teardown.push(linkVideos(original, overlay));

  const toggle = $('skeleton-toggle');
  toggle.disabled = true;
  api.getLandmarks(id).then(
    (landmarks) => {
      if (state.sessionId !== id) return;
      const layer = attachSkeleton(original, $('skeleton-canvas'), landmarks);
      layer.setEnabled(toggle.checked);
      toggle.disabled = false;
      const onToggle = () => layer.setEnabled(toggle.checked);
      toggle.addEventListener('change', onToggle);
      state.teardown.push(() => { toggle.removeEventListener('change', onToggle); layer.destroy(); });
    },
    () => { $('skeleton-canvas').hidden = true; },
  );

  // Timeline.
  const legend = $('timeline-legend');
  legend.replaceChildren();
  const present = new Set(r.timeline?.movement_type ?? []);
  for (const [type, colour] of Object.entries(kMovementColours)) {
    if (!present.has(type)) continue;
    const li = document.createElement('li');
    li.innerHTML = `<span class="swatch" style="background:${colour}"></span>`;
    li.append(type);
    legend.append(li);
  }
  for (const [label, cls] of [['Intensity (0–100, left scale)', 'line-intensity'], ['Velocity (right scale)', 'line-velocity']]) {
    const li = document.createElement('li');
    li.innerHTML = `<span class="swatch-line ${cls}"></span>`;
    li.append(label);
    legend.append(li);
  }
  // Seek through whichever video has media (the sync link moves the other one).
  const driver = () => (original.readyState > 0 || overlay.readyState === 0 ? original : overlay);
  const seek = (t) => { driver().currentTime = t; };
  const beats = Array.isArray(music.beat_times) ? music.beat_times : [];
  // A fresh canvas: no listener of an earlier result stays on it.
  const canvas = $('timeline-chart').cloneNode(false);
  $('timeline-chart').replaceWith(canvas);
  const chart = createTimelineChart(canvas, r.timeline, duration, seek,
    { beats, readout: $('timeline-readout'), velocityUnit: 'per 1/30 s' });
  $('timeline-readout').textContent = '';
  const onTime = (event) => { if (event.target === driver()) chart.setTime(event.target.currentTime); };
  for (const video of [original, overlay]) {
    video.addEventListener('timeupdate', onTime);
    video.addEventListener('seeked', onTime);
  }
  const releasePlayer = attachPlayer({
    driver, videos: [original, overlay], boxes: [$('original-box'), $('overlay-box')], chart,
    fps: Number(info.fps), duration: Number.isFinite(duration) && duration > 0 ? duration : 0, beats,
  });
  state.teardown.push(() => {
    for (const video of [original, overlay]) {
      video.removeEventListener('timeupdate', onTime);
      video.removeEventListener('seeked', onTime);
    }
    releasePlayer();
    chart.destroy();
  });
}

// ---------- sessions ----------

function sessionsOf(body) {
  const list = Array.isArray(body) ? body : body?.sessions ?? [];
  return list
    .map((s) => ({
      id: s.session_id ?? s.id,
      filename: s.filename ?? s.name ?? '',
      status: s.status ?? 'unknown',
      created: s.created_at ?? s.created ?? s.upload_time ?? s.timestamp,
      progress: s.progress,
      error: s.status === 'failed' ? s.error : '',
      kind: s.kind === 'comparison' ? 'comparison' : 'analysis',
      detectionRate: [s.detection_rate, s.processing?.detection_rate].find(Number.isFinite),
    }))
    .filter((s) => s.id);
}


async function refreshSessions() {
  let sessions;
  try {
    sessions = sessionsOf(await api.listSessions());
  } catch (error) {
    reportError('Could not list recent analyses', error);
    return;
  }
  state.names = new Map(sessions.map((s) => [s.id, s.filename]));
  state.kinds = new Map(sessions.map((s) => [s.id, s.kind]));
  for (const s of sessions) if (s.detectionRate === undefined && state.detection.has(s.id)) s.detectionRate = state.detection.get(s.id);
  state.sessions = sessions;
  if (document.body.dataset.view === 'compare') fillComparePicker(sessions);
  const list = $('session-list');
  list.replaceChildren();
  $('sessions-empty').hidden = sessions.length > 0;
  for (const s of sessions) {
    const li = document.createElement('li');
    li.className = 'session';
    li.dataset.sessionId = s.id;
    // A tile that keeps its place when there is no picture (yet), so the rows stay aligned.
    const thumb = document.createElement('span');
    thumb.className = 'session-thumb';
    if (s.kind === 'analysis' && s.status === 'completed') {
      const img = document.createElement('img');
      img.alt = '';
      img.loading = 'lazy';
      img.width = 64;
      img.height = 36;
      img.addEventListener('error', () => img.remove(), { once: true });
      img.src = api.urls.thumbnail(s.id);
      thumb.append(img);
    }
    const main = document.createElement('div');
    main.className = 'session-main';
    const name = document.createElement('span');
    name.className = 'session-name';
    name.textContent = s.filename || s.id;
    const meta = document.createElement('span');
    meta.className = 'session-meta';
    meta.textContent = [s.kind === 'comparison' ? 'Comparison' : null, formatRelativeTime(s.created), s.error]
      .filter(Boolean).join(' · ');
    main.append(name, meta);
    const badge = document.createElement('span');
    badge.className = `badge badge-${s.status}`;
    badge.textContent = humanise(s.status);
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'button button-ghost button-small';
    open.textContent = s.status === 'uploaded' ? 'Analyse' : 'Open';
    open.setAttribute('aria-label', `${open.textContent} ${s.filename || s.id}`);
    open.addEventListener('click', () => reopen(s));
    const del = document.createElement('button');
    del.type = 'button';
    del.className = 'button button-ghost button-small button-danger-text';
    del.textContent = 'Delete';
    del.setAttribute('aria-label', `Delete ${s.filename || s.id}`);
    del.addEventListener('click', () => removeSession(s));
    li.append(thumb, main, badge, open, del);
    list.append(li);
  }
}

function reopen(s) {
  if (s.kind === 'comparison') {
    location.hash = `#/compare/${s.id}`;
    return;
  }
  if (s.status === 'uploaded') {
    goHome();
    state.sessionId = s.id;
    state.filename = s.filename;
    $('file-card').hidden = false;
    $('file-name').textContent = s.filename || s.id;
    $('file-details').textContent = 'Uploaded earlier';
    setProgress($('upload-progress'), $('upload-fill'), 1);
    $('upload-label').textContent = 'Ready to analyse.';
    $('start-button').disabled = false;
    $('start-button').focus();
    return;
  }
  location.hash = `#/session/${s.id}`;
}

async function removeSession(s) {
  const what = s.kind === 'comparison' ? 'comparison' : 'analysis';
  if (!window.confirm(`Delete the ${what} “${s.filename || s.id}” and all its files? This cannot be undone.`)) return;
  try {
    await api.deleteSession(s.id);
    toast('success', 'Deleted', `${s.filename || s.id} and its files were removed.`);
  } catch (error) {
    reportError('Could not delete', error);
  }
  if (state.sessionId === s.id && document.body.dataset.view !== 'upload') goHome();
  await refreshSessions();
  $('refresh-sessions').focus();
}

// ---------- routing and start-up ----------

function goHome() {
  stopConnection();
  releaseResults();
  releaseComparisonView();
  resetUpload();
  if (location.hash.startsWith('#/session/') || location.hash.startsWith('#/compare')) history.replaceState(null, '', '#/');
  showView('upload');
}

function route() {
  const match = /^#\/session\/([^/]+)$/.exec(location.hash);
  const comparison = /^#\/compare\/([^/]+)$/.exec(location.hash);
  if (match || comparison) {
    const id = decodeURIComponent((match ?? comparison)[1]);
    if (state.connection && state.sessionId === id) return; // already following it
    stopConnection();
    if (comparison || state.kinds.get(id) === 'comparison') openComparison(id);
    else openResults(id, null);
  } else if (location.hash === '#/compare') {
    if (document.body.dataset.view !== 'compare') openComparePicker();
  } else if (location.hash === '#/' || location.hash === '') {
    if (document.body.dataset.view !== 'upload') goHome();
  }
}

async function checkHealth() {
  const el = $('server-status');
  try {
    const health = await api.getHealth();
    el.textContent = health.status === 'ok' || health.status === 'healthy' ? 'Server ready' : `Server: ${health.status}`;
    el.dataset.state = 'ok';
    const limits = health.limits ?? {};
    if (Number.isFinite(limits.max_file_size)) state.limits.maxBytes = limits.max_file_size;
    if (Number.isFinite(limits.max_video_duration)) state.limits.maxDurationS = limits.max_video_duration;
    // Only the server's own numbers are shown: a guess would promise what it then refuses.
    const known = Number.isFinite(limits.max_file_size) && Number.isFinite(limits.max_video_duration);
    $('limit-size').textContent = formatBytes(state.limits.maxBytes);
    $('limit-duration').textContent = formatLimitDuration(state.limits.maxDurationS);
    $('limits-hint').hidden = !known;
  } catch {
    el.textContent = 'Server unreachable';
    el.dataset.state = 'down';
  }
}

function wireDropzone() {
  const zone = $('dropzone');
  const input = $('file-input');
  input.addEventListener('change', () => chooseFile(input.files[0]));
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.add('dragging');
    });
  }
  for (const type of ['dragleave', 'drop']) {
    zone.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.remove('dragging');
    });
  }
  zone.addEventListener('drop', (e) => chooseFile(e.dataTransfer?.files?.[0]));
  // A file dropped outside the zone must not navigate away from the app.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
}

function init() {
  wireDropzone();
  $('analyze-form').addEventListener('submit', startAnalysis);
  $('cancel-button').addEventListener('click', cancelAnalysis);
  $('another-button').addEventListener('click', () => { goHome(); location.hash = '#/'; });
  $('refresh-sessions').addEventListener('click', refreshSessions);
  $('compare-form').addEventListener('submit', startComparison);
  $('compare-another').addEventListener('click', () => { location.hash = '#/compare'; });
  window.addEventListener('hashchange', route);
  document.body.dataset.view = 'upload';
  checkHealth();
  refreshSessions().finally(route); // the list first: it names the session a reopened URL shows
}

init();
