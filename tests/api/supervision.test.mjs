// Supervision (督查督办) under the 13710 clock, docs/API.md "## Supervision": who sees and acts on
// which tasks (a 宛城区 supervisor, a town reporter, co-unit reporters, roles without task.read),
// the life cycle from assignment to acceptance with its timeline and notifications, steps out of
// order and stale versions, bad input refused with a Chinese error and nothing written, evidence
// files (limits, types by extension and content, download of the same bytes, only in scope), the
// list's filters and paging, the board, meetings whose decisions become tasks, the working-day
// calendar, the clock settings and the on-time rate.
//
// The server has no clock override: "today" is the real date in China time (UTC+8), and the
// tests work relative to it. Each test makes its own tasks with its own title tag (zq…), so that
// tests (and the demo's tasks) do not see each other's. "Nothing written" is checked on the
// tasks' total and on the audit rows of the acting users (the scheduler's own rows, written
// every minute, would make a global count flaky).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startServer, loginAs, loginMany, listAll, unitIndex, assertErrorFormat, STRONG_PASSWORD } from './helpers.mjs';

const API = '/api/v1';
const T = `${API}/tasks`;
const M = `${API}/meetings`;

const DCS = 'D411300-DCS';     // 南阳市委督查室: supervisor's unit (a city department: city scope)
const FGW = 'D411300-FGW';     // 南阳市发展和改革委员会: reporter_fgw's unit (city scope, a department)
const CITY = '411300';
const WANCHENG = '411302';     // 宛城区: supervisor_wancheng, reporter_wancheng, leader_wancheng
const TOWN = 'T411302-02';     // 瓦店镇: reporter_town
const SIBLING = 'T411302-01';  // 新华街道: another town of 宛城区
const WOLONG = '411303';       // 卧龙区
const WOLONG_TOWN = 'T411303-02';
const MB = 1024 * 1024;

// Today as the server sees it (China time).
const cnNow = () => new Date(Date.now() + 8 * 3600 * 1000);
const isoDay = (d) => d.toISOString().slice(0, 10);
const TODAY = isoDay(cnNow());
const addDays = (iso, n) => { const d = new Date(`${iso}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return isoDay(d); };
const HAN = /[\u4e00-\u9fff]/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATE_NAMES = { assigned: '已交办', received: '已签收', in_progress: '办理中', reported: '待验收', closed: '已办结', cancelled: '已撤销' };
const LIGHT_NAMES = { green: '绿灯', yellow: '黄灯', red: '红灯' };
const LIGHT_RANK = { red: 0, yellow: 1, green: 2 };
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

let server, c, units;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['supervisor', 'supervisor_wancheng', 'reporter_fgw', 'reporter_wancheng', 'reporter_town',
    'leader', 'leader_wancheng', 'stat', 'project', 'invest', 'auditor', 'admin']);
  units = await unitIndex(c.admin);
});
after(async () => { await server?.stop(); });

// ---------------------------------------------------------------------------------------
// Helpers

function expectStatus(r, status, what) {
  const ok = Array.isArray(status) ? status.includes(r.status) : r.status === status;
  assert.ok(ok, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 500)}`);
  if (r.status >= 400) assertErrorFormat(r, what);
}
// A refusal with a Chinese message (and, when given, the message matching `match`).
function expectRefused(r, status, what, match) {
  expectStatus(r, status, what);
  assert.ok(HAN.test(r.json.error.message), `${what}: the message is not Chinese: ${r.text}`);
  const codes = { 400: 'invalid_argument', 403: 'permission_denied', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'failed_precondition' };
  assert.equal(r.json.error.code, codes[r.status], `${what}: error code for ${r.status}`);
  if (match) {
    const all = [r.json.error.message, ...r.json.error.details.map((d) => d.reason)].join(' ');
    assert.match(all, match, `${what}: ${r.text}`);
  }
}
// A 400 naming `field` (or one of several) in its details with a Chinese reason (matching `match`).
function expectBadField(r, field, what, match) {
  expectRefused(r, 400, what);
  const fields = [field].flat();
  const d = r.json.error.details.find((x) => fields.some((f) => x.field === f || x.field.startsWith(`${f}.`) || x.field.startsWith(`${f}[`)));
  assert.ok(d, `${what}: the details do not name ${fields.join(' or ')}: ${r.text}`);
  assert.ok(HAN.test(d.reason), `${what}: the reason is not Chinese: ${r.text}`);
  if (match) assert.match(d.reason, match, `${what}: ${r.text}`);
}

let seq = 0;
// A task assigned by `client` (default: the city supervisor) with valid defaults.
async function assign(fields = {}, client = c.supervisor) {
  seq += 1;
  const body = { title: `zq测试任务${seq}`, source: 'instruction', owner_unit: FGW, ...fields };
  const r = await client.post(T, body);
  expectStatus(r, 201, `assign ${body.title} to ${body.owner_unit}`);
  return r.json;
}
async function detail(id, client = c.supervisor) {
  const r = await client.get(`${T}/${id}`);
  expectStatus(r, 200, `GET task ${id}`);
  return r.json;
}
const act = (client, id, step, body) => client.post(`${T}/${id}/${step}`, body);
async function step(client, id, stepName, body, what = stepName) {
  const r = await act(client, id, stepName, body);
  expectStatus(r, 200, `${what} on task ${id}`);
  return r.json;
}
function upload(client, id, name, bytes, type = 'text/plain') {
  const qs = name === undefined ? '' : `?name=${encodeURIComponent(name)}`;
  return client.request('POST', `${T}/${id}/files${qs}`, bytes, { raw: true, headers: { 'content-type': type } });
}
async function uploadOk(client, id, name = '佐证材料.txt', bytes = Buffer.from('办理情况说明：已完成。\n'), type = 'text/plain') {
  const r = await upload(client, id, name, bytes, type);
  expectStatus(r, 201, `upload ${name} to task ${id}`);
  return r.json;
}
// Receives, plans and uploads one evidence file as the owner unit's reporter, then reports.
async function toReported(t, reporter) {
  let d = await step(reporter, t.id, 'receive', { version: t.version });
  d = await step(reporter, t.id, 'plan', { plan: '成立专班，倒排工期，按周调度。', version: d.version });
  await uploadOk(reporter, t.id);
  d = await detail(t.id, reporter);
  return step(reporter, t.id, 'report', { result: '已按要求办结。', version: d.version });
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PNG = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2000)]);

// The parts of a task that refused requests must leave alone.
const essence = (d) => JSON.stringify({ version: d.version, state: d.state, plan: d.plan, result: d.result, deadline: d.deadline,
  completion_due: d.completion_due, events: d.events.map((e) => e.id), files: d.files.map((f) => f.id), co: d.co_units.map((u) => u.code) });
async function taskTotal() {
  const r = await c.supervisor.get(`${T}?page_size=1`);
  expectStatus(r, 200, 'GET /tasks total');
  return r.json.total;
}
async function auditOf(username) {
  const r = await c.auditor.get(`${API}/audit?username=${username}&page_size=1`);
  expectStatus(r, 200, 'GET /audit');
  return r.json.total;
}
// The timeline's kinds in the order they happened (by id; the answer may list newest first), without
// the scheduler's reminders and escalations.
const kindsOf = (d) => [...d.events].sort((a, b) => a.id - b.id).map((e) => e.kind).filter((k) => !['reminder', 'escalated'].includes(k));
async function notesAbout(client, taskId) {
  const all = await listAll(client, `${API}/notifications`);
  return all.filter((n) => n.object && n.object.kind === 'task' && n.object.id === taskId);
}
async function workingDays(from, to) {
  const r = await c.supervisor.get(`${API}/supervision/working-days?from=${from}&to=${to}`);
  expectStatus(r, 200, `working-days ${from}..${to}`);
  return r.json.days;
}

// ---------------------------------------------------------------------------------------
// Permissions and scope

test('roles without task.read (statistician, project office, investment officer, admins) get 403 on tasks, the board, meetings and the on-time rate', async () => {
  const t = await assign({ title: 'zqPERM 权限任务' });
  const others = { stat: c.stat, project: c.project, invest: c.invest, admin: c.admin };
  for (const [who, client] of Object.entries(others)) {
    for (const path of [T, `${T}/${t.id}`, `${T}/board`, `${T}/on-time?period=${TODAY.slice(0, 4)}`, M, `${T}/${t.id}/files/1`]) {
      const r = await client.get(path);
      expectRefused(r, 403, `GET ${path} as ${who}`);
    }
  }
  // task.read is not task.assign: a leader reads, but assigns and accepts nothing; a reporter
  // does not assign; a supervisor does not receive (task.report).
  expectStatus(await c.leader.get(`${T}/${t.id}`), 200, 'leader reads the task');
  expectRefused(await c.leader.post(T, { title: 'zqPERM 领导交办', source: 'instruction', owner_unit: FGW }), 403, 'POST /tasks as leader');
  expectRefused(await c.reporter_fgw.post(T, { title: 'zqPERM 填报员交办', source: 'instruction', owner_unit: FGW }), 403, 'POST /tasks as reporter');
  expectRefused(await act(c.leader, t.id, 'receive', { version: t.version }), 403, 'receive as leader');
  expectRefused(await act(c.supervisor, t.id, 'receive', { version: t.version }), 403, 'receive as supervisor');
  expectRefused(await act(c.reporter_fgw, t.id, 'cancel', { reason: '越权撤销', version: t.version }), 403, 'cancel as reporter');
  assert.equal(essence(await detail(t.id)), essence(t), 'a refused request changed the task');
});

test('a 宛城区 supervisor cannot assign to units outside 宛城区 (as owner or co-unit): 400 naming the field in Chinese, nothing written', async () => {
  const before = { tasks: await taskTotal(), audit: await auditOf('supervisor_wancheng') };
  const attempts = [
    ['owner 卧龙区', { owner_unit: WOLONG }, 'owner_unit'],
    ['owner 石桥镇 (卧龙区)', { owner_unit: WOLONG_TOWN }, 'owner_unit'],
    ['owner 南阳市 (above the scope)', { owner_unit: CITY }, 'owner_unit'],
    ['owner 市发改委 (a city department)', { owner_unit: FGW }, 'owner_unit'],
    ['co-unit 卧龙区', { owner_unit: TOWN, co_units: [WOLONG] }, 'co_units'],
    ['co-unit 石桥镇', { owner_unit: TOWN, co_units: [SIBLING, WOLONG_TOWN] }, 'co_units'],
  ];
  for (const [what, fields, field] of attempts) {
    const r = await c.supervisor_wancheng.post(T, { title: `zqSCOPE ${what}`, source: 'instruction', ...fields });
    expectBadField(r, field, `supervisor_wancheng assigns with ${what}`, /单位/);
  }
  assert.equal(await taskTotal(), before.tasks, 'a task was written by a refused assignment');
  assert.equal(await auditOf('supervisor_wancheng'), before.audit, 'audit rows were written by refused assignments');
  // Inside its district it assigns.
  const ok = await assign({ title: 'zqSCOPE 宛城区内交办', owner_unit: TOWN, co_units: [SIBLING] }, c.supervisor_wancheng);
  assert.equal(ok.unit.code, WANCHENG, 'the assigning unit is the supervisor\'s unit');
  assert.equal(ok.owner_unit.code, TOWN);
});

