// Key projects (重点项目), docs/API.md "## Key projects": who sees and reports which projects,
// optimistic concurrency, validation of projects, progress and stages (clear Chinese errors
// naming the field, nothing written), the status derived from monthly progress against the
// time share of the year, backward scheduling (倒排工期), problems, 三个一批 batches, the battle
// map, the list's filters, sorting and paging, and the demo's published portfolio of 卧龙区.
//
// The server has no clock override: "today" is the real date in China time (UTC+8), and the
// tests work relative to it (this year, last month). Each test makes its own projects with its
// own code prefix, so that tests (and the demo's projects) do not see each other's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, loginMany, listAll, userIndex, auditTotal, assertErrorFormat } from './helpers.mjs';

const P = '/api/v1/projects';

const TOWN = 'T411302-02';       // 瓦店镇, reporter_town's own unit
const SIBLING = 'T411302-01';    // 新华街道, another town of 宛城区
const WANCHENG = '411302';
const WOLONG = '411303';

// Today as the server sees it (China time).
const CN = new Date(Date.now() + 8 * 3600 * 1000);
const YEAR = CN.getUTCFullYear();
const MONTH = CN.getUTCMonth() + 1;
const pad = (n) => String(n).padStart(2, '0');
const monthKey = (y, m) => (m < 1 ? `${y - 1}-${pad(m + 12)}` : m > 12 ? `${y + 1}-${pad(m - 12)}` : `${y}-${pad(m)}`);
const LAST_MONTH = monthKey(YEAR, MONTH - 1);
const NEXT_MONTH = monthKey(YEAR, MONTH + 1);
const dayFromToday = (n) => new Date(Date.UTC(YEAR, CN.getUTCMonth(), CN.getUTCDate() + n)).toISOString().slice(0, 10);
// The share of the year the status is judged against: the months before this one.
const ELAPSED = ((MONTH - 1) / 12) * 100;
// Statuses need a share of the year behind us: with the default thresholds (滞后 from 10
// percentage points behind, 严重滞后 from 20) nothing can lag before March.
const EARLY_YEAR = MONTH < 3 ? 'before March no project can be behind the time share of the year' : false;
function expectedStatus(completion) {
  const gap = ELAPSED - completion;
  return gap >= 20 ? '严重滞后' : gap >= 10 ? '滞后' : '正常';
}

let server, c, users;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['project', 'reporter_town', 'leader', 'leader_wancheng', 'auditor', 'admin']);
  c.project2 = await loginAs(server.url, 'project'); // a second session of the project office
  users = (await userIndex(c.admin)).byName;
});
after(async () => { await server?.stop(); });

const q = (o) => new URLSearchParams(o).toString();
const num = (s) => (s == null ? null : Number(s));
const hasChinese = (s) => /[\u4e00-\u9fff]/.test(s);
function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 400)}`);
  if (status >= 400) assertErrorFormat(r, what);
}
// A 400 whose details name `field` (or an element of it: "annual_plans.2026") with a Chinese reason.
function expectBadField(r, field, what) {
  expectStatus(r, 400, what);
  assert.equal(r.json.error.code, 'invalid_argument', what);
  const d = r.json.error.details.find((x) => x.field === field || x.field.startsWith(`${field}.`) || x.field.startsWith(`${field}[`));
  assert.ok(d, `${what}: the details do not name ${field}: ${r.text}`);
  assert.ok(hasChinese(r.json.error.message), `${what}: the message is not Chinese: ${r.text}`);
  assert.ok(hasChinese(d.reason), `${what}: the reason for ${field} is not Chinese: ${r.text}`);
  return d;
}

let seq = 0;
// A valid project (made by the city's project office), overridden by `fields`.
async function makeProject(fields = {}) {
  seq += 1;
  const body = {
    code: `PT-${seq}`, name: `测试项目${seq}`, level: 'district', category: 'industry', unit: TOWN,
    total_investment: '30', start_year: YEAR - 1, end_year: YEAR + 1, annual_plans: [{ year: YEAR, amount: '12' }],
    ...fields,
  };
  const r = await c.project.post(P, body);
  expectStatus(r, 201, `create ${body.code}`);
  return r.json;
}
const detail = async (id, client = c.project) => {
  const r = await client.get(`${P}/${id}`);
  expectStatus(r, 200, `GET project ${id}`);
  return r.json;
};
const report = (client, id, body) => client.put(`${P}/${id}/progress`, body);
const stage = (id, stageCode, date, version) => c.project.post(`${P}/${id}/stage`, { stage: stageCode, date, version });

// ---------------------------------------------------------------------------------------
// Scope

test('scope: a town reporter (瓦店镇) sees and reports only its own unit\'s projects (list filtered, another unit\'s project → 404 on read, progress and problems); the city project office sees all', async () => {
  const own = await makeProject({ code: 'SC-TOWN', unit: TOWN });
  const sibling = await makeProject({ code: 'SC-SIB', unit: SIBLING });
  const wolong = await makeProject({ code: 'SC-WOLONG', unit: WOLONG });

  const mine = await listAll(c.reporter_town, P);
  assert.ok(mine.some((p) => p.id === own.id), 'the reporter\'s list lacks its own unit\'s project');
  for (const p of mine) assert.equal(p.unit.code, TOWN, `the reporter sees ${p.code} of ${p.unit.code} ${p.unit.name}`);
  for (const path of [`${P}?q=SC-`, `${P}?${q({ q: 'SC-', unit: WANCHENG })}`, `${P}?${q({ q: 'SC-', unit: WOLONG })}`]) {
    const r = await c.reporter_town.get(path);
    expectStatus(r, 200, path);
    assert.deepEqual(r.json.items.map((p) => p.code).filter((x) => x !== 'SC-TOWN'), [], `${path}: a filter widened the reporter's scope`);
    assert.equal(r.json.total, r.json.items.length, `${path}: total`);
  }
  expectStatus(await c.reporter_town.get(`${P}/${own.id}`), 200, 'own project');

  for (const other of [sibling, wolong]) {
    let r = await c.reporter_town.get(`${P}/${other.id}`);
    expectStatus(r, 404, `GET ${other.code} as reporter_town`);
    assert.equal(r.json.error.code, 'not_found');
    r = await report(c.reporter_town, other.id, { month: LAST_MONTH, amount: '1', narrative: '越权填报' });
    expectStatus(r, 404, `progress for ${other.code} as reporter_town`);
    r = await c.reporter_town.post(`${P}/${other.id}/problems`, { category: 'land', description: '越权', deadline: dayFromToday(30) });
    expectStatus(r, 404, `problem on ${other.code} as reporter_town`);
    const d = await detail(other.id);
    assert.deepEqual([d.progress, d.problems], [[], []], `${other.code}: something was written by refused requests`);
  }
  const r = await report(c.reporter_town, own.id, { month: LAST_MONTH, amount: '1.5', narrative: '主体施工' });
  expectStatus(r, 200, 'progress for own project');
  assert.equal(num(r.json.progress.find((g) => g.month === LAST_MONTH)?.amount), 1.5);
  // A reporter reports; it does not edit the registry.
  expectStatus(await c.reporter_town.put(`${P}/${own.id}`, { name: '改名', version: r.json.version }), 403, 'PUT as reporter');

  const all = await c.project.get(`${P}?q=SC-`);
  expectStatus(all, 200, 'list as project');
  assert.deepEqual(all.json.items.map((p) => p.code), ['SC-SIB', 'SC-TOWN', 'SC-WOLONG']);
  for (const p of [own, sibling, wolong]) await detail(p.id);
  // 宛城区's leader sees 宛城区's two, not 卧龙区's.
  const lw = await c.leader_wancheng.get(`${P}?q=SC-`);
  assert.deepEqual(lw.json.items.map((p) => p.code), ['SC-SIB', 'SC-TOWN']);
  expectStatus(await c.leader_wancheng.get(`${P}/${wolong.id}`), 404, '卧龙区 project as leader_wancheng');
});

