// WebSocket load for scripts/loadtest.sh: CONNECTIONS sockets to /ws/<id>, each sending PINGS
// pings one after another and timing each pong. Prints one JSON line:
// {"messages", "errors", "seconds", "p50_ms", "p99_ms"}. The client is the npm package `ws`
// from tests/web (Debian 12's Node 18 has no WebSocket of its own).
import { createRequire } from 'node:module';

const WebSocket = createRequire(import.meta.url)('../tests/web/node_modules/ws');
const [url, connections = '100', pings = '50'] = process.argv.slice(2);
if (!url || !url.startsWith('ws://127.0.0.1:')) {
  console.error('usage: node ws_load.mjs ws://127.0.0.1:PORT/ws/ID [connections] [pings]');
  process.exit(2);
}
const latencies = [];
let errors = 0;

function run() {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    let sent = 0;
    let sentAt = 0;
    let finished = false;
    const finish = (failed) => {
      if (finished) return;
      finished = true;
      if (failed) errors += 1;
      try { socket.close(); } catch { /* already closed */ }
      resolve();
    };
    const ping = () => {
      sentAt = performance.now();
      sent += 1;
      socket.send('{"type":"ping"}');
    };
    const timer = setTimeout(() => finish(true), 30000);
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'connected') return ping();
      if (message.type !== 'pong') return undefined;
      latencies.push(performance.now() - sentAt);
      if (sent < Number(pings)) return ping();
      clearTimeout(timer);
      return finish(false);
    };
    socket.onerror = () => { clearTimeout(timer); finish(true); };
    socket.onclose = () => { clearTimeout(timer); finish(sent < Number(pings)); };
  });
}

const start = performance.now();
await Promise.all(Array.from({ length: Number(connections) }, run));
const seconds = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0);
console.log(JSON.stringify({ messages: latencies.length, errors, seconds, p50_ms: at(0.5), p99_ms: at(0.99) }));