test('a 宛城区 supervisor gets 404 for a task owned outside 宛城区, never lists it, and cannot accept, return, cancel or extend a city-assigned task it can read (403)', async () => {
  const outside = await assign({ title: 'zqOUT 卧龙区任务', owner_unit: WOLONG });
  const cityInWancheng = await assign({ title: 'zqOUT 市级交办宛城区任务', owner_unit: WANCHENG });
  let r = await c.supervisor_wancheng.get(`${T}/${outside.id}`);
  expectRefused(r, 404, 'GET 卧龙区 task as supervisor_wancheng');
  for (const path of [`${T}?q=zqOUT`, `${T}?q=${outside.code}`, `${T}?unit=${WOLONG}`, `${T}?unit=${CITY}&q=zqOUT`]) {
    const res = await c.supervisor_wancheng.get(`${path}&page_size=500`);
    // A unit filter outside the scope may answer 404 (as the board does) or an empty list.
    if (res.status === 404 && /unit=/.test(path)) continue;
    expectStatus(res, 200, path);
    assert.ok(!res.json.items.some((x) => x.id === outside.id), `${path}: lists the 卧龙区 task`);
  }
  for (const [stepName, body] of [['cancel', { reason: '越权撤销' }], ['deadline', { new_deadline: addDays(TODAY, 30), reason: '越权延期' }]]) {
    r = await act(c.supervisor_wancheng, outside.id, stepName, { ...body, version: outside.version });
    expectRefused(r, 404, `${stepName} on a 卧龙区 task as supervisor_wancheng`);
  }
  // The city's task in 宛城区: readable (its owner is in scope), but its assigning unit (市委督查室)
  // is not in the 宛城区 supervisor's scope.
  const d = await detail(cityInWancheng.id, c.supervisor_wancheng);
  assert.equal(d.can.cancel, false, 'can.cancel of a city-assigned task for supervisor_wancheng');
  assert.equal(d.can.extend, false, 'can.extend of a city-assigned task for supervisor_wancheng');
  for (const [stepName, body] of [['cancel', { reason: '越权撤销' }], ['deadline', { new_deadline: addDays(TODAY, 30), reason: '越权延期' }],
    ['accept', {}], ['return', { reason: '越权退回' }]]) {
    r = await act(c.supervisor_wancheng, cityInWancheng.id, stepName, { ...body, version: d.version });
    expectRefused(r, 403, `${stepName} on a city-assigned task as supervisor_wancheng`);
  }
  assert.equal(essence(await detail(outside.id)), essence(outside), 'the 卧龙区 task changed');
  assert.equal(essence(await detail(cityInWancheng.id)), essence(cityInWancheng), 'the city-assigned task changed');
});

test('a town reporter lists only tasks its town owns or co-handles, every listed task opens, and other units\' tasks are 404 (filters cannot widen it)', async () => {
  const own = await assign({ title: 'zqTOWN 瓦店镇牵头', owner_unit: TOWN });
  const co = await assign({ title: 'zqTOWN 瓦店镇配合', owner_unit: SIBLING, co_units: [TOWN] });
  const sibling = await assign({ title: 'zqTOWN 新华街道', owner_unit: SIBLING });
  const district = await assign({ title: 'zqTOWN 宛城区本级', owner_unit: WANCHENG });
  const wolong = await assign({ title: 'zqTOWN 卧龙区', owner_unit: WOLONG });
  const town = units.byCode[TOWN];
  const mine = await listAll(c.reporter_town, T);
  for (const it of mine) {
    const related = it.owner_unit.id === town.id || it.co_units.some((u) => u.id === town.id) || it.unit.id === town.id;
    assert.ok(related, `reporter_town lists ${it.code} (owner ${it.owner_unit.code}, co ${it.co_units.map((u) => u.code)})`);
  }
  const ids = new Set(mine.map((x) => x.id));
  assert.ok(ids.has(own.id) && ids.has(co.id), 'the town\'s own and co-handled tasks are listed');
  for (const t of [sibling, district, wolong]) assert.ok(!ids.has(t.id), `reporter_town lists ${t.title}`);
  // Lists never contain what detail refuses.
  for (const it of mine.slice(0, 100)) expectStatus(await c.reporter_town.get(`${T}/${it.id}`), 200, `reporter_town opens listed ${it.code}`);
  for (const t of [sibling, district, wolong]) {
    expectRefused(await c.reporter_town.get(`${T}/${t.id}`), 404, `reporter_town opens ${t.title}`);
    expectRefused(await act(c.reporter_town, t.id, 'receive', { version: t.version }), 404, `reporter_town receives ${t.title}`);
  }
  for (const path of [`${T}?q=zqTOWN`, `${T}?q=zqTOWN&unit=${WANCHENG}`, `${T}?q=zqTOWN&unit=${WOLONG}`, `${T}?q=zqTOWN&unit=${CITY}`, `${T}?q=zqTOWN&state=open`]) {
    const r = await c.reporter_town.get(path);
    if (r.status === 404 && /unit=/.test(path)) continue; // a unit outside the scope: 404 or an empty list
    expectStatus(r, 200, path);
    const got = r.json.items.map((x) => x.id).filter((id) => id !== own.id && id !== co.id);
    assert.deepEqual(got, [], `${path}: a filter widened the town reporter's scope`);
    assert.equal(r.json.total, r.json.items.length, `${path}: total`);
  }
  // 宛城区's leader: the four in 宛城区, not 卧龙区's; each listed one opens.
  const lw = await listAll(c.leader_wancheng, `${T}?q=zqTOWN`);
  assert.deepEqual(lw.map((x) => x.id).sort((a, b) => a - b), [own.id, co.id, sibling.id, district.id].sort((a, b) => a - b), 'leader_wancheng ?q=zqTOWN');
  for (const it of (await listAll(c.leader_wancheng, T)).slice(0, 200)) expectStatus(await c.leader_wancheng.get(`${T}/${it.id}`), 200, `leader_wancheng opens listed ${it.code}`);
});

test('a reporter cannot act on a task its unit does not own: 403 when it can read the task, 404 when it cannot; nothing changes', async () => {
  const town = await assign({ title: 'zqOTHER 瓦店镇任务', owner_unit: TOWN });
  const fgw = await assign({ title: 'zqOTHER 市发改委任务', owner_unit: FGW });
  // reporter_wancheng (宛城区) reads its town's task; reporter_fgw (a city department) reads all.
  for (const [who, client, t] of [['reporter_wancheng', c.reporter_wancheng, town], ['reporter_fgw', c.reporter_fgw, town], ['reporter_town', c.reporter_town, fgw]]) {
    const readable = (await client.get(`${T}/${t.id}`)).status === 200;
    const want = readable ? 403 : 404;
    if (readable) {
      const d = await detail(t.id, client);
      for (const k of ['receive', 'plan', 'feedback', 'complete', 'upload', 'co_feedback']) assert.equal(d.can[k], false, `${who}: can.${k} on ${t.title}`);
    }
    expectRefused(await act(client, t.id, 'receive', { version: t.version }), want, `receive ${t.title} as ${who}`);
    expectRefused(await act(client, t.id, 'plan', { plan: '越权方案', version: t.version }), want, `plan ${t.title} as ${who}`);
    expectRefused(await act(client, t.id, 'feedback', { text: '越权反馈', version: t.version }), want, `feedback ${t.title} as ${who}`);
    expectRefused(await act(client, t.id, 'co-feedback', { text: '越权配合反馈' }), want, `co-feedback ${t.title} as ${who}`);
    expectRefused(await act(client, t.id, 'report', { result: '越权办结', version: t.version }), want, `report ${t.title} as ${who}`);
    expectRefused(await upload(client, t.id, '越权.txt', Buffer.from('越权')), want, `upload to ${t.title} as ${who}`);
  }
  assert.equal(essence(await detail(town.id)), essence(town), 'the town\'s task changed');
  assert.equal(essence(await detail(fgw.id)), essence(fgw), 'the city department\'s task changed');
});

test('co-unit reporters add co-unit feedback and evidence but cannot receive, plan, feed back or report; a non-co-unit reporter cannot co-feed back', async () => {
  const t = await assign({ title: 'zqCO 配合任务', owner_unit: FGW, co_units: [TOWN] });
  const asCo = await detail(t.id, c.reporter_town);
  assert.equal(asCo.can.co_feedback, true, 'can.co_feedback for the co-unit reporter');
  assert.equal(asCo.can.upload, true, 'can.upload for the co-unit reporter');
  assert.equal(asCo.can.receive, false, 'can.receive for the co-unit reporter');
  let d = await step(c.reporter_town, t.id, 'co-feedback', { text: '瓦店镇已配合完成土地丈量。' });
  const ev = d.events.find((e) => e.kind === 'co_feedback');
  assert.ok(ev, `no co_feedback event: ${JSON.stringify(d.events)}`);
  assert.match(ev.text, /土地丈量/);
  assert.equal(ev.unit?.code, TOWN, 'the co_feedback event names the co-unit');
  assert.ok(ev.user && ev.user.id && ev.user.name, 'the co_feedback event names its user');
  const f = await uploadOk(c.reporter_town, t.id, '配合佐证.txt');
  assert.ok((await detail(t.id)).files.some((x) => x.id === f.id), 'the co-unit\'s evidence is on the task');
  d = await detail(t.id);
  for (const [stepName, body] of [['receive', {}], ['plan', { plan: '配合单位方案' }], ['feedback', { text: '配合单位反馈' }], ['report', { result: '配合单位办结' }]]) {
    expectRefused(await act(c.reporter_town, t.id, stepName, { ...body, version: d.version }), 403, `${stepName} as the co-unit reporter`);
  }
  // 宛城区's reporter can read the task (its co-unit is in 宛城区) but is no co-unit.
  expectRefused(await act(c.reporter_wancheng, t.id, 'co-feedback', { text: '非配合单位' }), 403, 'co-feedback as reporter_wancheng');
  assert.equal(essence(await detail(t.id)), essence(d), 'refused steps changed the task');
  // The owner's reporter still receives it.
  d = await step(c.reporter_fgw, t.id, 'receive', { version: d.version });
  assert.equal(d.state, 'received');
});

// ---------------------------------------------------------------------------------------
// Life cycle