// ---------------------------------------------------------------------------------------
// Concurrency

test('two concurrent edits of one project with the same version: one 200, one 409, and the stored name is the winner\'s', async () => {
  const p = await makeProject({ code: 'CC-1' });
  const [a, b] = await Promise.all([
    c.project.put(`${P}/${p.id}`, { name: '并发修改甲', version: p.version }),
    c.project2.put(`${P}/${p.id}`, { name: '并发修改乙', version: p.version }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409], `statuses ${a.status} ${a.text.slice(0, 200)} / ${b.status} ${b.text.slice(0, 200)}`);
  const [win, lose] = a.status === 200 ? [a, b] : [b, a];
  assert.equal(lose.json.error.code, 'conflict');
  const d = await detail(p.id);
  assert.equal(d.name, win.json.name);
  assert.equal(d.version, p.version + 1);
  // The loser's version is now stale for good.
  expectStatus(await c.project.put(`${P}/${p.id}`, { name: '过期版本', version: p.version }), 409, 'stale PUT');
  assert.equal((await detail(p.id)).name, win.json.name);
});

// ---------------------------------------------------------------------------------------
// Bad input

test('bad input → 400 with a Chinese error naming the field, and nothing written: years, investment, unit, leader, annual plans, progress month and amount, stages and stage dates', async () => {
  const p = await makeProject({ code: 'BAD-BASE', unit: TOWN, total_investment: '20', start_year: YEAR - 1, end_year: YEAR + 2 });
  let r = await stage(p.id, 'started', dayFromToday(-10), p.version);
  expectStatus(r, 200, 'move to 开工');
  const before = await detail(p.id);
  const countBefore = (await c.project.get(`${P}?q=BAD-&include_archived=1`)).json.total;
  const auditBefore = await auditTotal(c.auditor);

  const base = { code: 'BAD-NEW', name: '坏输入项目', level: 'city', category: 'industry', unit: TOWN, total_investment: '20',
    start_year: YEAR, end_year: YEAR + 2, annual_plans: [{ year: YEAR, amount: '5' }] };
  const creates = [
    ['completion before start (end_year < start_year)', { end_year: YEAR - 1, annual_plans: [] }, 'end_year'],
    ['a negative total investment', { total_investment: '-5' }, 'total_investment'],
    ['a zero total investment', { total_investment: '0' }, 'total_investment'],
    ['an absurd total investment (5万亿元: 元 typed as 亿元)', { total_investment: '50000' }, 'total_investment'],
    ['a total investment that is not a number', { total_investment: '二十亿' }, 'total_investment'],
    ['an unknown unit', { unit: 'X411399' }, 'unit'],
    ['leader_id of a user who is no leader (a reporter)', { leader_id: users.reporter_town.id }, 'leader_id'],
    ['leader_id of no user', { leader_id: 987654 }, 'leader_id'],
    ['an annual plan outside the construction years', { annual_plans: [{ year: YEAR + 5, amount: '1' }] }, 'annual_plans'],
    ['an annual plan before the start', { annual_plans: [{ year: YEAR - 1, amount: '1' }] }, 'annual_plans'],
    ['annual plans summing above the total', { annual_plans: [{ year: YEAR, amount: '15' }, { year: YEAR + 1, amount: '10' }] }, 'annual_plans'],
    ['a negative annual plan', { annual_plans: [{ year: YEAR, amount: '-1' }] }, 'annual_plans'],
    ['a committed completion after the end year', { committed_completion: `${YEAR + 3}-06-30` }, 'committed_completion'],
    ['an unknown level', { level: 'county' }, 'level'],
    ['an unknown category', { category: 'mining' }, 'category'],
  ];
  for (const [what, change, field] of creates) {
    r = await c.project.post(P, { ...base, ...change });
    expectBadField(r, field, `POST /projects with ${what}`);
  }
  r = await c.project.put(`${P}/${p.id}`, { end_year: YEAR - 2, version: before.version });
  expectBadField(r, 'end_year', 'PUT /projects/{id} with end_year < start_year');
  r = await c.project.put(`${P}/${p.id}`, { total_investment: '-1', version: before.version });
  expectBadField(r, 'total_investment', 'PUT /projects/{id} with a negative total');
  r = await c.project.put(`${P}/${p.id}`, { leader_id: users.project.id, version: before.version });
  expectBadField(r, 'leader_id', 'PUT /projects/{id} with the project office as leader');

  const progress = [
    ['a future month', { month: NEXT_MONTH, amount: '1' }, 'month'],
    ['a month of next year', { month: `${YEAR + 1}-01`, amount: '1' }, 'month'],
    ['a month that is no month', { month: `${YEAR}-13`, amount: '1' }, 'month'],
    ['a negative amount', { month: LAST_MONTH, amount: '-0.5' }, 'amount'],
    ['an absurd amount (above the total investment)', { month: LAST_MONTH, amount: '5000' }, 'amount'],
    ['an amount that is not a number', { month: LAST_MONTH, amount: '很多' }, 'amount'],
  ];
  for (const [what, body, field] of progress) {
    r = await report(c.reporter_town, p.id, { narrative: '坏输入', ...body });
    const d = expectBadField(r, field, `progress with ${what}`);
    if (what === 'a future month') assert.match(d.reason, /未来/, `the reason should say the month is in the future: ${r.text}`);
  }

  r = await stage(p.id, 'finished', dayFromToday(-1), before.version);
  expectBadField(r, 'stage', 'an unknown stage');
  r = await stage(p.id, 'completed', dayFromToday(1), before.version);
  const future = expectBadField(r, 'date', 'a stage date in the future');
  assert.match(future.reason, new RegExp(dayFromToday(1)), `the reason should name the date: ${r.text}`);
  r = await stage(p.id, 'completed', dayFromToday(-20), before.version);
  expectBadField(r, 'date', 'a stage date before the current stage\'s (开工) date');
  r = await stage(p.id, 'signed', dayFromToday(-1), before.version);
  assert.ok([400, 422].includes(r.status), `stage backwards (开工 → 签约): expected 422 (or 400), got ${r.status} ${r.text}`);
  assertErrorFormat(r, 'stage backwards');
  assert.match(r.json.error.message, /开工/, `the message should name the current stage: ${r.text}`);
  assert.match(r.json.error.message, /签约/, `the message should name the stage asked for: ${r.text}`);
  r = await stage(p.id, 'started', dayFromToday(-1), before.version);
  assert.ok([400, 409, 422].includes(r.status), `the same stage again: ${r.status} ${r.text}`);

  assert.equal((await c.project.get(`${P}?q=BAD-&include_archived=1`)).json.total, countBefore, 'a project was created by a refused request');
  assert.deepEqual(await detail(p.id), before, 'the project changed');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'audit rows were written by refused requests');
});

