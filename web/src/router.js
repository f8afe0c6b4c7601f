// Routes (history mode). A route's meta.permission is checked by the layout, which shows the
// 无权访问 page in place of the view; the guard makes sure /auth/me is loaded, and sends a
// user without a session to /login?redirect=<where they wanted to go>.
import { createRouter, createWebHistory } from 'vue-router';
import { useAuthStore } from './stores/auth.js';
import { setUnauthorizedHandler } from './api.js';
import AppLayout from './layouts/AppLayout.vue';
import LoginView from './views/LoginView.vue';
import HomeView from './views/HomeView.vue';
import ModuleView from './views/ModuleView.vue';
import NotFoundView from './views/NotFoundView.vue';

const UnitsView = () => import('./views/UnitsView.vue');
const UsersView = () => import('./views/UsersView.vue');
const AuditView = () => import('./views/AuditView.vue');
const IndicatorsShell = () => import('./views/indicators/IndicatorsShell.vue');
const IndBoardView = () => import('./views/indicators/BoardView.vue');
const IndEntryView = () => import('./views/indicators/EntryView.vue');
const IndApprovalView = () => import('./views/indicators/ApprovalView.vue');
const IndUnitView = () => import('./views/indicators/UnitView.vue');
const IndTargetsView = () => import('./views/indicators/TargetsView.vue');
const IndCatalogView = () => import('./views/indicators/CatalogView.vue');
const ProjectsShell = () => import('./views/projects/ProjectsShell.vue');
const PrjListView = () => import('./views/projects/ProjectListView.vue');
const PrjDetailView = () => import('./views/projects/ProjectDetailView.vue');
const PrjBattleView = () => import('./views/projects/BattleMapView.vue');
const PrjBatchesView = () => import('./views/projects/BatchesView.vue');
const PrjBatchView = () => import('./views/projects/BatchView.vue');
const PrjProblemsView = () => import('./views/projects/ProblemsView.vue');
const PrjReportView = () => import('./views/projects/ReportView.vue');
const InvestmentShell = () => import('./views/investment/InvestmentShell.vue');
const InvBoardView = () => import('./views/investment/BoardView.vue');
const InvLeadView = () => import('./views/investment/LeadView.vue');
const InvCompaniesView = () => import('./views/investment/CompaniesView.vue');
const InvCompanyView = () => import('./views/investment/CompanyView.vue');
const InvActivitiesView = () => import('./views/investment/ActivitiesView.vue');
const InvChainsView = () => import('./views/investment/ChainsView.vue');
const InvChainView = () => import('./views/investment/ChainView.vue');
const InvTargetsView = () => import('./views/investment/TargetsView.vue');
const SupervisionShell = () => import('./views/supervision/SupervisionShell.vue');
const SupMineView = () => import('./views/supervision/MyTasksView.vue');
const SupBoardView = () => import('./views/supervision/BoardView.vue');
const SupTaskView = () => import('./views/supervision/TaskView.vue');
const SupMeetingsView = () => import('./views/supervision/MeetingsView.vue');
const SupMeetingEditView = () => import('./views/supervision/MeetingEditView.vue');
const SupSettingsView = () => import('./views/supervision/SettingsView.vue');
const AssessmentShell = () => import('./views/assessment/AssessmentShell.vue');
const AsmLeagueView = () => import('./views/assessment/LeagueView.vue');
const AsmFlagsView = () => import('./views/assessment/FlagsView.vue');
const AsmSchemesView = () => import('./views/assessment/SchemesView.vue');
const BenefitsShell = () => import('./views/benefits/BenefitsShell.vue');
const BenEnterprisesView = () => import('./views/benefits/EnterprisesView.vue');
const BenEnterpriseView = () => import('./views/benefits/EnterpriseView.vue');
const BenPoliciesView = () => import('./views/benefits/PoliciesView.vue');
const BenPolicyEditView = () => import('./views/benefits/PolicyEditView.vue');
const BenRunView = () => import('./views/benefits/RunView.vue');
const CockpitView = () => import('./views/CockpitView.vue');
const FactcheckView = () => import('./views/FactcheckView.vue');

// 经济运行: one menu entry, a row of tabs inside (IndicatorsShell).
const indMeta = (title, permission) => ({ title: `ind.nav.${title}`, group: 'nav.indicators', permission });
const indicatorsRoute = {
  path: 'indicators',
  component: IndicatorsShell,
  meta: { permission: 'indicator.read', group: 'nav.indicators' },
  children: [
    { path: '', name: 'indicators', redirect: { name: 'ind-board' } },
    { path: 'board', name: 'ind-board', component: IndBoardView, meta: indMeta('board', 'indicator.read') },
    { path: 'entry', name: 'ind-entry', component: IndEntryView, meta: indMeta('entry', 'indicator.write') },
    { path: 'approval', name: 'ind-approval', component: IndApprovalView, meta: indMeta('approval', 'indicator.approve') },
    { path: 'unit/:code', name: 'ind-unit', component: IndUnitView, meta: indMeta('unit', 'indicator.read') },
    { path: 'targets', name: 'ind-targets', component: IndTargetsView, meta: indMeta('targets', 'indicator.read') },
    { path: 'catalog', name: 'ind-catalog', component: IndCatalogView, meta: indMeta('catalog', 'indicator.read') },
  ],
};

