// The choices of the leader and chain filters. The API has no list of leaders for the
// project office (GET /users needs user.read) and no list of chains, so both are gathered
// from the projects in scope, once per page load.
import { ref } from 'vue';
import { api } from '../../api.js';

const leaders = ref([]);
const chains = ref([]);
let loading = null;

export function useFacets() {
  if (!loading) {
    loading = api.get('/projects', { page_size: 500 }).then((r) => {
      const ls = new Map();
      const cs = new Set();
      for (const p of r.items || []) {
        if (p.leader) ls.set(p.leader.id, p.leader);
        if (p.chain) cs.add(p.chain);
      }
      leaders.value = [...ls.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
      chains.value = [...cs].sort((a, b) => a.localeCompare(b, 'zh-CN'));
    }).catch(() => { loading = null; });
  }
  return { leaders, chains, ready: loading };
}
export function resetFacets() { loading = null; }

// The task forces (专班) of a unit tree, for the project form.
export function taskForcesOf(nodes, out = []) {
  for (const n of nodes || []) {
    if (n.kind === 'task_force' && !n.archived) out.push({ code: n.code, name: n.name });
    taskForcesOf(n.children, out);
  }
  return out;
}