// ---------------------------------------------------------------------------------------
// Progress and status

test('progress: a reporter files last month far below the plan → 滞后/严重滞后 with a reason naming the completion and the time progress; ytd and cumulative are the sums; re-filing a month needs its version (missing → 400, stale → 409)', { skip: EARLY_YEAR }, async () => {
  const p = await makeProject({ code: 'PG-1', unit: TOWN, total_investment: '40', start_year: YEAR - 1, end_year: YEAR + 1,
    annual_plans: [{ year: YEAR - 1, amount: '5' }, { year: YEAR, amount: '12' }] });
  assert.equal(p.status, expectedStatus(0), 'a project without progress');
  let r = await report(c.reporter_town, p.id, { month: `${YEAR - 1}-12`, amount: '2', narrative: '去年12月' });
  expectStatus(r, 200, 'file last December');
  r = await report(c.reporter_town, p.id, { month: monthKey(YEAR, MONTH - 2), amount: '0.3', narrative: '前月' });
  expectStatus(r, 200, 'file the month before last');
  r = await report(c.reporter_town, p.id, { month: LAST_MONTH, amount: '0.5', narrative: '进展缓慢，资金未到位' });
  expectStatus(r, 200, 'file last month');
  let d = r.json;
  assert.equal(num(d.plan), 12);
  assert.equal(num(d.ytd), 0.8, `ytd = 0.3 + 0.5: ${d.ytd}`);
  assert.equal(num(d.cumulative), 2.8, `cumulative = 2 + 0.3 + 0.5: ${d.cumulative}`);
  const completion = (0.8 / 12) * 100;
  assert.ok(Math.abs(num(d.completion) - completion) < 0.001, `completion ${d.completion}, expected ${completion}`);
  assert.ok(['滞后', '严重滞后'].includes(d.status), `status ${d.status}`);
  assert.equal(d.status, expectedStatus(completion));
  assert.ok(d.status_reason.includes(`${completion.toFixed(1)}%`), `the reason should name the completion ${completion.toFixed(1)}%: ${d.status_reason}`);
  assert.ok(d.status_reason.includes(`${ELAPSED.toFixed(1)}%`), `the reason should name the time progress ${ELAPSED.toFixed(1)}%: ${d.status_reason}`);
  assert.match(d.status_reason, /时间进度/);
  const row = d.progress.find((g) => g.month === LAST_MONTH);
  assert.ok(row, 'last month is in the progress list');
  assert.deepEqual([num(row.amount), num(row.ytd), num(row.cumulative)], [0.5, 0.8, 2.8], 'the month\'s ytd and cumulative');
  assert.equal(row.reported_by, users.reporter_town.id);
  assert.equal(row.narrative, '进展缓慢，资金未到位');
  const dec = d.progress.find((g) => g.month === `${YEAR - 1}-12`);
  assert.deepEqual([num(dec.ytd), num(dec.cumulative)], [2, 2], 'last December: ytd of last year');
  // The list shows the same derived figures.
  const listed = (await c.project.get(`${P}?q=PG-1`)).json.items[0];
  assert.deepEqual([listed.status, num(listed.ytd), num(listed.cumulative)], [d.status, 0.8, 2.8]);

  // Re-filing the same month.
  r = await report(c.reporter_town, p.id, { month: LAST_MONTH, amount: '1' });
  expectBadField(r, 'version', 're-file without version');
  const catchUp = (MONTH - 1.3).toFixed(1); // brings ytd to exactly the time share: 正常
  r = await report(c.reporter_town, p.id, { month: LAST_MONTH, amount: catchUp, narrative: '补报', version: row.version });
  expectStatus(r, 200, 're-file with the version');
  d = r.json;
  assert.equal(num(d.ytd), MONTH - 1);
  assert.equal(d.status, '正常', `caught up with the time share: ${d.status} ${d.status_reason}`);
  r = await report(c.reporter_town, p.id, { month: LAST_MONTH, amount: '0.1', version: row.version });
  expectStatus(r, 409, 're-file with a stale version');
  assert.equal(r.json.error.code, 'conflict');
  d = await detail(p.id);
  assert.equal(num(d.progress.find((g) => g.month === LAST_MONTH).amount), num(catchUp), 'the stale re-filing changed the amount');
  assert.equal(d.progress.length, 3, 'one report per month');
});

// ---------------------------------------------------------------------------------------
// Backward scheduling

