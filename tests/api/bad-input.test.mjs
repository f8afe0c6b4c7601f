// Hostile and malformed input against every mutating route of `tiaodu routes`: malformed JSON,
// non-objects, wrong types, missing and unknown fields, wrong content type, oversize bodies and
// headers, unknown routes, bad path ids. Always the error format, never a 500, nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  startServer, Client, loginMany, loadRoutes, unitIndex, userIndex, snapshot, assertSnapshotEqual,
  assertErrorFormat, fillPath, roleHas, rawRequest, CITY_USERS, MUTATING, STRONG_PASSWORD,
} from './helpers.mjs';

const ROUTES = loadRoutes();
// Routes that take no body at all (the body is ignored): logout, marking notifications read.
const NO_BODY = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/notifications/read-all', 'POST /api/v1/notifications/{id}/read']);
// Routes whose body is the raw bytes of a file, not JSON (`raw_body` in the route table:
// evidence uploads, spreadsheet imports): their bad input (size, type, content, name) is tested
// in supervision.test.mjs and excel.test.mjs.
const RAW_BODY = new Set(ROUTES.filter((r) => r.raw_body).map((r) => `${r.method} ${r.path}`));
assert.ok(RAW_BODY.has('POST /api/v1/tasks/{id}/files'), 'the route table marks uploads raw_body');
// Routes whose whole valid body is {} (docs/API.md): unlock; a meeting decision → task (owner
// and deadline default to the decision's).
const EMPTY_BODY_VALID = new Set(['POST /api/v1/users/{id}/unlock', 'POST /api/v1/meetings/{id}/decisions/{decision_id}/task']);
const INT_FIELDS = new Set(['version', 'parent_id', 'unit_id', 'id', 'year', 'decimals', 'sort_order',
  'start_year', 'end_year', 'number', 'leader_id', 'serious_overdue_days',
  'company_id', 'chain_id', 'segment_id', 'officer_id', 'lead_firm_id', 'into', 'projects_100m',
  'completion_class', 'yellow_within_days', 'red_after_days', 'max_new_deadline_days', 'max_file_mb', 'max_files_per_task']);
// Exact decimals (indicator values, growth rates, targets): docs/API.md accepts a string or a
// JSON number, so a number is no wrong type for them.
// Project and investment amounts (亿元) likewise.
const DECIMAL_FIELDS = new Set(['value', 'reported_yoy', 'monthly', 'growth_floor', 'growth_stretch',
  'ahead_margin', 'behind_margin', 'yoy_tolerance', 'swing_threshold', 'children_tolerance',
  'total_investment', 'amount', 'lag_gap', 'serious_gap', 'contract_amount']);
// Routes known to ignore their body (server bugs): their body tests are todo.
const BODY_IGNORED = {};
const MUTATIONS = ROUTES.filter((r) => MUTATING.has(r.method) && !NO_BODY.has(`${r.method} ${r.path}`) && !RAW_BODY.has(`${r.method} ${r.path}`));

