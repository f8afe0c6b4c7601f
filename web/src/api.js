// The one fetch wrapper of the app. Every call goes to /api/v1; mutations carry the CSRF token;
// an error answer {"error": {code, message, details}} becomes an ApiError whose message is the
// server's Chinese message (or a fitting local one), with the field details kept.
import { t } from './i18n/index.js';

const BASE = '/api/v1';

let csrfProvider = () => '';
let unauthorizedHandler = null;

// The pinia auth store registers where the CSRF token lives.
export function setCsrfProvider(fn) { csrfProvider = fn; }
// The router registers what a 401 does (clear the session, go to /login).
export function setUnauthorizedHandler(fn) { unauthorizedHandler = fn; }

export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
  }

  // { field: reason } for form items; several reasons for one field are joined.
  fieldErrors() {
    const out = {};
    for (const d of this.details) {
      if (!d || !d.field) continue;
      out[d.field] = out[d.field] ? `${out[d.field]}；${d.reason}` : d.reason;
    }
    return out;
  }

  get isConflict() { return this.status === 409; }
}

function fallbackMessage(status) {
  switch (status) {
    case 400: return t('error.invalid');
    case 401: return t('error.unauthenticated');
    case 403: return t('error.forbidden');
    case 404: return t('error.notFound');
    case 409: return t('error.conflict');
    case 413: return t('error.tooLarge');
    case 423: return t('error.locked');
    case 500: return t('error.internal');
    case 502: case 503: case 504: return t('error.unavailable');
    default: return t('error.unknown', { status });
  }
}

function buildQuery(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (v === true) params.set(k, '1');
    else if (v === false) continue;
    else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

// request('GET', '/users', { query: {page: 1} }) / request('POST', '/units', { body })
// Options: query, body, authRedirect (default true: a 401 triggers the registered handler).
export async function request(method, path, { query, body, authRedirect = true } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfProvider();
    if (token) headers['X-CSRF-Token'] = token;
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  let res;
  try {
    res = await fetch(BASE + path + buildQuery(query), init);
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (res.ok) return json ?? {};
  throw failure(res.status, json, authRedirect);
}

// The ApiError of an error answer whose body was read as `json` (null when not JSON).
function failure(status, json, authRedirect) {
  const err = json && json.error ? json.error : {};
  const e = new ApiError(status, err.code || `http_${status}`, err.message || fallbackMessage(status), err.details);
  if (status === 401 && authRedirect && unauthorizedHandler) unauthorizedHandler(e);
  return e;
}

// ---- Files: exports, templates, uploads (docs/API.md "Excel") ----

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The file name of a `Content-Disposition: attachment` header: the UTF-8 `filename*` when
// there is one (RFC 5987), else the plain `filename`, else `fallback`.
export function attachmentName(header, fallback) {
  if (header) {
    const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
    if (star) {
      try { return decodeURIComponent(star[1].trim()); } catch { /* fall through */ }
    }
    const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
    if (plain) return (plain[1] ?? plain[2]).trim();
  }
  return fallback;
}

// Hands a blob to the browser as a download named `name`.
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// One request whose answer may be a file: sends `file` (a Blob/File) as the raw body when
// given, with the session's cookie and CSRF token. Resolves to { file: {blob, name} } for a
// spreadsheet/CSV answer (any status in `fileStatuses` or 2xx), { json } for a JSON success;
// rejects with an ApiError carrying the server's Chinese message and details otherwise.
export async function fetchFile(method, path, { query, file, fallbackName = 'download.xlsx', fileStatuses = [] } = {}) {
  const headers = { Accept: `${XLSX_TYPE}, text/csv, application/json` };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfProvider();
    if (token) headers['X-CSRF-Token'] = token;
    headers['Content-Type'] = (file && file.type) || 'application/octet-stream';
    init.body = file ?? '';
  }
  let res;
  try {
    res = await fetch(BASE + path + buildQuery(query), init);
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const type = (res.headers.get('Content-Type') || '').toLowerCase();
  const isJson = type.includes('application/json');
  if ((res.ok || fileStatuses.includes(res.status)) && !isJson) {
    const blob = await res.blob();
    return { status: res.status, file: { blob, name: attachmentName(res.headers.get('Content-Disposition'), fallbackName) } };
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (res.ok) return { status: res.status, json: json ?? {} };
  throw failure(res.status, json, true);
}

// Downloads `path` (GET, with `query`) and saves it under the server's file name.
export async function download(path, query, fallbackName) {
  const r = await fetchFile('GET', path, { query, fallbackName });
  if (!r.file) throw new ApiError(500, 'not_a_file', t('error.internal'));
  saveBlob(r.file.blob, r.file.name);
  return r.file.name;
}

export const api = {
  get: (path, query, opts = {}) => request('GET', path, { ...opts, query }),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
  put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
  del: (path, body, opts = {}) => request('DELETE', path, { ...opts, body }),
};

// The message to show for an error of a request that sent a `version`: a 409 there means a
// stale version, said the same way everywhere; a 409 with field details (a duplicate name or
// code) keeps the server's own words.
export function errorMessage(e, { versioned = false } = {}) {
  if (!(e instanceof ApiError)) return e && e.message ? e.message : String(e);
  if (e.status === 409 && versioned && e.details.length === 0) return t('error.conflict');
  return e.message;
}

export default api;