test('backward scheduling: a committed completion far enough → the category\'s milestones, the last planned on the completion date; too close → 422 naming the days, nothing written', async () => {
  const settings = (await c.project.get(`${P}/settings`)).json;
  const steps = settings.durations.industry;
  assert.ok(steps?.length > 0, `no standard durations for industry: ${JSON.stringify(settings)}`);
  const needed = steps.reduce((s, x) => s + x.days, 0);

  const completion = `${YEAR + 3}-06-30`;
  const far = await makeProject({ code: 'BS-FAR', start_year: YEAR, end_year: YEAR + 3, annual_plans: [], committed_completion: completion });
  let r = await c.project.post(`${P}/${far.id}/schedule`, { version: far.version });
  expectStatus(r, 200, 'schedule');
  const ms = r.json.milestones;
  assert.deepEqual(ms.map((m) => m.name), steps.map((s) => s.name), 'the milestones are the standard steps');
  assert.equal(ms.at(-1).planned, completion, 'the last milestone is planned on the committed completion');
  for (let i = 1; i < ms.length; i++) {
    const days = (Date.parse(ms[i].planned) - Date.parse(ms[i - 1].planned)) / 86400000;
    assert.equal(days, steps[i].days, `${ms[i].name} lasts ${steps[i].days} days`);
  }
  for (const m of ms) {
    assert.equal(m.actual, null);
    assert.equal(m.overdue_days, 0);
  }
  assert.ok(ms[0].planned >= dayFromToday(0), 'nothing planned in the past');
  assert.equal(r.json.version, far.version + 1);

  const near = dayFromToday(30);
  const close = await makeProject({ code: 'BS-NEAR', start_year: YEAR, end_year: YEAR + 1, annual_plans: [], committed_completion: near });
  const auditBefore = await auditTotal(c.auditor);
  r = await c.project.post(`${P}/${close.id}/schedule`, { version: close.version });
  expectStatus(r, 422, 'schedule with 30 days left');
  assert.equal(r.json.error.code, 'failed_precondition');
  assert.match(r.json.error.message, /\d+天/, `the message should name the days: ${r.text}`);
  assert.ok(r.json.error.message.includes(`${needed}天`), `the message should name the ${needed} days the steps need: ${r.text}`);
  assert.ok(r.json.error.message.includes(near), `the message should name the completion date: ${r.text}`);
  const d = await detail(close.id);
  assert.deepEqual(d.milestones, [], 'milestones were written');
  assert.equal(d.version, close.version, 'the version moved');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'an audit row was written');

  // Without a committed completion there is nothing to schedule from.
  const none = await makeProject({ code: 'BS-NONE' });
  expectStatus(await c.project.post(`${P}/${none.id}/schedule`, { version: none.version }), 422, 'schedule without committed completion');
});

test('backward scheduling of a project under way starts at its start year: steps already past without an actual date are overdue', async () => {
  const settings = (await c.project.get(`${P}/settings`)).json;
  const steps = settings.durations.industry;
  const completion = dayFromToday(120);
  const p = await makeProject({ code: 'BS-UNDERWAY', start_year: YEAR - 1, end_year: YEAR + 1, annual_plans: [], committed_completion: completion });
  let r = await stage(p.id, 'started', dayFromToday(-200), p.version);
  expectStatus(r, 200, '开工');
  r = await c.project.post(`${P}/${p.id}/schedule`, { version: r.json.version });
  expectStatus(r, 200, 'schedule a project under way');
  const ms = r.json.milestones;
  assert.deepEqual(ms.map((m) => m.name), steps.map((s) => s.name));
  assert.equal(ms.at(-1).planned, completion);
  const past = ms.filter((m) => m.planned < dayFromToday(0));
  assert.ok(past.length > 0, `no step lies in the past: ${JSON.stringify(ms)}`);
  for (const m of past) assert.ok(m.overdue_days > 0, `${m.name} planned ${m.planned} is not overdue`);
  assert.equal(r.json.overdue_milestones, past.length);
  assert.ok(['滞后', '严重滞后'].includes(r.json.status), `${r.json.status} ${r.json.status_reason}`);
  assert.match(r.json.status_reason, /逾期\d+天/);
});

test('milestones: a planned date in the past without an actual date makes the project 滞后 (严重滞后 from 30 days) with a reason naming the milestone; an actual date clears it; a future actual date → 400; a stale version → 409', async () => {
  const p = await makeProject({ code: 'MS-1', start_year: YEAR, end_year: YEAR + 3, annual_plans: [], committed_completion: `${YEAR + 3}-09-30` });
  let r = await c.project.post(`${P}/${p.id}/schedule`, { version: p.version });
  expectStatus(r, 200, 'schedule');
  let m = r.json.milestones[0];
  assert.equal(r.json.status, '正常');
  const put = (body) => c.project.put(`${P}/${p.id}/milestones/${m.id}`, body);
  r = await put({ planned: dayFromToday(-10), version: m.version });
  expectStatus(r, 200, 'move the first milestone 10 days into the past');
  m = r.json.milestones[0];
  assert.equal(m.overdue_days, 10);
  assert.equal(r.json.overdue_milestones, 1);
  assert.equal(r.json.status, '滞后', r.json.status_reason);
  assert.ok(r.json.status_reason.includes(m.name) && r.json.status_reason.includes('10天'), `the reason should name ${m.name} and its 10 days: ${r.json.status_reason}`);
  r = await put({ planned: dayFromToday(-40), version: m.version });
  expectStatus(r, 200, '40 days overdue');
  m = r.json.milestones[0];
  assert.equal(r.json.status, '严重滞后', r.json.status_reason);
  expectBadField(await put({ actual: dayFromToday(2), version: m.version }), 'actual', 'an actual date in the future');
  expectStatus(await put({ actual: dayFromToday(-1), version: m.version - 1 }), 409, 'a stale milestone version');
  r = await put({ actual: dayFromToday(-1), version: m.version });
  expectStatus(r, 200, 'done yesterday');
  assert.equal(r.json.milestones[0].overdue_days, 0);
  assert.deepEqual([r.json.status, r.json.overdue_milestones], ['正常', 0]);
  expectStatus(await c.reporter_town.put(`${P}/${p.id}/milestones/${m.id}`, { planned: dayFromToday(5), version: r.json.milestones[0].version }), 403, 'a reporter edits milestones');
});

// ---------------------------------------------------------------------------------------
// Problems