let server, c, target, snap0;
const seen500 = [];

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, Object.values(CITY_USERS));
  c.anon = new Client(server.url);
  const units = await unitIndex(c.admin);
  const unit = (await c.admin.post('/api/v1/units', { name: '坏输入靶子', kind: 'department', parent_id: units.byCode['411302'].id })).json;
  const user = (await c.admin.post('/api/v1/users', { username: 'bad_input_target', display_name: '靶子', role: 'leader', unit_id: unit.id, password: STRONG_PASSWORD })).json;
  // Objects of the indicator kinds, so that /{id} names an existing one.
  const gdp = (await c.stat.get('/api/v1/indicators?q=gdp')).json.items.find((i) => i.code === 'gdp');
  const value = (await c.stat.get('/api/v1/indicators/values?unit=411303&indicator=gdp&period=2024-06')).json.items[0];
  const rule = (await c.stat.post('/api/v1/indicators/rules', { expression: 'industrial_investment <= fixed_asset_investment', severity: 'warning', message: '坏输入靶子' })).json;
  assert.ok(gdp && value && rule?.id, 'indicator targets for bad input');
  // A key project (with a problem) and a batch, so that /projects/{id}, /projects/problems/{id}
  // and /projects/batches/{id} name existing objects: bad input is then refused for the input,
  // not for a missing object.
  const year = new Date().getFullYear();
  const project = (await c.project.post('/api/v1/projects', { code: 'BAD-INPUT-1', name: '坏输入靶子项目', level: 'district',
    category: 'industry', unit: '411302', total_investment: '10', start_year: year, end_year: year + 1 })).json;
  const problem = (await c.project.post(`/api/v1/projects/${project?.id}/problems`, { category: 'land', description: '坏输入靶子', deadline: `${year + 1}-01-31` })).json;
  const batch = (await c.project.post('/api/v1/projects/batches', { number: 902, name: '坏输入靶子批次', deadline: `${year}-12-31` })).json;
  assert.ok(project?.id && problem?.id && batch?.id, 'project targets for bad input');
  // A company, an industry chain and a lead (招商引资), likewise.
  const company = (await c.invest.post('/api/v1/investment/companies', { name: '坏输入靶子企业有限公司' })).json;
  const chain = (await c.invest.post('/api/v1/investment/chains', { name: '坏输入靶子产业链', chain_leader: '靶子' })).json;
  const lead = (await c.invest.post('/api/v1/investment/leads', { company_id: company?.id, project_name: '坏输入靶子线索',
    amount: '1', source: 'business', unit: '411302' })).json;
  assert.ok(company?.id && chain?.id && lead?.id, 'investment targets for bad input');
  // 督查督办: a task owned by 瓦店镇 (so that reporter_town, the city reporter of CITY_USERS, may act
  // on it) and a meeting with a decision, likewise.
  const task = (await c.supervisor.post('/api/v1/tasks', { title: '坏输入靶子任务', source: 'instruction', owner_unit: 'T411302-02' })).json;
  const meeting = (await c.supervisor.post('/api/v1/meetings', { kind: 'weekly', title: '坏输入靶子会议', held_on: new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10),
    decisions: [{ text: '坏输入靶子议定事项', owner_unit: 'T411302-02' }] })).json;
  assert.ok(task?.id && meeting?.id && meeting.decisions?.[0]?.id, 'supervision targets for bad input');
  target = { unit, user, indicator: gdp, indicator_value: value, indicator_rule: rule, project, project_problem: problem, project_batch: batch,
    company, chain, lead, task, meeting, decision: meeting.decisions[0] };
  snap0 = await snapshot(c.admin, c.auditor);
});

after(async () => {
  if (server && server.proc.exitCode === null && server.proc.signalCode === null) await server.stop();
  else if (server?.dbFile) rmSync(dirname(server.dbFile), { recursive: true, force: true });
});

// The client that may call a route (public → anonymous).
function clientFor(route) {
  if (route.access === 'public') return c.anon;
  if (route.access === 'session') return c.leader;
  const role = Object.keys(CITY_USERS).find((r) => roleHas(r, route.permission));
  assert.ok(role, `no role has ${route.permission}`);
  return c[CITY_USERS[role]];
}
function pathFor(route) {
  const id = (target[route.object] || target.unit).id;
  return route.path.replace(/\{([a-z_]+)\}/g, (m, k) => String(k === 'decision_id' ? target.decision.id : id));
}
async function send(route, body, { raw = true, headers = {} } = {}) {
  const r = await clientFor(route).request(route.method, pathFor(route), body, { raw, headers });
  if (r.status >= 500) seen500.push(`${route.method} ${route.path} ${JSON.stringify(String(body).slice(0, 80))}: ${r.status} ${r.text}`);
  return r;
}

