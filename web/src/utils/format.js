// Display formats: 2024-06-30 14:05 for times, 2024年6月 for periods (English: Jun 2024).
import { locale } from '../i18n/index.js';

const pad = (n) => String(n).padStart(2, '0');

export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDateTimeSeconds(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${formatDateTime(iso)}:${pad(d.getSeconds())}`;
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// '2024-06' → 2024年6月, '2024Q2' → 2024年第二季度, '2024H1' → 2024年上半年, '2024' → 2024年
export function formatPeriod(p) {
  if (!p) return '';
  const s = String(p);
  const zh = locale.value === 'zh-CN';
  let m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) return zh ? `${m[1]}年${Number(m[2])}月` : `${EN_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  m = /^(\d{4})Q([1-4])$/.exec(s);
  if (m) return zh ? `${m[1]}年第${'一二三四'[Number(m[2]) - 1]}季度` : `Q${m[2]} ${m[1]}`;
  m = /^(\d{4})H([12])$/.exec(s);
  if (m) return zh ? `${m[1]}年${m[2] === '1' ? '上' : '下'}半年` : `H${m[2]} ${m[1]}`;
  m = /^(\d{4})$/.exec(s);
  if (m) return zh ? `${m[1]}年` : m[1];
  return s;
}

export function formatToday() {
  const d = new Date();
  if (locale.value === 'zh-CN') {
    const wd = '日一二三四五六'[d.getDay()];
    return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 星期${wd}`;
  }
  return d.toLocaleDateString('en-GB', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

export function prettyJson(v) {
  if (v === null || v === undefined) return '';
  try { return JSON.stringify(v, null, 2); } catch { return String(v); }
}
