// The "Compare with a reference" screens: the picker of two analyses and the comparison's results
// (side-by-side video on the reference's clock, similarity timeline, body parts, worst moments).

import * as api from './api.js';
import { renderBodyPartBars } from './body_bars.js';
import { createTimelineChart } from './chart.js';
import { formatRelativeTime, formatScore, humanise } from './format.js';
import {
  comparableSessions, describeOffset, describeTempo, formatDegrees, formatMoment, formatOffset, formatTempo,
  isDifferentChoreography, weakestBodyPart, worstMoments,
} from './compare.js';

const $ = (id) => document.getElementById(id);

function optionLabel(s) {
  return `${s.filename || s.id} · ${formatRelativeTime(s.created)}`;
}

/** Fills the two pickers with the completed analyses, keeping the current choices when still listed. */
export function fillComparePicker(sessions) {
  const choices = comparableSessions(sessions);
  const reference = $('compare-reference');
  const student = $('compare-student');
  const previous = [reference.value, student.value];
  for (const [select, fallback] of [[reference, 1], [student, 0]]) {
    select.replaceChildren();
    for (const s of choices) {
      const option = document.createElement('option');
      option.value = s.id;
      option.textContent = optionLabel(s);
      select.append(option);
    }
    // The list is newest first: by default the older video is the reference, the newer the student.
    const keep = previous[select === reference ? 0 : 1];
    if (choices.some((s) => s.id === keep)) select.value = keep;
    else if (choices.length > fallback) select.value = choices[fallback].id;
  }
  const enough = choices.length >= 2;
  $('compare-start').disabled = !enough;
  $('compare-empty').textContent = enough
    ? 'Only completed analyses can be compared. Pick two different ones.'
    : `Analyse at least two videos first (${choices.length === 1 ? 'one is' : `${choices.length} are`} ready).`;
}

/** Returns the picker's request body {reference_id, student_id, mirror}. */
export function comparePickerRequest() {
  return {
    reference_id: $('compare-reference').value,
    student_id: $('compare-student').value,
    mirror: new FormData($('compare-form')).get('mirror') || 'auto',
  };
}

function setText(id, text) {
  $(id).textContent = text;
}

function renderWorstMoments(moments, seek) {
  const list = $('cmp-worst');
  list.replaceChildren();
  $('cmp-worst-empty').hidden = moments.length > 0;
  for (const m of moments) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'worst-moment';
    button.dataset.t = String(m.t_reference);
    const time = document.createElement('span');
    time.className = 'worst-time';
    time.textContent = formatMoment(m.t_reference);
    const part = document.createElement('span');
    part.className = 'worst-part';
    part.textContent = humanise(m.body_part);
    const sub = document.createElement('small');
    sub.textContent = `student at ${formatMoment(m.t_student)}`;
    part.append(sub);
    const deg = document.createElement('span');
    deg.className = 'worst-deg';
    deg.textContent = formatDegrees(m.deviation_deg);
    const jump = document.createElement('span');
    jump.className = 'visually-hidden';
    jump.textContent = 'Jump to ';
    time.prepend(jump);
    deg.title = 'how far this body part points away from the reference\'s';
    button.append(time, part, deg);
    button.addEventListener('click', () => {
      for (const other of list.querySelectorAll('.worst-moment')) other.removeAttribute('aria-current');
      button.setAttribute('aria-current', 'true');
      seek(m.t_reference);
    });
    li.append(button);
    list.append(li);
  }
}

/** Renders a completed GET /api/compare/{id} body; returns a function releasing the view. */
export function renderComparison(id, body) {
  const c = body.comparison ?? {};
  const refName = body.reference?.filename || 'reference';
  const studentName = body.student?.filename || 'student';
  setText('comparison-title', `${refName} vs ${studentName}`); // the server's display name too
  setText('comparison-meta', [`Reference: ${refName}`, `student: ${studentName}`,
    `mirror ${body.mirror_option || 'auto'}`].join(' · '));

  setText('cmp-similarity', formatScore(c.similarity));
  $('meter-similarity').style.width = `${Number.isFinite(c.similarity) ? Math.max(0, Math.min(100, c.similarity)) : 0}%`;
  // Different dances: an offset or tempo between them would be noise, so none is shown.
  const different = isDifferentChoreography(c);
  $('cmp-different').hidden = !different;
  const noAlignment = different ? 'not comparable: different dances' : 'not measured';
  setText('cmp-offset', different || !Number.isFinite(c.offset_s) ? '—' : formatOffset(c.offset_s));
  setText('cmp-offset-sub', different || !Number.isFinite(c.offset_s) ? noAlignment : describeOffset(c.offset_s));
  setText('cmp-tempo', different || !Number.isFinite(c.tempo_ratio) ? '—' : formatTempo(c.tempo_ratio));
  setText('cmp-tempo-sub', different || !Number.isFinite(c.tempo_ratio) ? noAlignment : describeTempo(c.tempo_ratio));
  setText('cmp-mirror', c.mirror === true ? 'Mirrored' : c.mirror === false ? 'As filmed' : '—');
  setText('cmp-mirror-sub', c.mirror === true ? 'the student was compared as a mirror image'
    : c.mirror === false ? 'the student was compared as filmed' : '');
  // The highlighted bar is the part that differs most.
  renderBodyPartBars($('cmp-body-bars'), c.body_parts, 'similarity', weakestBodyPart(c.body_parts));

  const videoUrl = body.video_url ?? null;
  $('cmp-download-video').hidden = !videoUrl;
  if (videoUrl) $('cmp-download-video').href = videoUrl;
  $('cmp-download-json').href = api.urls.export(id, 'results.json');

  // One video: comparison.mp4 already shows both dancers in sync on the reference's clock, so the
  // timeline and the worst moments' t_reference seek it directly.
  const video = $('compare-video');
  const box = video.closest('.video-box');
  box.dataset.missing = 'false';
  const onError = () => { box.dataset.missing = 'true'; };
  video.addEventListener('error', onError, { once: true });
  if (videoUrl) video.src = videoUrl;
  else onError();

  const timeline = c.timeline ?? {};
  const t = Array.isArray(timeline.t) ? timeline.t : [];
  const duration = t.length ? t[t.length - 1] : 0;
  const seek = (s) => {
    video.currentTime = s;
    chart.setTime(s);
  };
  // A fresh canvas: the chart's click and key listeners of an earlier comparison must not stay.
  const canvas = $('cmp-timeline').cloneNode(false);
  $('cmp-timeline').replaceWith(canvas);
  const chart = createTimelineChart(canvas, { t, intensity: timeline.similarity ?? [] }, duration, seek,
    { valueName: 'Similarity', readout: $('cmp-timeline-readout') });
  renderWorstMoments(worstMoments(c), seek);
  const onTime = () => chart.setTime(Math.min(video.currentTime, duration || video.currentTime));
  video.addEventListener('timeupdate', onTime);
  video.addEventListener('seeked', onTime);
  return () => {
    chart.destroy();
    video.removeEventListener('timeupdate', onTime);
    video.removeEventListener('seeked', onTime);
    video.removeEventListener('error', onError);
    video.pause();
    video.removeAttribute('src');
    video.load();
  };
}