for (const route of MUTATIONS) {
  const name = `${route.method} ${route.path}`;
  const bodyTodo = BODY_IGNORED[name] ? { todo: BODY_IGNORED[name] } : {};

  test(`${name}: malformed JSON, arrays, strings, numbers, null and invalid UTF-8 → 400 in the error format`, bodyTodo, async () => {
    const bodies = ['{"a":', '{', '{"name": "x",}', "{'name': 'x'}", '[]', '[{}]', '"string"', '123', 'null', 'true', '{"a":1}{"b":2}',
      Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])];
    for (const b of bodies) {
      const r = await send(route, b);
      assert.equal(r.status, 400, `${name} with body ${JSON.stringify(String(b))}: ${r.status} ${r.text}`);
      assertErrorFormat(r, `${name} ${b}`);
      assert.equal(r.json.error.code, 'invalid_argument');
    }
  });

  test(`${name}: missing required fields → 400 listing them; wrong types → 400 naming the field`, bodyTodo, async () => {
    if (EMPTY_BODY_VALID.has(name)) return; // {} is its complete valid body: nothing is required
    const empty = await send(route, '{}');
    assert.equal(empty.status, 400, `${name} with {}: ${empty.status} ${empty.text}`);
    assertErrorFormat(empty, name);
    const required = empty.json.error.details;
    assert.ok(required.length > 0, `${name}: {} refused without naming the missing fields`);
    for (const d of required) {
      assert.equal(typeof d.field, 'string');
      assert.equal(typeof d.reason, 'string');
    }
    for (const { field, reason: missingReason } of required) {
      const wrongs = INT_FIELDS.has(field) ? ['1', 1.5, true, [], {}]
        : DECIMAL_FIELDS.has(field) ? [true, ['x'], { a: 1 }] : [123, true, ['x'], { a: 1 }];
      for (const w of wrongs) {
        const r = await send(route, JSON.stringify({ [field]: w }));
        assert.equal(r.status, 400, `${name} with ${field}=${JSON.stringify(w)}: ${r.status} ${r.text}`);
        // An array of objects may name the bad element ("values[0]").
        const d = r.json.error.details.find((x) => x.field === field || x.field.startsWith(`${field}[`));
        assert.ok(d, `${name} with ${field}=${JSON.stringify(w)}: details do not name ${field}: ${r.text}`);
        assert.notEqual(d.reason, missingReason, `${name}: a wrong-typed ${field} is reported as missing`);
      }
    }
  });

  test(`${name}: unknown fields → 400 naming them (no mass assignment)`, bodyTodo, async () => {
    for (const extra of ['zzz_unknown', 'id', 'archived', 'disabled', 'is_admin', 'password_hash', 'created_at', '__proto__']) {
      const r = await send(route, JSON.stringify({ [extra]: 1 }));
      assert.equal(r.status, 400, `${name} with unknown field ${extra}: ${r.status} ${r.text}`);
      if (extra !== '__proto__' || r.json.error.details.length) {
        assert.ok(r.json.error.details.some((d) => d.field === extra), `${name}: details should name "${extra}": ${r.text}`);
      }
    }
  });

  test(`${name}: a non-JSON content type → 415`, async () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const r = await send(route, '{}', { headers: { 'content-type': ct } });
      assert.equal(r.status, 415, `${name} as ${ct}: ${r.status} ${r.text}`);
      assertErrorFormat(r, ct);
      assert.equal(r.json.error.code, 'unsupported_media_type');
    }
  });
}

test('specific mass-assignment attempts are refused: role/disabled via PUT /users, archived/parent_id via PUT /units', async () => {
  const u = target.user;
  const attempts = [
    ['PUT', `/api/v1/users/${u.id}`, { display_name: 'x', role: 'sys_admin', version: u.version }],
    ['PUT', `/api/v1/users/${u.id}`, { display_name: 'x', disabled: true, version: u.version }],
    ['PUT', `/api/v1/users/${u.id}`, { display_name: 'x', username: 'renamed', version: u.version }],
    ['PUT', `/api/v1/units/${target.unit.id}`, { name: 'x', archived: true, version: target.unit.version }],
    ['PUT', `/api/v1/units/${target.unit.id}`, { name: 'x', parent_id: 1, version: target.unit.version }],
    ['POST', '/api/v1/users', { username: 'mass_user', display_name: 'x', role: 'leader', unit_id: target.unit.id, password: STRONG_PASSWORD, must_change_password: false }],
    ['POST', '/api/v1/auth/login', { username: 'leader', password: 'x', remember: true }],
  ];
  for (const [m, p, b] of attempts) {
    const client = p.includes('/auth/login') ? c.anon : c.admin;
    const r = await client.request(m, p, b);
    assert.equal(r.status, 400, `${m} ${p} ${JSON.stringify(b)}: ${r.status} ${r.text}`);
  }
});