test('problems: a reporter raises one on its own project (201); lists filter by unit and overdue=1; resolve without a resolution → 400, with one → 200; a leader cannot raise (403)', async () => {
  const p = await makeProject({ code: 'PB-1', unit: TOWN });
  const deadline = dayFromToday(20);
  let r = await c.reporter_town.post(`${P}/${p.id}/problems`, { category: 'land', description: '用地指标未落实，需自然资源局协调', deadline });
  expectStatus(r, 201, 'raise');
  const pr = r.json;
  assert.equal(pr.state, 'open');
  assert.equal(pr.overdue, false);
  assert.equal(pr.deadline, deadline);
  assert.equal(pr.category_name, '用地');
  assert.equal(pr.owner_unit.code, TOWN, 'the owner defaults to the project\'s unit');
  assert.deepEqual(pr.project, { id: p.id, code: p.code, name: p.name });
  assert.equal(pr.escalated_to, null);
  assert.equal((await detail(p.id)).open_problems, 1);

  // Bad problems.
  expectBadField(await c.reporter_town.post(`${P}/${p.id}/problems`, { category: 'weather', description: '下雨', deadline }), 'category', 'unknown category');
  expectBadField(await c.reporter_town.post(`${P}/${p.id}/problems`, { category: 'funding', description: '资金', deadline: dayFromToday(-1) }), 'deadline', 'deadline in the past');
  expectBadField(await c.reporter_town.post(`${P}/${p.id}/problems`, { category: 'funding', description: '', deadline }), 'description', 'empty description');
  // A leader reads; it does not raise.
  for (const who of ['leader', 'leader_wancheng']) {
    r = await c[who].post(`${P}/${p.id}/problems`, { category: 'funding', description: '领导不能提', deadline });
    expectStatus(r, 403, `raise as ${who}`);
    assert.equal(r.json.error.code, 'permission_denied');
  }

  // Lists.
  const ids = async (client, query) => {
    const res = await client.get(`${P}/problems?${q(query)}`);
    expectStatus(res, 200, `problems ${q(query)}`);
    assert.ok(res.json.total >= res.json.items.length);
    return res.json.items;
  };
  assert.deepEqual((await ids(c.project, { project: p.id })).map((x) => x.id), [pr.id]);
  assert.ok((await ids(c.project, { unit: TOWN, page_size: 500 })).some((x) => x.id === pr.id), 'unit=瓦店镇 lists it');
  assert.ok((await ids(c.project, { unit: WANCHENG, page_size: 500 })).some((x) => x.id === pr.id), 'unit=宛城区 (the subtree) lists it');
  assert.ok(!(await ids(c.project, { unit: WOLONG, page_size: 500 })).some((x) => x.id === pr.id), 'unit=卧龙区 lists it');
  assert.ok((await ids(c.reporter_town, { page_size: 500 })).some((x) => x.id === pr.id), 'the reporter\'s own list');
  const overdue = await ids(c.project, { overdue: 1, page_size: 500 });
  for (const x of overdue) assert.ok(x.overdue && x.state === 'open', `overdue=1 lists ${JSON.stringify(x)}`);
  assert.ok(!overdue.some((x) => x.id === pr.id), 'a problem due in 20 days is not overdue');
  assert.ok((await ids(c.project, { state: 'open', page_size: 500 })).every((x) => x.state === 'open'));
  expectBadField(await c.project.get(`${P}/problems?state=closed`), 'state', 'unknown state');

  // Resolve.
  r = await c.reporter_town.post(`${P}/problems/${pr.id}/resolve`, { version: pr.version });
  expectBadField(r, 'resolution', 'resolve without resolution');
  r = await c.reporter_town.post(`${P}/problems/${pr.id}/resolve`, { resolution: '', version: pr.version });
  expectBadField(r, 'resolution', 'resolve with an empty resolution');
  r = await c.leader.post(`${P}/problems/${pr.id}/resolve`, { resolution: '领导不能办结', version: pr.version });
  expectStatus(r, 403, 'resolve as leader');
  r = await c.reporter_town.post(`${P}/problems/${pr.id}/resolve`, { resolution: '已协调落实用地指标', version: pr.version + 1 });
  expectStatus(r, 409, 'resolve with a stale version');
  r = await c.reporter_town.post(`${P}/problems/${pr.id}/resolve`, { resolution: '已协调落实用地指标', version: pr.version });
  expectStatus(r, 200, 'resolve');
  assert.equal(r.json.state, 'resolved');
  assert.equal(r.json.resolution, '已协调落实用地指标');
  assert.equal(r.json.version, pr.version + 1);
  expectStatus(await c.reporter_town.post(`${P}/problems/${pr.id}/resolve`, { resolution: '再办结', version: r.json.version }), 422, 'resolve twice');
  assert.equal((await detail(p.id)).open_problems, 0);
  assert.ok(!(await ids(c.project, { state: 'open', project: p.id })).length, 'a resolved problem is not open');
});

// ---------------------------------------------------------------------------------------
// 三个一批

