// Exports of lists as .xlsx (docs/API.md "Excel: imports, templates and exports"): every list
// answers `?format=xlsx` with the whole filtered list — as many rows as the JSON list's total,
// never a row the JSON list would not show (a 卧龙区 investment officer, a town reporter, a
// 宛城区 system administrator see only their scope) — with Chinese headers, a frozen header row,
// numbers as numbers, dates as dates, and text that starts with "=" kept as text. Without the
// list's permission the export is refused like the list. Workbooks are read back with openpyxl
// (tests/io/read_xlsx.py).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginMany, listAll, unitIndex, subtreeIds, assertErrorFormat } from './helpers.mjs';

const READ_XLSX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'io', 'read_xlsx.py');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const I = '/api/v1/investment';
const WOLONG = '411303';
const WANCHENG = '411302';

// Today as the server sees it (China time); the demo's data is around it.
const CN = new Date(Date.now() + 8 * 3600 * 1000);
const YEAR = CN.getUTCFullYear();
const dayFromToday = (n) => new Date(Date.UTC(YEAR, CN.getUTCMonth(), CN.getUTCDate() + n)).toISOString().slice(0, 10);
// A timestamp as the sheets show it: Beijing time "2026-11-24 09:30".
const beijing = (ms) => new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
const beijingIso = (iso) => beijing(Date.parse(iso));

let server, c, units, dir;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['invest', 'invest_wolong', 'leader', 'supervisor', 'reporter_town', 'project',
    'admin', 'sysadmin_wancheng', 'secadmin', 'auditor', 'stat']);
  units = await unitIndex(c.admin);
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-exports-'));
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// GET path with format=xlsx as the client: the raw bytes (the test client reads text).
async function fetchXlsx(client, path) {
  const url = server.url + path + (path.includes('?') ? '&' : '?') + 'format=xlsx';
  const res = await fetch(url, { headers: { cookie: client.cookie } });
  const buf = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* a workbook */ }
  return { status: res.status, headers: res.headers, buf, json, text: buf.toString('utf8').slice(0, 600) };
}

let fileSeq = 0;
function readWorkbook(buf) {
  const file = join(dir, `export-${++fileSeq}.xlsx`);
  writeFileSync(file, buf);
  return JSON.parse(execFileSync('/usr/bin/python3', [READ_XLSX, file], { encoding: 'utf8', maxBuffer: 256 << 20 }));
}

// The export of `path` as `client`: checks the status, type, file name and frozen header, and
// answers { headers, rows: [{header: cell}], raw } of its only sheet.
async function exportOf(client, path, filename) {
  const r = await fetchXlsx(client, path);
  assert.equal(r.status, 200, `GET ${path}?format=xlsx: ${r.status} ${r.text}`);
  assert.equal(r.headers.get('content-type'), XLSX_TYPE, `${path}: content type`);
  const cd = r.headers.get('content-disposition') || '';
  assert.match(cd, /^attachment;/, `${path}: ${cd}`);
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  assert.ok(m, `${path}: no filename* in ${cd}`);
  assert.equal(decodeURIComponent(m[1]), `${filename}.xlsx`, `${path}: file name`);
  assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK', `${path}: not a zip`);
  const book = readWorkbook(r.buf);
  assert.equal(book.sheets.length, 1, `${path}: one sheet`);
  const sheet = book.sheets[0];
  assert.equal(sheet.freeze, 'A2', `${path}: the header row is frozen`);
  // An export in an import layout stars the required headers (*任务名称); rows are keyed without it.
  const headers = sheet.rows[0].map((h) => h.v.replace(/^\*/, ''));
  for (const h of headers) assert.match(h, /[\u4e00-\u9fff]/, `${path}: header ${h} is Chinese`);
  const rows = sheet.rows.slice(1).map((cells) => Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? null])));
  return { headers, rows, sheet };
}

