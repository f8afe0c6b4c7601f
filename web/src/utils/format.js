// Display formats: 2024-06-30 14:05 for times, 2024年6月 for periods (English: Jun 2024).
// Times are shown in Beijing time (the server's day boundaries, e.g. the audit filter, are
// Beijing days too), whatever the browser's own time zone.
import { locale } from '../i18n/index.js';

const pad = (n) => String(n).padStart(2, '0');
const TIME_ZONE = 'Asia/Shanghai';

let partsFormatter = null;
try {
  partsFormatter = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
} catch { partsFormatter = null; }

// { y, mo, d, h, mi, s } of an instant in Beijing time (local time if Intl lacks the zone).
function parts(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  if (partsFormatter) {
    const p = {};
    for (const { type, value } of partsFormatter.formatToParts(date)) p[type] = value;
    return { y: p.year, mo: p.month, d: p.day, h: p.hour === '24' ? '00' : p.hour, mi: p.minute, s: p.second };
  }
  return {
    y: String(date.getFullYear()), mo: pad(date.getMonth() + 1), d: pad(date.getDate()),
    h: pad(date.getHours()), mi: pad(date.getMinutes()), s: pad(date.getSeconds()),
  };
}

export function formatDateTime(iso) {
  const p = parts(iso);
  if (!p) return iso ? String(iso) : '';
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}`;
}

export function formatDateTimeSeconds(iso) {
  const p = parts(iso);
  if (!p) return iso ? String(iso) : '';
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}`;
}

export function formatDate(iso) {
  const p = parts(iso);
  if (!p) return iso ? String(iso) : '';
  return `${p.y}-${p.mo}-${p.d}`;
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

// Today's date in Beijing time: 2024年6月30日 星期日 / Sunday 30 June 2024.
export function formatToday() {
  const now = new Date();
  const p = parts(now.toISOString());
  const wdIndex = new Date(Date.UTC(Number(p.y), Number(p.mo) - 1, Number(p.d))).getUTCDay();
  if (locale.value === 'zh-CN') {
    return `${p.y}年${Number(p.mo)}月${Number(p.d)}日 星期${'日一二三四五六'[wdIndex]}`;
  }
  const wd = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][wdIndex];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${wd} ${Number(p.d)} ${months[Number(p.mo) - 1]} ${p.y}`;
}

export function prettyJson(v) {
  if (v === null || v === undefined) return '';
  try { return JSON.stringify(v, null, 2); } catch { return String(v); }
}