test('batches (三个一批): only project.manage creates (reporter/leader 403); set lists; live rates follow stages; close freezes the rates; lists cannot change after close (422)', async () => {
  const deadline = `${YEAR}-12-31`;
  const body = { number: 41, name: `${YEAR}年第41期三个一批`, deadline };
  for (const who of ['reporter_town', 'leader']) expectStatus(await c[who].post(`${P}/batches`, body), 403, `create batch as ${who}`);
  let r = await c.project.post(`${P}/batches`, body);
  expectStatus(r, 201, 'create batch');
  let b = r.json;
  assert.deepEqual([b.number, b.name, b.deadline, b.closed, b.frozen], [41, body.name, deadline, false, false]);
  assert.deepEqual(b.lists, { sign: [], start: [], produce: [] });
  expectStatus(await c.project.post(`${P}/batches`, body), 409, 'a second batch numbered 41');
  expectBadField(await c.project.post(`${P}/batches`, { ...body, number: 42, deadline: `${YEAR}-02-30` }), 'deadline', 'an impossible deadline');

  const toSign = await makeProject({ code: 'BT-SIGN' });
  const toStart1 = await makeProject({ code: 'BT-START1', unit: SIBLING });
  const toStart2 = await makeProject({ code: 'BT-START2', unit: WOLONG });
  const toProduce = await makeProject({ code: 'BT-PROD' });
  const lists = { sign: [{ id: toSign.id }], start: [{ id: toStart1.id }, { id: toStart2.id }], produce: [{ id: toProduce.id }] };
  expectStatus(await c.reporter_town.put(`${P}/batches/${b.id}/lists`, { ...lists, version: b.version }), 403, 'lists as reporter');
  expectBadField(await c.project.put(`${P}/batches/${b.id}/lists`, { start: [{ id: 987654 }], version: b.version }), 'start', 'an unknown project on a list');
  r = await c.project.put(`${P}/batches/${b.id}/lists`, { ...lists, version: b.version });
  expectStatus(r, 200, 'set lists');
  b = r.json;
  assert.deepEqual(b.lists.sign.map((x) => x.code), ['BT-SIGN']);
  assert.deepEqual(b.lists.start.map((x) => x.code).sort(), ['BT-START1', 'BT-START2']);
  assert.deepEqual(b.lists.produce.map((x) => x.code), ['BT-PROD']);
  const rates = (x) => Object.fromEntries(Object.entries(x.rates).map(([k, v]) => [k, num(v)]));
  assert.deepEqual(rates(b), { sign_rate: 0, start_rate: 0, produce_rate: 0, effective_rate: 0 });
  expectStatus(await c.project.put(`${P}/batches/${b.id}/lists`, { ...lists, version: b.version - 1 }), 409, 'stale lists');

  // Stages reached before the deadline count.
  const when = dayFromToday(-5);
  expectStatus(await stage(toSign.id, 'signed', when, toSign.version), 200, 'sign');
  expectStatus(await stage(toStart1.id, 'started', when, toStart1.version), 200, 'start 1');
  expectStatus(await stage(toProduce.id, 'producing', when, toProduce.version), 200, 'produce');
  r = await c.leader_wancheng.get(`${P}/batches/${b.id}`);
  expectStatus(r, 200, 'batch as leader_wancheng (batches are city-wide)');
  b = r.json;
  assert.deepEqual(rates(b), { sign_rate: 100, start_rate: 50, produce_rate: 100, effective_rate: 0 }, 'live rates');
  assert.equal(b.frozen, false);

  r = await c.reporter_town.post(`${P}/batches/${b.id}/close`, { version: b.version });
  expectStatus(r, 403, 'close as reporter');
  r = await c.project.post(`${P}/batches/${b.id}/close`, { version: b.version });
  expectStatus(r, 200, 'close');
  b = r.json;
  assert.deepEqual([b.closed, b.frozen], [true, true]);
  assert.deepEqual(rates(b), { sign_rate: 100, start_rate: 50, produce_rate: 100, effective_rate: 0 }, 'frozen rates');
  // A stage reached after the close does not move the frozen rates.
  const s2 = await detail(toStart2.id);
  expectStatus(await stage(toStart2.id, 'started', dayFromToday(0), s2.version), 200, 'start 2 after close');
  b = (await c.project.get(`${P}/batches/${b.id}`)).json;
  assert.equal(num(b.rates.start_rate), 50, 'the frozen start rate moved');
  r = await c.project.put(`${P}/batches/${b.id}/lists`, { start: [{ id: toStart1.id }], version: b.version });
  expectStatus(r, 422, 'edit lists after close');
  assert.equal(r.json.error.code, 'failed_precondition');
  expectStatus(await c.project.post(`${P}/batches/${b.id}/close`, { version: b.version }), 422, 'close twice');
  const listed = (await c.project.get(`${P}/batches`)).json.items.find((x) => x.id === b.id);
  assert.deepEqual(listed, b, 'GET /batches shows the batch as GET /batches/{id}');
});

// ---------------------------------------------------------------------------------------
// Battle map

test('battle map: groups by unit, each project once with its milestones; a 宛城区 leader asking for 卧龙区 → 404', async () => {
  const scheduled = await makeProject({ code: 'BM-1', unit: TOWN, start_year: YEAR, end_year: YEAR + 3, annual_plans: [], committed_completion: `${YEAR + 3}-03-31` });
  expectStatus(await c.project.post(`${P}/${scheduled.id}/schedule`, { version: scheduled.version }), 200, 'schedule BM-1');
  await makeProject({ code: 'BM-2', unit: SIBLING });
  await makeProject({ code: 'BM-3', unit: WANCHENG });

  const r = await c.project.get(`${P}/battle-map?unit=${WANCHENG}`);
  expectStatus(r, 200, 'battle map of 宛城区');
  const listed = await listAll(c.project, `${P}?unit=${WANCHENG}`);
  const unitOf = Object.fromEntries(listed.map((p) => [p.id, p.unit.code]));
  const groupUnits = r.json.groups.map((g) => g.unit.code);
  assert.equal(new Set(groupUnits).size, groupUnits.length, `a unit has two groups: ${groupUnits}`);
  const seen = [];
  for (const g of r.json.groups) {
    assert.ok(g.projects.length > 0, `an empty group for ${g.unit.code}`);
    for (const p of g.projects) {
      assert.equal(unitOf[p.id], g.unit.code, `${p.code} is in the group of ${g.unit.code}`);
      assert.ok(Array.isArray(p.milestones), `${p.code} has no milestones array`);
      seen.push(p.id);
    }
  }
  assert.deepEqual(seen.sort((a, b) => a - b), listed.map((p) => p.id).sort((a, b) => a - b), 'the battle map holds the listed projects, each once');
  for (const code of ['BM-1', 'BM-2', 'BM-3']) assert.ok(listed.some((p) => p.code === code), `${code} missing`);
  const bm1 = r.json.groups.flatMap((g) => g.projects).find((p) => p.code === 'BM-1');
  const d = await detail(scheduled.id);
  assert.deepEqual(bm1.milestones.map((m) => [m.name, m.planned, m.actual]), d.milestones.map((m) => [m.name, m.planned, m.actual]));
  assert.equal(bm1.milestones.at(-1).planned, `${YEAR + 3}-03-31`);
  assert.equal(r.json.groups.find((g) => g.projects.some((p) => p.code === 'BM-1')).unit.code, TOWN);

  let res = await c.leader_wancheng.get(`${P}/battle-map?unit=${WOLONG}`);
  expectStatus(res, 404, 'battle map of 卧龙区 as leader_wancheng');
  res = await c.leader_wancheng.get(`${P}/battle-map?unit=${WANCHENG}`);
  expectStatus(res, 200, 'battle map of 宛城区 as leader_wancheng');
  assert.deepEqual(res.json.groups.map((g) => g.unit.code), groupUnits, 'the 宛城区 leader sees the same map');
  res = await c.reporter_town.get(`${P}/battle-map`);
  expectStatus(res, 200, 'battle map as reporter_town');
  assert.deepEqual(res.json.groups.map((g) => g.unit.code), [TOWN], 'a town reporter\'s map holds its town only');
  expectStatus(await c.project.get(`${P}/battle-map?unit=NOPE`), 404, 'an unknown unit');
});

// ---------------------------------------------------------------------------------------
// The list