const v = (cell) => (cell == null ? null : cell.v);
function isNumber(cell, expected, what) {
  assert.ok(cell && cell.t === 'number', `${what}: ${JSON.stringify(cell)} is not a number`);
  assert.ok(Math.abs(cell.v - Number(expected)) < 1e-9, `${what}: ${cell.v} ≠ ${expected}`);
}
function isDate(cell, expected, what) {
  if (expected == null) return assert.equal(cell, null, `${what}: ${JSON.stringify(cell)} should be empty`);
  assert.ok(cell && cell.t === 'date', `${what}: ${JSON.stringify(cell)} is not a date`);
  assert.equal(cell.v, expected, what);
}
function isText(cell, expected, what) {
  if (expected === '' || expected == null) return assert.equal(cell, null, `${what}: ${JSON.stringify(cell)} should be empty`);
  assert.ok(cell && cell.t === 'string', `${what}: ${JSON.stringify(cell)} is not text`);
  assert.equal(cell.v, expected, what);
}
// Equal as multisets of strings (order of equal keys does not matter).
function sameKeys(actual, expected, what) {
  assert.deepEqual([...actual].sort(), [...expected].sort(), what);
}

async function refused(client, path, status, what) {
  const r = await fetchXlsx(client, path);
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text}`);
  assert.notEqual(r.headers.get('content-type'), XLSX_TYPE, `${what}: answered a workbook`);
  assertErrorFormat(r, what);
  return r;
}

// ---- Investment ----

test('companies: the whole filtered list, codes as text, a name starting with "=" stays text', async () => {
  const made = await c.invest.post(`${I}/companies`, { name: '=1+1 导出测试企业有限公司', origin: '=SUM(A1)', tags: '民营' });
  assert.equal(made.status, 201, made.text);
  const all = await listAll(c.invest, `${I}/companies`);
  const { rows, headers } = await exportOf(c.invest, `${I}/companies`, '招商企业库');
  assert.ok(!headers.some((h) => /id/i.test(h)), headers.join());
  assert.equal(rows.length, all.length, 'one row per company');
  sameKeys(rows.map((r) => v(r['企业名称'])), all.map((x) => x.name), 'the same companies');
  const eq = rows.find((r) => v(r['企业编号']) === made.json.id);
  assert.ok(eq, 'the new company is exported');
  isText(eq['企业名称'], '=1+1 导出测试企业有限公司', 'a name starting with = is text');
  isText(eq['来源地'], '=SUM(A1)', 'an origin starting with = is text');
  assert.ok(Object.values(eq).every((cell) => cell == null || cell.t !== 'formula'), 'no formula');
  const withUscc = all.find((x) => x.uscc);
  isText(rows.find((r) => v(r['企业编号']) === withUscc.id)['统一社会信用代码'], withUscc.uscc, 'USCC');
  // Filters: the tag and the query word.
  const tagged = await listAll(c.invest, `${I}/companies?tag=${encodeURIComponent('外资')}`);
  const t = await exportOf(c.invest, `${I}/companies?tag=${encodeURIComponent('外资')}`, '招商企业库');
  assert.ok(tagged.length > 0 && tagged.length < all.length, 'the demo has some foreign companies');
  sameKeys(t.rows.map((r) => v(r['企业编号'])), tagged.map((x) => x.id), 'tag filter');
  for (const r of t.rows) assert.match(v(r['企业标签']), /外资/);
  const q = await exportOf(c.invest, `${I}/companies?q=${encodeURIComponent('导出测试')}`, '招商企业库');
  assert.deepEqual(q.rows.map((r) => v(r['企业编号'])), [made.json.id], 'q filter');
});

test('leads: amounts in 亿元 as numbers, stage dates as dates; a 卧龙区 officer exports only 卧龙区 leads', async () => {
  const company = await c.invest_wolong.post(`${I}/companies`, { name: '=HYPERLINK("x") 导出线索企业有限公司' });
  assert.equal(company.status, 201, company.text);
  const lead = await c.invest_wolong.post(`${I}/leads`, {
    company_id: company.json.id, project_name: '=1+1 导出测试项目', amount: '12.345678', source: 'business', unit: WOLONG,
  });
  assert.equal(lead.status, 201, lead.text);

  const all = await listAll(c.invest, `${I}/leads`);
  const city = await exportOf(c.invest, `${I}/leads`, '招商线索');
  assert.equal(city.rows.length, all.length, 'the city officer: every lead');
  const byId = new Map(city.rows.map((r) => [v(r['线索编号']), r]));
  for (const item of all.slice(0, 40)) {
    const r = byId.get(item.id);
    assert.ok(r, `lead ${item.id} exported`);
    isNumber(r['意向投资额(亿元)'], item.amount, `lead ${item.id} amount`);
    isNumber(r['合同引资额(亿元)'], item.contract_amount, `lead ${item.id} contract amount`);
    isText(r['责任单位编码'], item.unit.code, `lead ${item.id} unit`);
    isText(r['阶段'], item.stage_name, `lead ${item.id} stage`);
    isDate(r['线索日期'], item.stage_dates.clue ?? null, `lead ${item.id} 线索日期`);
    isDate(r['签约日期'], item.stage_dates.signed ?? null, `lead ${item.id} 签约日期`);
    isText(r['招商方式'], item.source_name, `lead ${item.id} source`);
  }
  // The import layout (POST /leads/import/file reads it back: tests/api/excel-leads.test.mjs).
  assert.deepEqual(city.headers, ['线索编号', '企业名称', '统一社会信用代码', '项目名称', '意向投资额(亿元)', '产业链',
    '产业链环节', '招商方式', '责任单位编码', '责任单位', '招商员', '阶段', '线索日期', '接洽日期', '考察日期',
    '实质性谈判日期', '签约日期', '注册日期', '开工日期', '投产日期', '流失', '流失原因', '流失日期', '重点项目编码',
    '合同引资额(亿元)']);
  assert.deepEqual(city.sheet.rows[0].filter((h) => h.v.startsWith('*')).map((h) => h.v),
    ['*企业名称', '*项目名称', '*意向投资额(亿元)', '*招商方式', '*责任单位编码'], 'required columns are marked');
  const mine = byId.get(lead.json.id);
  isText(mine['项目名称'], '=1+1 导出测试项目', 'project name starting with =');
  isText(mine['企业名称'], '=HYPERLINK("x") 导出线索企业有限公司', 'company name starting with =');
  isNumber(mine['意向投资额(亿元)'], '12.345678', 'six decimal places kept');

  const wolongJson = await listAll(c.invest_wolong, `${I}/leads`);
  const wolong = await exportOf(c.invest_wolong, `${I}/leads`, '招商线索');
  assert.ok(wolongJson.length > 0 && wolongJson.length < all.length, 'the officer sees part of the leads');
  assert.equal(wolong.rows.length, wolongJson.length, '卧龙区: as many rows as the JSON total');
  sameKeys(wolong.rows.map((r) => v(r['线索编号'])), wolongJson.map((x) => x.id), '卧龙区: the same leads');
  const wolongSubtree = subtreeIds(units.units, units.byCode[WOLONG].id);
  for (const r of wolong.rows) assert.ok(wolongSubtree.has(units.byCode[v(r['责任单位编码'])].id), `${v(r['责任单位编码'])} is under 卧龙区`);

  // Filters as the JSON list: stage, lost, unit; a unit out of scope is refused alike.
  const signedJson = await listAll(c.invest, `${I}/leads?stage=signed&lost=0`);
  const signed = await exportOf(c.invest, `${I}/leads?stage=signed&lost=0`, '招商线索');
  sameKeys(signed.rows.map((r) => v(r['线索编号'])), signedJson.map((x) => x.id), 'stage filter');
  for (const r of signed.rows) { isText(r['阶段'], '签约', 'stage'); isText(r['流失'], '否', 'not lost'); }
  // A unit out of scope: the list is empty, and so is the export (the pipeline refuses it, and
  // its export alike).
  assert.equal((await c.invest_wolong.get(`${I}/leads?unit=${WANCHENG}`)).json.total, 0);
  assert.equal((await exportOf(c.invest_wolong, `${I}/leads?unit=${WANCHENG}`, '招商线索')).rows.length, 0);
  const json404 = await c.invest_wolong.get(`${I}/pipeline?unit=${WANCHENG}`);
  assert.equal(json404.status, 404, json404.text);
  const x404 = await refused(c.invest_wolong, `${I}/pipeline?unit=${WANCHENG}`, 404, 'a unit out of scope');
  assert.equal(x404.json.error.code, json404.json.error.code);
  await refused(c.invest, `${I}/leads?chain=abc`, 400, 'a bad chain filter');
});

test('activities, targets, statistics, pipeline and chains export what the JSON shows', async () => {
  // Activities: dates as dates, the officer's scope.
  const acts = await listAll(c.invest, `${I}/activities`);
  const a = await exportOf(c.invest, `${I}/activities`, '招商活动');
  assert.equal(a.rows.length, acts.length);
  for (let i = 0; i < Math.min(30, acts.length); i++) {
    isDate(a.rows[i]['日期'], acts[i].date, `activity ${acts[i].id} date`);
    isText(a.rows[i]['活动名称'], acts[i].title, `activity ${acts[i].id} title`);
    isText(a.rows[i]['类型'], acts[i].kind_name, `activity ${acts[i].id} kind`);
    isText(a.rows[i]['单位编码'], acts[i].unit.code, `activity ${acts[i].id} unit`);
  }
  const wolongActs = await listAll(c.invest_wolong, `${I}/activities?from=${YEAR}-01-01`);
  const wa = await exportOf(c.invest_wolong, `${I}/activities?from=${YEAR}-01-01`, '招商活动');
  assert.ok(wolongActs.length < acts.length);
  assert.equal(wa.rows.length, wolongActs.length, '卧龙区 activities');
  sameKeys(wa.rows.map((r) => v(r['活动名称'])), wolongActs.map((x) => x.title), '卧龙区 activities');
  await refused(c.invest, `${I}/activities?from=2026-02-30`, 400, 'a bad date');

  // Targets: one row per target, numbers and percents as numbers.
  const targets = (await c.invest.get(`${I}/targets`)).json.items;
  const t = await exportOf(c.invest, `${I}/targets`, '招商目标进度');
  assert.ok(targets.length > 0);
  assert.equal(t.rows.length, targets.length);
  targets.forEach((x, i) => {
    const r = t.rows[i];
    isText(r['单位编码'], x.unit.code, 'target unit');
    isNumber(r['年度'], x.year, 'year');
    isNumber(r['亿元以上项目目标(个)'], x.projects_100m, 'count target');
    isNumber(r['合同引资额目标(亿元)'], x.contract_amount, 'amount target');
    isNumber(r['合同引资额(亿元)'], x.actual.contract_amount, 'actual amount');
    if (x.progress.amount_share != null) isNumber(r['金额完成率(%)'], x.progress.amount_share, 'amount share');
  });
  const wt = await exportOf(c.invest_wolong, `${I}/targets`, '招商目标进度');
  const wtJson = (await c.invest_wolong.get(`${I}/targets`)).json.items;
  assert.equal(wt.rows.length, wtJson.length, '卧龙区 targets');
  assert.ok(wt.rows.every((r) => !['411300', WANCHENG].includes(v(r['单位编码']))), 'no target outside 卧龙区');

  // Statistics by unit, then 合计.
  const range = `from=${YEAR}-01-01&to=${YEAR}-12-31`;
  const stats = (await c.invest.get(`${I}/stats?${range}`)).json;
  const s = await exportOf(c.invest, `${I}/stats?${range}`, '招商签约统计');
  assert.equal(s.rows.length, stats.by_unit.length + 1);
  stats.by_unit.forEach((u, i) => {
    isText(s.rows[i]['单位编码'], u.unit.code, 'stats unit');
    isNumber(s.rows[i]['签约项目(个)'], u.signed_projects, 'signed');
    isNumber(s.rows[i]['合同引资额(亿元)'], u.contract_amount, 'amount');
  });
  const total = s.rows.at(-1);
  isText(total['单位'], '合计', 'the total row');
  isNumber(total['合同引资额(亿元)'], stats.contract_amount, 'total amount');
  await refused(c.invest, `${I}/stats`, 400, 'statistics without dates');

  // Pipeline: the eight stages.
  const pipe = (await c.invest_wolong.get(`${I}/pipeline`)).json.stages;
  const p = await exportOf(c.invest_wolong, `${I}/pipeline`, '招商线索阶段分布');
  assert.equal(p.rows.length, 8);
  pipe.forEach((st, i) => {
    isText(p.rows[i]['阶段'], st.stage_name, 'stage');
    isNumber(p.rows[i]['在谈线索(个)'], st.count, `${st.stage} count`);
    isNumber(p.rows[i]['意向投资额(亿元)'], st.amount ?? 0, `${st.stage} amount`);
  });

  // Chains: one row per segment.
  const chains = (await c.invest.get(`${I}/chains`)).json.items;
  const ch = await exportOf(c.invest, `${I}/chains`, '产业链图谱');
  assert.equal(ch.rows.length, chains.reduce((n, x) => n + Math.max(1, x.segments.length), 0));
  const seg = chains[0].segments[0];
  isText(ch.rows[0]['环节'], seg.name, 'segment');
  isText(ch.rows[0]['位置'], seg.position_name, 'position');
  isText(ch.rows[0]['缺链环节'], seg.gap ? '是' : '否', 'gap');
});

// ---- Supervision ----

test('tasks: every filter of the list applies; a town reporter exports only the tasks of 瓦店镇', async () => {
  const made = await c.supervisor.post('/api/v1/tasks', { title: '=1+1 导出测试任务', source: 'instruction', owner_unit: 'T411302-02' });
  assert.equal(made.status, 201, made.text);
  const all = await listAll(c.supervisor, '/api/v1/tasks');
  const x = await exportOf(c.supervisor, '/api/v1/tasks', '督办任务');
  assert.equal(x.rows.length, all.length, 'one row per task');
  const byCode = new Map(x.rows.map((r) => [v(r['任务编号']), r]));
  for (const t of all) {
    const r = byCode.get(t.code);
    assert.ok(r, `${t.code} exported`);
    isText(r['任务名称'], t.title, `${t.code} title`);
    isText(r['来源'], t.source_name, `${t.code} source`);
    isText(r['责任单位编码'], t.owner_unit.code, `${t.code} owner`);
    isText(r['协办单位编码'], t.co_units.map((u) => u.code).join('、'), `${t.code} co-units`);
    isText(r['督办时限方案'], t.profile, `${t.code} profile`);
    isText(r['亮灯'], t.light_name, `${t.code} light`);
    isText(r['状态'], t.state_name, `${t.code} state`);
    isDate(r['办结时限'], t.completion_due, `${t.code} completion due`);
    isText(r['交办单位'], t.unit.name, `${t.code} assigning unit`);
    isText(r['交办时间'], beijing(t.assigned_at), `${t.code} assigned at`);
    isText(r['办结时间'], t.closed_at ? beijing(t.closed_at) : '', `${t.code} closed at`);
  }
  isText(byCode.get(made.json.code)['任务名称'], '=1+1 导出测试任务', 'a title starting with = is text');
  // The import layout (docs/API.md): the imported columns first, the required ones starred.
  assert.deepEqual(x.sheet.rows[0].slice(0, 8).map((h) => h.v), ['任务编号', '*任务名称', '任务内容', '*来源', '来源文号', '*责任单位编码',
    '协办单位编码', '*办结时限']);

  for (const filter of ['light=red', 'state=open', 'source=meeting', 'overdue=1', `unit=${WANCHENG}`, `q=${encodeURIComponent('导出测试')}`, 'assigned_by_me=1']) {
    const json = await listAll(c.supervisor, `/api/v1/tasks?${filter}`);
    const ex = await exportOf(c.supervisor, `/api/v1/tasks?${filter}`, '督办任务');
    sameKeys(ex.rows.map((r) => v(r['任务编号'])), json.map((t) => t.code), `filter ${filter}`);
  }
  for (const filter of ['', 'mine=1']) {
    const json = await listAll(c.reporter_town, `/api/v1/tasks?${filter}`);
    const ex = await exportOf(c.reporter_town, `/api/v1/tasks?${filter}`, '督办任务');
    assert.ok(json.length > 0 && json.length < all.length, `the town reporter sees part of the tasks (${filter})`);
    sameKeys(ex.rows.map((r) => v(r['任务编号'])), json.map((t) => t.code), `the town reporter's tasks (${filter})`);
  }
  await refused(c.supervisor, '/api/v1/tasks?light=purple', 400, 'a bad light');
  await refused(c.supervisor, '/api/v1/tasks?meeting=abc', 400, 'a bad meeting');
});

