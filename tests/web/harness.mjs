// Shared set-up for the browser tests: a generated test video, the server under test (the real
// `dancedynamics serve`, or the contract double when none is built), and headless Chromium.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startContractServer } from './contract_server.mjs';

export const kRepoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const kWebDir = path.join(kRepoDir, 'web');
export const kArtifactDir = process.env.DD_WEB_ARTIFACTS || path.join(kRepoDir, 'build', 'web-artifacts');

/** Returns the path of a small H.264 (+ AAC when audio) MP4 made with ffmpeg's test sources. */
export function makeVideo(dir, { name = 'clip.mp4', seconds = 2, fps = 15, size = '320x240', audio = true } = {}) {
  const out = path.join(dir, name);
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}:duration=${seconds}`];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', 'aac', '-shortest');
  args.push('-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast', out);
  execFileSync('ffmpeg', args);
  return out;
}

/**
 * Returns the path of an MP4 with a person in it: Debian's opencv-doc messi5.jpg turning to and fro
 * (so the pose changes over time), optionally mirrored, with a tone. Pose models find him in every frame.
 */
export function makeDancerVideo(dir, { name = 'dancer.mp4', seconds = 2, fps = 15, mirrored = false } = {}) {
  const out = path.join(dir, name);
  const image = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';
  const filter = `scale=320:-2,rotate=0.3*sin(2*PI*t/1.5):fillcolor=black${mirrored ? ',hflip' : ''}`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-i', image, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    '-t', String(seconds), '-r', String(fps), '-vf', filter, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast',
    '-c:a', 'aac', '-shortest', out]);
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function serverBinary() {
  const bin = process.env.DD_SERVER_BIN || path.join(kRepoDir, 'build', 'src', 'app', 'dancedynamics');
  if (!fs.existsSync(bin)) return null;
  try {
    const help = execFileSync(bin, ['--help'], { timeout: 5000 }).toString();
    return /^\s+serve\s/m.test(help) ? bin : null; // null: built, but without the serve command yet
  } catch {
    return null;
  }
}

async function waitForHealth(base, child, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${base} did not become healthy in ${timeoutMs} ms`);
}

/**
 * Starts the server under test on an ephemeral port with a temporary DATA_DIR. Returns
 * {base, kind: 'real'|'contract', dataDir, log(), close()}.
 */
export async function startServer() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-web-'));
  const bin = process.env.DD_WEB_SERVER === 'contract' ? null : serverBinary();
  if (!bin) {
    if (process.env.DD_WEB_SERVER === 'real') throw new Error('DD_WEB_SERVER=real but no dancedynamics with a serve command was found');
    const double = await startContractServer({ webDir: kWebDir, dataDir });
    return {
      base: `http://127.0.0.1:${double.port}`, kind: 'contract', dataDir, log: () => '',
      close: async () => { await double.close(); fs.rmSync(dataDir, { recursive: true, force: true }); },
    };
  }
  const port = await freePort();
  let output = '';
  const child = spawn(bin, ['serve'], {
    env: { ...process.env, API_HOST: '127.0.0.1', API_PORT: String(port), DATA_DIR: dataDir, WEB_DIR: kWebDir, DD_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, child, 15000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${output}`);
  }
  return {
    base, kind: 'real', dataDir, log: () => output,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's Chromium headless (never a downloaded browser). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.DD_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
}

/** Saves a full-page screenshot under the artefact folder; returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(kArtifactDir, { recursive: true });
  const file = path.join(kArtifactDir, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky bar belongs at the top of a full-page shot
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