// Only upload routes may send more than 2 MB; any other request is answered 413 from its
// declared length, before the body arrives.
test('an oversize body (3 MB declared in Content-Length) → 413 JSON, on a protected and on the public route', async () => {
  for (const [client, path] of [[c.admin, '/api/v1/units'], [c.anon, '/api/v1/auth/login']]) {
    const head = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1`, 'Content-Type: application/json',
      `Content-Length: ${3 * 1024 * 1024}`, 'Connection: close'];
    if (client.cookie) head.push(`Cookie: ${client.cookie}`, `X-CSRF-Token: ${client.csrf}`);
    const answer = await rawRequest(server.url, `${head.join('\r\n')}\r\n\r\n{"name":"${'x'.repeat(1000)}`);
    assert.match(answer, /^HTTP\/1\.1 413 /, `${path}: ${answer.slice(0, 200)}`);
    assert.match(answer, /"payload_too_large"/);
  }
});

test('an oversize body (3 MB actually sent) → 413 or a closed connection, never accepted; the server lives on', async () => {
  const big = JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) });
  for (const [client, path] of [[c.admin, '/api/v1/units'], [c.anon, '/api/v1/auth/login']]) {
    let status;
    try {
      status = (await client.request('POST', path, big, { raw: true })).status;
    } catch (e) {
      status = e.cause?.code || e.message; // the server answered 413 and closed while we were still sending
    }
    assert.ok(status === 413 || ['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(status), `${path}: ${status}`);
  }
  assert.equal((await fetch(`${server.url}/api/v1/health`)).status, 200);
});

test('a huge header (100 KB) → 431 or 400, and a long field value → 400', async () => {
  const res = await fetch(`${server.url}/api/v1/health`, { headers: { 'x-big': 'a'.repeat(100_000) } });
  assert.ok([431, 400].includes(res.status), `huge header: ${res.status}`);
  await res.text();
  const r = await c.admin.post('/api/v1/units', { name: '长'.repeat(1000), kind: 'department', parent_id: target.unit.id });
  assert.equal(r.status, 400, `a 3000-byte name: ${r.status}`);
  const l = await c.anon.post('/api/v1/auth/login', { username: 'u'.repeat(10_000), password: 'x' });
  assert.equal(l.status, 400, `a 10000-byte username: ${l.status}`);
});

test('unknown routes → 404 JSON; wrong methods → 404/405 JSON', async () => {
  for (const [m, p] of [['GET', '/api/v1/nope'], ['POST', '/api/v1/nope'], ['GET', '/api/v1/units/1/nope'], ['GET', '/api/v2/units'], ['GET', '/api/v1/'], ['GET', '/api/v1/units/']]) {
    const r = await c.admin.request(m, p, m === 'POST' ? {} : undefined);
    assert.equal(r.status, 404, `${m} ${p}: ${r.status} ${r.text}`);
    assertErrorFormat(r, p);
    assert.equal(r.json.error.code, 'not_found');
    assert.match(r.headers.get('content-type') || '', /application\/json/);
  }
  for (const [m, p] of [['DELETE', '/api/v1/units/1'], ['PATCH', '/api/v1/users/1'], ['PUT', '/api/v1/health']]) {
    const r = await c.admin.request(m, p, {});
    assert.ok([404, 405].includes(r.status), `${m} ${p}: ${r.status}`);
    assertErrorFormat(r, `${m} ${p}`);
  }
});