test('life cycle: assign → receive → plan → feedback → evidence → report → return (reason required) → report → accept, each step moving the state and adding its event', async () => {
  let d = await assign({ title: 'zqLC 生命周期任务', description: '推进市重点项目前期手续办理。', source: 'instruction', source_ref: '市领导批示〔2026〕1号',
    owner_unit: FGW, co_units: [TOWN] });
  assert.match(d.code, /^DB\d{4}-\d{4,}$/, `code ${d.code}`);
  assert.equal(d.title, 'zqLC 生命周期任务');
  assert.equal(d.description, '推进市重点项目前期手续办理。');
  assert.equal(d.source, 'instruction');
  assert.equal(d.source_name, '领导批示');
  assert.equal(d.source_ref, '市领导批示〔2026〕1号');
  assert.equal(d.meeting, null);
  assert.equal(d.unit.code, DCS, 'the assigning unit is the supervisor\'s own');
  assert.equal(d.owner_unit.code, FGW);
  assert.deepEqual(d.co_units.map((u) => u.code), [TOWN]);
  assert.ok(d.assigned_by?.id && HAN.test(d.assigned_by.name), `assigned_by ${JSON.stringify(d.assigned_by)}`);
  assert.equal(typeof d.assigned_at, 'number');
  assert.equal(d.profile, 'steps');
  assert.equal(d.deadline, null, 'no explicit deadline');
  assert.match(d.completion_due, ISO_DATE);
  assert.ok(d.completion_due > TODAY, 'the 13710 completion deadline is after today');
  assert.equal(d.state, 'assigned');
  assert.equal(d.state_name, STATE_NAMES.assigned);
  assert.ok(LIGHT_NAMES[d.light], `light ${d.light}`);
  assert.equal(d.light_name, LIGHT_NAMES[d.light]);
  assert.deepEqual([d.received_at, d.planned_at, d.reported_at, d.closed_at], [null, null, null, null]);
  assert.ok(Number.isInteger(d.version));
  assert.deepEqual(d.clock.steps.map((s) => s.code).filter((x, i, a) => a.indexOf(x) === i), ['receipt', 'plan', 'feedback', 'complete']);
  assert.equal(d.clock.completion_due, d.completion_due);
  assert.deepEqual(kindsOf(d), ['assigned']);
  assert.deepEqual(d.files, []);
  // What each may do now.
  assert.equal(d.can.cancel, true, 'the assigning supervisor may cancel');
  assert.equal(d.can.receive, false, 'the supervisor does not receive');
  assert.equal(d.can.accept, false, 'nothing to accept yet');
  let asOwner = await detail(d.id, c.reporter_fgw);
  assert.equal(asOwner.can.receive, true, 'the owner\'s reporter may receive');
  assert.equal(asOwner.can.complete, false, 'nothing to report before receipt');
  assert.equal(asOwner.can.cancel, false, 'a reporter does not cancel');

  let v = d.version;
  d = await step(c.reporter_fgw, d.id, 'receive', { version: v });
  assert.equal(d.state, 'received');
  assert.equal(d.state_name, STATE_NAMES.received);
  assert.equal(typeof d.received_at, 'number');
  assert.ok(d.version > v, 'the version moves on receive');
  assert.equal(d.clock.steps.find((s) => s.code === 'receipt').state, 'done', 'the receipt step is done');

  v = d.version;
  d = await step(c.reporter_fgw, d.id, 'plan', { plan: '一、成立工作专班；二、倒排工期；三、每周调度。', version: v });
  assert.equal(d.state, 'in_progress');
  assert.equal(d.state_name, STATE_NAMES.in_progress);
  assert.equal(d.plan, '一、成立工作专班；二、倒排工期；三、每周调度。');
  assert.equal(typeof d.planned_at, 'number');
  assert.ok(d.version > v);

  v = d.version;
  d = await step(c.reporter_fgw, d.id, 'feedback', { text: '已完成用地预审，正在办理环评。', version: v });
  assert.equal(d.state, 'in_progress');
  assert.ok(d.events.some((e) => e.kind === 'feedback' && e.text.includes('用地预审')), 'the feedback event carries its text');
  assert.ok(d.version > v);

  const file = await uploadOk(c.reporter_fgw, d.id, '办结报告.pdf', PDF, 'application/pdf');
  d = await detail(d.id);
  assert.deepEqual(d.files.map((f) => f.id), [file.id]);

  v = d.version;
  d = await step(c.reporter_fgw, d.id, 'report', { result: '各项手续已办结，项目已开工。', version: v });
  assert.equal(d.state, 'reported');
  assert.equal(d.state_name, STATE_NAMES.reported);
  assert.equal(d.result, '各项手续已办结，项目已开工。');
  assert.equal(typeof d.reported_at, 'number');
  const asSup = await detail(d.id);
  assert.equal(asSup.can.accept, true, 'the supervisor may accept a reported task');
  assert.equal(asSup.can.return, true, 'the supervisor may return a reported task');

  // A return needs a reason.
  const reported = await detail(d.id);
  for (const body of [{ version: d.version }, { reason: '', version: d.version }, { reason: '   ', version: d.version }]) {
    expectBadField(await act(c.supervisor, d.id, 'return', body), 'reason', `return without a reason ${JSON.stringify(body)}`);
  }
  assert.equal(essence(await detail(d.id)), essence(reported), 'a return without a reason changed the task');

  v = d.version;
  d = await step(c.supervisor, d.id, 'return', { reason: '佐证材料不全，请补充开工照片。', version: v });
  assert.equal(d.state, 'in_progress', 'a return moves the task back to in_progress');
  const ret = d.events.find((e) => e.kind === 'returned');
  assert.ok(ret && ret.text.includes('佐证材料不全'), `the returned event carries the reason: ${JSON.stringify(d.events)}`);
  assert.ok(ret.user?.id, 'the returned event names its user');
  asOwner = await detail(d.id, c.reporter_fgw);
  assert.equal(asOwner.can.complete, true, 'the owner may report again after a return');

  await uploadOk(c.reporter_fgw, d.id, '开工照片.png', PNG(), 'image/png');
  d = await detail(d.id);
  d = await step(c.reporter_fgw, d.id, 'report', { result: '已补充开工照片。', version: d.version });
  assert.equal(d.state, 'reported');

  v = d.version;
  d = await step(c.supervisor, d.id, 'accept', { comment: '同意办结。', version: v });
  assert.equal(d.state, 'closed');
  assert.equal(d.state_name, STATE_NAMES.closed);
  assert.equal(typeof d.closed_at, 'number');
  assert.deepEqual(kindsOf(d), ['assigned', 'received', 'plan', 'feedback', 'file', 'reported', 'returned', 'file', 'reported', 'accepted']);
  for (const e of d.events) {
    assert.equal(typeof e.at, 'number', `event ${e.kind}.at`);
    assert.ok(HAN.test(e.kind_name), `event ${e.kind}.kind_name ${e.kind_name}`);
    if (!['reminder', 'escalated'].includes(e.kind)) assert.ok(e.user?.id && e.user.name, `event ${e.kind} names its user`);
  }
  // One order, by time: oldest first or newest first.
  const byId = [...d.events].sort((a, b) => a.id - b.id);
  const ats = byId.map((e) => e.at);
  assert.deepEqual(ats, [...ats].sort((a, b) => a - b), 'events later in time have later ids');
  const listed = d.events.map((e) => e.id);
  assert.ok(JSON.stringify(listed) === JSON.stringify(byId.map((e) => e.id)) || JSON.stringify(listed) === JSON.stringify(byId.map((e) => e.id).reverse()),
    `the timeline is in neither time order: ${listed}`);
  for (const k of ['receive', 'plan', 'feedback', 'complete', 'accept', 'return', 'cancel', 'upload']) assert.equal(d.can[k], false, `can.${k} on a closed task`);
  // A closed task takes no more steps.
  expectRefused(await act(c.reporter_fgw, d.id, 'feedback', { text: '办结后反馈', version: d.version }), 422, 'feedback on a closed task');
  expectRefused(await act(c.supervisor, d.id, 'cancel', { reason: '办结后撤销', version: d.version }), 422, 'cancel a closed task');
  expectRefused(await act(c.supervisor, d.id, 'return', { reason: '办结后退回', version: d.version }), 422, 'return a closed task');
});

test('notifications of the life cycle: the owner unit\'s reporter gets "assigned" and "returned", the assigning supervisor gets "reported"; unrelated users get none', async () => {
  const t = await assign({ title: 'zqNOTE 消息任务', owner_unit: FGW });
  let fgw = await notesAbout(c.reporter_fgw, t.id);
  assert.equal(fgw.filter((x) => x.kind === 'assigned').length, 1, `reporter_fgw after assignment: ${JSON.stringify(fgw)}`);
  const n = fgw.find((x) => x.kind === 'assigned');
  assert.equal(n.read, false);
  assert.ok(HAN.test(n.title), `title ${n.title}`);
  assert.ok(n.at, 'at');
  let d = await toReported(t, c.reporter_fgw);
  const sup = await notesAbout(c.supervisor, t.id);
  assert.ok(sup.some((x) => x.kind === 'reported'), `the supervisor has no "reported" notice: ${JSON.stringify(sup)}`);
  d = await step(c.supervisor, t.id, 'return', { reason: '请补充材料。', version: d.version });
  fgw = await notesAbout(c.reporter_fgw, t.id);
  assert.ok(fgw.some((x) => x.kind === 'returned'), `reporter_fgw has no "returned" notice: ${JSON.stringify(fgw)}`);
  assert.ok(!fgw.some((x) => x.kind === 'reported'), 'the reporter got the supervisor\'s "reported" notice');
  for (const who of ['reporter_town', 'reporter_wancheng', 'supervisor_wancheng', 'leader_wancheng']) {
    assert.deepEqual(await notesAbout(c[who], t.id), [], `${who} got notices about a task that is none of theirs`);
  }
});

test('steps out of order → 422 with a Chinese reason, and nothing changes', async () => {
  const t = await assign({ title: 'zqORDER 顺序任务', owner_unit: FGW });
  const r0 = await act(c.reporter_fgw, t.id, 'plan', { plan: '未签收先制定方案', version: t.version });
  expectRefused(r0, 422, 'plan before receipt', /签收/);
  const early = [
    [c.reporter_fgw, 'feedback', { text: '未签收先反馈' }],
    [c.reporter_fgw, 'report', { result: '未签收先办结' }],
    [c.supervisor, 'accept', { comment: '未上报先验收' }],
    [c.supervisor, 'return', { reason: '未上报先退回' }],
  ];
  for (const [client, stepName, body] of early) expectRefused(await act(client, t.id, stepName, { ...body, version: t.version }), 422, `${stepName} on an assigned task`);
  assert.equal(essence(await detail(t.id)), essence(t), 'refused steps changed the assigned task');

  let d = await step(c.reporter_fgw, t.id, 'receive', { version: t.version });
  expectRefused(await act(c.reporter_fgw, t.id, 'receive', { version: d.version }), 422, 'a second receipt');
  d = await step(c.reporter_fgw, t.id, 'plan', { plan: '方案', version: d.version });
  await uploadOk(c.reporter_fgw, t.id);
  d = await detail(t.id);
  for (const [stepName, body] of [['accept', { comment: '未上报先验收' }], ['return', { reason: '未上报先退回' }]]) {
    expectRefused(await act(c.supervisor, t.id, stepName, { ...body, version: d.version }), 422, `${stepName} on an in_progress task`);
  }
  assert.equal(essence(await detail(t.id)), essence(d), 'refused steps changed the in_progress task');
  d = await step(c.reporter_fgw, t.id, 'report', { result: '办结', version: d.version });
  expectRefused(await act(c.reporter_fgw, t.id, 'report', { result: '重复上报', version: d.version }), 422, 'a second report');
  expectRefused(await act(c.reporter_fgw, t.id, 'plan', { plan: '上报后改方案', version: d.version }), 422, 'plan on a reported task');
  assert.equal(essence(await detail(t.id)), essence(d), 'refused steps changed the reported task');
});