test('meetings: one row per decision with its owner, deadline and task; on-time rates as numbers', async () => {
  const deadline = dayFromToday(30);
  const m = await c.supervisor.post('/api/v1/meetings', {
    kind: 'special', title: '=1+1 导出测试专题会', held_on: dayFromToday(0), status: 'published',
    decisions: [{ text: '=SUM(A1:A9) 第一项', owner_unit: WANCHENG, deadline }, { text: '第二项' }],
  });
  assert.equal(m.status, 201, m.text);
  const all = await listAll(c.supervisor, '/api/v1/meetings');
  const x = await exportOf(c.supervisor, '/api/v1/meetings', '会议议定事项');
  assert.equal(x.rows.length, all.reduce((n, mt) => n + Math.max(1, mt.decisions.length), 0), 'one row per decision');
  const mine = x.rows.filter((r) => v(r['会议名称']) === '=1+1 导出测试专题会');
  assert.equal(mine.length, 2);
  isText(mine[0]['会议名称'], '=1+1 导出测试专题会', 'title as text');
  isDate(mine[0]['会议日期'], dayFromToday(0), 'held on');
  isText(mine[0]['会议类型'], '专题会', 'kind');
  isNumber(mine[0]['事项序号'], 1, 'seq');
  isText(mine[0]['议定事项'], '=SUM(A1:A9) 第一项', 'decision as text');
  isText(mine[0]['责任单位编码'], WANCHENG, 'owner');
  isDate(mine[0]['完成时限'], deadline, 'deadline');
  isText(mine[1]['责任单位编码'], '', 'no owner');
  // A decision that became a task names it.
  const withTask = all.flatMap((mt) => mt.decisions).find((d) => d.task);
  assert.ok(withTask, 'the demo has decisions turned into tasks');
  const row = x.rows.find((r) => v(r['议定事项']) === withTask.text && v(r['督办任务编号']) === withTask.task.code);
  assert.ok(row, `the decision of ${withTask.task.code}`);

  const filtered = await listAll(c.supervisor, `/api/v1/meetings?kind=weekly&from=${YEAR}-01-01`);
  const fx = await exportOf(c.supervisor, `/api/v1/meetings?kind=weekly&from=${YEAR}-01-01`, '会议议定事项');
  assert.equal(fx.rows.length, filtered.reduce((n, mt) => n + Math.max(1, mt.decisions.length), 0), 'filters');
  sameKeys([...new Set(fx.rows.map((r) => v(r['会议名称'])))], filtered.map((mt) => mt.title), 'filtered meetings');
  const townMeetings = await listAll(c.reporter_town, '/api/v1/meetings');
  const tx = await exportOf(c.reporter_town, '/api/v1/meetings', '会议议定事项');
  sameKeys([...new Set(tx.rows.map((r) => v(r['会议名称'])))], [...new Set(townMeetings.map((mt) => mt.title))], 'the reporter sees the meetings of the list');

  const rep = (await c.supervisor.get(`/api/v1/tasks/on-time?period=${YEAR}`)).json;
  const o = await exportOf(c.supervisor, `/api/v1/tasks/on-time?period=${YEAR}`, '督办按时办结率');
  assert.equal(o.rows.length, rep.rows.length);
  rep.rows.forEach((row, i) => {
    isText(o.rows[i]['单位编码'], row.unit.code, 'unit');
    isNumber(o.rows[i]['应办结(件)'], row.due, 'due');
    isNumber(o.rows[i]['按时办结(件)'], row.on_time, 'on time');
    if (row.rate == null) assert.equal(o.rows[i]['按时办结率(%)'], null);
    else isNumber(o.rows[i]['按时办结率(%)'], row.rate, 'rate');
  });
  await refused(c.supervisor, '/api/v1/tasks/on-time?period=2026-13', 400, 'a bad period');
});

