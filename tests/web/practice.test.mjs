// Browser tests of the results page as a practice tool and of what a dancer reads on it, in
// headless Debian Chromium against the real `dancedynamics serve` (limits set by environment):
// the chart drawn when a result is opened from the list or a link, the player (clip shape,
// frame steps, quick arrow presses, speeds, A–B loop, mirror, full screen with the skeleton),
// the server's limits, long errors on a phone, warnings and words for missing numbers, the compare
// picker's layout, delete confirmation, axe, and screenshots at 1440×900 and 390×844.
// Fields a server may not send yet (warnings, a music status, different_choreography) are added
// to its real answers with Playwright routes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { launchBrowser, makeVideo, screenshot, startServer } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const kMaxDurationS = 45;
const kMaxFileSize = 50 * 1024 * 1024;
const kDesktop = { width: 1440, height: 900 };
const kPhone = { width: 390, height: 844 };

let server;
let browser;
let mediaDir;
let sessionId; // a completed analysis of a portrait clip

/** A 4 s portrait (320×568) clip of a person turning, with a tone: the shape of a phone-filmed dance. */
function makePortraitDancer(dir) {
  const out = path.join(dir, 'portrait dance.mp4');
  const image = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-i', image, '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4',
    '-t', '4', '-r', '15', '-vf', 'scale=320:-2,rotate=0.3*sin(2*PI*t/1.5):fillcolor=black,pad=320:568:0:(oh-ih)/2',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', out]);
  return out;
}

async function analyse(file) {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type: 'video/mp4' }), path.basename(file));
  const uploaded = await fetch(`${server.base}/api/upload`, { method: 'POST', body: form });
  assert.equal(uploaded.status, 200, await uploaded.clone().text());
  const id = (await uploaded.json()).session_id;
  const queued = await fetch(`${server.base}/api/analyze/${id}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'lite' }),
  });
  assert.equal(queued.status, 202, await queued.text());
  for (let i = 0; i < 3000; i += 1) {
    const body = await (await fetch(`${server.base}/api/results/${id}`)).json();
    if (body.status === 'completed') return id;
    assert.ok(!['failed', 'cancelled'].includes(body.status), `analysis ${id} ${body.status}: ${body.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`analysis ${id} did not complete in 300 s`);
}

before(async () => {
  mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-web-practice-'));
  process.env.MAX_VIDEO_DURATION = String(kMaxDurationS); // the server under test reads these
  process.env.MAX_FILE_SIZE = String(kMaxFileSize);
  const [s, b] = await Promise.allSettled([startServer(), launchBrowser()]);
  server = s.value;
  browser = b.value;
  if (s.status === 'rejected') throw s.reason;
  if (b.status === 'rejected') throw b.reason;
  console.log(`# server under test: ${server.kind} at ${server.base}`);
  sessionId = await analyse(makePortraitDancer(mediaDir));
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
});

async function openPage(viewport = kDesktop, { hash = '', bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce', bypassCSP });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, errors, go: async () => {
    await page.goto(`${server.base}/${hash}`);
    await page.waitForSelector('#server-status[data-state="ok"]');
  } };
}

const shot = (page, name) => screenshot(page, name).then((file) => console.log(`# screenshot ${file}`));
const text = async (page, selector) => (await page.textContent(selector)).trim();
const overflowX = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Returns the timeline canvas' drawing-surface size and how many of its pixels are painted. */
function chartPixels(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById('timeline-chart');
    if (!canvas.width || !canvas.height) return { width: canvas.width, height: canvas.height, painted: 0 };
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
    return { width: canvas.width, height: canvas.height, painted };
  });
}

async function waitChartDrawn(page) {
  // The chart draws on the next frame after its box gets a size: wait for pixels, with a deadline.
  await page.waitForFunction(() => {
    const canvas = document.getElementById('timeline-chart');
    if (!canvas.width || !canvas.height) return false;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length && painted <= 1000; i += 4) if (data[i] > 0) painted += 1;
    return painted > 1000;
  }, null, { timeout: 10000 }).catch(() => {});
  const pixels = await chartPixels(page);
  assert.ok(pixels.width > 100 && pixels.height > 100, `drawing surface ${pixels.width}×${pixels.height}`);
  assert.ok(pixels.painted > 1000, `painted pixels ${pixels.painted}`);
}