test('a stale version → 409 conflict and nothing changes; of two concurrent receipts with one version exactly one wins', async () => {
  const t = await assign({ title: 'zqSTALE 并发任务', owner_unit: FGW });
  expectRefused(await act(c.reporter_fgw, t.id, 'receive', { version: t.version + 1 }), 409, 'receive with a future version');
  assert.equal(essence(await detail(t.id)), essence(t));
  const [a, b] = await Promise.all([act(c.reporter_fgw, t.id, 'receive', { version: t.version }), act(c.reporter_fgw, t.id, 'receive', { version: t.version })]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409], `concurrent receipts: ${a.status} ${b.status}`);
  const d = await detail(t.id);
  assert.equal(d.events.filter((e) => e.kind === 'received').length, 1, 'one received event');
  // The old version no longer works for the next step either.
  expectRefused(await act(c.reporter_fgw, t.id, 'plan', { plan: '旧版本方案', version: t.version }), 409, 'plan with the version before the receipt');
  expectRefused(await act(c.supervisor, t.id, 'cancel', { reason: '旧版本撤销', version: t.version }), 409, 'cancel with a stale version');
  assert.equal(essence(await detail(t.id)), essence(d), 'stale requests changed the task');
});

test('cancel needs a reason, works from an open state, ends the task (cancelled) and refuses further steps', async () => {
  const t = await assign({ title: 'zqCANCEL 撤销任务', owner_unit: FGW });
  let d = await step(c.reporter_fgw, t.id, 'receive', { version: t.version });
  for (const body of [{ version: d.version }, { reason: '', version: d.version }, { reason: ' \t', version: d.version }]) {
    expectBadField(await act(c.supervisor, t.id, 'cancel', body), 'reason', `cancel without a reason ${JSON.stringify(body)}`);
  }
  assert.equal(essence(await detail(t.id)), essence(d));
  d = await step(c.supervisor, t.id, 'cancel', { reason: '上级已统筹解决，不再督办。', version: d.version });
  assert.equal(d.state, 'cancelled');
  assert.equal(d.state_name, STATE_NAMES.cancelled);
  assert.ok(d.events.some((e) => e.kind === 'cancelled' && e.text.includes('统筹解决')), 'the cancelled event carries the reason');
  expectRefused(await act(c.reporter_fgw, t.id, 'plan', { plan: '撤销后方案', version: d.version }), 422, 'plan on a cancelled task');
  expectRefused(await act(c.supervisor, t.id, 'cancel', { reason: '再次撤销', version: d.version }), 422, 'cancel a cancelled task');
  const open = await listAll(c.supervisor, `${T}?q=zqCANCEL&state=open`);
  assert.ok(!open.some((x) => x.id === t.id), 'a cancelled task is not open');
});

test('a new deadline later than the original, with a reason, moves the completion deadline and adds a deadline event; earlier, unreasoned or too far → refused, nothing changes', async () => {
  const t = await assign({ title: 'zqDL 延期任务', owner_unit: FGW });
  const orig = t.completion_due;
  const bad = [
    ['earlier than the original', { new_deadline: addDays(orig, -1), reason: '提前' }, 'new_deadline'],
    ['before today', { new_deadline: addDays(TODAY, -1), reason: '过去' }, 'new_deadline'],
    ['without a reason', { new_deadline: addDays(orig, 20) }, 'reason'],
    ['with a blank reason', { new_deadline: addDays(orig, 20), reason: '  ' }, 'reason'],
    ['beyond 180 days after the original', { new_deadline: addDays(orig, 200), reason: '情况复杂' }, 'new_deadline'],
    ['not a date', { new_deadline: '2026-02-30', reason: '情况复杂' }, 'new_deadline'],
  ];
  const before = await detail(t.id);
  for (const [what, body, field] of bad) {
    expectBadField(await act(c.supervisor, t.id, 'deadline', { ...body, version: t.version }), field, `new deadline ${what}`);
  }
  expectRefused(await act(c.reporter_fgw, t.id, 'deadline', { new_deadline: addDays(orig, 20), reason: '填报员申请', version: t.version }), 403, 'new deadline as reporter');
  assert.equal(essence(await detail(t.id)), essence(before), 'refused new deadlines changed the task');
  const nd = addDays(orig, 20);
  const d = await step(c.supervisor, t.id, 'deadline', { new_deadline: nd, reason: '涉及跨部门审批，情况复杂。', version: t.version });
  assert.equal(d.deadline, nd);
  assert.equal(d.completion_due, nd);
  assert.equal(d.clock.completion_due, nd);
  assert.ok(d.events.some((e) => e.kind === 'deadline'), 'a deadline event');
});

// ---------------------------------------------------------------------------------------
// The clock

test('the clock of a new task follows the calendar: 签收 on the start day, 方案 and the first 反馈 3 working days later, 办结 10 (urgency class 3 → 3)', async () => {
  const days = await workingDays(TODAY, addDays(TODAY, 60));
  const working = days.filter((x) => x.working).map((x) => x.date);
  const now = cnNow();
  const afterOffice = now.getUTCHours() * 60 + now.getUTCMinutes() >= 17 * 60 + 30;
  const start = working.find((dt) => dt > TODAY || (dt === TODAY && !afterOffice));
  const nth = (n) => working[working.indexOf(start) + n];
  const t = await assign({ title: 'zqCLOCK 时限任务', owner_unit: FGW });
  const again = (await detail(t.id));
  // (a request that crosses 17:30 Beijing time would shift the start: re-check with the clock's own start)
  if (again.clock.start !== start) assert.fail(`clock.start ${again.clock.start}, expected ${start} (now ${now.toISOString()} Beijing)`);
  const due = (code, seqNo = 1) => again.clock.steps.find((s) => s.code === code && s.seq === seqNo)?.due;
  assert.equal(due('receipt'), start, 'receipt');
  assert.equal(due('plan'), nth(3), 'plan');
  assert.equal(due('feedback'), nth(3), 'first feedback');
  assert.equal(due('complete'), nth(10), 'completion');
  assert.equal(again.completion_due, nth(10), 'completion_due');
  assert.ok(again.next_due && again.next_due.step === 'receipt' && again.next_due.due === start, `next_due ${JSON.stringify(again.next_due)}`);
  const u = await assign({ title: 'zqCLOCK 紧急任务', owner_unit: FGW, profile: 'urgency', completion_class: 3 });
  assert.equal(u.profile, 'urgency');
  assert.equal(u.completion_class, 3);
  assert.equal(u.completion_due, nth(3), 'urgency class 3');
  assert.deepEqual(u.clock.steps.map((s) => s.code), ['receipt', 'complete']);
});

// ---------------------------------------------------------------------------------------
// Bad input

test('POST /tasks bad input — past deadline, unknown owner, owner among co-units, deadline beyond 13710 without reason, unknown profile or class, empty title, unknown fields — is refused in Chinese and writes nothing', async () => {
  const ref = await assign({ title: 'zqBAD 参照任务', owner_unit: FGW }); // the 13710 completion deadline of a task assigned now
  const due = ref.completion_due;
  const base = { title: 'zqBAD 坏输入', source: 'instruction', owner_unit: FGW };
  const before = { tasks: await taskTotal(), audit: await auditOf('supervisor') };
  const refused = [
    ['a deadline before today', { deadline: addDays(TODAY, -1) }, 'deadline', /今天|早于/],
    ['an unknown owner unit', { owner_unit: 'X999999' }, 'owner_unit', /单位/],
    ['an unknown co-unit', { co_units: ['X999999'] }, 'co_units', /单位/],
    ['the owner among the co-units', { co_units: [TOWN, FGW] }, ['co_units', 'owner_unit'], /牵头|配合/],
    ['a deadline beyond the 13710 deadline without a reason', { deadline: addDays(due, 7) }, ['deadline_reason', 'deadline'], /理由|原因|说明/],
    ['a deadline beyond the 13710 deadline with a blank reason', { deadline: addDays(due, 7), deadline_reason: '   ' }, ['deadline_reason', 'deadline'], null],
    ['a deadline beyond the maximum even with a reason', { deadline: addDays(due, 200), deadline_reason: '情况复杂' }, 'deadline', null],
    ['an unknown profile', { profile: 'nope' }, 'profile', null],
    ['the urgency profile without a class', { profile: 'urgency' }, 'completion_class', null],
    ['the urgency profile with an unknown class', { profile: 'urgency', completion_class: 5 }, 'completion_class', null],
    ['a class with the steps profile (it has none)', { completion_class: 3 }, 'completion_class', null],
  ];
  for (const [what, fields, field, match] of refused) {
    expectBadField(await c.supervisor.post(T, { ...base, ...fields }), field, `POST /tasks with ${what}`, match);
  }
  for (const [what, fields, field] of [
    ['an empty title', { title: '' }, 'title'],
    ['a blank title', { title: '   ' }, 'title'],
    ['a missing owner unit', { owner_unit: undefined }, 'owner_unit'],
    ['an unknown field', { priority: 'high' }, 'priority'],
    ['a state set by the client', { state: 'closed' }, 'state'],
    ['a code set by the client', { code: 'DB2026-9999' }, 'code'],
    ['a wrong-typed co_units', { co_units: TOWN }, 'co_units'],
    ['a deadline that is not a date', { deadline: '2026-13-01' }, 'deadline'],
  ]) {
    expectBadField(await c.supervisor.post(T, { ...base, ...fields }), field, `POST /tasks with ${what}`);
  }
  expectBadField(await c.supervisor.post(T, { ...base, source: 'rumour' }), 'source', 'POST /tasks with an unknown source');
  assert.equal(await taskTotal(), before.tasks, 'refused assignments wrote tasks');
  assert.equal(await auditOf('supervisor'), before.audit, 'refused assignments wrote audit rows');
  // The same, valid: an explicit deadline within the 13710 one; a later one with its reason.
  const early = await assign({ ...base, title: 'zqBAD 限期任务', deadline: addDays(TODAY, 2) });
  assert.equal(early.deadline, addDays(TODAY, 2));
  assert.equal(early.completion_due, addDays(TODAY, 2), 'the explicit deadline is in force');
  const late = await assign({ ...base, title: 'zqBAD 复杂事项', deadline: addDays(due, 7), deadline_reason: '涉及省级审批。' });
  assert.equal(late.deadline, addDays(due, 7));
  assert.equal(late.deadline_reason, '涉及省级审批。');
  assert.equal(await taskTotal(), before.tasks + 2);
  assert.equal(await auditOf('supervisor'), before.audit + 2, 'an assignment writes one audit row');
});