test('invalid path ids → 400 (abc, -1, 0, 1.5, 1e3, overflow, 0x10) on reads and writes', async () => {
  const bad = ['abc', '-1', '0', '1.5', '1e3', '99999999999999999999', '0x10', '%20', '1%00', '+1'];
  const idRoutes = ROUTES.filter((r) => r.path.includes('{id}'));
  const problems = [];
  for (const route of idRoutes) {
    for (const id of bad) {
      const path = fillPath(route.path, id);
      const r = await clientFor(route).request(route.method, path, MUTATING.has(route.method) ? { version: 1 } : undefined);
      if (r.status >= 500) seen500.push(`${route.method} ${path}: ${r.status}`);
      if (r.status !== 400 || !r.json?.error) problems.push(`${route.method} ${path}: ${r.status} ${r.text.slice(0, 120)}`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('bad query parameters never give 500 (page, page_size, filters, dates)', async () => {
  const queries = ['/api/v1/units?page=-5&page_size=0', '/api/v1/units?page=abc&page_size=xyz', '/api/v1/units?page=99999999999', '/api/v1/units?kind=%00',
    `/api/v1/units?q=${encodeURIComponent("' OR 1=1 --")}`, '/api/v1/users?unit_id=1e5', `/api/v1/users?q=${encodeURIComponent('%\'"\\')}`];
  for (const q of queries) {
    const r = await c.admin.get(q);
    assert.ok(r.status < 500 && r.json, `${q}: ${r.status} ${r.text}`);
  }
  const injected = await c.admin.get(`/api/v1/units?q=${encodeURIComponent("' OR '1'='1")}`);
  assert.deepEqual(injected.json.items, [], 'a quote in q must not widen the result');
  for (const q of ['/api/v1/audit?from=2024-13-45', '/api/v1/audit?to=yesterday', '/api/v1/audit?from=%00']) {
    const r = await c.auditor.get(q);
    assert.equal(r.status, 400, `${q}: ${r.status} ${r.text}`);
  }
});

test('supervision queries: bad filters (light, state, meeting, period, working-day dates) → 400 naming the parameter; nothing else gives 500', async () => {
  const sup = c.supervisor;
  for (const [q, field] of [['/api/v1/tasks?light=purple', 'light'], ['/api/v1/tasks?state=done', 'state'], ['/api/v1/tasks?meeting=abc', 'meeting'],
    ['/api/v1/tasks/on-time?period=xyz', 'period'], ['/api/v1/tasks/on-time?period=2026-13', 'period'], ['/api/v1/tasks/on-time?period=2026Q5', 'period'],
    ['/api/v1/supervision/working-days?from=bad&to=2026-01-01', 'from'], ['/api/v1/supervision/working-days?from=2026-02-01&to=2026-01-01', 'to']]) {
    const r = await sup.get(q);
    assert.equal(r.status, 400, `${q}: ${r.status} ${r.text}`);
    assertErrorFormat(r, q);
    assert.ok(r.json.error.details.some((d) => d.field === field), `${q}: details should name ${field}: ${r.text}`);
  }
  for (const q of ['/api/v1/tasks?page=abc&page_size=0', '/api/v1/tasks?page=99999999999', '/api/v1/tasks?unit=%00', '/api/v1/tasks?mine=yes&overdue=2',
    '/api/v1/tasks/board?unit=NOPE', '/api/v1/meetings?page=-1&page_size=100000', '/api/v1/notifications?page=-1&page_size=100000&unread=maybe']) {
    const r = await sup.get(q);
    if (r.status >= 500) seen500.push(`GET ${q}: ${r.status}`);
    assert.ok(r.status < 500 && r.json, `${q}: ${r.status} ${r.text}`);
  }
  const injected = await sup.get(`/api/v1/tasks?q=${encodeURIComponent("' OR '1'='1")}`);
  assert.equal(injected.status, 200);
  assert.deepEqual(injected.json.items, [], 'a quote in q must not widen the result');
});

test('meeting date filters that are no dates → 400 (as the audit log\'s from/to)',
  async () => {
    for (const q of ['/api/v1/meetings?from=2024-13-45', '/api/v1/meetings?to=yesterday']) {
      const r = await c.supervisor.get(q);
      assert.equal(r.status, 400, `${q}: ${r.status} ${r.text}`);
    }
  });

test('after all bad input: no 500 was seen, /health answers, the audit chain verifies, units/users/audit unchanged', async () => {
  assert.deepEqual(seen500, [], seen500.join('\n'));
  const h = await fetch(`${server.url}/api/v1/health`);
  assert.equal(h.status, 200);
  assert.deepEqual(await h.json(), { status: 'ok' });
  const v = await c.auditor.get('/api/v1/audit/verify');
  assert.equal(v.status, 200);
  assert.equal(v.json.ok, true, v.text);
  assertSnapshotEqual(snap0, await snapshot(c.admin, c.auditor), 'after bad input');
});

// The tests below change state when the server has the bug, so they run after the final check.
test('an integer version that overflows 32 bits is not taken as another version (no stale write)', async () => {
  const unit = (await c.admin.get(`/api/v1/units/${target.unit.id}`)).json;
  for (const v of [unit.version + 2 ** 32, unit.version - 2 ** 32, 2 ** 53]) {
    const r = await c.admin.put(`/api/v1/units/${unit.id}`, { name: '溢出写入', version: v });
    assert.ok([400, 409].includes(r.status), `version ${v}: ${r.status} ${r.text}`);
  }
  assert.deepEqual((await c.admin.get(`/api/v1/units/${unit.id}`)).json, unit);
});

// Last, because it may take the server down.
test('deeply nested JSON (500 000 levels, 1 MB, under the body limit) on the public login route → 400, the server survives', async () => {
  const depth = 500_000;
  const body = `{"username":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  let status;
  try {
    status = (await c.anon.request('POST', '/api/v1/auth/login', body, { raw: true })).status;
  } catch (e) {
    status = `connection error ${e.cause?.code || e.message}`;
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(server.proc.signalCode, null, `the server died with ${server.proc.signalCode}`);
  assert.equal(status, 400);
  assert.equal((await fetch(`${server.url}/api/v1/health`)).status, 200);
});