// ---- Key-project problems ----

test('problems: the list with its filters; a town reporter exports only the problems of 瓦店镇', async () => {
  const all = await listAll(c.project, '/api/v1/projects/problems');
  const x = await exportOf(c.project, '/api/v1/projects/problems', '项目问题清单');
  assert.equal(x.rows.length, all.length);
  all.forEach((p, i) => {
    const r = x.rows[i];
    isText(r['项目编码'], p.project.code, 'project code');
    isText(r['问题描述'], p.description, 'description');
    isText(r['责任单位编码'], p.owner_unit.code, 'owner');
    isDate(r['解决时限'], p.deadline, 'deadline');
    isText(r['逾期'], p.overdue ? '是' : '否', 'overdue');
    isText(r['已上报至'], p.escalated_to ? p.escalated_to.name : '', 'escalated');
    isText(r['提出时间'], beijing(p.raised_at), 'raised at');
  });
  const overdue = await listAll(c.project, '/api/v1/projects/problems?overdue=1');
  const ox = await exportOf(c.project, '/api/v1/projects/problems?overdue=1', '项目问题清单');
  assert.ok(overdue.length > 0 && overdue.length < all.length);
  assert.deepEqual(ox.rows.map((r) => v(r['问题描述'])), overdue.map((p) => p.description), 'overdue filter');
  const town = await listAll(c.reporter_town, '/api/v1/projects/problems');
  const tx = await exportOf(c.reporter_town, '/api/v1/projects/problems', '项目问题清单');
  assert.ok(town.length < all.length);
  assert.deepEqual(tx.rows.map((r) => v(r['问题描述'])), town.map((p) => p.description), 'the town reporter');
  await refused(c.project, '/api/v1/projects/problems?project=x', 400, 'a bad project');
});