test('an unknown profile or completion class is refused with a reason that says what is wrong (未知的督办时限方案“nope”; 请选择办结时限类别：1、3、7、10个工作日)',
  async () => {
    const base = { title: 'zqBAD 坏时限', source: 'instruction', owner_unit: FGW };
    expectBadField(await c.supervisor.post(T, { ...base, profile: 'nope' }), 'profile', 'an unknown profile', /未知的督办时限方案“nope”/);
    for (const fields of [{ profile: 'urgency' }, { profile: 'urgency', completion_class: 5 }]) {
      expectBadField(await c.supervisor.post(T, { ...base, ...fields }), 'completion_class', `POST /tasks with ${JSON.stringify(fields)}`, /请选择办结时限类别.*1、3、7、10/);
    }
  });

test('evidence bad input — over 10 MB (413), a disallowed type or content not matching the extension (415), a too long, empty, missing or path-like name (400) — is refused in Chinese and stores nothing', async () => {
  const t = await assign({ title: 'zqFILE 佐证任务', owner_unit: FGW });
  let d = await step(c.reporter_fgw, t.id, 'receive', { version: t.version });
  d = await step(c.reporter_fgw, t.id, 'plan', { plan: '方案', version: d.version });
  const before = { task: essence(await detail(t.id)), audit: await auditOf('reporter_fgw') };
  // 10 MB + 1 byte: 413 naming the limit (the body limit cuts off only bodies over 11 MB).
  let big;
  try {
    big = await upload(c.reporter_fgw, t.id, '超大文件.txt', Buffer.alloc(10 * MB + 1, 0x61));
  } catch (e) {
    assert.fail(`10 MB + 1 byte: the connection failed (${e.cause?.code || e.message}) instead of a 413 answer`);
  }
  expectRefused(big, 413, '10 MB + 1 byte', /文件超过10MB上限/);
  // Far over the limit: 413 or a connection the server closed, never stored.
  let huge;
  try {
    huge = (await upload(c.reporter_fgw, t.id, '巨大文件.txt', Buffer.alloc(12 * MB, 0x61))).status;
  } catch (e) {
    huge = e.cause?.code || e.message;
  }
  assert.ok(huge === 413 || ['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(huge), `12 MB: ${huge}`);
  const refused = [
    ['an .exe', 'setup.exe', Buffer.concat([Buffer.from('MZ'), randomBytes(500)]), 'application/octet-stream', /不支持的文件类型：\.exe/],
    ['a name without extension', 'README', Buffer.from('说明'), 'text/plain', /不支持的文件类型/],
    ['a .pdf whose bytes are no PDF', '报告.pdf', Buffer.from('这不是PDF文件，只是文字。'), 'application/pdf', /文件内容与扩展名不符/],
    ['a .pdf that is an executable', '报告.pdf', Buffer.concat([Buffer.from('MZ'), randomBytes(500)]), 'application/pdf', /文件内容与扩展名不符/],
    ['a .png whose bytes are a PDF', '照片.png', PDF, 'image/png', /文件内容与扩展名不符/],
  ];
  for (const [what, name, bytes, type, match] of refused) {
    expectRefused(await upload(c.reporter_fgw, t.id, name, bytes, type), 415, `upload ${what}`, match);
  }
  for (const [what, name] of [['a too long name (201 bytes)', `${'a'.repeat(197)}.txt`], ['a far too long name', `${'长'.repeat(300)}.txt`], ['an empty name', ''],
    ['a missing name', undefined], ['a path-like name', '../../etc/passwd.txt'], ['a Windows path', 'C:\\temp\\a.txt']]) {
    const r = await upload(c.reporter_fgw, t.id, name, Buffer.from('内容'));
    expectRefused(r, 400, `upload with ${what}`);
  }
  assert.equal(essence(await detail(t.id)), before.task, 'refused uploads changed the task (files or events)');
  assert.equal(await auditOf('reporter_fgw'), before.audit, 'refused uploads wrote audit rows');
  // A report without evidence.
  expectRefused(await act(c.reporter_fgw, t.id, 'report', { result: '已办结', version: d.version }), 422, 'report without evidence', /请先上传佐证材料/);
  assert.equal(essence(await detail(t.id)), before.task, 'a report without evidence changed the task');
  // 200 bytes is the longest name.
  expectStatus(await upload(c.reporter_fgw, t.id, `${'b'.repeat(196)}.txt`, Buffer.from('内容')), 201, 'upload with a 200-byte name');
  // Exactly 10 MB is within the limit.
  const at = await upload(c.reporter_fgw, t.id, '十兆文件.txt', Buffer.alloc(10 * MB, 0x62));
  expectStatus(at, 201, 'upload of exactly 10 MB');
  assert.equal(at.json.size, 10 * MB);
});

test('evidence: at most 20 files a task — the 21st is refused (422) and not stored', async () => {
  const t = await assign({ title: 'zqMANY 多文件任务', owner_unit: FGW });
  for (let i = 1; i <= 20; i++) await uploadOk(c.reporter_fgw, t.id, `材料${i}.txt`, Buffer.from(`第${i}份材料`));
  const d = await detail(t.id);
  assert.equal(d.files.length, 20);
  expectRefused(await upload(c.reporter_fgw, t.id, '材料21.txt', Buffer.from('第21份')), 422, 'the 21st file', /20/);
  assert.equal(essence(await detail(t.id)), essence(d), 'the 21st file changed the task');
});

test('file download returns the same bytes (sha256) with Content-Disposition attachment, only in scope and only under its own task', async () => {
  const t = await assign({ title: 'zqDOWN 下载任务', owner_unit: FGW });
  const bytes = PNG();
  const f = await uploadOk(c.reporter_fgw, t.id, '现场照片.png', bytes, 'image/png');
  assert.equal(f.name, '现场照片.png');
  assert.equal(f.size, bytes.length);
  assert.equal(f.sha256, sha256(bytes), 'File.sha256');
  assert.match(f.content_type, /png/);
  assert.ok(f.user?.id && f.user.name, 'File.user');
  assert.ok(f.at, 'File.at');
  const d = await detail(t.id);
  assert.deepEqual(d.files.find((x) => x.id === f.id), f, 'the detail lists the File as uploaded');
  assert.ok(d.events.some((e) => e.kind === 'file'), 'a file event');
  for (const who of ['supervisor', 'leader', 'reporter_fgw']) {
    const res = await fetch(`${server.url}${T}/${t.id}/files/${f.id}`, { headers: { cookie: c[who].cookie } });
    assert.equal(res.status, 200, `download as ${who}`);
    const got = Buffer.from(await res.arrayBuffer());
    assert.equal(sha256(got), f.sha256, `download as ${who}: other bytes`);
    assert.match(res.headers.get('content-disposition') || '', /^attachment/i, `download as ${who}: Content-Disposition`);
  }
  // Out of scope: 404, without the bytes.
  for (const who of ['leader_wancheng', 'supervisor_wancheng', 'reporter_town', 'reporter_wancheng']) {
    const r = await c[who].get(`${T}/${t.id}/files/${f.id}`);
    expectRefused(r, 404, `download as ${who}`);
  }
  expectRefused(await c.stat.get(`${T}/${t.id}/files/${f.id}`), 403, 'download as stat');
  // A file is only reachable under its own task, even for a user who may read both.
  const town = await assign({ title: 'zqDOWN 瓦店镇任务', owner_unit: TOWN });
  expectRefused(await c.reporter_town.get(`${T}/${town.id}/files/${f.id}`), 404, 'another task\'s file under the town\'s task as reporter_town');
  expectRefused(await c.supervisor.get(`${T}/${town.id}/files/${f.id}`), 404, 'another task\'s file under the town\'s task as supervisor');
  expectRefused(await c.supervisor.get(`${T}/${t.id}/files/987654321`), 404, 'a missing file');
  // The stored content type comes from the extension, never from the client: a .txt sent as
  // text/html is served as text/plain (no script runs from evidence).
  const html = Buffer.from('<script>alert(1)</script>\n');
  const tf = await uploadOk(c.reporter_fgw, t.id, '说明.txt', html, 'text/html');
  assert.match(tf.content_type, /^text\/plain/, `File.content_type ${tf.content_type}`);
  const res = await fetch(`${server.url}${T}/${t.id}/files/${tf.id}`, { headers: { cookie: c.supervisor.cookie } });
  assert.equal(res.status, 200);
  assert.doesNotMatch(res.headers.get('content-type') || '', /html/, 'the download is served as HTML');
  assert.match(res.headers.get('content-disposition') || '', /^attachment/i);
  assert.equal(sha256(Buffer.from(await res.arrayBuffer())), sha256(html));
});

// ---------------------------------------------------------------------------------------
// Lists, filters, board

test('GET /tasks filters: unit (subtree), state (one or open), mine=1, assigned_by_me=1, q, source, meeting; totals and paging agree', async () => {
  const made = {
    town1: await assign({ title: 'zqFL 瓦店镇一', owner_unit: TOWN }),
    town2: await assign({ title: 'zqFL 瓦店镇二', owner_unit: TOWN, source: 'higher', source_ref: '豫督〔2026〕9号' }),
    sibCo: await assign({ title: 'zqFL 新华街道配合瓦店镇', owner_unit: SIBLING, co_units: [TOWN] }, c.supervisor_wancheng),
    district: await assign({ title: 'zqFL 宛城区本级', owner_unit: WANCHENG }, c.supervisor_wancheng),
    wolong: await assign({ title: 'zqFL 卧龙区', owner_unit: WOLONG }),
    fgw: await assign({ title: 'zqFL 市发改委', owner_unit: FGW }),
  };
  // One closed (瓦店镇一) and one cancelled (市发改委).
  let d = await toReported(made.town1, c.reporter_town);
  await step(c.supervisor, made.town1.id, 'accept', { comment: '同意', version: d.version });
  d = await detail(made.fgw.id);
  await step(c.supervisor, made.fgw.id, 'cancel', { reason: '不再督办', version: d.version });
  const ids = (items) => items.map((x) => x.id).sort((a, b) => a - b);
  const want = (...keys) => keys.map((k) => made[k].id).sort((a, b) => a - b);
  const q = async (client, query) => ids(await listAll(client, `${T}?q=zqFL&${query}`));

  assert.deepEqual(await q(c.supervisor, ''), want('town1', 'town2', 'sibCo', 'district', 'wolong', 'fgw'), 'q=zqFL');
  assert.deepEqual(await q(c.supervisor, `unit=${WANCHENG}`), want('town1', 'town2', 'sibCo', 'district'), 'unit=宛城区 (its subtree)');
  assert.deepEqual(await q(c.supervisor, `unit=${TOWN}`), want('town1', 'town2'), 'unit=瓦店镇');
  assert.deepEqual(await q(c.supervisor, 'state=open'), want('town2', 'sibCo', 'district', 'wolong'), 'state=open');
  assert.deepEqual(await q(c.supervisor, 'state=closed'), want('town1'), 'state=closed');
  assert.deepEqual(await q(c.supervisor, 'state=cancelled'), want('fgw'), 'state=cancelled');
  assert.deepEqual(await q(c.supervisor, 'state=assigned'), want('town2', 'sibCo', 'district', 'wolong'), 'state=assigned');
  assert.deepEqual(await q(c.supervisor, 'source=higher'), want('town2'), 'source=higher');
  assert.deepEqual(await q(c.reporter_town, 'mine=1'), want('town1', 'town2', 'sibCo'), 'mine=1 as reporter_town (owner or co-unit)');
  assert.deepEqual(await q(c.reporter_town, 'mine=1&state=open'), want('town2', 'sibCo'), 'mine=1&state=open as reporter_town');
  assert.deepEqual(await q(c.supervisor_wancheng, 'assigned_by_me=1'), want('sibCo', 'district'), 'assigned_by_me=1 as supervisor_wancheng');
  assert.deepEqual(await q(c.supervisor_wancheng, ''), want('town1', 'town2', 'sibCo', 'district'), 'supervisor_wancheng sees 宛城区 only');
  assert.deepEqual(ids(await listAll(c.supervisor, `${T}?q=${made.wolong.code}`)), want('wolong'), 'q=code');
  // Every item of a state filter has that state; open = neither closed nor cancelled (all tasks, demo included).
  for (const item of await listAll(c.supervisor, `${T}?state=open`)) assert.ok(!['closed', 'cancelled'].includes(item.state), `state=open lists ${item.code} ${item.state}`);
  // Paging: page_size 2 over the six.
  const pages = [];
  for (let p = 1; p <= 4; p++) {
    const r = await c.supervisor.get(`${T}?q=zqFL&page=${p}&page_size=2`);
    expectStatus(r, 200, `page ${p}`);
    assert.equal(r.json.total, 6, `total on page ${p}`);
    assert.equal(r.json.page, p);
    assert.equal(r.json.page_size, 2);
    assert.equal(r.json.items.length, p <= 3 ? 2 : 0, `items on page ${p}`);
    pages.push(...r.json.items.map((x) => x.id));
  }
  assert.deepEqual([...pages].sort((a, b) => a - b), want('town1', 'town2', 'sibCo', 'district', 'wolong', 'fgw'), 'the pages are disjoint and cover the list');
});

test('GET /tasks light filters on open tasks (with unit) equal the unfiltered list\'s items of that light; open tasks are sorted red → yellow → green, then by completion deadline', async () => {
  const soon = await assign({ title: 'zqLIGHT 今日到期', owner_unit: SIBLING, deadline: TODAY });
  assert.equal(soon.light, 'yellow', `a task due today is yellow: ${soon.light} ${soon.light_reason}`);
  assert.ok(HAN.test(soon.light_reason), `light_reason ${soon.light_reason}`);
  for (const unit of [WANCHENG, CITY]) {
    const all = await listAll(c.supervisor, `${T}?unit=${unit}&state=open`);
    for (const light of ['red', 'yellow', 'green']) {
      const got = await listAll(c.supervisor, `${T}?unit=${unit}&state=open&light=${light}`);
      const expect = all.filter((x) => x.light === light).map((x) => x.id).sort((a, b) => a - b);
      const gotIds = got.map((x) => x.id).sort((a, b) => a - b);
      const show = (id) => { const x = all.find((y) => y.id === id) || got.find((y) => y.id === id); return `${x.code} ${x.title} ${x.state} ${x.light}`; };
      const missing = expect.filter((id) => !gotIds.includes(id)).map(show);
      const extra = gotIds.filter((id) => !expect.includes(id)).map(show);
      assert.deepEqual([missing, extra], [[], []], `unit=${unit}&light=${light}: [missing, extra] compared with the unfiltered list`);
      const r = await c.supervisor.get(`${T}?unit=${unit}&state=open&light=${light}&page_size=1`);
      assert.equal(r.json.total, expect.length, `total of unit=${unit}&state=open&light=${light}`);
    }
    const red = await listAll(c.supervisor, `${T}?unit=${unit}&light=red&state=open`);
    for (const x of red) assert.ok(x.overdue_steps.length > 0 || x.completion_due < TODAY, `${x.code} is red with nothing overdue`);
    // (the open tasks: the full list puts closed, then cancelled ones after them)
    const sorted = all;
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1], sorted[i]];
      const ok = LIGHT_RANK[a.light] < LIGHT_RANK[b.light] || (a.light === b.light && a.completion_due <= b.completion_due);
      assert.ok(ok, `unit=${unit}: ${a.code} (${a.light} ${a.completion_due}) before ${b.code} (${b.light} ${b.completion_due})`);
    }
  }
  const yellow = await listAll(c.supervisor, `${T}?unit=${SIBLING}&light=yellow`);
  assert.ok(yellow.some((x) => x.id === soon.id), 'light=yellow&unit=新华街道 lists the task due today');
  // overdue=1: tasks with an overdue step.
  for (const x of await listAll(c.supervisor, `${T}?overdue=1`)) assert.ok(x.overdue_steps.length > 0, `overdue=1 lists ${x.code} without overdue steps`);
});

