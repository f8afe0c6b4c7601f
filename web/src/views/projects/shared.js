// Helpers shared by the key-projects (重点项目) views: stage / level / status words and tag
// colours, amounts in 亿元 (decimal strings, never through binary floating point for display),
// dates, months, and the option lists of the filters.
import { t, locale } from '../../i18n/index.js';
import { fmtNum } from '../indicators/shared.js';

export { fmtNum, useUnitTree, codeOptions, findUnit, homeUnitCode } from '../indicators/shared.js';

export const STAGES = ['planning', 'signed', 'started', 'completed', 'producing', 'effective'];
export const LEVELS = ['province', 'city', 'district'];
export const CATEGORIES = ['industry', 'infrastructure', 'social', 'urban_renewal', 'agriculture'];
export const STATUSES = ['正常', '滞后', '严重滞后'];
export const PROBLEM_CATEGORIES = ['land', 'funding', 'approval', 'environment', 'demolition', 'utilities', 'other'];

function word(prefix, v, fallback) {
  if (!v) return fallback || '';
  const k = `${prefix}.${v}`;
  const s = t(k);
  return s === k ? (fallback || v) : s;
}
export const stageText = (s, fb) => word('prj.stage', s, fb);
export const levelText = (s, fb) => word('prj.level', s, fb);
export const categoryText = (s, fb) => word('prj.category', s, fb);
export const statusText = (s) => word('prj.status', s, s);
export const problemCategoryText = (s, fb) => word('prj.problemCategory', s, fb);

// 正常 green, 滞后 orange, 严重滞后 red.
export function statusTagType(s) {
  return s === '严重滞后' ? 'danger' : s === '滞后' ? 'warning' : s === '正常' ? 'success' : 'info';
}
export function statusClass(s) {
  return s === '严重滞后' ? 'serious' : s === '滞后' ? 'lagging' : s === '正常' ? 'normal' : 'none';
}
export const STATUS_COLORS = { 正常: '#1a8a3a', 滞后: '#e08a00', 严重滞后: '#c8161d' };

// stage tag: later stages darker
export function stageTagType(s) {
  const i = STAGES.indexOf(s);
  if (i <= 0) return 'info';
  if (i <= 1) return 'primary';
  if (i <= 2) return 'primary';
  return 'success';
}
export const stageIndex = (s) => STAGES.indexOf(s);

// amounts in 亿元: two decimals
export const yi = (s) => fmtNum(s, 2);
// completion percent, one decimal; null → '—'
export const pct = (s) => fmtNum(s, 1);
// a number for a bar width (display only)
export function pctWidth(s) {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(100, n);
}

// ---------- dates ----------
const pad = (n) => String(n).padStart(2, '0');

// today in Beijing, 'YYYY-MM-DD'
export function todayIso(now = new Date()) {
  const bj = new Date(now.getTime() + 8 * 3600 * 1000);
  return `${bj.getUTCFullYear()}-${pad(bj.getUTCMonth() + 1)}-${pad(bj.getUTCDate())}`;
}
export function thisMonth(now = new Date()) { return todayIso(now).slice(0, 7); }
export function thisYear(now = new Date()) { return Number(todayIso(now).slice(0, 4)); }
export function shiftMonth(key, n) {
  const m = /^(\d{4})-(\d{2})$/.exec(key || '');
  if (!m) return key;
  const idx = Number(m[1]) * 12 + (Number(m[2]) - 1) + n;
  return `${Math.floor(idx / 12)}-${pad((idx % 12) + 1)}`;
}
export const lastMonth = (now = new Date()) => shiftMonth(thisMonth(now), -1);

// '2024-06-30' → 2024年6月30日 (zh) / 2024-06-30 (en); '' → '—'
export function fmtDate(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return locale.value === 'zh-CN' ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : `${m[1]}-${m[2]}-${m[3]}`;
}
// short: 2024.6.30
export function fmtDateShort(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : '—';
}
// days between two ISO dates (b - a)
export function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

// the message of an API error, with the field reasons appended when the message alone is vague
export function fieldErrorsOf(e) {
  return e && typeof e.fieldErrors === 'function' ? e.fieldErrors() : {};
}