// ---- Units, users, audit ----

test('units: codes as text with the parent; a 宛城区 administrator exports the 宛城区 subtree', async () => {
  const made = await c.admin.post('/api/v1/units', { name: '=1+1 导出测试部门', kind: 'department', parent_id: units.byCode[WANCHENG].id });
  assert.equal(made.status, 201, made.text);
  const all = await listAll(c.admin, '/api/v1/units?include_archived=1');
  const byId = Object.fromEntries(all.map((u) => [u.id, u]));
  const x = await exportOf(c.admin, '/api/v1/units?include_archived=1', '单位');
  assert.equal(x.rows.length, all.length);
  // The import's layout (tests/api/excel-units-users.test.mjs imports it back).
  assert.deepEqual(x.headers, ['单位编码', '单位名称', '类别', '上级单位编码', '已撤销', '上级单位名称']);
  all.forEach((u, i) => {
    const r = x.rows[i];
    isText(r['单位编码'], u.code, 'code');
    isText(r['单位名称'], u.name, 'name');
    isText(r['类别'], u.kind_name, 'kind');
    isText(r['上级单位编码'], u.parent_id ? byId[u.parent_id].code : '', `${u.code} parent`);
    isText(r['上级单位名称'], u.parent_id ? byId[u.parent_id].name : '', `${u.code} parent name`);
    isText(r['已撤销'], u.archived ? '是' : '否', 'archived');
  });
  const wan = await listAll(c.sysadmin_wancheng, '/api/v1/units');
  const wx = await exportOf(c.sysadmin_wancheng, '/api/v1/units', '单位');
  assert.ok(wan.length < all.length);
  assert.deepEqual(wx.rows.map((r) => v(r['单位编码'])), wan.map((u) => u.code), '宛城区 units');
  // 宛城区's own parent (南阳市) is outside the administrator's scope: not named.
  isText(wx.rows.find((r) => v(r['单位编码']) === WANCHENG)['上级单位编码'], '', 'a parent out of scope');
  isText(wx.rows.find((r) => v(r['单位编码']) === WANCHENG)['上级单位名称'], '', 'a parent out of scope');
  const kinds = await listAll(c.admin, '/api/v1/units?kind=town');
  const kx = await exportOf(c.admin, '/api/v1/units?kind=town', '单位');
  assert.deepEqual(kx.rows.map((r) => v(r['单位编码'])), kinds.map((u) => u.code), 'kind filter');
  await refused(c.admin, '/api/v1/units?parent_id=x', 400, 'a bad parent');
});

