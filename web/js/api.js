// Calls to the DanceDynamics REST API. Every failure becomes an ApiError carrying the server's
// {"detail": "..."} text so the toast can show it.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

function detailOf(text, status) {
  try {
    const body = JSON.parse(text);
    if (typeof body?.detail === 'string') return body.detail;
    if (Array.isArray(body?.detail)) return body.detail.map((d) => d.msg ?? String(d)).join('; ');
    if (typeof body?.error === 'string') return body.error;
  } catch { /* not JSON */ }
  return status ? `Request failed (HTTP ${status}).` : 'The server could not be reached.';
}

// When the server sets API_TOKEN (docs/security.md) the app asks for it once per browser
// session: kept in sessionStorage and mirrored into a SameSite=Strict cookie, which the browser
// also sends with the WebSocket, <video> and download requests that cannot carry headers.
const kTokenKey = 'dd_token';

function storedToken() {
  try {
    return globalThis.sessionStorage?.getItem(kTokenKey) ?? '';
  } catch {
    return '';
  }
}

function setCookie(token) {
  if (typeof document === 'undefined') return;
  const secure = globalThis.location?.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${kTokenKey}=${encodeURIComponent(token)}; path=/; SameSite=Strict${secure}`;
}

/** Asks the user for the API token after a 401; returns whether one was given. */
export function askForToken() {
  const token = globalThis.prompt?.('This server needs an API token (ask its operator):', '') ?? '';
  if (!token.trim()) return false;
  try {
    globalThis.sessionStorage?.setItem(kTokenKey, token.trim());
  } catch { /* storage disabled: the cookie still works for this page */ }
  setCookie(token.trim());
  return true;
}

if (storedToken()) setCookie(storedToken());

function withToken(init = {}) {
  const token = storedToken();
  if (!token) return init;
  return { ...init, headers: { ...(init.headers ?? {}), Authorization: `Bearer ${token}` } };
}

async function request(path, init, retried = false) {
  let response;
  try {
    response = await fetch(path, withToken(init));
  } catch {
    throw new ApiError('The server could not be reached. Check that it is running.', 0);
  }
  const text = await response.text();
  if (response.status === 401 && !retried && askForToken()) return request(path, init, true);
  if (!response.ok) throw new ApiError(detailOf(text, response.status), response.status);
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError('The server sent a reply that is not JSON.', response.status);
  }
}

/** Uploads a file with progress(loaded, total) callbacks; resolves to the upload body. Returns {promise, abort}. */
export function uploadVideo(file, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', '/api/upload');
    const token = storedToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch {
          reject(new ApiError('The server sent a reply that is not JSON.', xhr.status));
        }
      } else if (xhr.status === 401 && askForToken()) {
        reject(new ApiError('Token saved: please upload again.', xhr.status));
      } else {
        reject(new ApiError(detailOf(xhr.responseText, xhr.status), xhr.status));
      }
    };
    xhr.onerror = () => reject(new ApiError('The upload failed: the server could not be reached.', 0));
    xhr.onabort = () => reject(new ApiError('Upload cancelled.', 0));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

export const startAnalysis = (id, model) =>
  request(`/api/analyze/${encodeURIComponent(id)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model }),
  });

/** Returns the results body; unlike other calls, a 200 with success:false (still running) is not an error. */
/** Queues a comparison of two analysed sessions; resolves to {session_id, websocket_url, ...}. */
export const startComparison = (choice) =>
  request('/api/compare', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(choice),
  });

/** Returns a comparison's status body (comparison.json under `comparison` once completed). */
export const getComparison = (id) => request(`/api/compare/${encodeURIComponent(id)}`);

export const getResults = (id) => request(`/api/results/${encodeURIComponent(id)}`);
export const listSessions = () => request('/api/sessions');
export const deleteSession = (id) => request(`/api/session/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const getHealth = () => request('/health');
export const getLandmarks = (id) => request(`/api/export/${encodeURIComponent(id)}/landmarks.json`);

export const urls = {
  video: (id) => `/api/video/${encodeURIComponent(id)}`,
  overlay: (id) => `/api/download/${encodeURIComponent(id)}`,
  export: (id, name) => `/api/export/${encodeURIComponent(id)}/${name}`,
  thumbnail: (id) => `/api/thumbnail/${encodeURIComponent(id)}`,
};
