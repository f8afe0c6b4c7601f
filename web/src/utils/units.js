// Helpers over the unit tree answered by GET /units/tree.
import { t } from '../i18n/index.js';

export const KINDS = ['city', 'district', 'county', 'county_city', 'zone', 'town', 'department', 'task_force'];
export const ADMINISTRATIVE_KINDS = new Set(['city', 'district', 'county', 'county_city']);

export function kindLabel(kind, fallback) {
  const s = t(`kinds.${kind}`);
  return s === `kinds.${kind}` ? (fallback || kind) : s;
}

// Tag colours per kind (Element Plus tag types).
export function kindTagType(kind) {
  switch (kind) {
    case 'city': return 'danger';
    case 'district': case 'county': case 'county_city': return 'primary';
    case 'zone': return 'warning';
    case 'town': return 'success';
    case 'department': return 'info';
    default: return 'info';
  }
}

export function walk(nodes, fn, parent = null) {
  for (const n of nodes || []) {
    fn(n, parent);
    if (n.children && n.children.length) walk(n.children, fn, n);
  }
}

export function indexTree(nodes) {
  const byId = new Map();
  const parentOf = new Map();
  walk(nodes, (n, p) => { byId.set(n.id, n); parentOf.set(n.id, p ? p.id : (n.parent_id ?? null)); });
  return { byId, parentOf };
}

// Ids of a node and everything under it.
export function subtreeIds(node) {
  const ids = new Set();
  if (node) { ids.add(node.id); walk(node.children, (n) => ids.add(n.id)); }
  return ids;
}

// A copy of the tree for el-tree-select, with `disabled` set on the given ids (and archived units).
export function selectableTree(nodes, disabledIds = new Set(), { hideArchived = true } = {}) {
  const out = [];
  for (const n of nodes || []) {
    if (hideArchived && n.archived) continue;
    out.push({
      id: n.id,
      label: n.name,
      code: n.code,
      disabled: disabledIds.has(n.id),
      children: selectableTree(n.children, disabledIds, { hideArchived }),
    });
  }
  return out;
}

// Sibling order as the offices list them: the city, districts, counties and county-level
// cities by their GB/T 2260 code, then zones, towns/streets, departments and task forces.
const KIND_ORDER = { city: 0, district: 1, county: 1, county_city: 1, zone: 2, town: 3, department: 4, task_force: 5 };
export function sortTree(nodes) {
  const sorted = [...(nodes || [])].sort((a, b) => {
    const ka = KIND_ORDER[a.kind] ?? 9;
    const kb = KIND_ORDER[b.kind] ?? 9;
    if (ka !== kb) return ka - kb;
    const ca = a.code || '';
    const cb = b.code || '';
    if (ca !== cb) return ca < cb ? -1 : 1;
    return (a.id ?? 0) - (b.id ?? 0);
  });
  return sorted.map((n) => ({ ...n, children: sortTree(n.children) }));
}
