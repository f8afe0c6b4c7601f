// Helpers shared by the assessment (考评) views: item kind and rate words, points as numbers
// for display, months, and the period a league page opens on.
import { t } from '../../i18n/index.js';
import { api } from '../../api.js';

export const KINDS = ['indicator_growth', 'project_completion', 'batch_rate', 'investment_target', 'on_time_rate'];
export const RATES = ['start', 'produce', 'effective'];

export const kindText = (k) => (KINDS.includes(k) ? t(`asm.kind.${k}`) : k);
export const rateText = (r) => (RATES.includes(r) ? t(`asm.rate.${r}`) : r);

// '86.5' → '86.50' (points are kept to 0.01 by the server).
export function pts(v) {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? n.toFixed(2) : String(v);
}

// The current month in China time, '2026-07'.
export function currentMonth() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

export function previousMonth(p) {
  const [y, m] = p.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

// The month a league page opens on: the latest published month of this year or the three
// before (from the flags board), else last month.
export async function latestPublished(scheme) {
  const year = Number(currentMonth().slice(0, 4));
  for (let y = year; y >= year - 3; y--) {
    try {
      const r = await api.get('/assessment/flags', { year: String(y), ...(scheme ? { scheme } : {}) });
      const ps = r.periods || [];
      if (ps.length) return ps[ps.length - 1];
    } catch { break; }
  }
  return previousMonth(currentMonth());
}
