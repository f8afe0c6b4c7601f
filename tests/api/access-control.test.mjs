// Access control over the whole route table. The routes come from `tiaodu routes`, so a new
// route joins these checks automatically: 401 without a session, 403 without the route's
// permission (our own copy of the role table in docs/API.md), the gate passed with it, CSRF on
// every mutation, and data scope (宛城区 users never see or change objects outside 宛城区).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, loginAs, Client, loadRoutes, loginMany, listAll, unitIndex, subtreeIds, userIndex,
  snapshot, assertSnapshotEqual, assertErrorFormat, fillPath, roleHas,
  ROLE_PERMISSIONS, ALL_PERMISSIONS, CITY_USERS, DISTRICT_USERS, DEMO_USER_ROLE, MUTATING, STRONG_PASSWORD,
} from './helpers.mjs';

const ROUTES = loadRoutes();
const KNOWN_ACCESS = ['public', 'session', 'permission'];
const KNOWN_OBJECTS = ['', 'unit', 'user', 'indicator', 'indicator_value', 'indicator_rule', 'project', 'project_batch', 'project_problem',
  'company', 'lead', 'chain', 'task', 'task_file', 'meeting', 'notification', 'assessment_scheme',
  'enterprise', 'benefit_policy', 'benefit_run'];
const ENDS_SESSION = (r) => r.method === 'POST' && r.path === '/api/v1/auth/logout';
const MISSING_ID = 987654321;
const REFUSED_BODY = [400, 404, 409, 422]; // an empty body {} must be refused, never written
// Routes without a path id whose complete valid body is {} (docs/API.md): they answer 200 to it.
const EMPTY_BODY_OK = new Set(['POST /api/v1/notifications/read-all']);

let server;
const c = {};        // username → logged-in Client
let units, users;    // indexes as the city admin sees them
let wancheng, wanchengTree;
const t0 = {};       // targets for scope tests

