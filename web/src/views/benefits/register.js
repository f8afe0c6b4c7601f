// Helpers of the enterprise register pages (企业库 and 企业详情): the scales, the certifications
// of the rule language, GB/T 4754 sections, figures in 万元 (the server sends 元 as decimal
// strings; converted by moving the decimal point, never through binary floating point), and
// the edit form's model with the three-way merge used after a stale save.
import { t } from '../../i18n/index.js';
import { fmtNum, cleanNumber } from '../indicators/shared.js';
import { fmtDate } from '../projects/shared.js';

export { fmtDate };

export const SCALES = ['above_designated', 'above_quota', 'small_micro'];
// The certifications the rule language knows (src/benefits/model.h kKnownCertifications).
export const CERTIFICATIONS = ['专精特新', '专精特新小巨人', '高新技术企业', '科技型中小企业', '创新型中小企业',
  '瞪羚企业', '独角兽企业', '单项冠军', '技术创新示范企业', '企业技术中心', '工程技术研究中心', '绿色工厂', '智能工厂', '上市企业'];
// GB/T 4754 sections (门类); an industry filter is a section letter or a division such as C39.
export const SECTIONS = 'ABCDEFGHIJKLMNOPQRST'.split('');
export const FIGURES = ['revenue', 'tax_paid', 'rd_spending', 'employees'];
const MONEY = new Set(['revenue', 'tax_paid', 'rd_spending']);

export const scaleText = (code, fallback) => (code ? t(`ben.ent.scales.${code}`) : fallback || '');
export const sectionText = (letter) => t(`ben.ent.sections.${letter}`);
export function industryText(code) {
  if (!code) return '—';
  const letter = code[0];
  return SECTIONS.includes(letter) ? `${code} ${sectionText(letter)}` : code;
}

// Moves the decimal point of a decimal string by `shift` places (+4: 万元 → 元, -4: 元 → 万元).
export function shiftDecimal(s, shift) {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(s).trim());
  if (!m) return String(s);
  const digits = (m[2] || '0') + (m[3] || '');
  const point = (m[2] || '0').length + shift;
  const padded = point <= 0 ? '0'.repeat(1 - point) + digits : digits.padEnd(point, '0');
  const at = Math.max(point, 1);
  let int = padded.slice(0, at).replace(/^0+(?=\d)/, '');
  let frac = padded.slice(at).replace(/0+$/, '');
  if (!int) int = '0';
  const out = frac ? `${int}.${frac}` : int;
  return m[1] && /[1-9]/.test(out) ? `-${out}` : out;
}

const isNull = (v) => v === null || v === undefined || v === '';
// A figure for a table: money in 万元 with two decimals, employees as a whole number; a figure
// not reported is 未报 (never 0).
export function figureText(key, v) {
  if (isNull(v)) return t('ben.ent.unreported');
  return MONEY.has(key) ? fmtNum(shiftDecimal(v, -4), 2) : fmtNum(v, 0);
}
// The latest year's figures of an enterprise, or null.
export function latestFigures(e) {
  const fs = (e && e.figures) || [];
  return fs.length ? fs.reduce((a, b) => (b.year > a.year ? b : a)) : null;
}
// A run's publication (ms since the epoch) as a Beijing date.
export function publishedText(ms) {
  if (!ms) return '—';
  return fmtDate(new Date(Number(ms) + 8 * 3600 * 1000).toISOString().slice(0, 10));
}

// ---------- the edit form ----------

// The form of an enterprise: money in 万元 as the text the inputs show.
export function toForm(e) {
  return {
    unit: e.unit ? e.unit.code : '',
    industry: e.industry || '',
    scale: e.scale || '',
    certifications: [...(e.certifications || [])],
    founded: e.founded || '',
    figures: (e.figures || []).map((f) => {
      const row = { year: f.year };
      for (const k of FIGURES) row[k] = isNull(f[k]) ? '' : MONEY.has(k) ? shiftDecimal(f[k], -4) : String(f[k]);
      return row;
    }),
  };
}

