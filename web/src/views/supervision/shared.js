// Helpers shared by the supervision (督查督办) views: light / state / source words and tag
// colours, dates (ISO in the API, 2026年6月30日 on screen), instants in milliseconds, the
// evidence upload (a raw body, not JSON), and the clock settings (profiles) read once.
import { ref } from 'vue';
import { api, ApiError } from '../../api.js';
import { t, locale } from '../../i18n/index.js';
import { useAuthStore } from '../../stores/auth.js';
import { formatDateTime } from '../../utils/format.js';

export { useUnitTree, codeOptions, findUnit, homeUnitCode } from '../indicators/shared.js';
export { fmtDate, todayIso } from '../projects/shared.js';

export const LIGHTS = ['red', 'yellow', 'green'];
export const STATES = ['assigned', 'received', 'in_progress', 'reported', 'closed', 'cancelled'];
export const SOURCES = ['meeting', 'instruction', 'higher'];
export const MEETING_KINDS = ['weekly', 'monthly', 'special'];
export const LIGHT_COLORS = { green: '#1a8a3a', yellow: '#e0a100', red: '#c8161d' };

// The server's Chinese name in Chinese; the local word otherwise (or when the server sent none).
function word(prefix, code, serverName) {
  if (!code) return serverName || '';
  if (locale.value === 'zh-CN' && serverName) return serverName;
  const k = `${prefix}.${code}`;
  const s = t(k);
  return s === k ? (serverName || code) : s;
}
export const lightText = (c, n) => word('sup.light', c, n);
export const stateText = (c, n) => word('sup.state', c, n);
export const sourceText = (c, n) => word('sup.source', c, n);
export const eventText = (c, n) => word('sup.event', c, n);
export const stepStateText = (c) => word('sup.stepState', c);
export const meetingKindText = (c, n) => word('sup.meetingKind', c, n);
export const profileText = (c, n) => word('sup.profile', c, n);

export function lightTagType(l) {
  return l === 'red' ? 'danger' : l === 'yellow' ? 'warning' : l === 'green' ? 'success' : 'info';
}
export function stateTagType(s) {
  switch (s) {
    case 'assigned': return 'info';
    case 'received': return 'primary';
    case 'in_progress': return 'primary';
    case 'reported': return 'warning';
    case 'closed': return 'success';
    case 'cancelled': return 'info';
    default: return 'info';
  }
}
export const isOpenState = (s) => s !== 'closed' && s !== 'cancelled';

// An instant (milliseconds, or an ISO string) → 2026-06-30 14:05 (Beijing time); null → '—'.
export function fmtAt(v) {
  if (v === null || v === undefined || v === '') return '—';
  return formatDateTime(typeof v === 'number' ? new Date(v).toISOString() : v);
}

// Bytes → '12.3 KB'.
export function fmtSize(n) {
  const v = Number(n);
  if (!Number.isFinite(v)) return '';
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KB`;
  return `${(v / 1024 / 1024).toFixed(1)} MB`;
}

// Unit name of {id, code, name} or '—'.
export const unitName = (u) => (u && u.name) || '—';
export const unitNames = (list) => (list && list.length ? list.map((u) => u.name).join('、') : '—');

// POST /tasks/{id}/files?name=... with the file as the raw body and its own Content-Type,
// carrying the CSRF token as api.js does. Answers the File; throws ApiError like api.js.
export async function uploadEvidence(taskId, file) {
  const auth = useAuthStore();
  const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' };
  if (auth.csrfToken) headers['X-CSRF-Token'] = auth.csrfToken;
  let res;
  try {
    res = await fetch(`/api/v1/tasks/${taskId}/files?name=${encodeURIComponent(file.name)}`, {
      method: 'POST', headers, body: file, credentials: 'same-origin', cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (res.ok) return json ?? {};
  const err = json && json.error ? json.error : {};
  throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || t(res.status === 413 ? 'error.tooLarge' : 'error.unknown', { status: res.status }), err.details);
}

export const fileUrl = (taskId, fileId) => `/api/v1/tasks/${taskId}/files/${fileId}`;

// The clock settings (profiles and their completion classes), read once per page load.
const settings = ref(null);
let settingsLoad = null;
export function useClockSettings() {
  if (!settingsLoad) {
    settingsLoad = api.get('/supervision/settings').then((r) => { settings.value = r; return r; })
      .catch((e) => { settingsLoad = null; throw e; });
  }
  return { settings, ready: settingsLoad };
}
export function resetClockSettings() { settingsLoad = null; settings.value = null; }

// The working days of a profile's completion step (for the assign dialog's hint).
export function completionDays(profile) {
  if (!profile) return null;
  const step = (profile.steps || []).find((s) => s.code === 'complete');
  return step ? step.working_days : null;
}