before(async () => {
  server = await startServer();
  Object.assign(c, await loginMany(server.url, [...Object.values(CITY_USERS), ...Object.values(DISTRICT_USERS),
    'supervisor_wancheng', 'reporter_wancheng', 'reporter_fgw']));
  units = await unitIndex(c.admin);
  wancheng = units.byCode['411302'];
  wanchengTree = subtreeIds(units.units, wancheng.id);

  // Users the demo lacks: one in 卧龙区 (an out-of-scope target) and a security admin scoped to
  // 宛城区 (so that user.role / user.unlock have a scoped actor too).
  const wolong = units.byCode['411303'];
  let r = await c.admin.post('/api/v1/users', { username: 'wolong_user', display_name: '卧龙用户', role: 'leader', unit_id: wolong.id, password: STRONG_PASSWORD });
  assert.equal(r.status, 201, r.text);
  r = await c.admin.post('/api/v1/users', { username: 'secadmin_wc', display_name: '宛城安全', role: 'leader', unit_id: wancheng.id, password: STRONG_PASSWORD });
  assert.equal(r.status, 201, r.text);
  const made = r.json;
  r = await c.secadmin.post(`/api/v1/users/${made.id}/role`, { role: 'security_admin', version: made.version });
  assert.equal(r.status, 200, r.text);
  c.secadmin_wc = await loginAs(server.url, 'secadmin_wc', STRONG_PASSWORD);
  r = await c.secadmin_wc.post('/api/v1/auth/password', { old_password: STRONG_PASSWORD, new_password: 'Other#Pass2024' });
  assert.equal(r.status, 200, r.text);
  // A project office scoped to 宛城区 (the demo's `project` is city-wide), so that the project
  // routes have a scoped actor with project.write and project.manage.
  r = await c.admin.post('/api/v1/users', { username: 'project_wc', display_name: '宛城项目办', role: 'project_office', unit_id: wancheng.id, password: STRONG_PASSWORD });
  assert.equal(r.status, 201, r.text);
  c.project_wc = await loginAs(server.url, 'project_wc', STRONG_PASSWORD);
  r = await c.project_wc.post('/api/v1/auth/password', { old_password: STRONG_PASSWORD, new_password: 'Other#Pass2024' });
  assert.equal(r.status, 200, r.text);
  // An investment officer scoped to 宛城区 (the demo's `invest` is city-wide, `invest_wolong` is
  // in 卧龙区), so that the lead routes have a scoped actor with investment.write.
  r = await c.admin.post('/api/v1/users', { username: 'invest_wc', display_name: '宛城招商', role: 'investment_officer', unit_id: wancheng.id, password: STRONG_PASSWORD });
  assert.equal(r.status, 201, r.text);
  c.invest_wc = await loginAs(server.url, 'invest_wc', STRONG_PASSWORD);
  r = await c.invest_wc.post('/api/v1/auth/password', { old_password: STRONG_PASSWORD, new_password: 'Other#Pass2024' });
  assert.equal(r.status, 200, r.text);
  users = await userIndex(c.admin);

  t0.unitsOut = ['411303', 'T411303-02', '411300', 'D411300-TJJ'].map((code) => units.byCode[code]);
  t0.unitsIn = ['411302', 'T411302-02'].map((code) => units.byCode[code]);
  t0.usersOut = ['wolong_user', 'leader', 'stat'].map((n) => users.byName[n]);
  t0.usersIn = ['reporter_town', 'stat_wancheng'].map((n) => users.byName[n]);
  // Indicator values (demo data, published) of units outside and inside 宛城区.
  const valueOf = async (unit) => {
    const r = await c.stat.get(`/api/v1/indicators/values?unit=${unit}&indicator=retail_sales&period=2024-06`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1, `no demo value of retail_sales at 2024-06 for ${unit}: ${r.text}`);
    return r.json.items[0];
  };
  t0.valuesOut = await Promise.all(['411303', 'T411303-02', '411300'].map(valueOf));
  t0.valuesIn = await Promise.all(['411302', 'T411302-02'].map(valueOf));
  // City-wide catalog objects: an indicator of the seeded catalog and a custom rule.
  const gdp = await c.stat.get('/api/v1/indicators?q=gdp');
  t0.indicators = gdp.json.items.filter((i) => i.code === 'gdp');
  assert.equal(t0.indicators.length, 1, gdp.text);
  r = await c.stat.post('/api/v1/indicators/rules', { expression: 'industrial_investment <= fixed_asset_investment', severity: 'warning', message: '工业投资不应大于固定资产投资' });
  assert.equal(r.status, 201, r.text);
  t0.rules = [r.json];
  // Key projects (made by the city's project office): one in 卧龙区 (outside), one in 宛城区 and
  // one in its town 瓦店镇 (inside); a problem on each; a batch (三个一批, city-wide).
  const year = new Date().getFullYear();
  const makeProject = async (code, unit) => {
    const res = await c.project.post('/api/v1/projects', {
      code, name: `越权测试项目${code}`, level: 'district', category: 'industry', unit, total_investment: '10',
      start_year: year, end_year: year + 1, annual_plans: [{ year, amount: '4' }],
    });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  t0.projectsOut = [await makeProject('AC-OUT-1', '411303')];
  t0.projectsIn = [await makeProject('AC-IN-1', '411302'), await makeProject('AC-IN-2', 'T411302-02')];
  const raise = async (p) => {
    const res = await c.project.post(`/api/v1/projects/${p.id}/problems`, { category: 'land', description: `用地指标未落实（${p.code}）`, deadline: `${year + 1}-06-30` });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  t0.problemsOut = await Promise.all(t0.projectsOut.map(raise));
  t0.problemsIn = await Promise.all(t0.projectsIn.map(raise));
  // (raising a problem bumps nothing on the project, but re-read it to have its current version)
  for (const list of [t0.projectsOut, t0.projectsIn]) {
    for (let i = 0; i < list.length; i++) list[i] = (await c.project.get(`/api/v1/projects/${list[i].id}`)).json;
  }
  r = await c.project.post('/api/v1/projects/batches', { number: 901, name: '第901期（越权测试）', deadline: `${year}-12-31` });
  assert.equal(r.status, 201, r.text);
  t0.batches = [r.json];
  // Project → unit id, to judge problem lists (a problem is in scope by its project's unit or
  // by its owner / escalated-to unit).
  t0.projectUnit = Object.fromEntries((await listAll(c.project, '/api/v1/projects?include_archived=1')).map((p) => [p.id, p.unit.id]));
  // 招商引资 (made by the city's `invest`): companies and industry chains are city-wide registers;
  // leads are scoped by their owner unit: one in 卧龙区 and one of the city itself (outside),
  // one in 宛城区 (inside).
  r = await c.invest.post('/api/v1/investment/companies', { name: '越权测试科技有限公司', origin: '广东省深圳市' });
  assert.equal(r.status, 201, r.text);
  t0.companies = [r.json];
  r = await c.invest.post('/api/v1/investment/chains', { name: '越权测试产业链', chain_leader: '测试链长', lead_firm_id: t0.companies[0].id });
  assert.equal(r.status, 201, r.text);
  t0.chains = [r.json];
  const makeLead = async (unit) => {
    const res = await c.invest.post('/api/v1/investment/leads', { company_id: t0.companies[0].id, project_name: `越权测试线索${unit}`, amount: '3', source: 'business', unit });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  t0.leadsOut = [await makeLead('411303'), await makeLead('411300')];
  t0.leadsIn = [await makeLead('411302')];
  // 督查督办 (made by the city's supervisor and by 宛城区's): tasks are scoped by their owner unit,
  // co-units and assigning unit; one owned by 卧龙区 and one by the city's 发改委 (outside), one
  // owned by 宛城区 and one by its town 瓦店镇 (inside), each with an evidence file uploaded by
  // the owner unit's reporter (卧龙区 has none in the demo: one is made). Meetings are scoped by
  // their convening unit: the city supervisor's (outside) and 宛城区's (inside), each with a
  // decision. A notification belongs to its user: reporter_fgw's are outside for everyone else.
  r = await c.admin.post('/api/v1/users', { username: 'reporter_wolong', display_name: '卧龙填报', role: 'reporter', unit_id: wolong.id, password: STRONG_PASSWORD });
  assert.equal(r.status, 201, r.text);
  c.reporter_wolong = await loginAs(server.url, 'reporter_wolong', STRONG_PASSWORD);
  r = await c.reporter_wolong.post('/api/v1/auth/password', { old_password: STRONG_PASSWORD, new_password: 'Other#Pass2024' });
  assert.equal(r.status, 200, r.text);
  const makeTask = async (client, owner, reporter) => {
    const res = await client.post('/api/v1/tasks', { title: `越权测试任务${owner}`, source: 'instruction', owner_unit: owner });
    assert.equal(res.status, 201, res.text);
    const fileText = `越权测试佐证${owner}`;
    const f = await reporter.request('POST', `/api/v1/tasks/${res.json.id}/files?name=${encodeURIComponent('佐证.txt')}`, Buffer.from(fileText),
      { raw: true, headers: { 'content-type': 'text/plain' } });
    // (not fatal here: a failed upload fails the file routes' own scope tests, not the whole suite)
    if (f.status !== 201) t0.uploadFailed = `${f.status} ${f.text}`;
    return { ...(await c.supervisor.get(`/api/v1/tasks/${res.json.id}`)).json, fileId: f.json?.id, fileText };
  };
  t0.tasksOut = [await makeTask(c.supervisor, '411303', c.reporter_wolong), await makeTask(c.supervisor, 'D411300-FGW', c.reporter_fgw)];
  t0.tasksIn = [await makeTask(c.supervisor_wancheng, '411302', c.reporter_wancheng), await makeTask(c.supervisor, 'T411302-02', c.reporter_town)];
  // Assessment schemes are in scope by the unit whose children they rank: 卧龙区's towns
  // (outside), 宛城区's towns (inside).
  const makeScheme = async (parent) => {
    const res = await c.supervisor.post('/api/v1/assessment/schemes', {
      name: `${parent} 乡镇月度考评`, parent, items: [{ kind: 'on_time_rate', name: '督办事项按时办结率', weight: 100 }],
    });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  t0.schemesOut = [await makeScheme('411303')];
  t0.schemesIn = [await makeScheme('411302')];
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const makeMeeting = async (client, owner) => {
    const res = await client.post('/api/v1/meetings', { kind: 'weekly', title: `越权测试周碰头会${owner}`, held_on: today, decisions: [{ text: `越权测试议定事项${owner}`, owner_unit: owner }] });
    assert.equal(res.status, 201, res.text);
    return { ...res.json, decisionId: res.json.decisions[0].id };
  };
  t0.meetingsOut = [await makeMeeting(c.supervisor, '411303')];
  t0.meetingsIn = [await makeMeeting(c.supervisor_wancheng, '411302')];
  // 免申即享 (demo data): enterprises by their registered unit, policies by their owner unit
  // (the city's policies are 南阳市投资促进中心's, one is 宛城区's), runs by their policy's unit.
  const firstEnterprise = async (unit) => {
    const res = await c.invest.get(`/api/v1/benefits/enterprises?unit=${unit}&page_size=1`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.items.length, 1, `no demo enterprise in ${unit}`);
    return res.json.items[0];
  };
  t0.enterprisesOut = [await firstEnterprise('411303'), await firstEnterprise('411321')];
  t0.enterprisesIn = [await firstEnterprise('411302')];
  const policies = (await c.invest.get('/api/v1/benefits/policies?page_size=100')).json.items;
  t0.policiesOut = policies.filter((p) => p.unit.code !== '411302').slice(0, 2);
  t0.policiesIn = policies.filter((p) => p.unit.code === '411302');
  assert.ok(t0.policiesOut.length === 2 && t0.policiesIn.length === 1, `demo policies: ${JSON.stringify(policies.map((p) => p.unit.code))}`);
  const runsOf = async (p) => (await c.invest.get(`/api/v1/benefits/policies/${p.id}/runs`)).json.items;
  t0.runsOut = (await Promise.all(policies.filter((p) => p.unit.code !== '411302').map(runsOf))).flat();
  t0.runsIn = await runsOf(t0.policiesIn[0]);
  assert.ok(t0.runsOut.length >= 1 && t0.runsIn.length >= 1, 'the demo has a run of a city policy and one of 宛城区');
  const fgwNotes = await listAll(c.reporter_fgw, '/api/v1/notifications');
  t0.notificationsOut = fgwNotes.filter((n) => n.object && n.object.kind === 'task' && n.object.id === t0.tasksOut[1].id);
  assert.ok(t0.notificationsOut.length > 0, `reporter_fgw has no notification about its task: ${JSON.stringify(fgwNotes).slice(0, 300)}`);
  t0.snapshot = await snapshot(c.admin, c.auditor);
});

after(async () => { await server?.stop(); });

// Which role a logged-in username has, for the matrix.
const SCOPED_POOL = ['leader_wancheng', 'stat_wancheng', 'sysadmin_wancheng', 'secadmin_wc', 'project_wc', 'invest_wc'];
const SCOPED_ROLE = { ...DEMO_USER_ROLE, secadmin_wc: 'security_admin', project_wc: 'project_office', invest_wc: 'investment_officer' };
// 督查督办's own 宛城区-scoped actors (task.assign / task.write and task.report), for its routes.
const SUPERVISION_POOL = ['supervisor_wancheng', 'reporter_wancheng'];
const isSupervisionPath = (p) => /^\/api\/v1\/(tasks|meetings|supervision|notifications)(\/|$)/.test(p);

// Routes whose gate asks for project.read while the service wants either of two permissions
// (as PUT /projects/{id}/progress, whose body is refused before the service is asked).
const EITHER_PERMISSION = {
  'POST /api/v1/projects/progress/import/file': ['project.report', 'project.write'],
  'GET /api/v1/projects/progress/import/template': ['project.report', 'project.write'],
};

function allowed(route, role) {
  if (route.access === 'public' || route.access === 'session') return true;
  const either = EITHER_PERMISSION[`${route.method} ${route.path}`];
  if (either) return either.some((p) => roleHas(role, p));
  return roleHas(role, route.permission);
}

test('the route table is non-empty and uses only known access levels, permissions and object kinds', () => {
  assert.ok(ROUTES.length >= 20, `only ${ROUTES.length} routes`);
  for (const r of ROUTES) {
    const name = `${r.method} ${r.path}`;
    assert.ok(r.path.startsWith('/api/v1/'), `${name}: outside /api/v1/`);
    assert.ok(KNOWN_ACCESS.includes(r.access), `${name}: unknown access "${r.access}" — extend access-control.test.mjs`);
    assert.ok(KNOWN_OBJECTS.includes(r.object), `${name}: unknown object kind "${r.object}" — extend access-control.test.mjs (scope targets for this kind)`);
    if (r.access === 'permission') {
      assert.ok(ALL_PERMISSIONS.includes(r.permission), `${name}: permission "${r.permission}" is in no role of docs/API.md — extend the role table in tests/api/helpers.mjs`);
    } else {
      assert.equal(r.permission, '', `${name}: access ${r.access} with a permission`);
    }
    if (/\{[a-z_]+\}/.test(r.path)) assert.notEqual(r.object, '', `${name}: has a path id but no object kind, so its scope cannot be tested`);
  }
  const keys = ROUTES.map((r) => `${r.method} ${r.path}`);
  assert.equal(new Set(keys).size, keys.length, 'duplicate routes');
});

test('GET /roles and /auth/me of every role match the permission table of docs/API.md', async () => {
  const r = await c.leader.get('/api/v1/roles');
  assert.equal(r.status, 200);
  const got = Object.fromEntries(r.json.items.map((x) => [x.code, [...x.permissions].sort()]));
  const want = Object.fromEntries(Object.entries(ROLE_PERMISSIONS).map(([k, v]) => [k, [...v].sort()]));
  assert.deepEqual(got, want);
  for (const x of r.json.items) assert.equal(x.admin, ['sys_admin', 'security_admin', 'audit_admin'].includes(x.code), `${x.code}.admin`);
  for (const [role, username] of Object.entries(CITY_USERS)) {
    const me = await c[username].get('/api/v1/auth/me');
    assert.equal(me.status, 200);
    assert.equal(me.json.user.role, role);
    assert.deepEqual([...me.json.permissions].sort(), want[role], `permissions of ${username}`);
  }
});

for (const route of ROUTES) {
  const name = `${route.method} ${route.path}`;
  const mutating = MUTATING.has(route.method);

  test(`${name}: without a session → ${route.access === 'public' ? 'allowed (public route)' : '401, and a forged session id → 401'}`, async () => {
    const anon = new Client(server.url);
    const path = fillPath(route.path, t0.unitsIn[0].id);
    const r = await anon.request(route.method, path, mutating ? {} : undefined);
    assert.ok(r.status < 500, `${name} anonymous: ${r.status} ${r.text}`);
    if (route.access === 'public') {
      assert.ok(![401, 403].includes(r.status), `${name} is public but answered ${r.status} without a session`);
      return;
    }
    assert.equal(r.status, 401, `${name} without a session: expected 401, got ${r.status} ${r.text}`);
    assertErrorFormat(r, name);
    assert.equal(r.json.error.code, 'unauthenticated');
    const bogus = new Client(server.url);
    bogus.cookie = `tiaodu_session=${'0'.repeat(64)}`;
    bogus.csrf = 'x';
    const r2 = await bogus.request(route.method, path, mutating ? {} : undefined);
    assert.equal(r2.status, 401, `${name} with a forged session id: expected 401, got ${r2.status}`);
  });

  if (route.access === 'public' || ENDS_SESSION(route)) continue;

  test(route.access === 'session'
    ? `${name}: every logged-in role passes the gate (session-only route)`
    : `${name}: every role without ${route.permission} gets 403, every role with it passes the gate`, async () => {
    const problems = [];
    const actors = [...Object.entries(CITY_USERS), ...Object.entries(DISTRICT_USERS)];
    for (const [role, username] of actors) {
      let path, body;
      if (mutating) {
        // A missing object and an empty body: the request passes the gate and is then refused.
        path = fillPath(route.path, MISSING_ID);
        body = {};
      } else {
        const target = route.object === 'user' ? users.byName.reporter_town.id : units.byCode['T411302-02'].id;
        path = fillPath(route.path, target);
      }
      const r = await c[username].request(route.method, path, body);
      const who = `${name} as ${username} (${role})`;
      if (r.status >= 500) { problems.push(`${who}: ${r.status} ${r.text}`); continue; }
      if (allowed(route, role)) {
        if (r.status === 401 || r.status === 403) problems.push(`${who}: has the permission but got ${r.status} ${r.text}`);
        else if (mutating && !REFUSED_BODY.includes(r.status) && !(EMPTY_BODY_OK.has(name) && r.status === 200)) problems.push(`${who}: an empty body {} to a missing object answered ${r.status} (expected 400/404/409/422) ${r.text}`);
      } else if (r.status !== 403 || r.json?.error?.code !== 'permission_denied') {
        problems.push(`${who}: lacks ${route.permission} but got ${r.status} ${r.text.slice(0, 200)} — SHOULD BE 403`);
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  if (mutating) {
    test(`${name}: without X-CSRF-Token (or with a wrong one) → 403 even with a valid session`, async () => {
      const role = Object.keys(CITY_USERS).find((ro) => allowed(route, ro));
      const owner = c[CITY_USERS[role]];
      const path = fillPath(route.path, MISSING_ID);
      for (const token of ['', 'wrong-token', owner.csrf.slice(0, -1)]) {
        const h = { cookie: owner.cookie, 'content-type': 'application/json' };
        if (token) h['x-csrf-token'] = token;
        const res = await fetch(server.url + path, { method: route.method, headers: h, body: '{}' });
        const text = await res.text();
        assert.equal(res.status, 403, `${name} as ${CITY_USERS[role]} with CSRF token "${token}": expected 403, got ${res.status} ${text}`);
      }
    });
  }
}

test('refused and empty-bodied requests of the matrix changed nothing (units, users, audit rows)', async () => {
  assertSnapshotEqual(t0.snapshot, await snapshot(c.admin, c.auditor), 'after the permission matrix');
});

// Builds a body that is valid apart from scope, from the fields the server says are required.
function fillBody(details, target, who) {
  const body = {};
  for (const d of details) {
    switch (d.field) {
      case 'version': body.version = target.version; break;
      case 'parent_id': body.parent_id = wancheng.id; break;
      case 'unit_id': body.unit_id = wancheng.id; break;
      case 'name': case 'display_name': body[d.field] = '越权测试'; break;
      case 'password': case 'new_password': body[d.field] = STRONG_PASSWORD; break;
      case 'role': body.role = 'leader'; break;
      case 'code': body.code = 'X-SCOPE-TEST'; break;
      case 'kind': body.kind = who.includes('/contracts') ? 'formal' : who.includes('/meetings') ? 'weekly' : 'department'; break; // a contract's or meeting's kind, else a unit's
      case 'value': body.value = '1'; break;
      case 'reason': body.reason = '越权测试'; break;
      case 'stage': body.stage = 'signed'; break;
      case 'date': body.date = new Date().toISOString().slice(0, 10); break;
      case 'month': body.month = new Date().toISOString().slice(0, 7); break;
      case 'amount': body.amount = '1'; break;
      case 'category': body.category = 'land'; break;
      case 'description': case 'resolution': body[d.field] = '越权测试'; break;
      case 'deadline': body.deadline = `${new Date().getFullYear() + 1}-06-30`; break;
      case 'title': case 'plan': case 'text': case 'result': case 'comment': body[d.field] = '越权测试'; break;
      case 'held_on': body.held_on = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10); break;
      case 'new_deadline': body.new_deadline = new Date(Date.now() + 8 * 3600 * 1000 + 60 * 86400 * 1000).toISOString().slice(0, 10); break;
      case 'owner_unit': body.owner_unit = '411302'; break;
      case 'source': body.source = 'instruction'; break;
      case 'decisions': body.decisions = []; break;
      case 'unit': body.unit = '411302'; break; // an in-scope unit (an enterprise's registered unit)
      case 'year': body.year = new Date().getFullYear() - 1; break; // a benefit run's year
      default: throw new Error(`${who}: the server requires field "${d.field}" — teach fillBody in access-control.test.mjs to fill it`);
    }
  }
  return body;
}

// Scope targets per object kind: objects outside and inside 宛城区, how a city-level user reads
// one (to compare before and after a refused write), and how an in-scope GET shows it answered
// the object asked for. Catalog kinds (indicators, validation rules) are city-wide: not scoped
// by unit, every user with the permission reaches every one of them.
const KINDS = {
  unit: {
    scoped: true, outside: () => t0.unitsOut, inside: () => t0.unitsIn,
    read: async (t) => (await c.admin.get(`/api/v1/units/${t.id}`)).json,
    answers: (r, t) => r.json.id === t.id,
  },
  user: {
    scoped: true, outside: () => t0.usersOut, inside: () => t0.usersIn,
    read: async (t) => (await c.admin.get(`/api/v1/users/${t.id}`)).json,
    answers: (r, t) => r.json.id === t.id,
  },
  indicator_value: {
    scoped: true, outside: () => t0.valuesOut, inside: () => t0.valuesIn,
    read: async (t) => (await c.stat.get(`/api/v1/indicators/values?unit=${t.unit.code}&indicator=${t.indicator}&period=${t.period}`)).json.items[0],
    answers: (r) => Array.isArray(r.json.items), // GET /values/{id}/revisions: the revisions of that value
  },
  indicator: { scoped: false, all: () => t0.indicators, answers: (r, t) => r.json.id === t.id },
  indicator_rule: { scoped: false, all: () => t0.rules, answers: (r, t) => r.json.id === t.id },
  // Key projects are scoped by the project's unit; the scoped project office is the actor (it
  // has every project permission, so the scope check, not the permission, is what refuses).
  project: {
    scoped: true, pool: ['project_wc', ...SCOPED_POOL], outside: () => t0.projectsOut, inside: () => t0.projectsIn,
    read: async (t) => (await c.project.get(`/api/v1/projects/${t.id}`)).json,
    answers: (r, t) => r.json.id === t.id,
  },
  // A project's problem is scoped by its project's unit.
  project_problem: {
    scoped: true, pool: ['project_wc', ...SCOPED_POOL], outside: () => t0.problemsOut, inside: () => t0.problemsIn,
    read: async (t) => (await c.project.get(`/api/v1/projects/problems?project=${t.project.id}`)).json.items.find((x) => x.id === t.id),
    answers: (r, t) => r.json.id === t.id,
  },
  // 三个一批 batches are city-wide (one round for the whole city).
  project_batch: { scoped: false, all: () => t0.batches, answers: (r, t) => r.json.id === t.id },
  // 招商引资: the company register and the industry chains (链长制) are city-wide; a lead is
  // scoped by its owner unit (the scoped actor with investment.write is invest_wc).
  company: { scoped: false, all: () => t0.companies, answers: (r, t) => r.json.id === t.id },
  chain: { scoped: false, all: () => t0.chains, answers: (r, t) => r.json.id === t.id },
  lead: {
    scoped: true, outside: () => t0.leadsOut, inside: () => t0.leadsIn,
    read: async (t) => (await c.invest.get(`/api/v1/investment/leads/${t.id}`)).json,
    answers: (r, t) => r.json.id === t.id,
  },
  // 督查督办: a task is in scope by its owner unit, a co-unit or its assigning unit; its evidence
  // files with it ({file_id} names the target's own file; a download answers its bytes). The
  // scoped supervisor and reporter are the actors (task.assign, task.report). An upload sends a
  // file, not JSON.
  task: {
    scoped: true, pool: [...SUPERVISION_POOL, ...SCOPED_POOL], outside: () => t0.tasksOut, inside: () => t0.tasksIn,
    read: async (t) => (await c.supervisor.get(`/api/v1/tasks/${t.id}`)).json,
    answers: (r, t, route) => (/\{[a-z_]*file[a-z_]*\}/.test(route.path) ? r.text === t.fileText : r.json?.id === t.id),
    write: (route, actor, path) => (/\/files$/.test(route.path) && route.method === 'POST'
      ? actor.request('POST', `${path}?name=${encodeURIComponent('越权.txt')}`, Buffer.from('越权上传'), { raw: true, headers: { 'content-type': 'text/plain' } })
      : null),
  },
  // A meeting is in scope by its convening unit; {decision_id} names the target's own decision.
  assessment_scheme: {
    scoped: true, pool: [...SUPERVISION_POOL, ...SCOPED_POOL], outside: () => t0.schemesOut, inside: () => t0.schemesIn,
    read: async (t) => (await c.supervisor.get(`/api/v1/assessment/schemes/${t.id}`)).json,
    answers: (r, t) => r.json.id === t.id,
  },
  // 免申即享: an enterprise is in scope by its registered unit, a policy by its owner unit, a run
  // by its policy's unit (the scoped actor with benefit.manage is invest_wc; leader_wancheng has
  // benefit.approve).
  enterprise: {
    scoped: true, outside: () => t0.enterprisesOut, inside: () => t0.enterprisesIn,
    read: async (t) => (await c.invest.get(`/api/v1/benefits/enterprises/${t.id}`)).json,
    answers: (r, t) => (Array.isArray(r.json?.items) ? true : r.json?.id === t.id),
  },
  benefit_policy: {
    scoped: true, outside: () => t0.policiesOut, inside: () => t0.policiesIn,
    read: async (t) => (await c.invest.get(`/api/v1/benefits/policies/${t.id}`)).json,
    answers: (r, t) => (Array.isArray(r.json?.items) ? true : r.json?.id === t.id),
  },
  benefit_run: {
    scoped: true, outside: () => t0.runsOut, inside: () => t0.runsIn,
    read: async (t) => (await c.invest.get(`/api/v1/benefits/runs/${t.id}`)).json,
    answers: (r, t) => r.json?.id === t.id || r.json?.run_id === t.id, // …/reproduce: run_id
  },
  meeting: {
    scoped: true, pool: [...SUPERVISION_POOL, ...SCOPED_POOL], outside: () => t0.meetingsOut, inside: () => t0.meetingsIn,
    read: async (t) => (await c.supervisor.get(`/api/v1/meetings/${t.id}`)).json,
    answers: (r, t) => r.json.id === t.id,
  },
  // A notification is its user's: reporter_fgw's are outside for every other user.
  notification: {
    scoped: true, outside: () => t0.notificationsOut, inside: () => [],
    read: async (t) => (await listAll(c.reporter_fgw, '/api/v1/notifications')).find((n) => n.id === t.id),
    answers: (r, t) => r.json.id === t.id,
  },
};
KINDS.task_file = KINDS.task; // if the file routes name their own kind, their {id} is still the task's
// A route's path for a target: {id} is the target; {file_id} / {decision_id} name the target's own
// file / decision.
function pathFor(route, target) {
  return route.path.replace(/\{([a-z_]+)\}/g, (m, k) => {
    if (k === 'id') return String(target.id);
    if (k.includes('file')) return String(target.fileId);
    if (k.includes('decision')) return String(target.decisionId);
    return String(target.id); // as fillPath does (e.g. a project's {mid})
  });
}
const labelOf = (t) => t.name || t.title || t.project_name || t.username || t.description || (t.unit ? `${t.unit.name} ${t.indicator} ${t.period}` : t.code || t.expression);

for (const route of ROUTES.filter((r) => r.object && KINDS[r.object] && !KINDS[r.object].scoped)) {
  const name = `${route.method} ${route.path}`;
  const mutating = MUTATING.has(route.method);
  test(`${name}: ${route.object}s are city-wide catalog objects: a 宛城区-scoped user with ${route.permission} reaches them (${mutating ? 'an empty body is refused as bad input, not 403/404' : '200'})`, async () => {
    const actorName = (KINDS[route.object].pool || SCOPED_POOL).find((u) => allowed(route, SCOPED_ROLE[u]));
    assert.ok(actorName, `${name}: no 宛城区-scoped user has ${route.permission} — add one to SCOPED_POOL`);
    const problems = [];
    for (const target of KINDS[route.object].all()) {
      const r = await c[actorName].request(route.method, fillPath(route.path, target.id), mutating ? {} : undefined);
      const label = `${name} as ${actorName} on ${route.object} ${target.id} (${labelOf(target)})`;
      if (mutating && r.status !== 400) problems.push(`${label}: expected 400 for an empty body, got ${r.status} ${r.text.slice(0, 200)}`);
      if (!mutating && (r.status !== 200 || !KINDS[route.object].answers(r, target))) problems.push(`${label}: expected 200 with the object, got ${r.status} ${r.text.slice(0, 200)}`);
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}

for (const route of ROUTES.filter((r) => r.object && (!KINDS[r.object] || KINDS[r.object].scoped))) {
  const name = `${route.method} ${route.path}`;
  const mutating = MUTATING.has(route.method);
  test(`${name}: a 宛城区-scoped user gets ${mutating ? '403/404 for' : '404 for'} ${route.object}s outside 宛城区${mutating ? '' : ' and 200 inside'}`, async () => {
    const kind = KINDS[route.object];
    assert.ok(kind, `${name}: object kind ${route.object} has no scope targets — add it to KINDS in access-control.test.mjs`);
    const actorName = (kind.pool || SCOPED_POOL).find((u) => allowed(route, SCOPED_ROLE[u]));
    assert.ok(actorName, `${name}: no 宛城区-scoped user has ${route.permission} — add one to SCOPED_POOL`);
    const actor = c[actorName];
    const outside = kind.outside();
    const inside = kind.inside();
    const problems = [];
    for (const target of outside) {
      const label = `${name} as ${actorName} on ${route.object} ${target.id} (${labelOf(target)})`;
      const beforeObj = await kind.read(target);
      const path = pathFor(route, target);
      if (!mutating) {
        const r = await actor.get(path);
        if (r.status !== 404) problems.push(`${label}: expected 404, got ${r.status} ${r.text.slice(0, 200)}`);
        continue;
      }
      const custom = kind.write?.(route, actor, path); // a request of its own (an upload), or null
      let r = await (custom || actor.request(route.method, path, {}));
      if (r.status === 400 && !custom) {
        const body = fillBody(r.json.error.details, beforeObj, label);
        r = await actor.request(route.method, path, body);
        if (r.status === 400) problems.push(`${label}: a body filled from the required fields (${JSON.stringify(body)}) was still refused as bad input: ${r.text} — fix fillBody`);
      }
      if (r.status >= 200 && r.status < 300) problems.push(`${label}: WRITE OUTSIDE SCOPE ALLOWED: ${r.status} ${r.text.slice(0, 200)}`);
      else if (![403, 404, 400].includes(r.status)) problems.push(`${label}: expected 403/404, got ${r.status} ${r.text}`);
      const afterObj = await kind.read(target);
      if (JSON.stringify(afterObj) !== JSON.stringify(beforeObj)) problems.push(`${label}: the object changed: ${JSON.stringify(beforeObj)} → ${JSON.stringify(afterObj)}`);
    }
    if (!mutating) {
      for (const target of inside) {
        const r = await actor.get(pathFor(route, target));
        if (r.status !== 200) problems.push(`${name} as ${actorName} on in-scope ${route.object} ${target.id}: expected 200, got ${r.status} ${r.text}`);
        else if (!kind.answers(r, target, route)) problems.push(`${name}: asked for ${target.id}, got ${r.text.slice(0, 200)}`);
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}

// Recursively collects the units of a list or tree answer.
function collectUnits(items, out = []) {
  for (const it of items) { out.push(it); if (Array.isArray(it.children)) collectUnits(it.children, out); }
  return out;
}
// Roles are global; audit is read by city auditors only; the indicator catalog and its
// validation rules are city-wide; periods are keys ("2024-06"), not objects of a unit; 三个一批
// batches are city-wide rounds.
const UNSCOPED_LISTS = new Set(['/api/v1/roles', '/api/v1/audit', '/api/v1/indicators', '/api/v1/indicators/rules',
  '/api/v1/indicators/periods', '/api/v1/projects/batches', '/api/v1/investment/companies', '/api/v1/investment/chains',
  // A user's notifications are theirs, not a unit's (notifications.test.mjs checks one sees only one's own).
  '/api/v1/notifications']);
// Query strings for GET routes that need one to answer 200 (an in-scope unit).
const LIST_QUERY = {
  '/api/v1/indicators/entry': 'unit=411302&period=2024-06',
  '/api/v1/indicators/validate': 'unit=411302&period=2024-06',
  '/api/v1/indicators/series': 'unit=411302&indicator=gdp',
  '/api/v1/projects/portfolio': 'month=2024-06',
  '/api/v1/investment/stats': 'from=2024-01-01&to=2024-12-31',
  '/api/v1/tasks/on-time': `period=${new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()}`,
  '/api/v1/supervision/working-days': (() => {
    const day = (n) => new Date(Date.now() + 8 * 3600 * 1000 + n * 86400 * 1000).toISOString().slice(0, 10);
    return `from=${day(0)}&to=${day(30)}`;
  })(),
};
// The units an answer names outside its items: a sheet's or series' unit, a board's parent and
// the units of its cells.
function unitsNamed(json) {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return [];
  const out = [];
  for (const k of ['unit', 'parent']) if (json[k] && typeof json[k] === 'object' && 'code' in json[k]) out.push(json[k].code);
  for (const k of ['cells', 'total', 'units']) if (Array.isArray(json[k])) for (const x of json[k]) out.push(typeof x.unit === 'string' ? x.unit : x.code);
  // The battle map: one group per unit; the project form's task forces.
  if (Array.isArray(json.groups)) for (const g of json.groups) out.push(g.unit?.code);
  if (Array.isArray(json.task_forces)) for (const t of json.task_forces) out.push(t.code);
  // Investment statistics and the task board: one row per child unit; the on-time rate likewise.
  if (Array.isArray(json.by_unit)) for (const x of json.by_unit) out.push(x.unit?.code);
  if (Array.isArray(json.rows)) for (const x of json.rows) if (x?.unit && typeof x.unit === 'object' && 'code' in x.unit) out.push(x.unit.code);
  return out;
}

for (const route of ROUTES.filter((r) => r.method === 'GET' && !r.object && r.access !== 'public')) {
  const name = `${route.method} ${route.path}`;
  test(`${name}: lists of 宛城区-scoped users never contain anything outside 宛城区`, async () => {
    const actors = [...SCOPED_POOL, ...(isSupervisionPath(route.path) ? SUPERVISION_POOL : [])].filter((u) => allowed(route, SCOPED_ROLE[u]));
    const problems = [];
    for (const actorName of actors) {
      const r = await c[actorName].get(`${route.path}?${LIST_QUERY[route.path] ? LIST_QUERY[route.path] + '&' : ''}page_size=500`);
      assert.equal(r.status, 200, `${name} as ${actorName}: ${r.status} ${r.text}`);
      for (const code of unitsNamed(r.json)) {
        if (!units.byCode[code] || !wanchengTree.has(units.byCode[code].id)) problems.push(`${name} as ${actorName}: names unit ${code}, outside 宛城区`);
      }
      if (!Array.isArray(r.json?.items)) continue; // not a list (e.g. /auth/me)
      if (UNSCOPED_LISTS.has(route.path)) continue;
      for (const it of collectUnits(r.json.items)) {
        if (it && typeof it === 'object' && it.owner_unit && Array.isArray(it.co_units)) {
          // A supervised task: in scope by its owner unit, a co-unit or its assigning unit.
          const inScope = [it.owner_unit, it.unit, ...it.co_units].some((u) => u && wanchengTree.has(u.id));
          if (!inScope) problems.push(`${name} as ${actorName}: task ${it.code} (owner ${it.owner_unit.code}, assigned by ${it.unit?.code}, co ${it.co_units.map((u) => u.code)}) is outside 宛城区`);
        } else if (it && typeof it === 'object' && it.owner_unit && it.project) {
          // A project problem: in scope by its project's unit, its owner unit or the unit it escalated to.
          const inScope = wanchengTree.has(it.owner_unit.id) || (it.escalated_to && wanchengTree.has(it.escalated_to.id))
            || wanchengTree.has(t0.projectUnit[it.project.id]);
          if (!inScope) problems.push(`${name} as ${actorName}: problem ${it.id} of project ${it.project.code} (owner ${it.owner_unit.code}) is outside 宛城区`);
        } else if (it && typeof it === 'object' && it.parent && 'versions' in it) {
          // An assessment scheme: in scope by the unit whose children it ranks.
          if (!wanchengTree.has(it.parent.id)) problems.push(`${name} as ${actorName}: scheme ${it.id} of unit ${it.parent.code} is outside 宛城区`);
        } else if (it && typeof it === 'object' && it.unit && typeof it.unit === 'object' && 'id' in it.unit) {
          if (!wanchengTree.has(it.unit.id)) problems.push(`${name} as ${actorName}: item ${it.id ?? ''} of unit ${it.unit.code} ${it.unit.name} is outside 宛城区`);
        } else if ('kind' in it && 'parent_id' in it && 'code' in it) {
          if (!wanchengTree.has(it.id)) problems.push(`${name} as ${actorName}: unit ${it.id} ${it.name} is outside 宛城区`);
        } else if ('unit_id' in it) {
          if (!wanchengTree.has(it.unit_id)) problems.push(`${name} as ${actorName}: item ${it.id} (${it.username || ''}) of unit ${it.unit_id} is outside 宛城区`);
        } else {
          problems.push(`${name}: list items of unknown shape (${Object.keys(it).join(',')}) — extend access-control.test.mjs`);
          break;
        }
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}

// Exports (`?format=xlsx`, docs/API.md "Excel"): the same lists as workbooks. A workbook names
// no unit — by code or by name, as a whole cell — that the JSON list does not name for the same
// user (a workbook is zipped, so it is read back with openpyxl). Routes that answer JSON to
// format=xlsx have no export and are skipped, and so are import templates (their example row
// is not data of the user's).
const READ_XLSX = new URL('../io/read_xlsx.py', import.meta.url).pathname;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
function stringsOf(x, out = new Set()) {
  if (typeof x === 'string') out.add(x);
  else if (x && typeof x === 'object') for (const v of Object.values(x)) stringsOf(v, out);
  return out;
}
for (const route of ROUTES.filter((r) => r.method === 'GET' && !r.object && r.access !== 'public' && !r.path.endsWith('/import/template'))) {
  const name = `${route.method} ${route.path}?format=xlsx`;
  test(`${name}: a 宛城区-scoped user's export names no unit its JSON list does not`, async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const actors = [...SCOPED_POOL, ...(isSupervisionPath(route.path) ? SUPERVISION_POOL : [])].filter((u) => allowed(route, SCOPED_ROLE[u]));
    const unitByText = new Map();
    for (const u of units.units) { unitByText.set(u.code, u); unitByText.set(u.name, u); }
    const problems = [];
    const dir = mkdtempSync(`${tmpdir()}/tiaodu-ac-`);
    try {
      for (const actorName of actors) {
        const query = `${LIST_QUERY[route.path] ? LIST_QUERY[route.path] + '&' : ''}`;
        const res = await fetch(`${server.url}${route.path}?${query}format=xlsx`, { headers: { cookie: c[actorName].cookie } });
        const buf = Buffer.from(await res.arrayBuffer());
        if (res.headers.get('content-type') !== XLSX_TYPE) continue;
        assert.equal(res.status, 200, `${name} as ${actorName}`);
        const json = await c[actorName].get(`${route.path}?${query}page_size=500`);
        assert.equal(json.status, 200, `${route.path} as ${actorName}: ${json.status}`);
        const named = stringsOf(json.json);
        const file = `${dir}/${actorName}.xlsx`;
        writeFileSync(file, buf);
        const book = JSON.parse(execFileSync('/usr/bin/python3', [READ_XLSX, file], { encoding: 'utf8', maxBuffer: 256 << 20 }));
        for (const sheet of book.sheets) {
          for (const row of sheet.rows.slice(1)) {
            for (const cell of row) {
              if (!cell || cell.t !== 'string' || !unitByText.has(cell.v) || named.has(cell.v)) continue;
              const u = unitByText.get(cell.v);
              if (!wanchengTree.has(u.id)) problems.push(`${name} as ${actorName}: names ${cell.v} (outside 宛城区), which the JSON list does not`);
            }
          }
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual([...new Set(problems)], [], problems.join('\n'));
  });
}

test('scoped unit list and tree equal the 宛城区 subtree of the city-level list; filters cannot widen the scope', async () => {
  const active = units.units.filter((u) => !u.archived && wanchengTree.has(u.id)).map((u) => u.id).sort((a, b) => a - b);
  for (const who of ['leader_wancheng', 'sysadmin_wancheng', 'stat_wancheng']) {
    const list = (await listAll(c[who], '/api/v1/units')).map((u) => u.id).sort((a, b) => a - b);
    assert.deepEqual(list, active, `${who}: /units`);
    const tree = await c[who].get('/api/v1/units/tree');
    assert.equal(tree.status, 200);
    assert.equal(tree.json.items.length, 1, `${who}: the tree has one root`);
    assert.equal(tree.json.items[0].id, wancheng.id, `${who}: the tree is rooted at 宛城区`);
    assert.deepEqual(collectUnits(tree.json.items).map((u) => u.id).sort((a, b) => a - b), active, `${who}: /units/tree`);
  }
  const wolong = units.byCode['411303'];
  const byParent = await c.leader_wancheng.get(`/api/v1/units?parent_id=${wolong.id}`);
  assert.equal(byParent.status, 200);
  assert.deepEqual(byParent.json.items, [], 'units?parent_id=卧龙区 as leader_wancheng');
  const byQ = await c.leader_wancheng.get(`/api/v1/units?q=${encodeURIComponent('卧龙')}`);
  assert.deepEqual(byQ.json.items, [], 'units?q=卧龙 as leader_wancheng');
  const usersOfWolong = await c.sysadmin_wancheng.get(`/api/v1/users?unit_id=${wolong.id}`);
  assert.equal(usersOfWolong.status, 200);
  assert.deepEqual(usersOfWolong.json.items, [], 'users?unit_id=卧龙区 as sysadmin_wancheng');
  const userQ = await c.sysadmin_wancheng.get('/api/v1/users?q=leader');
  assert.deepEqual(userQ.json.items.map((u) => u.username), ['leader_wancheng'], 'users?q=leader as sysadmin_wancheng');
});

test('scoped user list equals the city-level list restricted to 宛城区', async () => {
  const all = await listAll(c.admin, '/api/v1/users');
  const want = all.filter((u) => wanchengTree.has(u.unit_id)).map((u) => u.username).sort();
  for (const who of ['sysadmin_wancheng', 'secadmin_wc']) {
    const got = (await listAll(c[who], '/api/v1/users')).map((u) => u.username).sort();
    assert.deepEqual(got, want, who);
  }
});

test('POST /auth/logout for every role: 200 and the session is gone; without CSRF it is refused and the session lives', async () => {
  const route = ROUTES.find(ENDS_SESSION);
  assert.ok(route, 'no logout route');
  // Without a CSRF token: refused, the session stays.
  const bare = new Client(server.url);
  bare.cookie = c.leader.cookie;
  const r0 = await bare.post('/api/v1/auth/logout', {});
  assert.equal(r0.status, 403, `logout without CSRF: ${r0.status}`);
  assert.equal((await c.leader.get('/api/v1/auth/me')).status, 200, 'the session survived a CSRF-less logout');
  const fresh = await loginMany(server.url, Object.values(CITY_USERS));
  for (const [username, client] of Object.entries(fresh)) {
    const cookie = client.cookie;
    const r = await client.post('/api/v1/auth/logout', {});
    assert.equal(r.status, 200, `logout as ${username}: ${r.status} ${r.text}`);
    assert.match(r.headers.get('set-cookie') || '', /tiaodu_session=;/, `logout as ${username} clears the cookie`);
    const old = new Client(server.url);
    old.cookie = cookie; // the old cookie value must no longer authenticate
    const me = await old.get('/api/v1/auth/me');
    assert.equal(me.status, 401, `after logout ${username}'s session still works`);
  }
});

test('a 宛城区 sys_admin cannot create or move anything into another subtree (POST /units, POST /users, PUT /users unit_id, move)', async () => {
  const before = await snapshot(c.admin, c.auditor);
  const wolong = units.byCode['411303'];
  const town = units.byCode['T411302-02'];
  const reporter = users.byName.reporter_town;
  const sa = c.sysadmin_wancheng;
  const attempts = [
    ['POST /units under 卧龙区', () => sa.post('/api/v1/units', { name: '越权单位', kind: 'department', parent_id: wolong.id })],
    ['POST /units without parent', () => sa.post('/api/v1/units', { name: '越权单位', kind: 'department', parent_id: 0 })],
    ['POST /users in 卧龙区', () => sa.post('/api/v1/users', { username: 'intruder', display_name: '越权', role: 'leader', unit_id: wolong.id, password: STRONG_PASSWORD })],
    ['PUT /users/{reporter_town} unit_id=卧龙区', () => sa.put(`/api/v1/users/${reporter.id}`, { unit_id: wolong.id, version: reporter.version })],
    ['move 瓦店镇 under 卧龙区', () => sa.post(`/api/v1/units/${town.id}/move`, { parent_id: wolong.id, version: town.version })],
    ['move 宛城区 (own unit) under 卧龙区', () => sa.post(`/api/v1/units/${wancheng.id}/move`, { parent_id: wolong.id, version: wancheng.version })],
  ];
  const problems = [];
  for (const [what, run] of attempts) {
    const r = await run();
    if (r.status < 300 || r.status >= 500 || ![400, 403, 404].includes(r.status)) problems.push(`${what} as sysadmin_wancheng: ${r.status} ${r.text.slice(0, 200)}`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  assertSnapshotEqual(before, await snapshot(c.admin, c.auditor), 'after refused cross-scope writes');
});

test('indicator reads: filters and parameters naming a unit outside 宛城区 cannot widen a 宛城区 user\'s scope (empty lists or 404)', async () => {
  const problems = [];
  const empty = [
    '/api/v1/indicators/values?unit=411303',
    '/api/v1/indicators/values?unit=411300&period=2024-06',
    '/api/v1/indicators/targets?unit=411303',
  ];
  const notFound = [
    '/api/v1/indicators/entry?unit=411303&period=2024-06',
    '/api/v1/indicators/validate?unit=411303&period=2024-06',
    '/api/v1/indicators/series?unit=411303&indicator=gdp',
    '/api/v1/indicators/board?parent=411300',
    '/api/v1/indicators/board?parent=411303&period=2024-06',
    '/api/v1/indicators/periods?parent=411300',
  ];
  for (const who of ['leader_wancheng', 'stat_wancheng']) {
    for (const path of empty) {
      const r = await c[who].get(path);
      if (r.status !== 200 || r.json.items.length !== 0) problems.push(`${path} as ${who}: expected 200 and no items, got ${r.status} ${r.text.slice(0, 200)}`);
    }
    for (const path of notFound) {
      const r = await c[who].get(path);
      if (r.status !== 404) problems.push(`${path} as ${who}: expected 404, got ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  // A 宛城区 statistician cannot write or approve 卧龙区's figures.
  const sw = c.stat_wancheng;
  const writes = [
    ['PUT /indicators/entry 卧龙区', () => sw.put('/api/v1/indicators/entry', { unit: '411303', period: '2025-03', values: [{ indicator: 'retail_sales', value: '1' }] })],
    ['submit 卧龙区', () => sw.post('/api/v1/indicators/entry/submit', { unit: '411303', period: '2025-03' })],
    ['approve 卧龙区', () => sw.post('/api/v1/indicators/entry/approve', { unit: '411303', period: '2025-03' })],
    ['return 卧龙区', () => sw.post('/api/v1/indicators/entry/return', { unit: '411303', period: '2025-03', reason: '越权' })],
    ['publish 南阳市', () => sw.post('/api/v1/indicators/publish', { parent: '411300', period: '2024-06' })],
    ['target 卧龙区', () => sw.put('/api/v1/indicators/targets', { unit: '411303', indicator: 'gdp', year: 2025, value: '1' })],
    ['import 卧龙区', () => sw.post('/api/v1/indicators/import', { format: 'csv', content: '单位编码,指标编码,期别,数值\r\n411303,retail_sales,2025-03,1\r\n' })],
  ];
  for (const [what, run] of writes) {
    const r = await run();
    if (![400, 403, 404].includes(r.status)) problems.push(`${what} as stat_wancheng: expected 403/404 (or 400 naming the row), got ${r.status} ${r.text.slice(0, 200)}`);
  }
  const v = await c.stat.get('/api/v1/indicators/values?unit=411303&period=2025-03');
  if (v.json.total !== 0) problems.push(`卧龙区 has values at 2025-03 after refused writes: ${v.text.slice(0, 200)}`);
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('project reads and writes: filters and references naming a unit outside 宛城区 cannot widen a 宛城区 user\'s scope', async () => {
  const problems = [];
  const empty = ['/api/v1/projects?unit=411303', '/api/v1/projects?unit=411300', '/api/v1/projects/problems?unit=411303'];
  const notFound = ['/api/v1/projects/battle-map?unit=411303', '/api/v1/projects/battle-map?unit=411300',
    '/api/v1/projects/portfolio?unit=411303&month=2024-06', '/api/v1/projects/portfolio?unit=411300&month=2024-06'];
  for (const who of ['leader_wancheng', 'project_wc']) {
    for (const path of empty) {
      const r = await c[who].get(path);
      if (r.status !== 200 || r.json.items.length !== 0 || r.json.total !== 0) problems.push(`${path} as ${who}: expected 200 and no items, got ${r.status} ${r.text.slice(0, 200)}`);
    }
    for (const path of notFound) {
      const r = await c[who].get(path);
      if (r.status !== 404) problems.push(`${path} as ${who}: expected 404, got ${r.status} ${r.text.slice(0, 200)}`);
    }
    const mine = await c[who].get('/api/v1/projects?q=AC-');
    const codes = (mine.json?.items || []).map((p) => p.code).sort();
    if (JSON.stringify(codes) !== JSON.stringify(['AC-IN-1', 'AC-IN-2'])) problems.push(`/projects?q=AC- as ${who}: expected AC-IN-1, AC-IN-2, got ${codes}`);
  }
  // The scoped project office cannot create a project in 卧龙区, move one there, put an
  // outside project on a batch's lists.
  const pw = c.project_wc;
  const year = new Date().getFullYear();
  const inside = (await c.project.get(`/api/v1/projects/${t0.projectsIn[0].id}`)).json;
  const batch = (await c.project.get(`/api/v1/projects/batches/${t0.batches[0].id}`)).json;
  const writes = [
    ['POST /projects in 卧龙区', () => pw.post('/api/v1/projects', { code: 'AC-OUT-2', name: '越权新建', level: 'district', category: 'industry', unit: '411303', total_investment: '1', start_year: year, end_year: year })],
    ['PUT /projects/{inside} unit=卧龙区', () => pw.put(`/api/v1/projects/${inside.id}`, { unit: '411303', version: inside.version })],
    ['PUT /projects/batches/{id}/lists with a 卧龙区 project', () => pw.put(`/api/v1/projects/batches/${batch.id}/lists`, { start: [{ id: t0.projectsOut[0].id }], version: batch.version })],
  ];
  for (const [what, run] of writes) {
    const r = await run();
    if (![400, 403, 404].includes(r.status)) problems.push(`${what} as project_wc: expected 403/404 (or 400 naming the field), got ${r.status} ${r.text.slice(0, 200)}`);
  }
  const out = await c.project.get('/api/v1/projects?unit=411303&q=AC-');
  if (out.json.items.map((p) => p.code).join() !== 'AC-OUT-1') problems.push(`卧龙区's AC- projects after refused writes: ${out.text.slice(0, 300)}`);
  const after = (await c.project.get(`/api/v1/projects/${inside.id}`)).json;
  if (JSON.stringify(after) !== JSON.stringify(inside)) problems.push(`the 宛城区 project changed: ${JSON.stringify(after).slice(0, 300)}`);
  const b2 = (await c.project.get(`/api/v1/projects/batches/${batch.id}`)).json;
  if (JSON.stringify(b2) !== JSON.stringify(batch)) problems.push(`the batch changed: ${JSON.stringify(b2).slice(0, 300)}`);
  assert.deepEqual(problems, [], problems.join('\n'));
});