// 重点项目: one menu entry, tabs inside (ProjectsShell).
const prjMeta = (title, permission) => ({ title: `prj.nav.${title}`, group: 'nav.projects', permission });
const projectsRoute = {
  path: 'projects',
  component: ProjectsShell,
  meta: { permission: 'project.read', group: 'nav.projects' },
  children: [
    { path: '', name: 'projects', redirect: { name: 'prj-list' } },
    { path: 'list', name: 'prj-list', component: PrjListView, meta: prjMeta('list', 'project.read') },
    { path: ':id(\\d+)', name: 'prj-detail', component: PrjDetailView, meta: prjMeta('detail', 'project.read') },
    { path: 'battle-map', name: 'prj-battle', component: PrjBattleView, meta: prjMeta('battle', 'project.read') },
    { path: 'batches', name: 'prj-batches', component: PrjBatchesView, meta: prjMeta('batches', 'project.read') },
    { path: 'batches/:id(\\d+)', name: 'prj-batch', component: PrjBatchView, meta: prjMeta('batch', 'project.read') },
    { path: 'problems', name: 'prj-problems', component: PrjProblemsView, meta: prjMeta('problems', 'project.read') },
    { path: 'report', name: 'prj-report', component: PrjReportView, meta: prjMeta('report', 'project.report') },
  ],
};

// 招商引资: one menu entry, tabs inside (InvestmentShell).
const invMeta = (title, permission) => ({ title: `inv.nav.${title}`, group: 'nav.investment', permission });
const investmentRoute = {
  path: 'investment',
  component: InvestmentShell,
  meta: { permission: 'investment.read', group: 'nav.investment' },
  children: [
    { path: '', name: 'investment', redirect: { name: 'inv-board' } },
    { path: 'board', name: 'inv-board', component: InvBoardView, meta: invMeta('board', 'investment.read') },
    { path: 'leads/:id(\\d+)', name: 'inv-lead', component: InvLeadView, meta: invMeta('lead', 'investment.read') },
    { path: 'companies', name: 'inv-companies', component: InvCompaniesView, meta: invMeta('companies', 'investment.read') },
    { path: 'companies/:id(\\d+)', name: 'inv-company', component: InvCompanyView, meta: invMeta('company', 'investment.read') },
    { path: 'activities', name: 'inv-activities', component: InvActivitiesView, meta: invMeta('activities', 'investment.read') },
    { path: 'chains', name: 'inv-chains', component: InvChainsView, meta: invMeta('chains', 'investment.read') },
    { path: 'chains/:id(\\d+)', name: 'inv-chain', component: InvChainView, meta: invMeta('chain', 'investment.read') },
    { path: 'targets', name: 'inv-targets', component: InvTargetsView, meta: invMeta('targets', 'investment.read') },
  ],
};

// 督查督办: one menu entry, tabs inside (SupervisionShell). A reporter lands on 我的任务,
// everyone else on the board.
const supMeta = (title, permission) => ({ title: `sup.nav.${title}`, group: 'nav.tasks', permission });
const supervisionRoute = {
  path: 'supervision',
  component: SupervisionShell,
  meta: { permission: 'task.read', group: 'nav.tasks' },
  children: [
    { path: '', name: 'supervision', redirect: () => ({ name: useAuthStore().can('task.report') ? 'sup-mine' : 'sup-board' }) },
    { path: 'mine', name: 'sup-mine', component: SupMineView, meta: supMeta('mine', 'task.read') },
    { path: 'board', name: 'sup-board', component: SupBoardView, meta: supMeta('board', 'task.read') },
    { path: 'tasks/:id(\\d+)', name: 'sup-task', component: SupTaskView, meta: supMeta('task', 'task.read') },
    { path: 'meetings', name: 'sup-meetings', component: SupMeetingsView, meta: supMeta('meetings', 'task.read') },
    { path: 'meetings/new', name: 'sup-meeting-new', component: SupMeetingEditView, meta: supMeta('meetingNew', 'task.write') },
    { path: 'meetings/:id(\\d+)', name: 'sup-meeting', component: SupMeetingEditView, meta: supMeta('meeting', 'task.read') },
    { path: 'settings', name: 'sup-settings', component: SupSettingsView, meta: supMeta('settings', 'task.write') },
  ],
};

