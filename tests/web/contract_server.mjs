// A stand-in for the C++ server that follows the DESIGN.md §5 contract, used by the browser tests
// only when no `dancedynamics serve` binary is available (DD_WEB_SERVER=contract forces it).
// It serves web/, probes uploads with ffprobe, "analyses" by emitting progress over ~1.5 s and
// answers with results computed from the probe (frame counts, durations), never real poses.
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const kTypes = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.mp4': 'video/mp4' };

function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function parseMultipart(buffer, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType || '');
  if (!m) return null;
  const boundary = Buffer.from(`--${m[1] || m[2]}`);
  let pos = buffer.indexOf(boundary);
  while (pos >= 0) {
    const next = buffer.indexOf(boundary, pos + boundary.length);
    if (next < 0) break;
    const part = buffer.subarray(pos + boundary.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString();
    const name = /name="([^"]*)"/.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (name === 'file') return { filename, data: part.subarray(headerEnd + 4) };
    pos = next;
  }
  return null;
}

function wsFrame(text) {
  const payload = Buffer.from(text);
  const header = payload.length < 126 ? Buffer.from([0x81, payload.length])
    : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 255]);
  if (payload.length >= 65536) throw new Error('frame too large for the test double');
  return Buffer.concat([header, payload]);
}

function wsDecode(buffer) {
  const messages = [];
  let off = 0;
  while (off + 2 <= buffer.length) {
    const opcode = buffer[off] & 15;
    let len = buffer[off + 1] & 127;
    let p = off + 2;
    if (len === 126) { len = buffer.readUInt16BE(p); p += 2; }
    const mask = buffer.subarray(p, p + 4);
    p += 4;
    if (p + len > buffer.length) break;
    const data = Buffer.from(buffer.subarray(p, p + len));
    for (let i = 0; i < data.length; i += 1) data[i] ^= mask[i % 4];
    messages.push({ opcode, text: data.toString() });
    off = p + len;
  }
  return messages;
}