test('the list: filters (unit, level, stage, status, q, leader), sorts (-completion, status) and pages with consistent totals; bad filters → 400', { skip: EARLY_YEAR }, async () => {
  const leader = users.leader;
  // code, name, unit, level, ytd of this year's plan of 10
  const spec = [
    ['LS-1', '列表测试甲园区', TOWN, 'province', '9'],
    ['LS-2', '列表测试乙工程', SIBLING, 'city', '0.5'],
    ['LS-3', '列表测试丙基地', WOLONG, 'district', '5'],
    ['LS-4', '列表测试丁中心', WANCHENG, 'city', '7'],
    ['LS-5', '列表测试戊项目', TOWN, 'district', '3'],
  ];
  const made = {};
  for (const [code, name, unit, level, ytd] of spec) {
    const p = await makeProject({ code, name, unit, level, total_investment: '50', annual_plans: [{ year: YEAR, amount: '10' }],
      ...(code === 'LS-4' ? { leader_id: leader.id } : {}) });
    const r = await report(c.project, p.id, { month: LAST_MONTH, amount: ytd, narrative: '列表测试' });
    expectStatus(r, 200, `progress ${code}`);
    made[code] = r.json;
  }
  expectStatus(await stage(made['LS-1'].id, 'started', dayFromToday(-3), made['LS-1'].version), 200, 'LS-1 开工');
  expectStatus(await stage(made['LS-3'].id, 'signed', dayFromToday(-3), made['LS-3'].version), 200, 'LS-3 签约');
  assert.deepEqual(made['LS-4'].leader, { id: leader.id, name: leader.display_name });

  const codes = async (query) => {
    const r = await c.project.get(`${P}?${q({ q: 'LS-', ...query })}`);
    expectStatus(r, 200, q(query));
    assert.equal(r.json.total, r.json.items.length, `${q(query)}: total ${r.json.total} for ${r.json.items.length} items on one page`);
    return r.json.items.map((p) => p.code);
  };
  assert.deepEqual(await codes({}), ['LS-1', 'LS-2', 'LS-3', 'LS-4', 'LS-5'], 'sorted by code by default');
  assert.deepEqual(await codes({ unit: WANCHENG }), ['LS-1', 'LS-2', 'LS-4', 'LS-5'], 'unit=宛城区 includes its towns');
  assert.deepEqual(await codes({ unit: TOWN }), ['LS-1', 'LS-5']);
  assert.deepEqual(await codes({ unit: WOLONG }), ['LS-3']);
  assert.deepEqual(await codes({ level: 'city' }), ['LS-2', 'LS-4']);
  assert.deepEqual(await codes({ level: 'province' }), ['LS-1']);
  assert.deepEqual(await codes({ stage: 'started' }), ['LS-1']);
  assert.deepEqual(await codes({ stage: 'signed' }), ['LS-3']);
  assert.deepEqual(await codes({ stage: 'planning' }), ['LS-2', 'LS-4', 'LS-5']);
  assert.deepEqual(await codes({ leader: leader.id }), ['LS-4']);
  assert.deepEqual(await codes({ q: '乙工程' }), ['LS-2'], 'q searches names');
  assert.deepEqual(await codes({ q: 'LS-3' }), ['LS-3'], 'q searches codes');
  const statusOf = Object.fromEntries(spec.map(([code, , , , ytd]) => [code, expectedStatus(Number(ytd) * 10)]));
  for (const [code, p] of Object.entries(made)) assert.equal(p.status, statusOf[code], `${code}: ${p.status} ${p.status_reason}`);
  for (const s of ['正常', '滞后', '严重滞后']) {
    assert.deepEqual(await codes({ status: s }), spec.map(([code]) => code).filter((code) => statusOf[code] === s), `status=${s}`);
  }
  assert.deepEqual(await codes({ sort: '-completion' }), ['LS-1', 'LS-4', 'LS-3', 'LS-5', 'LS-2']);
  assert.deepEqual(await codes({ sort: 'completion' }), ['LS-2', 'LS-5', 'LS-3', 'LS-4', 'LS-1']);
  const rank = { 严重滞后: 0, 滞后: 1, 正常: 2 };
  const byStatus = spec.map(([code]) => code).sort((a, b) => rank[statusOf[a]] - rank[statusOf[b]] || a.localeCompare(b));
  assert.deepEqual(await codes({ sort: 'status' }), byStatus, 'sort=status: 严重滞后, 滞后, 正常, then by code');

  // Paging: pages of 2 of the -completion order concatenate to the whole; totals agree.
  const pages = [];
  for (let page = 1; page <= 4; page++) {
    const r = await c.project.get(`${P}?${q({ q: 'LS-', sort: '-completion', page, page_size: 2 })}`);
    expectStatus(r, 200, `page ${page}`);
    assert.equal(r.json.total, 5, `total on page ${page}`);
    assert.deepEqual([r.json.page, r.json.page_size], [page, 2]);
    pages.push(r.json.items.map((p) => p.code));
  }
  assert.deepEqual(pages, [['LS-1', 'LS-4'], ['LS-3', 'LS-5'], ['LS-2'], []]);
  // The whole list: every page's total is the number of items.
  const all = await listAll(c.project, P);
  const first = (await c.project.get(`${P}?page_size=1`)).json;
  assert.equal(first.total, all.length);
  assert.equal(new Set(all.map((p) => p.id)).size, all.length, 'a project on two pages');

  expectBadField(await c.project.get(`${P}?sort=budget`), 'sort', 'unknown sort');
  expectBadField(await c.project.get(`${P}?status=${encodeURIComponent('落后')}`), 'status', 'unknown status');
  expectBadField(await c.project.get(`${P}?stage=finished`), 'stage', 'unknown stage');
  expectBadField(await c.project.get(`${P}?leader=abc`), 'leader', 'leader not an id');
  expectBadField(await c.project.get(`${P}?year=24`), 'year', 'a bad year');
});

test('q is a plain text search: % and _ match only themselves (no LIKE wildcards)', async () => {
  await makeProject({ code: 'WC-1', name: '通配符测试项目' });
  for (const text of ['%', '_', 'WC_1', 'W%1', '通配符%项目']) {
    const r = await c.project.get(`${P}?${q({ q: text })}`);
    expectStatus(r, 200, `q=${text}`);
    assert.deepEqual(r.json.items.map((p) => p.code), [], `q=${text} should find nothing, found ${r.json.total}: ${r.json.items.slice(0, 3).map((p) => p.code)}`);
  }
  const r = await c.project.get(`${P}/problems?${q({ unit: '%' })}`);
  assert.ok(r.status === 200 ? r.json.total === 0 : r.status === 400, `problems?unit=%: ${r.status} ${r.text.slice(0, 200)}`);
});