// Checks the form's figures; returns { errors: {`${i}.${key}`: reason}, body } where body is
// the PUT body (without version). Years removed from the form are sent with every figure null,
// which the server reads as "remove that year".
export function formBody(form, originalYears) {
  const errors = {};
  const figures = [];
  const seen = new Set();
  form.figures.forEach((row, i) => {
    const year = Number(row.year);
    if (!Number.isInteger(year) || year < 1990 || year > 2100) errors[`${i}.year`] = t('ben.ent.edit.badYear');
    else if (seen.has(year)) errors[`${i}.year`] = t('ben.ent.edit.dupYear', { year });
    seen.add(year);
    const out = { year };
    for (const k of FIGURES) {
      const c = cleanNumber(row[k]);
      if (!c.ok) { errors[`${i}.${k}`] = t('ben.ent.edit.badNumber'); continue; }
      out[k] = c.value === '' ? null : MONEY.has(k) ? shiftDecimal(c.value, 4) : c.value;
    }
    figures.push(out);
  });
  for (const y of originalYears) {
    if (!seen.has(y)) figures.push({ year: y, revenue: null, tax_paid: null, rd_spending: null, employees: null });
  }
  return {
    errors,
    body: {
      unit: form.unit,
      industry: form.industry.trim().toUpperCase(),
      scale: form.scale,
      certifications: form.certifications,
      founded: form.founded || null,
      figures,
    },
  };
}

// The form as flat keys: 'unit', …, 'y:2024' (the year is there), 'f:2024:revenue'.
function flatten(form) {
  const m = new Map([['unit', form.unit], ['industry', form.industry], ['scale', form.scale],
    ['certifications', [...form.certifications].sort().join('、')], ['founded', form.founded || '']]);
  for (const row of form.figures) {
    m.set(`y:${row.year}`, '1');
    for (const k of FIGURES) m.set(`f:${row.year}:${k}`, String(row[k] ?? '').trim());
  }
  return m;
}

// After a stale save: the fresh enterprise's form with the user's changes (the form against
// the snapshot it was opened with) laid on top. Returns { form, clashes: [key] } where a clash
// is a field both the user and the other change changed differently (the user's value kept).
export function rebaseForm(snapshot, mine, fresh) {
  const s = flatten(snapshot);
  const u = flatten(mine);
  const f = flatten(fresh);
  const out = new Map();
  const clashes = [];
  for (const k of new Set([...s.keys(), ...u.keys(), ...f.keys()])) {
    const changed = u.get(k) !== s.get(k);
    if (changed && f.get(k) !== s.get(k) && f.get(k) !== u.get(k)) clashes.push(k);
    const v = changed ? u.get(k) : f.get(k);
    if (v !== undefined) out.set(k, v);
  }
  const years = [...out.keys()].filter((k) => k.startsWith('y:')).map((k) => Number(k.slice(2))).sort((a, b) => a - b);
  const form = {
    unit: out.get('unit') || '',
    industry: out.get('industry') || '',
    scale: out.get('scale') || '',
    certifications: (out.get('certifications') || '').split('、').filter(Boolean),
    founded: out.get('founded') || '',
    figures: years.map((year) => {
      const row = { year };
      for (const k of FIGURES) row[k] = out.get(`f:${year}:${k}`) || '';
      return row;
    }),
  };
  return { form, clashes };
}

// A clash key or a server detail field as words: 'f:2024:revenue' / 'figures.2024' → 2024年营业收入.
export function fieldLabel(key, rows = []) {
  let m = /^f:(\d+):(\w+)$/.exec(key);
  if (m) return `${t('ben.ent.yearN', { year: m[1] })}${t(`ben.ent.fig.${m[2]}`)}`;
  m = /^y:(\d+)$/.exec(key) || /^figures\.(\d+)$/.exec(key);
  if (m) return t('ben.ent.edit.yearRow', { year: m[1] });
  m = /^figures\[(\d+)\]\.(\w+)$/.exec(key);
  if (m) {
    const row = rows[Number(m[1])];
    const fig = FIGURES.includes(m[2]) ? t(`ben.ent.fig.${m[2]}`) : t('ben.ent.f.year');
    return row ? `${t('ben.ent.yearN', { year: row.year })}${fig}` : fig;
  }
  const known = { unit: 'unit', industry: 'industry', scale: 'scale', certifications: 'certifications', founded: 'founded', version: 'version' };
  return known[key] ? t(`ben.ent.f.${known[key]}`) : key;
}
