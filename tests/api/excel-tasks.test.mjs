// Excel for supervision tasks (docs/API.md "Excel: imports, templates and exports", issue 7):
// an import is a batch 交办 by a supervisor — new rows become tasks as POST /tasks makes them,
// a dry run writes nothing, a refused upload names each bad cell and with annotate=1 comes back
// marked, a reporter is refused; the list's export imports back with every row unchanged and
// the tasks equal; a changed 办结时限 with its reason is the new-deadline rule, anything else
// changed is refused; the template opens with notes and drop-downs; `tiaodu export tasks` /
// `tiaodu import tasks` do the same from the shell. Workbooks are read back with openpyxl
// (tests/io/read_xlsx.py); test files are made with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, startServer, loginMany, listAll, auditTotal, assertErrorFormat, getBytes, postBytes } from './helpers.mjs';

const READ_XLSX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'io', 'read_xlsx.py');
const PY = '/usr/bin/python3';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const T = '/api/v1/tasks';
const CN = new Date(Date.now() + 8 * 3600 * 1000);
const dayFromToday = (n) => new Date(Date.UTC(CN.getUTCFullYear(), CN.getUTCMonth(), CN.getUTCDate() + n)).toISOString().slice(0, 10);
const HEADER = ['任务编号', '任务名称', '任务内容', '来源', '来源文号', '责任单位编码', '协办单位编码', '办结时限', '办结时限理由',
  '督办时限方案', '紧急程度(工作日)'];

let server, c, dir;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['supervisor', 'reporter_town', 'leader', 'auditor']);
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-excel-tasks-'));
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const tmp = (name) => join(dir, `${++seq}-${name}`);

