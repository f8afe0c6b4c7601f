// Helpers of the policy pages (政策, 政策规则, 匹配批次): validity as months, budgets as 万/亿, run
// states and outcomes, instants, byte offsets of rule errors into text offsets, and the rule
// language's reference (attributes, functions, certifications, examples) for the editor.
import { t, locale } from '../../i18n/index.js';
import { formatDateTime } from '../../utils/format.js';
import { CERTIFICATIONS, shiftDecimal } from './register.js';

export { CERTIFICATIONS };

// '2024-01-01' → 2024年1月 (zh) / 2024-01 (en); '' → '…'.
export function fmtMonth(iso) {
  const m = /^(\d{4})-(\d{2})/.exec(iso || '');
  if (!m) return '…';
  return locale.value === 'zh-CN' ? `${m[1]}年${Number(m[2])}月` : `${m[1]}-${m[2]}`;
}
// A policy's validity: 2024年1月—2025年12月; '—' without dates.
export function validity(p) {
  if (!p || (!p.valid_from && !p.valid_to)) return '—';
  return `${fmtMonth(p.valid_from)}—${fmtMonth(p.valid_to)}`;
}

// 元 (integer or decimal string) → the way one types a budget, exactly (by moving the decimal
// point): 20000000 → '2000万', 150000000 → '1.5亿', 12345.5 → '12345.5'; null → ''.
export function budgetText(v) {
  if (v === null || v === undefined || v === '') return '';
  const s = String(v).trim();
  if (!/^\d+(\.\d+)?$/.test(s)) return s;
  const decimals = (x) => (x.split('.')[1] || '').length;
  const yi = shiftDecimal(s, -8);
  if (Number(yi) >= 1 && decimals(yi) <= 1) return `${yi}亿`;
  const wan = shiftDecimal(s, -4);
  if (Number(wan) >= 1 && decimals(wan) <= 2) return `${wan}万`;
  return s;
}
// A budget for a list: '2000万元' / '不设上限'.
export function budgetLabel(v) {
  const s = budgetText(v);
  return s ? `${s}${t('ben.yuan')}` : t('ben.pol.noCap');
}

export const RUN_STATES = ['draft', 'reviewed', 'approved', 'published'];
export const OUTCOMES = ['matched', 'near_miss', 'data_missing', 'data_error'];
export const stateText = (s, fallback) => {
  const k = `ben.pol.state.${s}`;
  const v = t(k);
  return v === k ? fallback || s : v;
};
export function stateTagType(s) {
  return { draft: 'info', reviewed: 'warning', approved: 'primary', published: 'success' }[s] || 'info';
}
export const outcomeText = (o, fallback) => {
  const k = `ben.pol.outcome.${o}`;
  const v = t(k);
  return v === k ? fallback || o : v;
};

// An instant in milliseconds → 2026-06-30 14:05 (Beijing time); null → '—'.
export function fmtAt(ms) {
  if (ms === null || ms === undefined || ms === '') return '—';
  return formatDateTime(new Date(ms).toISOString());
}

// The string index in `text` of a UTF-8 byte offset (the server counts bytes).
export function byteToIndex(text, byte) {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byte) {
    const cp = text.codePointAt(i);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return i;
}

// The line of `text` holding a rule error, cut into {before, bad, after} for marking the
// faulty span (at least one character, a blank when the error is at the very end).
export function errorSpan(text, err) {
  const begin = byteToIndex(text, err.begin);
  let end = Math.max(byteToIndex(text, err.end), begin);
  const lineStart = text.lastIndexOf('\n', begin - 1) + 1;
  let lineEnd = text.indexOf('\n', begin);
  if (lineEnd < 0) lineEnd = text.length;
  if (end > lineEnd) end = lineEnd;
  if (end === begin) end = Math.min(begin + 1, lineEnd);
  const bad = text.slice(begin, end);
  return { before: text.slice(lineStart, begin), bad: bad || ' ', after: text.slice(end, lineEnd) };
}

// ---- The rule language (src/benefits/rules.h, docs/decisions/0019) ----

// name, Chinese name (accepted in rules too), type key (ben.pol.ref.type.*), note key.
export const ATTRIBUTES = [
  { name: 'industry', zh: '行业', type: 'text', note: 'industry', sample: 'industry in ["C34", "C39"]' },
  { name: 'scale', zh: '规模', type: 'text', note: 'scale', sample: 'scale = "规上"' },
  { name: 'certifications', zh: '资质', type: 'set', note: 'certifications', sample: '"专精特新" in certifications' },
  { name: 'unit', zh: '所属单位', type: 'text', note: 'unit', sample: 'unit = "411302"' },
  { name: 'founded', zh: '成立日期', type: 'date', note: 'founded', sample: 'founded < 2024-01-01' },
  { name: 'revenue', zh: '营业收入', type: 'money', note: 'figure', sample: 'revenue >= 2000万' },
  { name: 'tax_paid', zh: '纳税额', type: 'money', note: 'figure', sample: 'tax_paid >= 50万' },
  { name: 'rd_spending', zh: '研发投入', type: 'money', note: 'figure', sample: 'rd_spending >= 300万' },
  { name: 'employees', zh: '从业人员', type: 'number', note: 'employees', sample: 'employees >= 50' },
];
export const FUNCTIONS = [
  { name: 'growth', zh: '增速', sig: 'growth(revenue)', note: 'growth' },
  { name: 'min', zh: '', sig: 'min(a, b, …)', note: 'min' },
  { name: 'max', zh: '', sig: 'max(a, b, …)', note: 'max' },
  { name: 'if', zh: '', sig: 'if(条件, a, b)', note: 'if' },
  { name: 'tiers', zh: '', sig: 'tiers(x, [[起点, 金额], …])', note: 'tiers' },
];
export const SCALES = ['规上', '限上', '小微'];

// Examples taken from the demo's policies (src/app/demo_benefits.cc); key → ben.pol.ref.example.*.
export function examples(baseYear) {
  const y = Number(baseYear) || new Date().getFullYear() - 1;
  return [
    { key: 'rd', eligibility: 'scale = "规上" and industry in ["C34", "C39", "C40"] and rd_spending >= 300万 and growth(rd_spending) > 0',
      amount: 'min(rd_spending * 0.1, 100万)' },
    { key: 'srdi', eligibility: '"专精特新" in certifications and tax_paid >= 50万', amount: '20万' },
    { key: 'hightech', eligibility: `"高新技术企业" in certifications and founded < ${y}-01-01 and rd_spending / revenue * 100 >= 3`,
      amount: 'if(revenue >= 1亿, 30万, 10万)' },
    { key: 'newscale', eligibility: `scale = "规上" and revenue[${y - 1}] < 2000万 and revenue >= 2000万`, amount: '50万' },
    { key: 'tax', eligibility: 'scale = "规上" and tax_paid >= 500万 and growth(tax_paid) >= 0',
      amount: 'tiers(tax_paid, [[500万, 10万], [1000万, 30万], [3000万, 50万]])' },
  ];
}
