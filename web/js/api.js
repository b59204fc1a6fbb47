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

async function request(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError('The server could not be reached. Check that it is running.', 0);
  }
  const text = await response.text();
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
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch {
          reject(new ApiError('The server sent a reply that is not JSON.', xhr.status));
        }
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
};