test('users: no password fields; a 宛城区 administrator exports the users of 宛城区', async () => {
  const made = await c.admin.post('/api/v1/users', {
    username: 'export_eq', display_name: '=1+1', role: 'leader', unit_id: units.byCode[WANCHENG].id, password: 'Strong#Pass2024',
  });
  assert.equal(made.status, 201, made.text);
  const all = await listAll(c.admin, '/api/v1/users');
  const x = await exportOf(c.admin, '/api/v1/users', '用户');
  assert.ok(!x.headers.some((h) => /^(密码|口令)|hash/i.test(h)), x.headers.join());
  assert.equal(x.rows.length, all.length);
  assert.deepEqual(x.headers, ['用户名', '姓名', '角色', '所属单位编码', '状态', '所属单位名称', '已锁定', '待改密', '最近登录', '创建时间']);
  all.forEach((u, i) => {
    const r = x.rows[i];
    isText(r['用户名'], u.username, 'username');
    isText(r['姓名'], u.display_name, 'name');
    isText(r['角色'], u.role_name, 'role');
    isText(r['所属单位编码'], u.unit_code, 'unit');
    isText(r['所属单位名称'], u.unit_name, 'unit name');
    isText(r['状态'], u.disabled ? '停用' : '启用', 'state');
    isText(r['待改密'], u.must_change_password ? '是' : '否', 'must change password');
    isText(r['创建时间'], beijingIso(u.created_at), 'created at');
    isText(r['最近登录'], u.last_login_at ? beijingIso(u.last_login_at) : '', 'last login');
  });
  const text = JSON.stringify(x.sheet.rows);
  assert.ok(!/\$argon2|\$2[aby]\$|scrypt/.test(text), 'no password hash in the workbook');
  const wan = await listAll(c.sysadmin_wancheng, '/api/v1/users');
  const wx = await exportOf(c.sysadmin_wancheng, '/api/v1/users', '用户');
  assert.ok(wan.length < all.length);
  assert.deepEqual(wx.rows.map((r) => v(r['用户名'])), wan.map((u) => u.username), '宛城区 users');
  const leaders = await listAll(c.admin, '/api/v1/users?role=leader');
  const lx = await exportOf(c.admin, '/api/v1/users?role=leader', '用户');
  assert.deepEqual(lx.rows.map((r) => v(r['用户名'])), leaders.map((u) => u.username), 'role filter');
  const sx = await exportOf(c.secadmin, '/api/v1/users', '用户');
  assert.equal(sx.rows.length, all.length, 'the security administrator reads users too');
});