/** Starts the double on port (0 = ephemeral) serving webDir; resolves to {port, close()}. */
export function startContractServer({ webDir, dataDir, port = 0, stepMs = 100 }) {
  const sessions = new Map();
  const sockets = new Map(); // id -> Set of sockets

  const broadcast = (id, msg) => {
    for (const s of sockets.get(id) ?? []) s.write(wsFrame(JSON.stringify(msg)));
  };

  const resultsOf = (s) => {
    const n = s.frameCount;
    const t = [];
    const intensity = [];
    const velocity = [];
    const types = [];
    for (let i = 0; i < Math.round(s.duration * 10); i += 1) {
      t.push(i / 10);
      intensity.push(50 + 40 * Math.sin(i / 5));
      velocity.push(0.05 + 0.04 * Math.cos(i / 7));
      types.push(i < 10 ? 'Standing' : 'Dancing');
    }
    return {
      video_info: { filename: s.filename, fps: s.fps, frame_count: n, width: s.width, height: s.height, duration: s.duration, size_bytes: s.size, has_audio: false },
      processing: { total_frames: n, frames_with_pose: n, detection_rate: 1, processing_time: 1.5, realtime_factor: s.duration / 1.5, model: s.model },
      pose_analysis: { average_confidence: 0.9, keypoints_detected: 33 },
      movement_analysis: { movement_type: 'Dancing', intensity: 62, velocity: 0.05, body_part_activity: { head: 20, torso: 30, left_arm: 70, right_arm: 65, left_leg: 45, right_leg: 40 }, movement_distribution: { Standing: 0.2, Dancing: 0.8 } },
      rhythm_analysis: { has_rhythm: true, estimated_bpm: 118, rhythm_consistency: 74, peak_count: 6, peak_times: [], music: { has_audio: false } },
      smoothness_score: 71,
      timeline: { t, intensity, velocity, movement_type: types },
      summary: { most_active_body_part: 'left_arm' },
    };
  };

  const runJob = (s) => {
    s.status = 'processing';
    let step = 0;
    const steps = 15;
    s.timer = setInterval(() => {
      step += 1;
      s.progress = step / steps;
      broadcast(s.id, { type: 'progress', progress: s.progress, stage: 'pose', message: 'Finding poses', frame: Math.round(s.frameCount * s.progress), total: s.frameCount, fps: 30, eta_s: (steps - step) * stepMs / 1000 });
      if (step === steps) {
        clearInterval(s.timer);
        s.status = 'completed';
        s.results = resultsOf(s);
        fs.copyFileSync(s.file, path.join(s.dir, 'overlay.mp4'));
        broadcast(s.id, { type: 'complete', results: s.results, download_url: `/api/download/${s.id}` });
      }
    }, stepMs);
  };

  const serveFile = (req, res, file, type) => {
    if (!fs.existsSync(file)) return sendJson(res, 404, { detail: 'Not found' });
    const size = fs.statSync(file).size;
    const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range || '');
    if (range) {
      const start = Number(range[1] || 0);
      const end = range[2] ? Number(range[2]) : size - 1;
      res.writeHead(206, { 'Content-Type': type, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1, 'Accept-Ranges': 'bytes' });
      fs.createReadStream(file, { start, end }).pipe(res);
    } else {
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'Accept-Ranges': 'bytes' });
      fs.createReadStream(file).pipe(res);
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const parts = url.pathname.split('/').filter(Boolean);
    const session = sessions.get(parts[2]);
    if (req.method === 'POST' && url.pathname === '/api/upload') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const file = parseMultipart(Buffer.concat(chunks), req.headers['content-type']);
        if (!file) return sendJson(res, 422, { detail: 'No file field in the form' });
        if (!/\.(mp4|mov|avi|mkv|webm|m4v)$/i.test(file.filename)) return sendJson(res, 400, { detail: `Unsupported file type: ${file.filename}` });
        const id = crypto.randomUUID();
        const dir = path.join(dataDir, id);
        fs.mkdirSync(dir, { recursive: true });
        const saved = path.join(dir, `input${path.extname(file.filename)}`);
        fs.writeFileSync(saved, file.data);
        let probe;
        try {
          probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=width,height,r_frame_rate,nb_read_frames:format=duration', '-of', 'json', saved]).toString());
        } catch {
          fs.rmSync(dir, { recursive: true, force: true });
          return sendJson(res, 400, { detail: `Not a decodable video: ${file.filename}` });
        }
        const st = probe.streams?.[0];
        if (!st) return sendJson(res, 400, { detail: `No video stream in ${file.filename}` });
        const [num, den] = st.r_frame_rate.split('/').map(Number);
        const s = { id, dir, file: saved, filename: file.filename, size: file.data.length, width: st.width, height: st.height, fps: num / den, frameCount: Number(st.nb_read_frames), duration: Number(probe.format.duration), status: 'uploaded', progress: 0, created: new Date().toISOString() };
        sessions.set(id, s);
        sendJson(res, 200, { success: true, session_id: id, filename: s.filename, size: s.size, duration: s.duration, resolution: `${s.width}x${s.height}`, fps: s.fps, frame_count: s.frameCount });
      });
      return;
    }
    if (req.method === 'POST' && parts[1] === 'analyze') {
      if (!session) return sendJson(res, 404, { detail: 'Session not found' });
      if (session.status !== 'uploaded') return sendJson(res, 409, { detail: 'Analysis already started' });
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        session.model = (body && JSON.parse(body).model) || 'full';
        sendJson(res, 202, { success: true, message: 'Analysis started', session_id: session.id, websocket_url: `/ws/${session.id}` });
        runJob(session);
      });
      return;
    }
    if (req.method === 'GET' && parts[1] === 'results') {
      if (!session) return sendJson(res, 404, { detail: 'Session not found' });
      if (session.status === 'completed') return sendJson(res, 200, { success: true, session_id: session.id, status: 'completed', results: session.results, download_url: `/api/download/${session.id}` });
      return sendJson(res, 200, { success: false, status: session.status, progress: session.progress, results: null });
    }
    if (req.method === 'GET' && parts[1] === 'download') {
      if (!session || session.status !== 'completed') return sendJson(res, 404, { detail: 'No overlay video' });
      return serveFile(req, res, path.join(session.dir, 'overlay.mp4'), 'video/mp4');
    }
    if (req.method === 'GET' && parts[1] === 'video') {
      if (!session) return sendJson(res, 404, { detail: 'Session not found' });
      return serveFile(req, res, session.file, 'video/mp4');
    }
    if (req.method === 'GET' && parts[1] === 'export') {
      if (!session || session.status !== 'completed') return sendJson(res, 404, { detail: 'No results yet' });
      if (parts[3] === 'results.json') return sendJson(res, 200, session.results);
      if (parts[3] === 'landmarks.csv') { res.writeHead(200, { 'Content-Type': 'text/csv' }); return res.end('frame,t,landmark,x,y,z,visibility\n'); }
      if (parts[3] === 'landmarks.json') {
        const frames = [];
        for (let i = 0; i < session.frameCount; i += 1) {
          const wave = Math.sin(i / 4) * 0.05;
          frames.push({ index: i, t: i / session.fps, landmarks: Array.from({ length: 33 }, (_, k) => [0.5 + (k % 2 ? -1 : 1) * (0.02 + 0.004 * k) + wave, 0.15 + k * 0.022, 0, 0.9]), world: null });
        }
        return sendJson(res, 200, { video: session.filename, width: session.width, height: session.height, fps: session.fps, model: session.model, frames });
      }
      return sendJson(res, 404, { detail: 'Unknown export' });
    }
    if (req.method === 'GET' && url.pathname === '/api/sessions') {
      return sendJson(res, 200, { sessions: [...sessions.values()].reverse().map((s) => ({ session_id: s.id, filename: s.filename, status: s.status, created_at: s.created, progress: s.progress })) });
    }
    if (req.method === 'DELETE' && parts[1] === 'session') {
      if (!session) return sendJson(res, 404, { detail: 'Session not found' });
      clearInterval(session.timer);
      sessions.delete(session.id);
      fs.rmSync(session.dir, { recursive: true, force: true });
      return sendJson(res, 200, { success: true });
    }
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'healthy', models_loaded: true, active_sessions: sessions.size, queue_depth: 0, version: 'contract-double' });
    if (req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
      const file = path.resolve(webDir, rel);
      if (!file.startsWith(path.resolve(webDir))) return sendJson(res, 404, { detail: 'Not found' });
      return serveFile(req, res, file, kTypes[path.extname(file)] || 'application/octet-stream');
    }
    sendJson(res, 404, { detail: 'Not found' });
  });

  server.on('upgrade', (req, socket) => {
    const id = req.url.split('/').filter(Boolean)[1];
    const accept = crypto.createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const s = sessions.get(id);
    if (!s) {
      socket.write(wsFrame(JSON.stringify({ type: 'error', error: 'Session not found' })));
      socket.end(Buffer.from([0x88, 0]));
      return;
    }
    if (!sockets.has(id)) sockets.set(id, new Set());
    sockets.get(id).add(socket);
    socket.write(wsFrame(JSON.stringify({ type: 'connected', session_id: id, status: s.status, progress: s.progress })));
    socket.on('data', (buf) => {
      for (const m of wsDecode(buf)) {
        if (m.opcode === 8) socket.end(Buffer.from([0x88, 0]));
        else if (m.opcode === 1 && m.text.includes('ping')) socket.write(wsFrame(JSON.stringify({ type: 'pong' })));
      }
    });
    const drop = () => sockets.get(id)?.delete(socket);
    socket.on('close', drop);
    socket.on('error', drop);
  });

  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({
      port: server.address().port,
      close: () => new Promise((done) => {
        for (const set of sockets.values()) for (const s of set) s.destroy();
        for (const s of sessions.values()) clearInterval(s.timer);
        server.close(() => done());
        server.closeAllConnections?.();
      }),
    }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const webDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web');
  const dataDir = fs.mkdtempSync('/tmp/dd-contract-');
  startContractServer({ webDir, dataDir, port: Number(process.env.API_PORT || 7860), stepMs: 400 }).then(({ port }) => {
    console.log(`contract double on http://127.0.0.1:${port} (data in ${dataDir})`);
  });
}