test('GET /tasks?light= lists closed and cancelled tasks by the light their list items show (or they show none)',
  async () => {
    const t = await assign({ title: 'zqLIGHT 撤销后的灯', owner_unit: SIBLING });
    await step(c.supervisor, t.id, 'cancel', { reason: '不再督办', version: t.version });
    const item = (await listAll(c.supervisor, `${T}?q=${t.code}`)).find((x) => x.id === t.id);
    assert.ok(item, 'the cancelled task is listed');
    if (item.light == null) return;
    const byLight = await listAll(c.supervisor, `${T}?unit=${SIBLING}&light=${item.light}`);
    assert.ok(byLight.some((x) => x.id === t.id), `a cancelled task listed as ${item.light} is missing from ?light=${item.light}`);
  });

test('GET /tasks/board: lights and per-child counts agree with the task list', async () => {
  await assign({ title: 'zqBOARD 看板任务', owner_unit: TOWN });
  const r = await c.supervisor.get(`${T}/board?unit=${WANCHENG}`);
  expectStatus(r, 200, 'board of 宛城区');
  const b = r.json;
  for (const k of ['green', 'yellow', 'red']) assert.ok(Number.isInteger(b.lights[k]), `lights.${k}`);
  const total = async (query) => (await c.supervisor.get(`${T}?${query}&page_size=1`)).json.total;
  assert.equal(b.lights.green + b.lights.yellow + b.lights.red, await total(`unit=${WANCHENG}&state=open`), 'lights = the open tasks of 宛城区');
  const children = units.units.filter((u) => u.parent_id === units.byCode[WANCHENG].id && !u.archived).map((u) => u.code);
  for (const row of b.by_unit) assert.ok(children.includes(row.unit.code), `by_unit names ${row.unit.code}, no child of 宛城区`);
  // Every child with a task of its own subtree has its row.
  for (const code of children) {
    if (await total(`unit=${code}`) > 0) assert.ok(b.by_unit.some((x) => x.unit.code === code), `by_unit lacks ${code}, which has tasks`);
  }
  for (const row of b.by_unit) {
    const code = row.unit.code;
    assert.equal(row.open, await total(`unit=${code}&state=open`), `${code}: open`);
    assert.equal(row.closed, await total(`unit=${code}&state=closed`), `${code}: closed`);
    for (const light of ['green', 'yellow', 'red']) assert.equal(row[light], await total(`unit=${code}&state=open&light=${light}`), `${code}: ${light}`);
  }
  assert.equal(b.by_unit.find((x) => x.unit.code === TOWN).open >= 1, true);
  expectStatus(await c.supervisor_wancheng.get(`${T}/board?unit=${WOLONG}`), [403, 404], 'board of 卧龙区 as supervisor_wancheng');
});

test('GET /tasks/board: by_unit has one row per child of the unit, those without tasks included (zeros)',
  async () => {
    const r0 = await c.admin.post(`${API}/units`, { name: 'zq看板空单位', kind: 'department', parent_id: units.byCode[WOLONG].id });
    expectStatus(r0, 201, 'POST /units');
    const all = await listAll(c.admin, `${API}/units`);
    const children = all.filter((u) => u.parent_id === units.byCode[WOLONG].id && !u.archived).map((u) => u.code).sort();
    const r = await c.supervisor.get(`${T}/board?unit=${WOLONG}`);
    expectStatus(r, 200, 'board of 卧龙区');
    assert.deepEqual(r.json.by_unit.map((x) => x.unit.code).sort(), children, 'by_unit: one row per child of 卧龙区');
    const empty = r.json.by_unit.find((x) => x.unit.code === r0.json.code);
    assert.deepEqual([empty.green, empty.yellow, empty.red, empty.open, empty.closed], [0, 0, 0, 0, 0], 'the new unit\'s row');
  });

// ---------------------------------------------------------------------------------------
// Meetings

const meetingBody = (tag, fields = {}) => ({
  kind: 'weekly', title: `${tag} 第48周周碰头会`, held_on: TODAY, place: '市委三楼会议室', chair: '市委副书记', attendees: '各县区、市直各部门',
  minutes: '会议听取了重点工作进展汇报。',
  decisions: [
    { text: `${tag} 市发改委牵头完成产业园用地报批`, owner_unit: FGW, deadline: addDays(TODAY, 10) },
    { text: `${tag} 宛城区推进老旧小区改造`, owner_unit: WANCHENG },
    { text: `${tag} 研究建立周调度机制` },
  ],
  ...fields,
});

