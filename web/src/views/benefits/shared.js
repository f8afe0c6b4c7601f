// Helpers shared by the 免申即享 (benefits) views.
import { t } from '../../i18n/index.js';

// 元 as the server sends them (integers or decimal strings) → '1,234,567.00 元' / '—'.
export function yuan(v) {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  return `${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${t('ben.yuan')}`;
}
