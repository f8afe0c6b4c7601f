// Helpers shared by the investment (招商引资) views: stage / source / kind words, amounts in 亿元
// (decimal strings from the server, displayed without binary floating point), days in a stage,
// and a company search for the pickers.
import { t } from '../../i18n/index.js';
import { api } from '../../api.js';

export {
  fmtNum, useUnitTree, codeOptions, findUnit, homeUnitCode,
} from '../indicators/shared.js';
export { fmtDate, fmtDateShort, todayIso, thisYear, daysBetween, fieldErrorsOf } from '../projects/shared.js';
import { fmtNum } from '../indicators/shared.js';
import { todayIso, daysBetween } from '../projects/shared.js';

export const STAGES = ['clue', 'contact', 'inspection', 'negotiation', 'signed', 'registered', 'started', 'producing'];
export const SOURCES = ['business', 'resident', 'fund', 'platform', 'other'];
export const CONTRACT_KINDS = ['framework', 'formal'];
export const ACTIVITY_KINDS = ['outgoing', 'incoming', 'event'];
export const POSITIONS = ['upstream', 'midstream', 'downstream'];
export const COMPANY_TAGS = ['央企', '国企', '上市', '500强', '专精特新', '高新技术企业', '外资', '民营', '独角兽'];
export const AMOUNT_UNITS = ['亿元', '万元'];

function word(prefix, v, fallback) {
  if (!v) return fallback || '';
  const k = `${prefix}.${v}`;
  const s = t(k);
  return s === k ? (fallback || v) : s;
}
export const stageText = (s, fb) => word('inv.stage', s, fb);
export const sourceText = (s, fb) => word('inv.source', s, fb);
export const kindText = (s, fb) => word('inv.kind', s, fb);
export const activityKindText = (s, fb) => word('inv.activityKind', s, fb);
export const positionText = (s, fb) => word('inv.position', s, fb);
export const tagText = (s) => word('inv.tags', s, s);
export const progressText = (s) => word('inv.progress', s, s);
export const stageIndex = (s) => STAGES.indexOf(s);
export const nextStage = (s) => STAGES[stageIndex(s) + 1] || null;

export function progressTagType(s) {
  return s === 'ahead' ? 'success' : s === 'on_track' ? 'primary' : s === 'behind' ? 'danger' : 'info';
}
export function activityKindTagType(k) {
  return k === 'outgoing' ? 'primary' : k === 'incoming' ? 'success' : 'warning';
}

// amounts in 亿元: two decimals; '—' for none
export const yi = (s) => fmtNum(s, 2);
// trims trailing zeros for compact cards: '3.50' → '3.5', '12.00' → '12'
export function yiShort(s) {
  const v = fmtNum(s, 2);
  if (v === '—') return v;
  return v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
}
export const pct = (s) => fmtNum(s, 1);
export function pctWidth(s) {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(100, n);
}
export const isPositive = (s) => s !== null && s !== undefined && s !== '' && Number(s) > 0;

// days since the lead entered its current stage
export function daysInStage(lead, today = todayIso()) {
  const d = lead && lead.stage_dates ? lead.stage_dates[lead.stage] : null;
  if (!d) return null;
  return Math.max(0, daysBetween(d, today));
}

// '3.5' + '亿元' → '3.5亿元' (the server converts; a bare number is 亿元)
export function amountWithUnit(value, unit) {
  const v = String(value ?? '').trim().replace(/[，,\s]/g, '');
  if (!v) return '';
  return `${v}${unit || '亿元'}`;
}

// Company search for the pickers: [{ id, name, uscc }] (merged records left out).
export async function searchCompanies(q) {
  const r = await api.get('/investment/companies', { q, page_size: 30 });
  return (r.items || []).filter((c) => !c.merged_into);
}
// Lead search for the activity form.
export async function searchLeads(q, unit) {
  const r = await api.get('/investment/leads', { q, unit, page_size: 30 });
  return r.items || [];
}