const download = (client, path) => getBytes(client, server.url + path);
const upload = (client, path, buf) => postBytes(client, server.url + path, buf);
function readWorkbook(buf) {
  const file = tmp('book.xlsx');
  writeFileSync(file, buf);
  return JSON.parse(execFileSync(PY, [READ_XLSX, file], { encoding: 'utf8', maxBuffer: 512 << 20 }));
}
// A workbook written by openpyxl from rows of values (dates as 'date:YYYY-MM-DD').
function makeWorkbook(rows) {
  const file = tmp('made.xlsx');
  execFileSync(PY, ['-c', `
import datetime, json, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '督办任务'
for row in json.loads(sys.argv[2]):
    ws.append([datetime.date.fromisoformat(v[5:]) if isinstance(v, str) and v.startswith('date:') else v for v in row])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith('='):
            cell.data_type = 's'
wb.save(sys.argv[1])
`, file, JSON.stringify(rows)]);
  return readFileSync(file);
}
// The workbook's first sheet as rows of plain values, dates as 'date:…', the header without "*".
function valuesOf(buf) {
  const rows = readWorkbook(buf).sheets[0].rows.map((row) => row.map((cell) => (cell ? (cell.t === 'date' ? `date:${cell.v.slice(0, 10)}` : cell.v) : null)));
  rows[0] = rows[0].map((h) => h.replace(/^\*/, ''));
  return rows;
}
async function exportOf(client, path) {
  const r = await download(client, path);
  assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text}`);
  assert.equal(r.headers.get('content-type'), XLSX_TYPE, path);
  return r.buf;
}
function expectRefused(r, what) {
  assert.equal(r.status, 400, `${what}: expected 400, got ${r.status} ${r.text}`);
  assertErrorFormat(r, what);
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `${what}: the message is Chinese`);
}
// A task as the import sets it and the list shows it (ids of units by code).
const taskRecord = (t) => ({
  code: t.code, title: t.title, source: t.source, source_ref: t.source_ref, owner: t.owner_unit.code,
  co_units: t.co_units.map((u) => u.code).sort(), unit: t.unit.code, profile: t.profile,
  completion_class: t.completion_class, deadline: t.deadline, completion_due: t.completion_due, state: t.state,
});
const row = (cells) => HEADER.map((h) => cells[h] ?? null);

test('a supervisor uploads new tasks: a dry run writes nothing, then each row is assigned as POST /tasks assigns it', async () => {
  const file = makeWorkbook([
    HEADER,
    row({ 任务名称: 'XLS督办：推进瓦店镇污水管网改造', 任务内容: '年底前完成主管网铺设', 来源: '领导批示', 来源文号: '王市长批示〔2026〕88号',
      责任单位编码: 'T411302-02', 办结时限: `date:${dayFromToday(7)}` }),
    row({ 任务名称: '=XLS督办：协调卧龙区物流园用地', 来源: '会议议定', 责任单位编码: '411303',
      协办单位编码: 'D411300-FGW、T411302-02', 办结时限: dayFromToday(60), 办结时限理由: '涉及用地报批，须省厅审批' }),
  ]);
  const before = await listAll(c.supervisor, T);
  const auditBefore = await auditTotal(c.auditor);
  const dry = await upload(c.supervisor, `${T}/import/file?dry_run=1`, file);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual({ ...dry.json }, { dry_run: true, rows: 2, inserted: 2, updated: 0, unchanged: 0 });
  assert.deepEqual(await listAll(c.supervisor, T), before, 'a dry run wrote tasks');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'a dry run wrote audit rows');

  const r = await upload(c.supervisor, `${T}/import/file`, file);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ ...r.json }, { dry_run: false, rows: 2, inserted: 2, updated: 0, unchanged: 0 });
  const made = (await listAll(c.supervisor, `${T}?q=${encodeURIComponent('XLS督办')}`)).sort((a, b) => a.code.localeCompare(b.code));
  assert.equal(made.length, 2);
  const [town, wolong] = made;
  assert.match(town.code, /^DB\d{4}-\d{4}$/);
  assert.equal(town.title, 'XLS督办：推进瓦店镇污水管网改造');
  assert.equal(town.owner_unit.code, 'T411302-02');
  assert.equal(town.unit.code, 'D411300-DCS', 'assigned by the importer\'s unit');
  assert.equal(town.completion_due, dayFromToday(7));
  assert.equal(town.state, 'assigned');
  assert.equal(wolong.title, '=XLS督办：协调卧龙区物流园用地', 'text that starts with = stays text');
  assert.equal(wolong.source, 'meeting');
  assert.deepEqual(wolong.co_units.map((u) => u.code).sort(), ['D411300-FGW', 'T411302-02']);
  assert.equal(wolong.deadline, dayFromToday(60));
  // Audited and notified as POST /tasks: one task.assign per task, the owner's reporter told.
  const audit = await c.auditor.get('/api/v1/audit?event=task.assign&page_size=50');
  for (const t of made) assert.ok(audit.json.items.some((e) => e.object_id === String(t.id)), `task.assign of ${t.code}`);
  const inbox = await c.reporter_town.get('/api/v1/notifications?page_size=200');
  assert.ok(inbox.json.items.some((n) => n.kind === 'assigned' && n.object?.id === town.id), 'the owner is told');
});

test('a refused upload writes nothing, names each bad cell, comes back marked with annotate=1; a reporter is refused', async () => {
  const file = makeWorkbook([
    HEADER,
    row({ 任务名称: 'XLB督办：合格的一行', 来源: '领导批示', 责任单位编码: 'T411302-02', 办结时限: `date:${dayFromToday(7)}` }),
    row({ 任务名称: 'XLB督办：单位不存在', 来源: '群众来信', 责任单位编码: '999999', 办结时限: `date:${dayFromToday(7)}` }), // row 3: D, F
    row({ 任务名称: 'XLB督办：期限已过', 来源: '上级交办', 责任单位编码: '411303', 协办单位编码: '411303',
      办结时限: `date:${dayFromToday(-3)}` }), // row 4: G, H
    row({ 任务编号: 'DB1999-0001', 任务名称: 'XLB督办：编号不存在', 来源: '上级交办', 责任单位编码: '411303',
      办结时限: '下个月' }), // row 5: A, H
  ]);
  const before = await listAll(c.supervisor, T);
  const auditBefore = await auditTotal(c.auditor);
  const r = await upload(c.supervisor, `${T}/import/file`, file);
  expectRefused(r, 'a sheet with bad rows');
  assert.deepEqual(r.json.error.details.map((x) => x.field), ['第3行 D列（来源）', '第3行 F列（责任单位编码）',
    '第4行 G列（协办单位编码）', '第4行 H列（办结时限）', '第5行 A列（任务编号）', '第5行 H列（办结时限）']);
  assert.match(r.json.error.details[1].reason, /999999/);
  assert.match(r.json.error.details[3].reason, /不能早于今天/);
  assert.match(r.json.error.details[5].reason, /下个月/);
  const a = await upload(c.supervisor, `${T}/import/file?annotate=1`, file);
  assert.equal(a.status, 422, a.text);
  assert.equal(a.headers.get('content-type'), XLSX_TYPE);
  assert.match(decodeURIComponent(a.headers.get('content-disposition')), /督办任务-错误标注/);
  const book = readWorkbook(a.buf);
  const at = (line, col) => book.sheets[0].rows[line - 1][col];
  assert.equal(at(3, 5).v, '999999');
  assert.ok(at(3, 5).fill && at(3, 5).fill !== 'FFD9E1F2', `the bad cell is filled: ${JSON.stringify(at(3, 5))}`);
  assert.match(at(3, 5).comment, /999999/);
  assert.match(at(4, 6).comment, /牵头单位不能同时是配合单位/);
  assert.ok(!at(2, 5)?.comment, 'a good cell is not marked');
  assert.deepEqual(await listAll(c.supervisor, T), before, 'a refused import wrote tasks');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'a refused import wrote audit rows');
  // Without task.assign (a town reporter, a leader): refused.
  for (const who of ['reporter_town', 'leader']) {
    const denied = await upload(c[who], `${T}/import/file`, file);
    assert.equal(denied.status, 403, `${who}: ${denied.text}`);
    assertErrorFormat(denied, who);
  }
  assert.equal((await download(c.reporter_town, `${T}/import/template`)).status, 403);
});

test('the export imports back with every row unchanged and the tasks equal; a new 办结时限 with its reason updates that task only', async () => {
  const before = await listAll(c.supervisor, T);
  const auditBefore = await auditTotal(c.auditor);
  const file = await exportOf(c.supervisor, `${T}?format=xlsx`);
  for (const dry of [true, false]) {
    const r = await upload(c.supervisor, `${T}/import/file${dry ? '?dry_run=1' : ''}`, file);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json }, { dry_run: dry, rows: before.length, inserted: 0, updated: 0, unchanged: before.length });
  }
  const after = await listAll(c.supervisor, T);
  assert.deepEqual(after.map(taskRecord), before.map(taskRecord), 'an unchanged import changed tasks');
  assert.deepEqual(after.map((t) => t.version), before.map((t) => t.version));
  assert.equal(await auditTotal(c.auditor), auditBefore, 'an unchanged import wrote audit rows');

  // The export is the import layout, read with openpyxl: the imported columns first.
  const rows = valuesOf(file);
  assert.deepEqual(rows[0].slice(0, HEADER.length), HEADER);
  for (const h of ['状态', '亮灯', '交办单位', '交办时间']) assert.ok(rows[0].includes(h), `exported column ${h}`);
  const col = (h) => rows[0].indexOf(h);
  const open = before.find((t) => t.state === 'in_progress' && t.unit.code === 'D411300-DCS' && t.profile === 'steps' && !t.deadline);
  const closed = before.find((t) => t.state === 'closed');
  assert.ok(open && closed, 'the demo has an open and a closed task of the city');
  const line = rows.findIndex((r) => r[0] === open.code);
  assert.equal(rows[line][col('办结时限')], `date:${open.completion_due}`);
  // A later deadline without a reason is refused on the reason's cell; with one, it is set.
  // Later than the 13710 deadline and than today, within 180 days of the former.
  const later = new Date(Date.parse(`${open.completion_due}T00:00:00Z`) + 30 * 86400000).toISOString().slice(0, 10);
  const newDue = later < dayFromToday(30) ? dayFromToday(30) : later;
  rows[line][col('办结时限')] = `date:${newDue}`;
  rows[line][col('办结时限理由')] = null;
  const refused = await upload(c.supervisor, `${T}/import/file`, makeWorkbook(rows));
  expectRefused(refused, 'a new deadline without a reason');
  assert.deepEqual(refused.json.error.details.map((x) => x.field), [`第${line + 1}行 I列（办结时限理由）`]);
  // A closed task: nothing can change.
  const closedLine = rows.findIndex((r) => r[0] === closed.code);
  const closedRows = valuesOf(file);
  closedRows[closedLine][col('任务名称')] = '改过的名称';
  const onClosed = await upload(c.supervisor, `${T}/import/file`, makeWorkbook(closedRows));
  expectRefused(onClosed, 'a change of a closed task');
  assert.deepEqual(onClosed.json.error.details.map((x) => x.field), [`第${closedLine + 1}行 B列（任务名称）`]);
  assert.match(onClosed.json.error.details[0].reason, /已办结/);

  rows[line][col('办结时限理由')] = '涉及跨部门协调，需延期';
  const changed = await upload(c.supervisor, `${T}/import/file`, makeWorkbook(rows));
  assert.equal(changed.status, 200, changed.text);
  assert.deepEqual([changed.json.updated, changed.json.unchanged], [1, before.length - 1]);
  const now = (await c.supervisor.get(`${T}/${open.id}`)).json;
  assert.equal(now.completion_due, newDue);
  assert.equal(now.deadline_reason, '涉及跨部门协调，需延期');
  assert.equal(now.version, open.version + 1);
  const audit = await c.auditor.get('/api/v1/audit?event=task.deadline&page_size=50');
  assert.ok(audit.json.items.some((e) => e.object_id === String(open.id)), 'audited as POST /tasks/{id}/deadline');
});

test('the tasks template opens with notes, drop-downs for 来源 and 督办时限方案 and 填写说明; its example imports', async () => {
  const r = await download(c.supervisor, `${T}/import/template?format=xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), XLSX_TYPE);
  assert.match(decodeURIComponent(r.headers.get('content-disposition')), /督办任务导入模板\.xlsx/);
  const book = readWorkbook(r.buf);
  assert.deepEqual(book.sheets.map((s) => s.name).filter((n) => n !== '选项'), ['督办任务', '填写说明']);
  const sheet = book.sheets[0];
  const header = sheet.rows[0];
  const names = header.map((h) => h.v.replace(/^\*/, ''));
  assert.deepEqual(names.slice(0, HEADER.length), HEADER);
  for (const h of header) assert.ok(h.comment && h.comment.length > 1, `header ${h.v} has a note`);
  for (const h of ['任务名称', '来源', '责任单位编码', '办结时限']) assert.equal(header[names.indexOf(h)].v, `*${h}`);
  assert.equal(header[0].v, '任务编号', 'the code is optional');
  const letter = (i) => String.fromCharCode(65 + i);
  const validation = (name) => sheet.validations.find((v) => v.sqref.startsWith(`${letter(names.indexOf(name))}2:`));
  assert.match(validation('来源').formula1, /会议议定,领导批示,上级交办/);
  assert.match(validation('督办时限方案').formula1, /steps,urgency/);
  assert.equal(sheet.rows.length, 2, 'one example row');
  const help = book.sheets.find((s) => s.name === '填写说明');
  assert.ok(help.rows.some((cells) => cells.some((cell) => cell && /全部或全不/.test(cell.v))), JSON.stringify(help.rows));
  const dry = await upload(c.supervisor, `${T}/import/file?dry_run=1`, r.buf);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.rows, dry.json.inserted], [1, 1]);
});

test('CLI: tiaodu export tasks → tiaodu import tasks leaves every task unchanged; bad cells are named', async () => {
  const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000 });
  const out = tmp('tasks.xlsx');
  let r = run('export', 'tasks', '--db', server.db, '-o', out);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /已导出/);
  const all = await listAll(c.supervisor, T);
  r = run('import', 'tasks', out, '--db', server.db);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`rows=${all.length} inserted=0 updated=0 unchanged=${all.length}`), r.stdout);
  assert.deepEqual((await listAll(c.supervisor, T)).map(taskRecord), all.map(taskRecord));
  const bad = tmp('bad.csv');
  writeFileSync(bad, `${HEADER.join(',')}\r\n,CLI督办任务,,,,999999,,${dayFromToday(7)},,,\r\n`);
  r = run('import', 'tasks', bad, '--db', server.db);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^第2行 D列（来源）：必填$/m, r.stderr);
  assert.match(r.stderr, /^第2行 F列（责任单位编码）：.*999999/m, r.stderr);
  assert.equal((await listAll(c.supervisor, `${T}?q=${encodeURIComponent('CLI督办')}`)).length, 0);
});