test('integers beyond 32 bits are refused, not truncated: start_year, end_year, an annual plan\'s year, a batch number', async () => {
  const big = 2 ** 32;
  const countBefore = (await c.project.get(`${P}?q=OV-&include_archived=1`)).json.total;
  const base = { code: 'OV-1', name: '溢出测试', level: 'district', category: 'industry', unit: TOWN, total_investment: '10', start_year: YEAR, end_year: YEAR + 1 };
  for (const [what, change, field] of [
    ['start_year 2^32+YEAR', { start_year: big + YEAR, end_year: big + YEAR + 1 }, 'start_year'],
    ['end_year 2^32+YEAR+1', { end_year: big + YEAR + 1 }, 'end_year'],
    ['an annual plan for year 2^32+YEAR', { annual_plans: [{ year: big + YEAR, amount: '1' }] }, 'annual_plans'],
  ]) {
    expectBadField(await c.project.post(P, { ...base, ...change }), field, what);
  }
  assert.equal((await c.project.get(`${P}?q=OV-&include_archived=1`)).json.total, countBefore, 'a project was created');
  const batches = (await c.project.get(`${P}/batches`)).json.items.length;
  expectBadField(await c.project.post(`${P}/batches`, { number: big + 7, name: '溢出批次', deadline: `${YEAR}-12-31` }), 'number', 'batch number 2^32+7');
  assert.equal((await c.project.get(`${P}/batches`)).json.items.length, batches, 'a batch was created');
});

test('the demo\'s problems past their deadline are listed by overdue=1 and escalated one level up the unit tree, in the audit log', async () => {
  const overdue = await listAll(c.project, `${P}/problems?overdue=1`);
  assert.ok(overdue.length > 0, 'the demo has problems past their deadline');
  const units = Object.fromEntries((await listAll(c.admin, '/api/v1/units?include_archived=1')).map((u) => [u.id, u]));
  const today = dayFromToday(0);
  for (const x of overdue) {
    assert.equal(x.state, 'open');
    assert.equal(x.overdue, true);
    assert.ok(x.deadline < today, `${x.id}: deadline ${x.deadline} is not past`);
    assert.ok(x.escalated_to, `problem ${x.id} (${x.owner_unit.name}, due ${x.deadline}) is not escalated`);
    assert.equal(x.escalated_to.id, units[x.owner_unit.id].parent_id, `problem ${x.id} escalated to ${x.escalated_to.name}, not to the owner's parent`);
  }
  const audit = await listAll(c.auditor, `/api/v1/audit?${q({ event: 'project.problem.escalate' })}`);
  for (const x of overdue) assert.ok(audit.some((a) => a.object_id === String(x.id) && a.object_type === 'project_problem'), `no audit row for the escalation of problem ${x.id}`);
  // Open problems not yet due are not escalated.
  const open = await listAll(c.project, `${P}/problems?state=open`);
  for (const x of open) if (x.deadline >= today) assert.equal(x.escalated_to, null, `problem ${x.id} due ${x.deadline} is escalated`);
});

// ---------------------------------------------------------------------------------------
// Demo data

test('portfolio of 卧龙区 at 2024-06 (demo): its 100 province- and city-level projects plan 273亿元 for 2024 and completed 173.9亿元 by June', async () => {
  const get = async (query) => {
    const r = await c.project.get(`${P}/portfolio?${q({ unit: WOLONG, month: '2024-06', ...query })}`);
    expectStatus(r, 200, `portfolio ${q(query)}`);
    return r.json;
  };
  const pc = await get({ level: 'province,city' });
  assert.deepEqual([pc.projects, num(pc.plan), num(pc.done)], [100, 273, 173.9], `province + city of 卧龙区: ${JSON.stringify(pc)}`);
  assert.ok(Math.abs(num(pc.completion) - (173.9 / 273) * 100) < 0.001, `completion ${pc.completion}`);
  // The same by level, one at a time, and with the district-level ones on top.
  const [prov, city, dist, all] = [await get({ level: 'province' }), await get({ level: 'city' }), await get({ level: 'district' }), await get({})];
  assert.equal(prov.projects + city.projects, 100);
  assert.ok(Math.abs(num(prov.plan) + num(city.plan) - 273) < 1e-9 && Math.abs(num(prov.done) + num(city.done) - 173.9) < 1e-9, 'province + city, one level at a time');
  assert.equal(all.projects, 100 + dist.projects);
  assert.ok(Math.abs(num(all.plan) - 273 - num(dist.plan)) < 1e-9, `all levels: ${JSON.stringify(all)}, district ${JSON.stringify(dist)}`);
  // The figures hold for the city's project office and for the leaders of the city; 宛城区's cannot read 卧龙区's.
  const lr = await c.leader.get(`${P}/portfolio?${q({ unit: WOLONG, month: '2024-06', level: 'province,city' })}`);
  expectStatus(lr, 200, 'portfolio as the city leader');
  assert.deepEqual(lr.json, pc);
  expectStatus(await c.leader_wancheng.get(`${P}/portfolio?${q({ unit: WOLONG, month: '2024-06' })}`), 404, 'portfolio of 卧龙区 as leader_wancheng');
});

test('portfolio: an unknown level → 400 naming level (not silently the unfiltered figures)', async () => {
  for (const level of ['foo', 'province,foo', 'Province']) {
    const r = await c.project.get(`${P}/portfolio?${q({ unit: WOLONG, month: '2024-06', level })}`);
    expectBadField(r, 'level', `portfolio level=${level}`);
  }
});

test('portfolio: a bad month → 400 naming month; the portfolio of a unit sums its projects\' plans and progress', { skip: EARLY_YEAR }, async () => {
  expectBadField(await c.project.get(`${P}/portfolio?${q({ unit: WANCHENG, month: '2024-13' })}`), 'month', 'a bad month');
  expectBadField(await c.project.get(`${P}/portfolio?${q({ unit: WANCHENG })}`), 'month', 'no month');
  const before = (await c.project.get(`${P}/portfolio?${q({ unit: SIBLING, month: LAST_MONTH })}`)).json;
  const p = await makeProject({ code: 'PF-1', unit: SIBLING, annual_plans: [{ year: YEAR, amount: '8' }] });
  expectStatus(await report(c.project, p.id, { month: LAST_MONTH, amount: '2.5' }), 200, 'progress');
  const after = (await c.project.get(`${P}/portfolio?${q({ unit: SIBLING, month: LAST_MONTH })}`)).json;
  assert.equal(after.projects, before.projects + 1);
  assert.ok(Math.abs(num(after.plan) - num(before.plan) - 8) < 1e-9, `plan ${before.plan} → ${after.plan}`);
  assert.ok(Math.abs(num(after.done) - num(before.done) - 2.5) < 1e-9, `done ${before.done} → ${after.done}`);
});
