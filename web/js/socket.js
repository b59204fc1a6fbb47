// Live progress for one analysis: a WebSocket with ping, reconnect with exponential backoff, and a
// results-poll fallback while the socket is down or silent, so the page always reaches an end state.

import { backoffDelayMs } from './backoff.js';

/** Returns the ws:// or wss:// URL for a server path such as "/ws/abc" relative to a page URL. */
export function websocketUrl(pathOrUrl, pageHref) {
  const url = new URL(pathOrUrl, pageHref);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}

export class ProgressConnection {
  /**
   * options: url, pollResults() -> Promise<results API body>, onProgress(msg), onComplete(body|null),
   * onError(message), onLink(state: 'connecting'|'live'|'reconnecting'|'polling'), and for tests
   * WebSocketImpl, timers {setTimeout, clearTimeout, setInterval, clearInterval}, random.
   */
  constructor(options) {
    this.options = {
      pingMs: 15000,
      silenceMs: 20000,
      pollMs: 2000,
      backoff: { baseMs: 500, maxMs: 8000 },
      WebSocketImpl: globalThis.WebSocket,
      timers: globalThis,
      random: Math.random,
      ...options,
    };
    this.attempt = 0;
    this.finished = false;
    this.socket = null;
    this.reconnectTimer = null;
    this.pingTimer = null;
    this.pollTimer = null;
    this.lastMessageAt = 0;
    this.polling = false;
  }

  start() {
    this.connect();
  }

  /** Stops the socket and every timer; no callback fires afterwards. */
  stop() {
    this.finished = true;
    const { timers } = this.options;
    timers.clearTimeout(this.reconnectTimer);
    timers.clearInterval(this.pingTimer);
    timers.clearInterval(this.pollTimer);
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.onmessage = null;
      this.socket.onerror = null;
      try { this.socket.close(); } catch { /* already closed */ }
      this.socket = null;
    }
  }

  connect() {
    if (this.finished) return;
    const { WebSocketImpl, timers } = this.options;
    this.link(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket;
    try {
      socket = new WebSocketImpl(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.lastMessageAt = Date.now();
      this.link('live');
      this.stopPolling();
      timers.clearInterval(this.pingTimer);
      this.pingTimer = timers.setInterval(() => this.heartbeat(), this.options.pingMs);
    };
    socket.onmessage = (event) => this.handle(event.data);
    socket.onerror = () => {}; // onclose follows and does the work
    socket.onclose = () => {
      timers.clearInterval(this.pingTimer);
      this.socket = null;
      if (!this.finished) this.scheduleReconnect();
    };
  }

  heartbeat() {
    if (!this.socket || this.finished) return;
    try { this.socket.send(JSON.stringify({ type: 'ping' })); } catch { /* closing */ }
    // An open but silent socket (proxy dropped it) must not stall the page: ask the REST API.
    if (Date.now() - this.lastMessageAt > this.options.silenceMs) this.pollOnce();
  }

  scheduleReconnect() {
    if (this.finished) return;
    const delay = backoffDelayMs(this.attempt, { ...this.options.backoff, random: this.options.random });
    this.attempt += 1;
    this.link('reconnecting');
    this.startPolling();
    this.options.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.options.timers.setTimeout(() => this.connect(), delay);
  }

  startPolling() {
    if (this.polling || this.finished) return;
    this.polling = true;
    this.pollOnce();
    this.pollTimer = this.options.timers.setInterval(() => this.pollOnce(), this.options.pollMs);
  }

  stopPolling() {
    this.polling = false;
    this.options.timers.clearInterval(this.pollTimer);
  }

  async pollOnce() {
    if (this.finished) return;
    let body;
    try {
      body = await this.options.pollResults();
    } catch {
      return; // server unreachable for now: keep trying
    }
    if (this.finished || !body) return;
    if (body.success && body.results) this.finish(() => this.options.onComplete(body));
    else if (body.status === 'failed' || body.status === 'cancelled') {
      this.finish(() => this.options.onError(body.error || body.detail || `Analysis ${body.status}.`));
    } else if (Number.isFinite(body.progress)) {
      this.options.onProgress({ progress: body.progress, stage: body.stage || body.status, status: body.status, queue_position: body.queue_position });
    }
  }

  finish(callback) {
    if (this.finished) return;
    this.stop();
    callback();
  }

  handle(raw) {
    this.lastMessageAt = Date.now();
    let msg;
    try {
      msg = JSON.parse(raw);
    } catch {
      return; // a plain "pong"
    }
    switch (msg?.type) {
      case 'connected':
        // The server follows `connected` with `complete` or `error` for a finished session; the
        // poll covers a server that does not.
        if (['completed', 'failed', 'cancelled'].includes(msg.status)) this.pollOnce();
        else if (msg.progress && typeof msg.progress === 'object') this.options.onProgress({ status: msg.status, ...msg.progress });
        else if (Number.isFinite(msg.progress)) this.options.onProgress(msg);
        break;
      case 'progress':
        this.options.onProgress(msg);
        break;
      case 'complete':
        this.finish(() => this.options.onComplete(msg.results ? { success: true, results: msg.results, download_url: msg.download_url } : null));
        break;
      case 'error':
        this.finish(() => this.options.onError(msg.error || msg.detail || msg.message || 'Analysis failed.'));
        break;
      default:
        break; // pong, keepalive
    }
  }

  link(state) {
    this.options.onLink?.(state);
  }
}
