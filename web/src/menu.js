// The side menu: one list, each entry shown only when the user holds its permission.
import { DataBoard, HomeFilled, TrendCharts, Flag, Coin, Stamp, Trophy, Setting, OfficeBuilding, User, Document, DocumentChecked, Present } from '@element-plus/icons-vue';

export const menu = [
  { path: '/', title: 'nav.home', icon: HomeFilled, testid: 'menu-home' },
  { path: '/cockpit', title: 'nav.cockpit', icon: DataBoard, permission: 'assessment.read', testid: 'menu-cockpit' },
  { path: '/indicators', title: 'nav.indicators', icon: TrendCharts, permission: 'indicator.read', testid: 'menu-indicators' },
  { path: '/projects', title: 'nav.projects', icon: Flag, permission: 'project.read', testid: 'menu-projects' },
  { path: '/investment', title: 'nav.investment', icon: Coin, permission: 'investment.read', testid: 'menu-investment' },
  { path: '/supervision', title: 'nav.tasks', icon: Stamp, permission: 'task.read', testid: 'menu-tasks' },
  { path: '/assessment', title: 'nav.assessment', icon: Trophy, permission: 'assessment.read', testid: 'menu-assessment' },
  { path: '/benefits', title: 'nav.benefits', icon: Present, permission: 'benefit.read', testid: 'menu-benefits' },
  { path: '/factcheck', title: 'nav.factcheck', icon: DocumentChecked, permission: 'factcheck.use', testid: 'menu-factcheck' },
  {
    group: 'system', title: 'nav.system', icon: Setting, testid: 'menu-system',
    children: [
      { path: '/units', title: 'nav.units', icon: OfficeBuilding, permission: 'unit.read', testid: 'menu-units' },
      { path: '/users', title: 'nav.users', icon: User, permission: 'user.read', testid: 'menu-users' },
      { path: '/audit', title: 'nav.audit', icon: Document, permission: 'audit.read', testid: 'menu-audit' },
    ],
  },
];

// The entries a user may see (groups without a visible child disappear).
export function visibleMenu(can) {
  const out = [];
  for (const item of menu) {
    if (item.children) {
      const children = item.children.filter((c) => can(c.permission));
      if (children.length) out.push({ ...item, children });
    } else if (can(item.permission)) {
      out.push(item);
    }
  }
  return out;
}
