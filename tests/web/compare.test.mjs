// Browser test of "Compare with a reference" (issue 12): two real analyses on the real
// `dancedynamics serve` (real models, real videos of a person), then the compare flow driven in
// headless Debian Chromium: pick, start, live progress, and the numbers shown against the server's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launchBrowser, makeDancerVideo, screenshot, startServer } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let mediaDir;
let referenceId;
let studentId;

async function uploadAndAnalyse(file) {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type: 'video/mp4' }), path.basename(file));
  const uploaded = await fetch(`${server.base}/api/upload`, { method: 'POST', body: form });
  assert.equal(uploaded.status, 200, await uploaded.clone().text());
  const id = (await uploaded.json()).session_id;
  const queued = await fetch(`${server.base}/api/analyze/${id}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'lite', write_video: false }),
  });
  assert.equal(queued.status, 202, await queued.text());
  return id;
}

async function waitCompleted(id) {
  for (let i = 0; i < 600; i += 1) {
    const body = await (await fetch(`${server.base}/api/results/${id}`)).json();
    if (body.status === 'completed') return body;
    assert.ok(!['failed', 'cancelled'].includes(body.status), `analysis ${id} ${body.status}: ${body.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`analysis ${id} did not complete in 60 s`);
}

before(async () => {
  mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-web-compare-'));
  const teacher = makeDancerVideo(mediaDir, { name: 'teacher.mp4' });
  const student = makeDancerVideo(mediaDir, { name: 'student facing.mp4', mirrored: true });
  const [s, b] = await Promise.allSettled([startServer(), launchBrowser()]);
  server = s.value;
  browser = b.value;
  if (s.status === 'rejected') throw s.reason;
  if (b.status === 'rejected') throw b.reason;
  console.log(`# server under test: ${server.kind} at ${server.base}`);
  if (server.kind !== 'real') return;
  referenceId = await uploadAndAnalyse(teacher);
  studentId = await uploadAndAnalyse(student);
  await Promise.all([waitCompleted(referenceId), waitCompleted(studentId)]);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
});