/** Adds fields a server may not send yet to the real results of id, through a route. */
async function injectResults(page, id, change) {
  await page.route(`**/api/results/${id}`, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (body.results) change(body.results);
    await route.fulfill({ status: response.status(), json: body });
  });
}

async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('results page as a practice tool', () => {
  test('the chart has pixels when a result is opened from the Recent list and from a direct link', async () => {
    const fromList = await openPage();
    await fromList.go();
    await fromList.page.locator(`.session[data-session-id="${sessionId}"] button`, { hasText: 'Open' }).click();
    await fromList.page.waitForSelector('#view-results:not([hidden])');
    await waitChartDrawn(fromList.page);
    await fromList.context.close();

    const direct = await openPage(kDesktop, { hash: `#/session/${sessionId}` });
    await direct.go();
    await direct.page.waitForSelector('#view-results:not([hidden])');
    await waitChartDrawn(direct.page);
    // Pointing at the chart reads out its values.
    await direct.page.locator('#timeline-chart').hover();
    await direct.page.waitForFunction(() => /\d+\.\d s/.test(document.getElementById('timeline-readout').textContent));
    assert.match(await text(direct.page, '#timeline-readout'), /^\d+\.\d s/);
    assert.deepEqual(direct.errors, []);
    await direct.context.close();
  });

  test('player: clip-shaped box, frame keys, quick arrows, speeds, A–B loop, mirror, full screen keeps the skeleton', async () => {
    const { page, context, errors, go } = await openPage(kDesktop, { hash: `#/session/${sessionId}` });
    await go();
    await page.waitForSelector('#view-results:not([hidden])');
    await page.waitForFunction(() => document.getElementById('video-original').readyState >= 1);
    // A portrait clip gets a portrait box: nothing letterboxed into 16:9.
    const shape = await page.locator('#original-box').boundingBox();
    assert.ok(shape.height > shape.width * 1.5, `portrait box ${shape.width}×${shape.height}`);
    assert.equal(await page.getAttribute('#video-original', 'preload'), 'metadata');
    assert.equal(await page.getAttribute('#video-overlay', 'preload'), 'metadata');
    const time = () => page.evaluate(() => document.getElementById('video-original').currentTime);

    await page.locator('#results-title').focus();
    await page.keyboard.press('.');
    await page.waitForFunction(() => Math.abs(document.getElementById('video-original').currentTime - 1 / 15) < 0.02);
    await page.keyboard.press(',');
    await page.waitForFunction(() => document.getElementById('video-original').currentTime < 0.01);

    // Two quick presses move twice (one second each: the tone has no beat).
    const beats = await page.evaluate(async (id) => (await (await fetch(`/api/results/${id}`)).json()).results.rhythm_analysis?.music?.beat_times ?? [], sessionId);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const expected = beats.length >= 2 ? beats.filter((b) => b > 0.02)[1] : 2;
    await page.waitForFunction((want) => Math.abs(document.getElementById('video-original').currentTime - want) < 0.05, expected);
    await page.keyboard.press('Shift+ArrowLeft');
    await page.waitForFunction(() => document.getElementById('video-original').currentTime < 0.01);

    // Speeds apply to both videos.
    await page.click('#player-bar [data-rate="0.5"]');
    await page.waitForFunction(() => ['video-original', 'video-overlay'].every((v) => document.getElementById(v).playbackRate === 0.5));
    assert.equal(await page.getAttribute('#player-bar [data-rate="0.5"]', 'aria-pressed'), 'true');
    await page.click('#player-bar [data-rate="1"]');

    // A–B loop from 1.0 s to 1.6 s: playing stays inside it.
    await page.evaluate(() => { document.getElementById('video-original').currentTime = 1.0; });
    await page.waitForFunction(() => Math.abs(document.getElementById('video-original').currentTime - 1.0) < 0.02);
    await page.keyboard.press('[');
    await page.evaluate(() => { document.getElementById('video-original').currentTime = 1.6; });
    await page.waitForFunction(() => Math.abs(document.getElementById('video-original').currentTime - 1.6) < 0.02);
    await page.keyboard.press(']');
    assert.match(await text(page, '#loop-b'), /B 0:01\.6/);
    await page.evaluate(() => {
      for (const id of ['video-original', 'video-overlay']) document.getElementById(id).muted = true;
      window.loopSeen = [];
      const v = document.getElementById('video-original');
      v.addEventListener('timeupdate', () => window.loopSeen.push(v.currentTime));
    });
    await page.click('#play-toggle');
    await page.waitForFunction(() => window.loopSeen.length >= 8, null, { timeout: 15000 });
    const seen = await page.evaluate(() => window.loopSeen);
    await page.click('#play-toggle');
    assert.ok(seen.every((s) => s >= 0.95 && s <= 1.9), `times while looping: ${seen.map((s) => s.toFixed(2))}`);
    assert.ok(seen.some((s, i) => i > 0 && s < seen[i - 1]), `it jumped back to A: ${seen.map((s) => s.toFixed(2))}`);
    await page.click('#loop-clear');

    // Mirror view flips the video and its skeleton layer together.
    await page.click('#mirror-toggle');
    const transforms = await page.evaluate(() => ['video-original', 'skeleton-canvas'].map((id) => getComputedStyle(document.getElementById(id)).transform));
    assert.deepEqual(transforms, ['matrix(-1, 0, 0, 1, 0, 0)', 'matrix(-1, 0, 0, 1, 0, 0)']);
    await page.click('#mirror-toggle');

    // Full screen shows the box, so the skeleton canvas comes along.
    await page.click('#fullscreen-button');
    await page.waitForFunction(() => document.fullscreenElement !== null, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => document.fullscreenElement.id), 'original-box');
    assert.ok(await page.evaluate(() => document.fullscreenElement.contains(document.getElementById('skeleton-canvas'))));
    await page.evaluate(() => document.exitFullscreen());
    await page.waitForFunction(() => document.fullscreenElement === null);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('warnings, words for a missing beat, tempo match, offsets and units; thumbnails; screenshots', async () => {
    for (const [viewport, name] of [[kDesktop, 'desktop'], [kPhone, 'phone']]) {
      const { page, context, errors, go } = await openPage(viewport, { hash: `#/session/${sessionId}` });
      await injectResults(page, sessionId, (r) => {
        r.warnings = ['only 40 of 178 frames could be decoded: the file looks cut short'];
        r.rhythm_analysis.music = { has_audio: true, bpm: null, status: 'no_beat', reason: 'no steady beat was found in the sound' };
        r.rhythm_analysis.peak_count = 6;
        r.rhythm_analysis.rhythm_consistency = 74;
      });
      await go();
      await page.waitForSelector('#view-results:not([hidden])');
      await page.waitForSelector('#results-warnings:not([hidden])');
      assert.match(await text(page, '#results-warnings'), /only 40 of 178 frames could be decoded/);
      assert.equal(await text(page, '#music-bpm'), 'No beat found');
      assert.match(await text(page, '#music-note'), /No steady beat was found in the sound\./);
      assert.equal(await text(page, '#music-offset'), 'no beat to align to');
      assert.equal(await text(page, '#rhythm-consistency'), '74 / 100');
      assert.match(await text(page, '#rhythm-peaks'), /^6 in 0:04$/);
      assert.match(await text(page, '#body-bars li[data-part="left_arm"] .bar-value'), /^(\d+ \/ 100|—)$/);
      assert.match(await text(page, '#body-bars li[data-part="left_arm"] .bar-label'), /dancer's left/);
      assert.ok((await overflowX(page)) <= 0, `${name}: no sideways scroll`);
      await waitChartDrawn(page);
      await page.waitForTimeout(300);
      await shot(page, `practice-${name}-results`);
      // The list shows each completed analysis' thumbnail once it is in view (the server serves
      // it, so the picture loads; it may come from the browser's cache, hence no request check).
      await page.locator(`.session[data-session-id="${sessionId}"]`).scrollIntoViewIfNeeded();
      await page.waitForFunction((id) => {
        const img = document.querySelector(`.session[data-session-id="${id}"] .session-thumb img`);
        return img !== null && img.complete && img.naturalWidth > 0
          && img.getAttribute('src').endsWith(`/api/thumbnail/${id}`);
      }, sessionId, { timeout: 30000 });
      assert.deepEqual(errors, []);
      await context.close();
    }

    const { page, context, go } = await openPage(kDesktop, { hash: `#/session/${sessionId}` });
    await injectResults(page, sessionId, (r) => {
      r.rhythm_analysis.music = {
        has_audio: true, bpm: 121.6, tempo_match: true, tempo_ratio: 1.01, beat_times: [0.5, 1, 1.5, 2, 2.5, 3],
        alignment: { mean_offset_ms: -39, on_beat_share: 0.62, beat_align_score: 70 },
      };
    });
    await go();
    await page.waitForSelector('#view-results:not([hidden])');
    assert.equal(await text(page, '#music-bpm'), '122 BPM');
    assert.equal(await text(page, '#music-offset'), '39 ms early');
    assert.equal(await text(page, '#music-alignment'), '62% on the beat');
    assert.match(await text(page, '#music-note'), /Tempo match: yes/);
    assert.ok(await page.isHidden('#results-warnings'));
    // With beats, the arrow keys step beat by beat.
    await page.waitForFunction(() => document.getElementById('video-original').readyState >= 1);
    await page.locator('#timeline-chart').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => Math.abs(document.getElementById('video-original').currentTime - 1) < 0.05);
    await context.close();
  });

  test('the page shows the server\'s limits and refuses a too-long video before uploading it', async () => {
    const health = await (await fetch(`${server.base}/health`)).json();
    assert.equal(health.limits.max_video_duration, kMaxDurationS);
    assert.equal(health.limits.max_file_size, kMaxFileSize);
    const { page, context, go } = await openPage();
    await go();
    await page.waitForSelector('#limits-hint:not([hidden])');
    assert.equal(await text(page, '#limit-duration'), '45 s');
    assert.equal(await text(page, '#limit-size'), '50.0 MB');
    await shot(page, 'practice-desktop-upload');
    let uploads = 0;
    page.on('request', (r) => { if (r.url().endsWith('/api/upload')) uploads += 1; });
    const long = makeVideo(mediaDir, { name: 'whole song.mp4', seconds: kMaxDurationS + 5, size: '160x120', fps: 5, audio: false });
    await page.setInputFiles('#file-input', long);
    const toast = page.locator('.toast-error').last();
    await toast.waitFor();
    assert.match(await toast.textContent(), /50 s long; this server takes up to 45 s/);
    assert.equal(uploads, 0, 'nothing was uploaded');
    await context.close();
  });

  test('phone 360 px: the longest refusal neither scrolls sideways nor covers the session list, and names no path', async () => {
    const { page, context, go } = await openPage({ width: 360, height: 740 });
    const detail = `not a decodable video: ${'a_very_long_file_name_without_spaces_'.repeat(3)}.mp4 (Invalid data found when processing input): `
      + '/home/someone/dancedynamics/data/sessions/0123456789abcdef0123456789abcdef/input.mp4';
    await page.route('**/api/upload', (route) => route.fulfill({ status: 400, json: { detail } }));
    await go();
    const clip = makeVideo(mediaDir, { name: `${'long-name-'.repeat(8)}.mp4`, seconds: 1, size: '160x120', audio: false });
    await page.setInputFiles('#file-input', clip);
    const toast = page.locator('.toast-error').last();
    await toast.waitFor();
    assert.ok(!(await toast.textContent()).includes('/home/'), 'the toast names no server path');
    assert.ok(!(await text(page, '#upload-label')).includes('/home/'), 'the upload label names no server path');
    assert.ok((await overflowX(page)) <= 0, `sideways scroll of ${await overflowX(page)} px`);
    const toastBox = await toast.boundingBox();
    const listBox = await page.locator('#sessions').boundingBox();
    assert.ok(toastBox.x >= 0 && toastBox.x + toastBox.width <= 360, `toast inside the screen: ${JSON.stringify(toastBox)}`);
    assert.ok(toastBox.y + toastBox.height <= listBox.y || toastBox.y >= listBox.y + listBox.height,
      `toast ${JSON.stringify(toastBox)} clear of the list ${JSON.stringify(listBox)}`);
    await shot(page, 'practice-phone-360-error');
    await context.close();
  });

  test('compare picker: drop-downs side by side on desktop, inside a 390 px screen, no analysis without a person', async () => {
    const long = 'rehearsal of the whole routine, second verse, camera on the left balcony.mp4';
    const fakes = [
      { session_id: 'fake-a', kind: 'analysis', filename: long, status: 'completed', created_at: new Date().toISOString(), detection_rate: 0.97 },
      { session_id: 'fake-empty', kind: 'analysis', filename: 'empty stage.mp4', status: 'completed', created_at: new Date().toISOString(), detection_rate: 0 },
    ];
    for (const [viewport, name] of [[kDesktop, 'desktop'], [kPhone, 'phone']]) {
      const { page, context, go } = await openPage(viewport, { hash: '#/compare' });
      await page.route('**/api/sessions', async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        body.sessions = [...fakes, ...body.sessions];
        await route.fulfill({ status: response.status(), json: body });
      });
      await go();
      await page.waitForSelector('#view-compare:not([hidden])');
      await page.waitForFunction(() => document.querySelectorAll('#compare-reference option').length >= 2);
      const offered = await page.evaluate(() => [...document.querySelectorAll('#compare-reference option')].map((o) => o.value));
      assert.ok(offered.includes('fake-a') && offered.includes(sessionId), `offered ${offered}`);
      assert.ok(!offered.includes('fake-empty'), 'an analysis with no person is not offered');
      await page.selectOption('#compare-reference', 'fake-a');
      const ref = await page.locator('#compare-reference').boundingBox();
      const student = await page.locator('#compare-student').boundingBox();
      const width = viewport.width;
      for (const b of [ref, student]) assert.ok(b.x >= 0 && b.x + b.width <= width, `${name}: ${JSON.stringify(b)} inside ${width}`);
      if (name === 'desktop') assert.ok(ref.x + ref.width <= student.x, `no overlap: ${JSON.stringify([ref, student])}`);
      assert.ok((await overflowX(page)) <= 0, `${name}: no sideways scroll`);
      await shot(page, `practice-${name}-compare-picker`);
      await context.close();
    }
  });

  test('a different choreography is flagged, with no offset or tempo', async () => {
    const { page, context, go } = await openPage(kDesktop, { hash: '#/compare/fake-cmp' });
    await page.route('**/api/compare/fake-cmp', (route) => route.fulfill({
      json: {
        success: true, status: 'completed', session_id: 'fake-cmp', video_url: null, mirror_option: 'auto',
        reference: { filename: 'aerobics.mp4' }, student: { filename: 'group dance.mp4' },
        comparison: {
          similarity: 14, different_choreography: true, offset_s: null, tempo_ratio: null, mirror: false,
          body_parts: { head: 20, torso: 30, left_arm: 10, right_arm: 12, left_leg: 15, right_leg: 18 },
          timeline: { t: [0, 1, 2, 3], similarity: [10, 15, 12, 14] },
          worst_moments: [{ t_reference: 1.2, t_student: 2.5, body_part: 'left_arm', deviation_deg: 138 }],
        },
      },
    }));
    await go();
    await page.waitForSelector('#view-comparison:not([hidden])');
    assert.ok(await page.isVisible('#cmp-different'));
    assert.equal(await text(page, '#cmp-offset'), '—');
    assert.match(await text(page, '#cmp-offset-sub'), /different dances/);
    assert.equal(await text(page, '#cmp-tempo'), '—');
    assert.equal(await text(page, '.worst-deg'), '138° off');
    await shot(page, 'practice-desktop-different-choreography');
    await context.close();
  });

  test('delete asks first: dismissing keeps the session', async () => {
    const { page, context, go } = await openPage();
    await go();
    const row = page.locator(`.session[data-session-id="${sessionId}"]`);
    await row.waitFor();
    let asked = '';
    page.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
    await row.locator('button', { hasText: 'Delete' }).click();
    assert.match(asked, /cannot be undone/);
    await page.click('#refresh-sessions');
    await page.waitForTimeout(200);
    assert.equal(await row.count(), 1, 'still listed');
    assert.equal((await fetch(`${server.base}/api/results/${sessionId}`)).status, 200, 'still on the server');
    await context.close();
  });

  test('accessibility: axe-core finds no serious or critical violations on the practice player', async () => {
    const { page, context, go } = await openPage(kDesktop, { hash: `#/session/${sessionId}`, bypassCSP: true });
    await go();
    await page.waitForSelector('#view-results:not([hidden])');
    await waitChartDrawn(page);
    const results = await axeViolations(page);
    assert.deepEqual(results, [], JSON.stringify(results));
    await context.close();
  });
});