test('audit log: the audit administrator exports the filtered log, newest first', async () => {
  const all = await listAll(c.auditor, '/api/v1/audit?object_type=user');
  const x = await exportOf(c.auditor, '/api/v1/audit?object_type=user', '审计日志');
  assert.equal(x.rows.length, all.length);
  all.forEach((e, i) => {
    const r = x.rows[i];
    isNumber(r['序号'], e.seq, 'seq');
    assert.equal(v(r['时间']), new Date(Date.parse(e.at) + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' '), 'at');
    isText(r['用户名'], e.username, 'username');
    isText(r['事件'], e.event, 'event');
    isText(r['对象编号'], e.object_id, 'object');
    if (e.after) assert.deepEqual(JSON.parse(v(r['变更后'])), e.after, 'after');
  });
  const logins = await listAll(c.auditor, `/api/v1/audit?event=auth.login&from=${dayFromToday(-1)}`);
  const lx = await exportOf(c.auditor, `/api/v1/audit?event=auth.login&from=${dayFromToday(-1)}`, '审计日志');
  assert.ok(logins.length >= 11, 'the logins of this test');
  assert.deepEqual(lx.rows.map((r) => v(r['序号'])), logins.map((e) => e.seq), 'filters');
  await refused(c.auditor, '/api/v1/audit?from=2026-02-30', 400, 'a bad date');
});