async function openPage(hash = '#/compare', { bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', bypassCSP });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/${hash}`);
  await page.waitForSelector('#server-status[data-state="ok"]');
  return { page, context, errors };
}

const shot = (page, name) => screenshot(page, name).then((file) => console.log(`# screenshot ${file}`));
const text = async (page, selector) => (await page.textContent(selector)).trim();

describe('Compare with a reference', () => {
  test('pick two analyses, follow the progress, read the server\'s numbers, jump to a worst moment', async (t) => {
    if (server.kind !== 'real') {
      t.skip('needs the real server (the contract double has no /api/compare)');
      return;
    }
    const { page, context, errors } = await openPage();
    await page.waitForSelector('#view-compare:not([hidden])');
    // Both analyses are offered; a comparison never is.
    await page.waitForSelector('#compare-start:not([disabled])');
    const offered = await page.$$eval('#compare-reference option', (options) => options.map((o) => o.value));
    assert.deepEqual(new Set(offered), new Set([referenceId, studentId]));
    await page.selectOption('#compare-reference', referenceId);
    await page.selectOption('#compare-student', studentId);
    await page.check('input[name="mirror"][value="auto"]');
    await shot(page, 'compare-1-pick');
    await page.evaluate(() => {
      window.seenProgress = [];
      const bar = document.getElementById('processing-progress');
      new MutationObserver(() => window.seenProgress.push(Number(bar.getAttribute('aria-valuenow'))))
        .observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    const started = page.waitForResponse((r) => r.url().endsWith('/api/compare') && r.request().method() === 'POST');
    await page.click('#compare-start');
    const response = await started;
    assert.equal(response.status(), 202, await response.text());
    const id = (await response.json()).session_id;
    await page.waitForSelector('#view-processing:not([hidden])');
    assert.equal(await text(page, '#processing-verb'), 'Comparing');
    await page.waitForSelector('#view-comparison:not([hidden])', { timeout: 60000 });
    const seen = await page.evaluate(() => window.seenProgress);
    assert.ok(seen.some((v) => v > 0), `progress was shown (${seen.join(',')})`);
    assert.equal(new URL(page.url()).hash, `#/compare/${id}`);

    // Every number on the page is the server's comparison.json.
    const body = await (await fetch(`${server.base}/api/compare/${id}`)).json();
    assert.equal(body.status, 'completed');
    const c = body.comparison;
    console.log(`# comparison: similarity ${c.similarity} offset ${c.offset_s} tempo ${c.tempo_ratio} mirror ${c.mirror}`);
    assert.equal(await text(page, '#cmp-similarity'), String(Math.round(c.similarity)));
    // A copy of the reference is the same choreography: offset and tempo are given.
    assert.notEqual(c.different_choreography, true);
    const offset = Math.abs(c.offset_s).toFixed(2);
    assert.equal(await text(page, '#cmp-offset'), offset === '0.00' ? '0.00 s' : `${c.offset_s > 0 ? '+' : '−'}${offset} s`);
    assert.equal(await text(page, '#cmp-tempo'), `${c.tempo_ratio.toFixed(2)}×`);
    assert.ok(await page.isHidden('#cmp-different'));
    assert.equal(await text(page, '#cmp-mirror'), c.mirror ? 'Mirrored' : 'As filmed');
    // The student is the reference's video flipped left-right: auto must find the mirror.
    assert.equal(c.mirror, true);
    assert.ok(c.similarity >= 60, `a mirrored copy is close to its reference (${c.similarity})`);
    for (const [part, score] of Object.entries(c.body_parts)) {
      assert.equal(await text(page, `#cmp-body-bars li[data-part="${part}"] .bar-value`), `${Math.round(score)} / 100`, part);
    }
    assert.equal(await page.locator('#cmp-body-bars li').count(), 6);
    assert.equal(await text(page, '#comparison-title'), 'teacher.mp4 vs student facing.mp4');

    // The side-by-side video plays.
    const t0 = await page.evaluate(async () => {
      const v = document.getElementById('compare-video');
      v.muted = true;
      await v.play();
      return v.currentTime;
    });
    // Waits for the clock to move (a deadline, not a guessed pause: a busy machine plays late).
    await page.waitForFunction((start) => document.getElementById('compare-video').currentTime > start, t0, { timeout: 20000 });
    const playing = await page.evaluate(() => {
      const v = document.getElementById('compare-video');
      v.pause();
      return { readyState: v.readyState, t1: v.currentTime, width: v.videoWidth, height: v.videoHeight };
    });
    assert.ok(playing.readyState >= 2, `video readyState ${playing.readyState}`);
    assert.ok(playing.t1 > t0, `video time advances ${t0} -> ${playing.t1}`);
    assert.ok(playing.width > playing.height, `side by side is wide (${playing.width}x${playing.height})`);

    // Worst moments: as many as the server sent; clicking one seeks the video to its reference time.
    const moments = c.worst_moments;
    assert.equal(await page.locator('#cmp-worst .worst-moment').count(), moments.length);
    if (moments.length > 0) {
      const last = moments[moments.length - 1];
      const button = page.locator('#cmp-worst .worst-moment').nth(moments.length - 1);
      assert.match(await button.textContent(), new RegExp(`${Math.round(last.deviation_deg)}°`));
      await button.click();
      await page.waitForFunction((target) => Math.abs(document.getElementById('compare-video').currentTime - target) < 0.1, last.t_reference);
      assert.equal(await button.getAttribute('aria-current'), 'true');
    } else {
      t.diagnostic('the server found no worst moments; the jump was not checked');
    }

    // The chart seeks too, by keyboard.
    await page.focus('#cmp-timeline');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => Math.abs(document.getElementById('compare-video').currentTime - 1) < 0.1);
    await page.waitForFunction(() => document.getElementById('cmp-timeline').getAttribute('aria-valuenow') === '1');
    await shot(page, 'compare-2-results');
    // Phone width: nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(200);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the comparison fits 360 px');
    await shot(page, 'compare-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The session list marks the comparison; opening it again shows the same numbers.
    const row = page.locator(`.session[data-session-id="${id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Comparison/);
    await page.goto(`${server.base}/#/`);
    await page.locator(`.session[data-session-id="${id}"] button`, { hasText: 'Open' }).click();
    await page.waitForSelector('#view-comparison:not([hidden])');
    assert.equal(await text(page, '#cmp-similarity'), String(Math.round(c.similarity)));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the same analysis twice is refused with the reason; the picker stays usable', async (t) => {
    if (server.kind !== 'real') {
      t.skip('needs the real server');
      return;
    }
    const { page, context } = await openPage();
    await page.waitForSelector('#compare-start:not([disabled])');
    await page.selectOption('#compare-reference', referenceId);
    await page.selectOption('#compare-student', referenceId);
    await page.click('#compare-start');
    const toast = page.locator('.toast-error').last();
    await toast.waitFor();
    assert.match(await toast.textContent(), /two different analyses/);
    assert.equal(await page.isHidden('#view-compare'), false);
    // The server gives its own reason when asked directly.
    const res = await fetch(`${server.base}/api/compare`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reference_id: referenceId, student_id: referenceId }),
    });
    assert.equal(res.status, 400);
    assert.match((await res.json()).detail, /same session/);
    await context.close();
  });

  test('accessibility: axe-core finds no serious or critical violations on the compare screens', async (t) => {
    if (server.kind !== 'real') {
      t.skip('needs the real server');
      return;
    }
    const { page, context } = await openPage('#/compare', { bypassCSP: true }); // only to inject axe
    await page.waitForSelector('#view-compare:not([hidden])');
    await page.addScriptTag({ content: axeSource });
    const scan = () => page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    });
    assert.deepEqual(await scan(), []);
    const list = await (await fetch(`${server.base}/api/sessions`)).json();
    const done = list.sessions.find((s) => s.kind === 'comparison' && s.status === 'completed');
    if (!done) {
      t.skip('no completed comparison: results screen not scanned');
      await context.close();
      return;
    }
    await page.evaluate((id) => { location.hash = `#/compare/${id}`; }, done.session_id);
    await page.waitForSelector('#view-comparison:not([hidden])');
    assert.deepEqual(await scan(), []);
    await shot(page, 'compare-3-axe');
    await context.close();
  });
});
