// Helpers shared by the indicators (经济运行) views: exact decimal display (values are strings
// from the server and never go through binary floating point), growth colours, status tags,
// month keys, and the unit tree the pickers offer.
import { ref } from 'vue';
import { api } from '../../api.js';
import { t } from '../../i18n/index.js';
import { sortTree } from '../../utils/units.js';

// ---------- numbers ----------

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?$/;

// '258.4', 2 → '258.40'; '6.25', 1 → '6.3' (half away from zero); null → '—'.
export function fmtNum(s, decimals = 2) {
  if (s === null || s === undefined || s === '') return '—';
  const str = String(s).trim();
  const m = DEC_RE.exec(str);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return str;
  const neg = m[1] === '-';
  const intPart = m[2] || '0';
  const frac = m[3] || '';
  const d = Math.max(0, decimals | 0);
  let digits = BigInt(intPart + frac.padEnd(d + 1, '0').slice(0, d + 1));
  // round on the extra digit
  const last = digits % 10n;
  digits /= 10n;
  if (last >= 5n) digits += 1n;
  let out = digits.toString().padStart(d + 1, '0');
  if (d > 0) out = `${out.slice(0, -d)}.${out.slice(-d)}`;
  const isZero = /^0(\.0*)?$/.test(out);
  return neg && !isZero ? `-${out}` : out;
}

// Growth to one decimal with a sign: '6.25' → '+6.3', '-2' → '-2.0'.
export function fmtYoy(s) {
  if (s === null || s === undefined || s === '') return '—';
  const v = fmtNum(s, 1);
  if (v === '—' || v.startsWith('-')) return v;
  return /^0\.0$/.test(v) ? v : `+${v}`;
}

export function sign(s) {
  if (s === null || s === undefined || s === '') return 0;
  const str = String(s).trim();
  if (/^[+]?0*(\.0*)?$/.test(str) || /^-0*(\.0*)?$/.test(str)) return 0;
  return str.startsWith('-') ? -1 : 1;
}

// Whether a growth is good news for the indicator: red for good, green for bad (the Chinese
// convention of red = rise), grey when the indicator has no direction.
export function yoyTone(yoy, direction) {
  const sg = sign(yoy);
  if (sg === 0 || !direction || direction === 'none') return 'flat';
  const good = direction === 'down' ? sg < 0 : sg > 0;
  return good ? 'good' : 'bad';
}

// Text typed or pasted into a number cell: full-width digits, thousands separators, spaces
// and a trailing % are tolerated. Returns { ok, value } with value '' for an empty cell.
export function cleanNumber(text) {
  let s = String(text ?? '').trim();
  s = s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.').replace(/[－—]/g, '-').replace(/[，,\s]/g, '').replace(/[%％]$/, '');
  if (s === '') return { ok: true, value: '' };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return { ok: false, value: s };
  if (s.startsWith('+')) s = s.slice(1);
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.startsWith('.')) s = `0${s}`;
  if (s.startsWith('-.')) s = `-0${s.slice(1)}`;
  return { ok: true, value: s };
}

// Two decimal strings equal as numbers ('258.40' == '258.4')?
export function sameNumber(a, b) {
  const ea = a === null || a === undefined || a === '';
  const eb = b === null || b === undefined || b === '';
  if (ea || eb) return ea === eb;
  const na = normalize(String(a));
  const nb = normalize(String(b));
  return na === nb;
}
function normalize(s) {
  let [i, f = ''] = s.replace(/^\+/, '').split('.');
  const neg = i.startsWith('-');
  if (neg) i = i.slice(1);
  i = i.replace(/^0+(?=\d)/, '') || '0';
  f = f.replace(/0+$/, '');
  const out = f ? `${i}.${f}` : i;
  return neg && out !== '0' ? `-${out}` : out;
}

// ---------- statuses ----------