// 考评: one menu entry, tabs inside (AssessmentShell).
const asmMeta = (title) => ({ title: `asm.nav.${title}`, group: 'nav.assessment', permission: 'assessment.read' });
const assessmentRoute = {
  path: 'assessment',
  component: AssessmentShell,
  meta: { permission: 'assessment.read', group: 'nav.assessment' },
  children: [
    { path: '', name: 'assessment', redirect: { name: 'asm-league' } },
    { path: 'league', name: 'asm-league', component: AsmLeagueView, meta: asmMeta('league') },
    { path: 'flags', name: 'asm-flags', component: AsmFlagsView, meta: asmMeta('flags') },
    { path: 'schemes', name: 'asm-schemes', component: AsmSchemesView, meta: asmMeta('schemes') },
  ],
};

// 免申即享: one menu entry, tabs inside (BenefitsShell). The enterprise, policy and run pages
// sit under the tab they were opened from (meta.tab).
const benMeta = (title, permission, tab) => ({ title: `ben.nav.${title}`, group: 'nav.benefits', permission, tab });
const benefitsRoute = {
  path: 'benefits',
  component: BenefitsShell,
  meta: { permission: 'benefit.read', group: 'nav.benefits' },
  children: [
    { path: '', name: 'benefits', redirect: { name: 'ben-enterprises' } },
    { path: 'enterprises', name: 'ben-enterprises', component: BenEnterprisesView, meta: benMeta('enterprises', 'benefit.read', 'enterprises') },
    { path: 'enterprises/:id(\\d+)', name: 'ben-enterprise', component: BenEnterpriseView, meta: benMeta('enterprise', 'benefit.read', 'enterprises') },
    { path: 'policies', name: 'ben-policies', component: BenPoliciesView, meta: benMeta('policies', 'benefit.read', 'policies') },
    { path: 'policies/new', name: 'ben-policy-new', component: BenPolicyEditView, meta: benMeta('policyNew', 'benefit.manage', 'policies') },
    { path: 'policies/:id(\\d+)', name: 'ben-policy', component: BenPolicyEditView, meta: benMeta('policy', 'benefit.read', 'policies') },
    { path: 'runs/:id(\\d+)', name: 'ben-run', component: BenRunView, meta: benMeta('run', 'benefit.read', 'policies') },
  ],
};

const moduleRoute = (path, name, permission) => ({
  path, name, component: ModuleView,
  props: { module: name },
  meta: { title: `nav.${name}`, permission },
});

export const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, title: 'login.title' } },
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', name: 'home', component: HomeView, meta: { title: 'nav.home' } },
      { path: 'cockpit', name: 'cockpit', component: CockpitView, meta: { title: 'nav.cockpit', permission: 'assessment.read' } },
      indicatorsRoute,
      projectsRoute,
      investmentRoute,
      supervisionRoute,
      { path: 'tasks', name: 'tasks', redirect: { name: 'supervision' } },
      assessmentRoute,
      benefitsRoute,
      { path: 'factcheck', name: 'factcheck', component: FactcheckView, meta: { title: 'nav.factcheck', permission: 'factcheck.use' } },
      { path: 'units', name: 'units', component: UnitsView, meta: { title: 'nav.units', group: 'nav.system', permission: 'unit.read' } },
      { path: 'users', name: 'users', component: UsersView, meta: { title: 'nav.users', group: 'nav.system', permission: 'user.read' } },
      { path: 'audit', name: 'audit', component: AuditView, meta: { title: 'nav.audit', group: 'nav.system', permission: 'audit.read' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: NotFoundView, meta: { title: 'notFound.title' } },
    ],
  },
];

export function createAppRouter(pinia) {
  const router = createRouter({ history: createWebHistory('/'), routes });

  router.beforeEach(async (to) => {
    const auth = useAuthStore(pinia);
    if (to.meta.public) {
      // a signed-in user who opens /login goes home
      if (to.name === 'login' && auth.loaded && auth.user) return { path: '/' };
      return true;
    }
    if (!auth.loaded) {
      try {
        await auth.fetchMe();
      } catch (e) {
        auth.clear();
        return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
      }
    }
    if (!auth.user) return { name: 'login', query: { redirect: to.fullPath } };
    return true;
  });

  // A 401 from any call: the session is gone.
  setUnauthorizedHandler(() => {
    const auth = useAuthStore(pinia);
    auth.clear();
    const cur = router.currentRoute.value;
    if (cur.name !== 'login') {
      router.replace({ name: 'login', query: cur.fullPath && cur.fullPath !== '/' ? { redirect: cur.fullPath } : {} });
    }
  });

  return router;
}