test('meetings: POST /meetings with decisions → 201 with numbered decisions of the caller\'s unit; GET, and the list by kind, dates and q', async () => {
  const r = await c.supervisor.post(M, meetingBody('zqMT1'));
  expectStatus(r, 201, 'POST /meetings');
  const m = r.json;
  assert.equal(m.kind, 'weekly');
  assert.equal(m.kind_name, '周碰头');
  assert.equal(m.held_on, TODAY);
  assert.ok([DCS, CITY].includes(m.unit.code), `the convening unit is the caller's (or its government): ${m.unit.code}`);
  assert.ok(['draft', 'published'].includes(m.status), `status ${m.status}`);
  assert.deepEqual(m.decisions.map((x) => x.seq), [1, 2, 3]);
  assert.deepEqual(m.decisions.map((x) => x.owner_unit?.code ?? null), [FGW, WANCHENG, null]);
  assert.deepEqual(m.decisions.map((x) => x.deadline), [addDays(TODAY, 10), null, null]);
  assert.deepEqual(m.decisions.map((x) => x.task), [null, null, null]);
  assert.deepEqual(await (await c.supervisor.get(`${M}/${m.id}`)).json, m, 'GET answers what POST answered');
  const list = async (query) => (await listAll(c.supervisor, `${M}?q=zqMT1&${query}`)).map((x) => x.id);
  assert.deepEqual(await list(''), [m.id]);
  assert.deepEqual(await list('kind=weekly'), [m.id]);
  assert.deepEqual(await list('kind=monthly'), []);
  assert.deepEqual(await list(`from=${TODAY}&to=${TODAY}`), [m.id]);
  assert.deepEqual(await list(`from=${addDays(TODAY, 1)}`), []);
  assert.deepEqual(await list(`to=${addDays(TODAY, -1)}`), []);
  // Bad meetings: nothing written.
  const before = (await c.supervisor.get(`${M}?page_size=1`)).json.total;
  for (const [what, body] of [['an unknown kind', meetingBody('zqMT1', { kind: 'party' })], ['an empty title', meetingBody('zqMT1', { title: '' })],
    ['a bad date', meetingBody('zqMT1', { held_on: '2026-02-30' })], ['an unknown decision owner', meetingBody('zqMT1', { decisions: [{ text: '议定', owner_unit: 'X999999' }] })],
    ['an empty decision', meetingBody('zqMT1', { decisions: [{ text: '' }] })], ['an unknown field', meetingBody('zqMT1', { secret: true })]]) {
    const res = await c.supervisor.post(M, body);
    expectStatus(res, [400, 422], `POST /meetings with ${what}`);
    assert.ok(HAN.test(res.json.error.message), `${what}: ${res.text}`);
  }
  assert.equal((await c.supervisor.get(`${M}?page_size=1`)).json.total, before, 'refused meetings were written');
  // A 宛城区 supervisor does not see the city's meeting.
  expectRefused(await c.supervisor_wancheng.get(`${M}/${m.id}`), 404, 'the city\'s meeting as supervisor_wancheng');
});

test('a meeting without decisions (decisions are optional) → 201 with none',
  async () => {
    const r = await c.supervisor.post(M, { kind: 'special', title: 'zqMT0 专题会（无议定事项）', held_on: TODAY });
    expectStatus(r, 201, 'POST /meetings without decisions');
    assert.deepEqual(r.json.decisions, []);
    assert.equal(r.json.kind_name, '专题会');
  });

test('a decision becomes a task in one step (source meeting, title = the decision, owner and deadline from it); a second call → 409 naming the task', async () => {
  const m = (await c.supervisor.post(M, meetingBody('zqMT2'))).json;
  const [d1, d2, d3] = m.decisions;
  const before = await taskTotal();
  let r = await c.supervisor.post(`${M}/${m.id}/decisions/${d1.id}/task`, {});
  expectStatus(r, 201, 'decision 1 → task');
  const t1 = r.json;
  assert.equal(t1.source, 'meeting');
  assert.equal(t1.source_name, '会议议定');
  assert.equal(t1.title, d1.text);
  assert.equal(t1.owner_unit.code, FGW);
  assert.equal(t1.deadline, d1.deadline);
  assert.deepEqual(t1.meeting, { id: m.id, title: m.title });
  assert.equal(t1.state, 'assigned');
  assert.equal((await notesAbout(c.reporter_fgw, t1.id)).filter((n) => n.kind === 'assigned').length, 1, 'the owner\'s reporter is told');
  r = await c.supervisor.post(`${M}/${m.id}/decisions/${d1.id}/task`, {});
  expectRefused(r, 409, 'decision 1 → task again');
  assert.ok(r.json.error.message.includes(t1.code), `the 409 names the task ${t1.code}: ${r.text}`);
  // Given an owner and deadline, they override the decision's.
  r = await c.supervisor.post(`${M}/${m.id}/decisions/${d2.id}/task`, { owner_unit: TOWN, co_units: [SIBLING], deadline: addDays(TODAY, 5) });
  expectStatus(r, 201, 'decision 2 → task with an owner');
  const t2 = r.json;
  assert.equal(t2.owner_unit.code, TOWN);
  assert.deepEqual(t2.co_units.map((u) => u.code), [SIBLING]);
  assert.equal(t2.deadline, addDays(TODAY, 5));
  assert.equal(t2.title, d2.text);
  // A decision without an owner, none given: refused, nothing written.
  expectStatus(await c.supervisor.post(`${M}/${m.id}/decisions/${d3.id}/task`, {}), [400, 422], 'decision 3 (no owner) → task');
  expectStatus(await c.supervisor.post(`${M}/${m.id}/decisions/${d3.id}/task`, { owner_unit: WOLONG, title: '另起标题' }), 400, 'decision → task with a title');
  assert.equal(await taskTotal(), before + 2);
  // The meeting shows its tasks; the list filters by meeting.
  const after = (await c.supervisor.get(`${M}/${m.id}`)).json;
  assert.deepEqual(after.decisions.map((x) => x.task && x.task.id), [t1.id, t2.id, null]);
  const dt = after.decisions[0].task;
  assert.deepEqual({ id: dt.id, code: dt.code, state: dt.state }, { id: t1.id, code: t1.code, state: 'assigned' });
  assert.ok(LIGHT_NAMES[dt.light], `decision task light ${dt.light}`);
  assert.deepEqual((await listAll(c.supervisor, `${T}?meeting=${m.id}`)).map((x) => x.id).sort((a, b) => a - b), [t1.id, t2.id].sort((a, b) => a - b), 'GET /tasks?meeting=');
  assert.deepEqual((await listAll(c.supervisor, `${T}?meeting=${m.id}&source=meeting`)).length, 2);
  // A decision of another meeting under this meeting's path: 404.
  const other = (await c.supervisor.post(M, meetingBody('zqMT2b'))).json;
  expectRefused(await c.supervisor.post(`${M}/${m.id}/decisions/${other.decisions[0].id}/task`, {}), 404, 'another meeting\'s decision');
  assert.equal(await taskTotal(), before + 2);
});

test('updating a meeting keeps a converted decision (its id and task), refuses to drop it (422), and a stale version → 409', async () => {
  const m = (await c.supervisor.post(M, meetingBody('zqMT3'))).json;
  const [d1, d2] = m.decisions;
  const t1 = (await c.supervisor.post(`${M}/${m.id}/decisions/${d1.id}/task`, {})).json;
  assert.ok(t1.id, 'decision → task');
  const withD1 = (extra) => ({
    kind: 'weekly', title: 'zqMT3 第48周周碰头会（修订）', held_on: TODAY, place: m.place, chair: m.chair, attendees: m.attendees, minutes: m.minutes,
    decisions: [{ id: d1.id, text: d1.text, owner_unit: FGW, deadline: d1.deadline }, ...extra],
  });
  let r = await c.supervisor.put(`${M}/${m.id}`, { ...withD1([{ id: d2.id, text: `${d2.text}（修订）`, owner_unit: WANCHENG }, { text: 'zqMT3 新增议定事项' }]), version: m.version });
  expectStatus(r, 200, 'PUT /meetings keeping the converted decision');
  const u = r.json;
  assert.equal(u.title, 'zqMT3 第48周周碰头会（修订）');
  assert.ok(u.version > m.version);
  assert.equal(u.decisions.length, 3);
  const kept = u.decisions.find((x) => x.id === d1.id);
  assert.ok(kept, 'the converted decision keeps its id');
  assert.equal(kept.task?.id, t1.id, 'and its task');
  assert.ok(u.decisions.some((x) => x.text === 'zqMT3 新增议定事项' && x.task === null), 'the new decision');
  // Dropping the converted decision.
  r = await c.supervisor.put(`${M}/${m.id}`, { ...withD1([]), decisions: [{ text: 'zqMT3 只剩这一条' }], version: u.version });
  expectRefused(r, 422, 'PUT /meetings dropping the converted decision');
  assert.deepEqual((await c.supervisor.get(`${M}/${m.id}`)).json, u, 'a refused update changed the meeting');
  // A stale version.
  r = await c.supervisor.put(`${M}/${m.id}`, { ...withD1([]), title: 'zqMT3 旧版本', version: m.version });
  expectRefused(r, 409, 'PUT /meetings with a stale version');
  assert.deepEqual((await c.supervisor.get(`${M}/${m.id}`)).json, u, 'a stale update changed the meeting');
  // The task lives on with its meeting.
  assert.equal((await detail(t1.id)).meeting.id, m.id);
});

// ---------------------------------------------------------------------------------------
// Calendar and settings

test('calendar: a bad text → refused naming each bad line (field "line N"), nothing changed', async () => {
  const cal = (await c.supervisor.get(`${API}/supervision/calendar`)).json;
  assert.equal(typeof cal.text, 'string');
  assert.ok(Array.isArray(cal.years) && cal.years.includes(2026), `years ${cal.years}`);
  assert.ok(cal.days.some((x) => x.date === '2026-10-01' && x.working === false && HAN.test(x.note)), '2026-10-01 is 国庆节');
  assert.ok(Number.isInteger(cal.version));
  const lines = cal.text.replace(/\n+$/, '').split('\n');
  const bad = [...lines, '2026-13-40 holiday 坏日期', '2026-12-03 festival 未知类型', '2026-12-02 workday 星期三调休'];
  const n = lines.length; // 0-based index of the first bad line → line n + 1
  const r = await c.supervisor.put(`${API}/supervision/calendar`, { text: `${bad.join('\n')}\n`, version: cal.version });
  expectStatus(r, [400, 422], 'PUT a bad calendar');
  assert.ok(HAN.test(r.json.error.message), r.text);
  const fields = r.json.error.details.map((d) => d.field);
  assert.deepEqual(fields, [`line ${n + 1}`, `line ${n + 2}`, `line ${n + 3}`], `the details name the bad lines: ${r.text}`);
  for (const d of r.json.error.details) assert.ok(HAN.test(d.reason), d.reason);
  assert.deepEqual((await c.supervisor.get(`${API}/supervision/calendar`)).json, cal, 'a refused calendar changed the calendar');
  expectRefused(await c.leader.put(`${API}/supervision/calendar`, { text: cal.text, version: cal.version }), 403, 'PUT calendar as leader');
});