export const VALUE_STATUSES = ['draft', 'submitted', 'approved', 'published'];
export function statusTagType(status) {
  switch (status) {
    case 'draft': return 'info';
    case 'submitted': return 'warning';
    case 'approved': return 'success';
    case 'published': return 'primary';
    default: return 'info';
  }
}
export function statusText(status) {
  return status ? t(`ind.status.${status}`) : t('ind.status.empty');
}
export function progressTagType(s) {
  return s === 'ahead' ? 'danger' : s === 'on_track' ? 'success' : s === 'behind' ? 'warning' : 'info';
}
export function progressText(s) {
  return s ? t(`ind.progress.${s}`) : '';
}
export function rankText(r) {
  return r === null || r === undefined || r === '' ? '—' : t('ind.rankN', { n: r });
}

// ---------- periods (month keys) ----------

const pad = (n) => String(n).padStart(2, '0');

export function shiftMonth(key, n) {
  const m = /^(\d{4})-(\d{2})$/.exec(key || '');
  if (!m) return key;
  const idx = Number(m[1]) * 12 + (Number(m[2]) - 1) + n;
  return `${Math.floor(idx / 12)}-${pad((idx % 12) + 1)}`;
}

// The month most likely to be entered now: last month in Beijing time (January's figures are
// released with February's, so in February the default is last December).
export function defaultEntryPeriod(now = new Date()) {
  const bj = new Date(now.getTime() + 8 * 3600 * 1000);
  const key = `${bj.getUTCFullYear()}-${pad(bj.getUTCMonth() + 1)}`;
  let p = shiftMonth(key, -1);
  if (p.endsWith('-01')) p = shiftMonth(p, -1);
  return p;
}

export function yearOf(key) {
  return key ? Number(String(key).slice(0, 4)) : new Date().getFullYear();
}

// ---------- the unit tree (once per page load) ----------

const unitTree = ref([]);
let unitTreeLoad = null;

export function useUnitTree() {
  if (!unitTreeLoad) {
    unitTreeLoad = api.get('/units/tree').then((r) => {
      unitTree.value = sortTree(r.items || []);
      return unitTree.value;
    }).catch((e) => { unitTreeLoad = null; throw e; });
  }
  return { tree: unitTree, ready: unitTreeLoad };
}
export function resetUnitTree() { unitTreeLoad = null; unitTree.value = []; }

// el-tree-select data keyed by unit code (archived units left out).
export function codeOptions(nodes, { onlyParents = false } = {}) {
  const out = [];
  for (const n of nodes || []) {
    if (n.archived) continue;
    const children = codeOptions(n.children, { onlyParents });
    if (onlyParents && !(n.children || []).some((c) => !c.archived)) continue;
    out.push({ value: n.code, label: n.name, children });
  }
  return out;
}

export function findUnit(nodes, code) {
  for (const n of nodes || []) {
    if (n.code === code) return n;
    const f = findUnit(n.children, code);
    if (f) return f;
  }
  return null;
}

export function parentOf(nodes, code, parent = null) {
  for (const n of nodes || []) {
    if (n.code === code) return parent;
    const f = parentOf(n.children, code, n);
    if (f !== null) return f;
  }
  return null;
}

// The user's own unit, or for a department (whose scope is its government's subtree) the
// root of the tree the user sees.
export function homeUnitCode(auth, tree) {
  const own = auth.user && auth.user.unit_code;
  const node = own ? findUnit(tree, own) : null;
  if (node && node.kind !== 'department') return own;
  return tree.length ? tree[0].code : own || '';
}

// ---------- the entry sheet's edit model ----------

export const SHEET_COLS = ['value', 'reported_yoy', 'note'];

// What the server holds for a cell of a sheet row, as the text an input shows.
export function original(m, c) {
  const v = m.row[c];
  return v === null || v === undefined ? '' : String(v);
}
export function isDirtyCell(m, c) {
  if (c === 'note') return (m[c] || '') !== original(m, c);
  return !sameNumber(cleanNumber(m[c]).value, original(m, c));
}
// One edit object per row of the sheet answered by the server.
export function sheetModel(rows) {
  return (rows || []).map((row) => ({
    row,
    value: row.value === null || row.value === undefined ? '' : String(row.value),
    reported_yoy: row.reported_yoy === null || row.reported_yoy === undefined ? '' : String(row.reported_yoy),
    note: row.note || '',
    err: {},
  }));
}

// '2024年1-6月' → '1-6月', '2024年上半年' → '上半年': the year is already in the period picker.
export function shortLabel(label) {
  return String(label || '').replace(/^\d{4}年/, '');
}
