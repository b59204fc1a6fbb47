// Browser tests: the web app driven in headless Debian Chromium against the server under test
// (the real `dancedynamics serve` when built with it, else the §5 contract double; see harness.mjs).
// Screenshots of every screen land in build/web-artifacts/ (DD_WEB_ARTIFACTS overrides).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launchBrowser, makeVideo, screenshot, startServer } from './harness.mjs';
import { withoutPaths } from '../../web/js/format.js';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let mediaDir;
let clip;

before(async () => {
  mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-web-media-'));
  clip = makeVideo(mediaDir, { name: 'dance clip.mp4', seconds: 2 });
  // Settle both so after() can close whichever started when the other failed.
  const [s, b] = await Promise.allSettled([startServer(), launchBrowser()]);
  server = s.value;
  browser = b.value;
  if (s.status === 'rejected') throw s.reason;
  if (b.status === 'rejected') throw b.reason;
  console.log(`# server under test: ${server.kind} at ${server.base}`);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
});

async function openPage(viewport = { width: 1280, height: 800 }, { bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce', bypassCSP });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.base);
  await page.waitForSelector('#server-status[data-state="ok"]');
  return { page, context, errors };
}

/** Uploads the clip and starts the analysis; returns the session id. */
async function uploadAndStart(page, file = clip, model = 'lite') {
  await page.setInputFiles('#file-input', file);
  await page.waitForSelector('#start-button:not([disabled])', { timeout: 15000 });
  await page.check(`input[name="model"][value="${model}"]`);
  const analyze = page.waitForResponse((r) => r.url().includes('/api/analyze/'));
  await page.click('#start-button');
  const response = await analyze;
  assert.equal(response.status(), 202, await response.text());
  return decodeURIComponent(new URL(response.url()).pathname.split('/').pop());
}

async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Waits for the analysis to end on the page: 'results', or 'failed' with the server's error shown in a toast. */
async function analysisOutcome(page, id) {
  await page.waitForFunction(() => !document.getElementById('view-results').hidden
    || document.querySelector('.toast-error'), null, { timeout: 60000 });
  if (!(await page.isHidden('#view-results'))) return 'results';
  const body = await (await fetch(`${server.base}/api/results/${id}`)).json();
  assert.equal(body.status, 'failed', `the page left processing without results: ${JSON.stringify(body)}`);
  assert.match(await page.locator('.toast-error').last().textContent(), /The analysis failed/);
  if (body.error) assert.ok((await page.locator('.toast-error').last().textContent()).includes(body.error));
  return 'failed';
}

/** Returns the id of a completed analysis on the server (never a comparison), or null when none has completed. */
async function completedSession() {
  const list = await (await fetch(`${server.base}/api/sessions`)).json();
  const done = (Array.isArray(list) ? list : list.sessions).find((s) => s.status === 'completed' && s.kind !== 'comparison');
  return done ? done.session_id ?? done.id : null;
}

const shot = (page, name) => screenshot(page, name).then((file) => console.log(`# screenshot ${file}`));

describe('DanceDynamics web app', () => {
  test('full flow: upload, progress, results from the server, playing overlay, downloads', async (t) => {
    const { page, context, errors } = await openPage();
    await shot(page, 'desktop-1-upload');
    // Record every progress value the page shows, however quick the analysis.
    await page.evaluate(() => {
      window.seenProgress = [];
      window.seenLink = [];
      const bar = document.getElementById('processing-progress');
      new MutationObserver(() => window.seenProgress.push(Number(bar.getAttribute('aria-valuenow'))))
        .observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
      const link = document.getElementById('link-state');
      new MutationObserver(() => window.seenLink.push(link.dataset.state))
        .observe(link, { attributes: true, attributeFilter: ['data-state'] });
    });
    await page.setInputFiles('#file-input', clip);
    await page.waitForSelector('#start-button:not([disabled])', { timeout: 15000 });
    assert.match(await page.textContent('#upload-label'), /Uploaded/);
    assert.equal(await page.getAttribute('#upload-progress', 'aria-valuenow'), '100');
    await shot(page, 'desktop-2-uploaded');
    await page.check('input[name="model"][value="lite"]');
    const analyze = page.waitForResponse((r) => r.url().includes('/api/analyze/'));
    await page.click('#start-button');
    const id = decodeURIComponent(new URL((await analyze).url()).pathname.split('/').pop());
    await page.waitForSelector('#view-processing:not([hidden])');
    await shot(page, 'desktop-3-processing');

    if (await analysisOutcome(page, id) === 'failed') {
      await shot(page, 'desktop-4-analysis-failed');
      t.skip('the server failed the analysis (error shown to the user); results not checked');
      await context.close();
      return;
    }
    const seen = await page.evaluate(() => window.seenProgress);
    assert.ok(seen.some((v) => v > 0), `progress was shown (${seen.join(',')})`);
    const links = await page.evaluate(() => window.seenLink);
    assert.ok(links.includes('live'), `the WebSocket was live (${links.join(',')})`);

    // The numbers on the page are the server's.
    const body = await (await fetch(`${server.base}/api/results/${id}`)).json();
    assert.equal(body.success, true);
    const r = body.results;
    const detection = `${Math.round(r.processing.detection_rate * 100)}%`;
    assert.equal((await page.textContent('#card-detection')).trim(), detection);
    assert.equal((await page.textContent('#card-movement')).trim(), r.movement_analysis?.movement_type || '—');
    if (Number.isFinite(r.movement_analysis?.intensity)) {
      assert.equal((await page.textContent('#card-intensity')).trim(), String(Math.round(r.movement_analysis.intensity)));
    }
    if (Number.isFinite(r.smoothness_score)) {
      assert.equal((await page.textContent('#card-smoothness')).trim(), String(Math.round(r.smoothness_score)));
    }
    assert.equal(await page.locator('#body-bars li').count(), 6);

    // The overlay video plays: frames decoded and time moving; the original follows it.
    const originalServed = (await fetch(`${server.base}/api/video/${id}`, { headers: { Range: 'bytes=0-0' } })).ok;
    if (!originalServed) t.diagnostic('the server does not serve GET /api/video/{id}: original-video sync not checked');
    const t0 = await page.evaluate(async () => {
      const v = document.getElementById('video-overlay');
      // Both muted: a machine without a sound device (a container, CI) must not stall playback.
      v.muted = true;
      document.getElementById('video-original').muted = true;
      await v.play();
      return v.currentTime;
    });
    // Waits for the clock to move (a deadline, not a guessed pause: a busy machine plays late).
    await page.waitForFunction((start) => document.getElementById('video-overlay').currentTime > start, t0, { timeout: 20000 });
    if (originalServed) {
      await page.waitForFunction(() => document.getElementById('video-original').currentTime > 0, null, { timeout: 20000 });
    }
    const overlay = await page.evaluate(() => {
      const v = document.getElementById('video-overlay');
      return { readyState: v.readyState, t1: v.currentTime, original: document.getElementById('video-original').currentTime };
    });
    assert.ok(overlay.readyState >= 2, `overlay readyState ${overlay.readyState}`);
    assert.ok(overlay.t1 > t0, `overlay time advances ${t0} -> ${overlay.t1}`);
    if (originalServed) assert.ok(overlay.original > 0, 'the original follows the overlay (two-way sync)');
    await page.evaluate(() => document.getElementById('video-overlay').pause());
    await page.evaluate(() => { document.getElementById('video-overlay').playbackRate = 1.5; });
    if (originalServed) {
      await page.waitForFunction(() => document.getElementById('video-original').playbackRate === 1.5);
      await page.waitForFunction(() => document.getElementById('video-original').paused);
    } else {
      assert.equal(await page.getAttribute('#video-original', 'aria-label'), 'Original video');
      await page.waitForSelector('#video-original ~ .video-missing', { state: 'visible' });
    }

    // The skeleton layer toggles; it draws where landmarks.json has a pose at the shown time.
    await page.waitForSelector('#skeleton-toggle:not([disabled])');
    await page.uncheck('#skeleton-toggle');
    assert.equal(await page.isHidden('#skeleton-canvas'), true);
    await page.check('#skeleton-toggle');
    assert.equal(await page.isVisible('#skeleton-canvas'), true);
    await page.evaluate(() => { document.getElementById('video-original').currentTime = 0.5; });
    await page.waitForTimeout(300);
    await shot(page, 'desktop-4-results');

    // Downloads respond with content.
    for (const sel of ['#download-video', '#download-json', '#download-csv']) {
      const href = await page.getAttribute(sel, 'href');
      const res = await fetch(new URL(href, server.base));
      assert.equal(res.status, 200, `${sel} ${href}`);
      assert.ok((await res.arrayBuffer()).byteLength > 0, `${sel} has a body`);
    }

    // The session list shows the analysis as completed.
    const row = page.locator(`.session[data-session-id="${id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Completed/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('keyboard: skip link, file picker, model choice reachable; chart arrow keys seek the video', async (t) => {
    const { page, context } = await openPage();
    const order = [];
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => {
        const el = document.activeElement;
        return el.id || el.getAttribute('href') || el.textContent.trim().slice(0, 20);
      }));
    }
    assert.equal(order[0], '#main', 'the skip link comes first');
    assert.ok(order.includes('file-input'), `file picker reachable: ${order}`);
    assert.ok(order.includes('refresh-sessions') || order.length === 12, `order ${order}`);
    // Focus is visible: a focused button shows an outline.
    await page.focus('#refresh-sessions');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.focus('input[name="model"][value="full"]');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await shot(page, 'desktop-6-keyboard-focus');
    // Model choice by arrow keys.
    await page.focus('input[name="model"][value="full"]');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.querySelector('input[name="model"]:checked').value), 'heavy');

    // Results: reopen the completed session from the list and seek with the chart's keys.
    const doneId = await completedSession();
    if (!doneId) {
      t.skip('no completed analysis on this server: chart keys not checked');
      await context.close();
      return;
    }
    await page.locator(`.session[data-session-id="${doneId}"] button`, { hasText: 'Open' }).press('Enter');
    await page.waitForSelector('#view-results:not([hidden])');
    // Seeks go through the original when the server serves it, else through the overlay.
    await page.waitForFunction(() => ['video-original', 'video-overlay'].some((v) => document.getElementById(v).readyState >= 1));
    await page.waitForTimeout(300); // let a missing original report its error first
    const lead = await page.evaluate(() => (document.getElementById('video-original').readyState >= 1 ? 'video-original' : 'video-overlay'));
    await page.focus('#timeline-chart');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((v) => document.getElementById(v).currentTime >= 0.9, lead);
    const seekedTo = await page.evaluate((v) => document.getElementById(v).currentTime, lead);
    assert.ok(Math.abs(seekedTo - 1) < 0.1, `seeked ${lead} to ${seekedTo}`);
    await page.waitForFunction(() => document.getElementById('timeline-chart').getAttribute('aria-valuenow') === '1');
    if (lead === 'video-original') {
      await page.waitForFunction(() => Math.abs(document.getElementById('video-overlay').currentTime - 1) < 0.3);
    }
    await context.close();
  });

  test('invalid files: a text file is refused in the browser, a corrupt video shows the server detail', async () => {
    const { page, context } = await openPage();
    const text = path.join(mediaDir, 'notes.txt');
    fs.writeFileSync(text, 'not a video');
    await page.setInputFiles('#file-input', text);
    const clientToast = page.locator('.toast-error').last();
    await clientToast.waitFor();
    assert.match(await clientToast.textContent(), /not a video/);

    // The drop zone runs the same checks as the picker.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['hello'], 'dropped.txt', { type: 'text/plain' }));
      document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => [...document.querySelectorAll('.toast-error')].some((t) => t.textContent.includes('dropped.txt')));

    const corrupt = path.join(mediaDir, 'broken.mp4');
    fs.writeFileSync(corrupt, Buffer.alloc(4096, 7));
    const upload = page.waitForResponse((r) => r.url().endsWith('/api/upload'));
    await page.setInputFiles('#file-input', corrupt);
    const response = await upload;
    assert.equal(response.status(), 400);
    const { detail } = await response.json();
    assert.ok(detail, 'the server sent a detail');
    // The toast shows the detail without any server path in it.
    const shown = withoutPaths(detail);
    await page.waitForFunction((d) => [...document.querySelectorAll('.toast-error')].some((t) => t.textContent.includes(d)), shown);
    assert.doesNotMatch(await page.locator('.toast-error').last().textContent(), /\/[\w.-]+\/[\w.-]+\//, 'no path in the toast');
    assert.equal(await page.isDisabled('#start-button'), true);
    await shot(page, 'desktop-5-error-toast');
    await context.close();
  });

  test('a WebSocket dropped mid-analysis still reaches the end state', async () => {
    const { page, context } = await openPage();
    let routed = 0;
    // Every socket is cut right after the server's first message: only the poll fallback can finish.
    await page.routeWebSocket(/\/ws\//, (ws) => {
      routed += 1;
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        ws.send(message);
        ws.close();
        upstream.close();
      });
    });
    // Playwright before 1.62 (the last line that runs on Debian 12's Node 18) installs the
    // WebSocket route with the next navigation only.
    await page.reload();
    await page.waitForSelector('#server-status[data-state="ok"]');
    const id = await uploadAndStart(page);
    const outcome = await analysisOutcome(page, id);
    assert.ok(routed >= 1, 'the page opened a socket');
    if (outcome === 'results') assert.match(await page.textContent('#card-detection'), /%/);
    await context.close();
  });

  test('cancel removes the session and returns to the upload screen', async () => {
    const { page, context } = await openPage();
    // Long enough (450 frames with the heavy model) that the job cannot finish before the click.
    const long = makeVideo(mediaDir, { name: 'long clip.mp4', seconds: 30 });
    const id = await uploadAndStart(page, long, 'heavy');
    await page.click('#cancel-button');
    await page.waitForSelector('#view-upload:not([hidden])');
    const res = await fetch(`${server.base}/api/results/${id}`);
    assert.equal(res.status, 404);
    await page.waitForFunction((sid) => !document.querySelector(`.session[data-session-id="${sid}"]`), id);
    await context.close();
  });

  test('session list: delete removes a session on the server', async () => {
    const { page, context } = await openPage();
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/upload'));
    await page.setInputFiles('#file-input', clip);
    const id = (await (await uploaded).json()).session_id;
    const row = page.locator(`.session[data-session-id="${id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Uploaded/);
    page.once('dialog', (dialog) => dialog.accept()); // delete asks first
    await row.locator('button', { hasText: 'Delete' }).click();
    await page.locator('.toast-success').waitFor();
    await page.waitForFunction((sid) => !document.querySelector(`.session[data-session-id="${sid}"]`), id);
    const list = await (await fetch(`${server.base}/api/sessions`)).json();
    const ids = (Array.isArray(list) ? list : list.sessions).map((s) => s.session_id ?? s.id);
    assert.ok(!ids.includes(id));
    await context.close();
  });

  test('phone layout (360 px): no horizontal scroll on upload and results; screenshots', async (t) => {
    const { page, context } = await openPage({ width: 360, height: 740 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, 'upload screen fits');
    await shot(page, 'phone-1-upload');
    const doneId = await completedSession();
    if (!doneId) {
      t.skip('no completed analysis on this server: results layout not checked');
      await context.close();
      return;
    }
    await page.locator(`.session[data-session-id="${doneId}"] button`, { hasText: 'Open' }).click();
    await page.waitForSelector('#view-results:not([hidden])');
    await page.waitForTimeout(400);
    assert.ok((await overflow()) <= 0, 'results screen fits');
    const cards = await page.locator('.card').first().boundingBox();
    assert.ok(cards.width <= 360, 'cards fit the width');
    await shot(page, 'phone-2-results');
    await context.close();
  });

  test('accessibility: axe-core finds no serious or critical violations', async (t) => {
    const { page, context } = await openPage(undefined, { bypassCSP: true }); // only to inject axe
    const upload = await axeViolations(page);
    assert.deepEqual(upload, [], JSON.stringify(upload));
    const doneId = await completedSession();
    if (!doneId) {
      t.skip('no completed analysis on this server: results screen not scanned');
      await context.close();
      return;
    }
    await page.locator(`.session[data-session-id="${doneId}"] button`, { hasText: 'Open' }).click();
    await page.waitForSelector('#view-results:not([hidden])');
    const results = await axeViolations(page);
    assert.deepEqual(results, [], JSON.stringify(results));
    await context.close();
  });
});