// ---- Permissions ----

test('without the list\'s permission the export is refused as the list is (403), and nothing leaks', async () => {
  const cases = [
    [c.supervisor, `${I}/companies`], [c.supervisor, `${I}/leads`], [c.stat, `${I}/activities`],
    [c.project, `${I}/targets`], [c.stat, `${I}/stats?from=${YEAR}-01-01&to=${YEAR}-12-31`], [c.stat, `${I}/pipeline`],
    [c.stat, `${I}/chains`], [c.invest, '/api/v1/tasks'], [c.project, '/api/v1/meetings'],
    [c.stat, `/api/v1/tasks/on-time?period=${YEAR}`], [c.supervisor, '/api/v1/projects/problems'],
    [c.auditor, '/api/v1/units'], [c.leader, '/api/v1/users'], [c.invest, '/api/v1/users'],
    [c.admin, '/api/v1/audit'], [c.secadmin, '/api/v1/audit'], [c.leader, '/api/v1/audit'],
  ];
  for (const [client, path] of cases) {
    const json = await client.get(path);
    assert.equal(json.status, 403, `JSON ${path}: ${json.status}`);
    await refused(client, path, 403, `export ${path}`);
  }
  const anon = await fetch(`${server.url}/api/v1/tasks?format=xlsx`);
  assert.equal(anon.status, 401, 'without a session');
});