test('calendar: a valid edit changes /supervision/working-days, a stale version → 409, and the edit can be undone', async () => {
  const cal = (await c.supervisor.get(`${API}/supervision/calendar`)).json;
  // A plain working weekday 40–70 days ahead that the calendar does not list.
  const days = await workingDays(addDays(TODAY, 40), addDays(TODAY, 70));
  const listed = new Set(cal.days.map((x) => x.date));
  const target = days.find((x) => x.working && !listed.has(x.date) && ![0, 6].includes(new Date(`${x.date}T00:00:00Z`).getUTCDay()));
  assert.ok(target, 'no plain working day found');
  const D = target.date;
  const text = `${cal.text.replace(/\n+$/, '')}\n${D} holiday 测试放假\n`;
  let r = await c.supervisor.put(`${API}/supervision/calendar`, { text, version: cal.version });
  expectStatus(r, 200, 'PUT a valid calendar');
  assert.ok(r.json.version > cal.version, 'the version moves');
  assert.ok(r.json.days.some((x) => x.date === D && x.working === false && x.note === '测试放假'), `${D} is now listed as a holiday`);
  assert.deepEqual(await workingDays(D, D), [{ date: D, working: false }], 'working-days after the edit');
  const v2 = r.json.version;
  r = await c.supervisor.put(`${API}/supervision/calendar`, { text: cal.text, version: cal.version });
  expectRefused(r, 409, 'PUT calendar with a stale version');
  assert.deepEqual(await workingDays(D, D), [{ date: D, working: false }], 'a stale PUT changed the calendar');
  r = await c.supervisor.put(`${API}/supervision/calendar`, { text: cal.text, version: v2 });
  expectStatus(r, 200, 'restore the calendar');
  assert.deepEqual(await workingDays(D, D), [{ date: D, working: true }], 'working-days after the restore');
  // working-days: at most 400 days.
  expectStatus(await c.supervisor.get(`${API}/supervision/working-days?from=${TODAY}&to=${addDays(TODAY, 401)}`), [400, 422], 'working-days over 400 days');
  const span = await workingDays(TODAY, addDays(TODAY, 6));
  assert.equal(span.length, 7, 'working-days has one entry a day, both ends included');
});

test('clock settings: GET shape; PUT the same back works once, then its version is stale (409); invalid values → 400 naming the field', async () => {
  const r0 = await c.supervisor.get(`${API}/supervision/settings`);
  expectStatus(r0, 200, 'GET settings');
  const s = r0.json;
  for (const k of ['yellow_within_days', 'red_after_days', 'max_new_deadline_days', 'max_file_mb', 'version']) assert.ok(Number.isInteger(s[k]), `${k}: ${s[k]}`);
  assert.equal(s.office_end, '17:30');
  assert.equal(s.max_file_mb, 10);
  assert.deepEqual(s.profiles.map((p) => p.code), ['steps', 'urgency']);
  assert.deepEqual(s.profiles[0].steps.map((x) => [x.code, x.working_days]), [['receipt', 0], ['plan', 3], ['feedback', 3], ['complete', 10]]);
  assert.deepEqual(s.profiles[1].completion_classes, [1, 3, 7, 10]);
  expectStatus(await c.leader.get(`${API}/supervision/settings`), 200, 'GET settings as leader (task.read)');
  expectRefused(await c.leader.put(`${API}/supervision/settings`, s), 403, 'PUT settings as leader');
  let r = await c.supervisor.put(`${API}/supervision/settings`, { ...s, yellow_within_days: -1 });
  expectBadField(r, 'yellow_within_days', 'PUT settings with yellow_within_days -1');
  r = await c.supervisor.put(`${API}/supervision/settings`, { ...s, office_end: 'abc' });
  expectBadField(r, 'office_end', 'PUT settings with office_end abc');
  r = await c.supervisor.put(`${API}/supervision/settings`, { ...s, max_file_mb: 0 });
  expectBadField(r, 'max_file_mb', 'PUT settings with max_file_mb 0');
  assert.deepEqual((await c.supervisor.get(`${API}/supervision/settings`)).json, s, 'refused settings changed the settings');
  r = await c.supervisor.put(`${API}/supervision/settings`, s);
  expectStatus(r, 200, 'PUT settings unchanged');
  assert.ok(r.json.version > s.version, 'the version moves');
  r = await c.supervisor.put(`${API}/supervision/settings`, { ...s, red_after_days: 5 });
  expectRefused(r, 409, 'PUT settings with a stale version');
  assert.equal((await c.supervisor.get(`${API}/supervision/settings`)).json.red_after_days, s.red_after_days);
});

test('clock settings: an office end out of range (25:99) → 400 naming office_end, the field the client sent',
  async () => {
    const s = (await c.supervisor.get(`${API}/supervision/settings`)).json;
    expectBadField(await c.supervisor.put(`${API}/supervision/settings`, { ...s, office_end: '25:99' }), 'office_end', 'PUT settings with office_end 25:99');
  });

test('GET /supervision/scheduler answers its last run (ms or null), host and reminders sent', async () => {
  const r = await c.leader.get(`${API}/supervision/scheduler`);
  expectStatus(r, 200, 'GET scheduler');
  assert.ok(r.json.last_run_at === null || Number.isInteger(r.json.last_run_at), `last_run_at ${r.json.last_run_at}`);
  assert.equal(typeof r.json.last_host, 'string');
  assert.ok(Number.isInteger(r.json.reminders_sent));
});

// ---------------------------------------------------------------------------------------
// On-time rate

function checkOnTimeRow(row, what) {
  for (const k of ['due', 'on_time', 'late', 'open_overdue', 'steps_due', 'steps_on_time']) assert.ok(Number.isInteger(row[k]) && row[k] >= 0, `${what}: ${k} = ${row[k]}`);
  assert.equal(row.due, row.on_time + row.late + row.open_overdue, `${what}: due = on_time + late + open_overdue (${JSON.stringify(row)})`);
  assert.ok(row.steps_on_time <= row.steps_due, `${what}: steps_on_time <= steps_due`);
  if (row.due === 0) assert.equal(row.rate, null, `${what}: rate with due 0`);
  else {
    assert.match(row.rate, /^\d+\.\d$/, `${what}: rate "${row.rate}"`);
    assert.ok(Math.abs(Number(row.rate) - (100 * row.on_time) / row.due) <= 0.05 + 1e-9, `${what}: rate ${row.rate} for ${row.on_time}/${row.due}`);
  }
  if (row.steps_due === 0) assert.equal(row.step_rate, null, `${what}: step_rate with steps_due 0`);
  else assert.ok(Math.abs(Number(row.step_rate) - (100 * row.steps_on_time) / row.steps_due) <= 0.05 + 1e-9, `${what}: step_rate ${row.step_rate}`);
}

test('on-time rate: shape; the unit first, then each child; counts consistent (due = on_time + late + open_overdue) and the children within the parent', async () => {
  const year = TODAY.slice(0, 4);
  const month = TODAY.slice(0, 7);
  const quarter = `${year}Q${Math.floor((Number(TODAY.slice(5, 7)) - 1) / 3) + 1}`;
  for (const period of [year, quarter, month]) {
    for (const unit of [CITY, WANCHENG]) {
      const r = await c.supervisor.get(`${T}/on-time?period=${period}&unit=${unit}`);
      expectStatus(r, 200, `on-time ${period} ${unit}`);
      const o = r.json;
      assert.equal(o.period, period);
      assert.match(o.from, ISO_DATE);
      assert.match(o.to, ISO_DATE);
      assert.ok(o.from <= o.to);
      assert.equal(o.unit.code, unit);
      assert.equal(o.rows[0].unit.code, unit, 'the unit itself first');
      const kids = units.units.filter((u) => u.parent_id === units.byCode[unit].id && !u.archived).map((u) => u.code).sort();
      assert.deepEqual(o.rows.slice(1).map((x) => x.unit.code).sort(), kids, `${unit}: then each child`);
      for (const row of o.rows) checkOnTimeRow(row, `${period} ${row.unit.code}`);
      for (const k of ['due', 'on_time', 'late', 'open_overdue']) {
        const sum = o.rows.slice(1).reduce((s, x) => s + x[k], 0);
        assert.ok(sum <= o.rows[0][k], `${period} ${unit}: the children's ${k} (${sum}) exceed the unit's (${o.rows[0][k]})`);
      }
    }
  }
  expectStatus(await c.supervisor.get(`${T}/on-time?period=2026-13`), 400, 'on-time with a bad period');
  expectStatus(await c.supervisor_wancheng.get(`${T}/on-time?period=${year}&unit=${WOLONG}`), [403, 404], 'on-time of 卧龙区 as supervisor_wancheng');
});

test('on-time rate: a task reported before its deadline counts as on time in the period of its deadline; a return takes it out; the accepted one counts again', async () => {
  // A fresh unit (no demo tasks) with its own reporter.
  const wolong = units.byCode[WOLONG];
  let r = await c.admin.post(`${API}/units`, { name: '准时率测试办公室', kind: 'department', parent_id: wolong.id });
  expectStatus(r, 201, 'POST /units');
  const unit = r.json;
  r = await c.admin.post(`${API}/users`, { username: 'reporter_ontime', display_name: '准时填报', role: 'reporter', unit_id: unit.id, password: STRONG_PASSWORD });
  expectStatus(r, 201, 'POST /users');
  const rep = await loginAs(server.url, 'reporter_ontime', STRONG_PASSWORD);
  expectStatus(await rep.post(`${API}/auth/password`, { old_password: STRONG_PASSWORD, new_password: 'Other#Pass2024' }), 200, 'change password');

  const t = await assign({ title: 'zqRATE 准时率任务', owner_unit: unit.code });
  const month = t.completion_due.slice(0, 7);
  const year = month.slice(0, 4);
  const quarter = `${year}Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
  const row = async (period) => {
    const res = await c.supervisor.get(`${T}/on-time?period=${period}&unit=${unit.code}`);
    expectStatus(res, 200, `on-time ${period} ${unit.code}`);
    assert.equal(res.json.rows[0].unit.code, unit.code);
    checkOnTimeRow(res.json.rows[0], `${period} ${unit.code}`);
    return res.json.rows[0];
  };
  const counts = (x) => [x.due, x.on_time, x.late, x.open_overdue];
  assert.deepEqual(counts(await row(month)), [0, 0, 0, 0], 'an open task before its deadline does not count yet');
  assert.equal((await row(month)).rate, null);

  let d = await toReported(t, rep);
  for (const p of [month, quarter, year]) {
    const x = await row(p);
    assert.deepEqual(counts(x), [1, 1, 0, 0], `${p}: a task reported before its deadline counts on time`);
    assert.equal(x.rate, '100.0');
  }
  const nextMonth = addDays(`${month}-28`, 7).slice(0, 7);
  assert.deepEqual(counts(await row(nextMonth)), [0, 0, 0, 0], `${nextMonth}: the task counts only in the period of its deadline`);

  d = await step(c.supervisor, t.id, 'return', { reason: '材料不全', version: d.version });
  assert.deepEqual(counts(await row(month)), [0, 0, 0, 0], 'after a return the completion no longer counts');

  await uploadOk(rep, t.id, '补充材料.txt');
  d = await detail(t.id, rep);
  d = await step(rep, t.id, 'report', { result: '已补充', version: d.version });
  d = await step(c.supervisor, t.id, 'accept', { comment: '同意', version: d.version });
  const x = await row(month);
  assert.deepEqual(counts(x), [1, 1, 0, 0], 'the accepted task counts on time');
  // The parent (卧龙区) counts it in its subtree.
  const w = (await c.supervisor.get(`${T}/on-time?period=${month}&unit=${WOLONG}`)).json;
  const childRow = w.rows.find((y) => y.unit.code === unit.code);
  assert.ok(childRow, '卧龙区\'s rows include the new unit');
  assert.deepEqual(counts(childRow), [1, 1, 0, 0]);
});
