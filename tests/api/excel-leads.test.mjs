// Investment leads in Excel (docs/API.md "Excel: imports, templates and exports", issue 7):
// the list's export is the import layout and imports back unchanged, the records and the audit
// log untouched; an edited cell updates that lead only; new rows are created at 线索, audited as
// POST /leads audits them; a dry run writes nothing; a refused upload names each bad cell and
// comes back annotated (annotate=1); a 卧龙区 officer cannot import a 宛城区 lead; a stage skip
// is refused (decision 0011) while one stage forward with its date moves the lead; the template;
// and `tiaodu export leads` / `tiaodu import leads`. Workbooks are read back and made with
// openpyxl (tests/io/read_xlsx.py).
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
const I = '/api/v1/investment';
const TODAY = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);  // Beijing

let server, c, dir;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['invest', 'invest_wolong', 'auditor', 'leader']);
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-excel-leads-'));
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
// The first sheet's rows as plain values (dates as 'date:YYYY-MM-DD'), headers without "*".
function sheetValues(buf) {
  const rows = readWorkbook(buf).sheets[0].rows.map((row) => row.map((cell) => (cell ? (cell.t === 'date' ? `date:${cell.v}` : cell.v) : null)));
  rows[0] = rows[0].map((h) => h.replace(/^\*/, ''));
  return rows;
}
// A workbook written by openpyxl from rows of values (dates as 'date:YYYY-MM-DD'; text starting
// with = stays text).
function makeWorkbook(rows) {
  const file = tmp('made.xlsx');
  execFileSync(PY, ['-c', `
import datetime, json, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '招商线索'
for row in json.loads(sys.argv[2]):
    ws.append([datetime.date.fromisoformat(v[5:]) if isinstance(v, str) and v.startswith('date:') else v for v in row])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith('='):
            cell.data_type = 's'
wb.save(sys.argv[1])
`, file, JSON.stringify(rows)]);
  return readFileSync(file);
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
const counts = (r) => [r.json.rows, r.json.inserted, r.json.updated, r.json.unchanged];
async function events(event) {
  return (await c.auditor.get(`/api/v1/audit?event=${event}&page_size=200`)).json.items;
}
// An open 卧龙区 lead at 线索 (the demo has some).
async function wolongClue() {
  const leads = await listAll(c.invest_wolong, `${I}/leads?stage=clue&lost=0`);
  assert.ok(leads.length > 0, 'the demo has open 卧龙区 leads at 线索');
  return leads[0];
}
// The exported row of lead `id` within `rows` (sheetValues), by header.
function rowOf(rows, id) {
  const k = rows.findIndex((row, i) => i > 0 && row[0] === id);
  assert.ok(k > 0, `lead ${id} is in the sheet`);
  return k;
}

test('the export imports back unchanged, as a dry run and for real; the records, the audit log and the workbook agree', async () => {
  const leads = await listAll(c.invest, `${I}/leads`);
  const audit = await auditTotal(c.auditor);
  const file = await exportOf(c.invest, `${I}/leads?format=xlsx`);
  for (const dry of [true, false]) {
    const r = await upload(c.invest, `${I}/leads/import/file${dry ? '?dry_run=1' : ''}`, file);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json }, { dry_run: dry, rows: leads.length, inserted: 0, updated: 0, unchanged: leads.length });
  }
  assert.deepEqual(await listAll(c.invest, `${I}/leads`), leads, 'an unchanged import changed the records');
  assert.equal(await auditTotal(c.auditor), audit, 'an unchanged import wrote audit records');
  // What openpyxl reads is what the JSON shows.
  const rows = sheetValues(file);
  const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
  assert.equal(rows.length - 1, leads.length);
  const stages = { clue: '线索', contact: '接洽', inspection: '考察', negotiation: '实质性谈判', signed: '签约',
    registered: '注册', started: '开工', producing: '投产' };
  for (const l of leads) {
    const row = rows[rowOf(rows, l.id)];
    assert.equal(row[col['企业名称']], l.company.name);
    assert.equal(row[col['项目名称']], l.project_name);
    assert.equal(row[col['意向投资额(亿元)']], Number(l.amount));
    assert.equal(row[col['责任单位编码']], l.unit.code);
    assert.equal(row[col['招商方式']], l.source_name);
    assert.equal(row[col['产业链']], l.chain ? l.chain.name : null);
    assert.equal(row[col['招商员']], l.officer ? l.officer.name : null);
    assert.equal(row[col['阶段']], l.stage_name);
    for (const [stage, name] of Object.entries(stages))
      assert.equal(row[col[`${name}日期`]], l.stage_dates[stage] ? `date:${l.stage_dates[stage]}` : null, `lead ${l.id} ${name}日期`);
  }
});

test('an edited cell updates that lead only, audited as PUT audits it; the next export imports back unchanged', async () => {
  const mine = await listAll(c.invest_wolong, `${I}/leads`);
  const lead = await wolongClue();
  const rows = sheetValues(await exportOf(c.invest_wolong, `${I}/leads?format=xlsx`));
  const amount = rows[0].indexOf('意向投资额(亿元)');
  rows[rowOf(rows, lead.id)][amount] = 7.25;
  const r = await upload(c.invest_wolong, `${I}/leads/import/file`, makeWorkbook(rows));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(counts(r), [mine.length, 0, 1, mine.length - 1]);
  const after = (await c.invest_wolong.get(`${I}/leads/${lead.id}`)).json;
  assert.equal(after.amount, '7.25');
  assert.equal(after.version, lead.version + 1);
  assert.ok((await events('investment.lead.update')).some((e) => e.object_id === String(lead.id)), 'audited');
  const again = await upload(c.invest_wolong, `${I}/leads/import/file`, await exportOf(c.invest_wolong, `${I}/leads?format=xlsx`));
  assert.deepEqual(counts(again), [mine.length, 0, 0, mine.length], again.text);
});

test('new rows: a dry run counts and writes nothing; the import creates them at 线索, each audited as POST /leads', async () => {
  const company = (await c.invest.get(`${I}/companies?page_size=5`)).json.items.find((x) => !x.merged_into);
  const header = ['线索编号', '企业名称', '项目名称', '意向投资额(亿元)', '招商方式', '责任单位编码', '阶段', '线索日期'];
  const file = makeWorkbook([header,
    [null, company.name, '=导入新建项目一', 3.5, '以商招商', '411303', '线索', `date:${TODAY}`],
    [null, company.name, '导入新建项目二', '12000万元', '基金招商', '411303', null, null]]);
  const before = await listAll(c.invest, `${I}/leads`);
  const audit = await auditTotal(c.auditor);
  const dry = await upload(c.invest_wolong, `${I}/leads/import/file?dry_run=1`, file);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual({ ...dry.json }, { dry_run: true, rows: 2, inserted: 2, updated: 0, unchanged: 0 });
  assert.equal((await listAll(c.invest, `${I}/leads`)).length, before.length, 'a dry run wrote leads');
  assert.equal(await auditTotal(c.auditor), audit, 'a dry run wrote audit records');
  const creates = (await events('investment.lead.create')).length;
  const r = await upload(c.invest_wolong, `${I}/leads/import/file`, file);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(counts(r), [2, 2, 0, 0]);
  const made = (await listAll(c.invest_wolong, `${I}/leads?q=${encodeURIComponent('导入新建项目')}`))
    .sort((a, b) => a.id - b.id);
  assert.deepEqual(made.map((l) => [l.project_name, l.amount, l.source, l.stage, l.stage_dates.clue, l.company.id]),
    [['=导入新建项目一', '3.5', 'business', 'clue', TODAY, company.id], ['导入新建项目二', '1.2', 'fund', 'clue', TODAY, company.id]]);
  assert.equal((await events('investment.lead.create')).length, creates + 2);
  // The same file again would make the leads twice: refused.
  const twice = await upload(c.invest_wolong, `${I}/leads/import/file`, file);
  expectRefused(twice, 'a double import');
  assert.match(twice.json.error.details[0].reason, /已有同名项目的线索/);
});

test('a refused upload names each bad cell, writes nothing, and with annotate=1 comes back marked', async () => {
  const company = (await c.invest.get(`${I}/companies?page_size=5`)).json.items.find((x) => !x.merged_into);
  const header = ['线索编号', '企业名称', '项目名称', '意向投资额(亿元)', '招商方式', '责任单位编码'];
  const file = makeWorkbook([header,
    [null, company.name, '标注测试项目一', 2, '以商招商', '411303'],
    [null, '未登记的某某科技有限公司', '标注测试项目二', 2, '以商招商', '411303'],   // row 3: B
    [null, company.name, '标注测试项目三', '五亿', '以商招商', '999999']]);           // row 4: D, F
  const leads = await listAll(c.invest, `${I}/leads`);
  const audit = await auditTotal(c.auditor);
  const r = await upload(c.invest, `${I}/leads/import/file`, file);
  expectRefused(r, 'a sheet with bad rows');
  assert.deepEqual(r.json.error.details.map((x) => x.field), ['第3行 B列（企业名称）', '第4行 D列（意向投资额）', '第4行 F列（责任单位编码）']);
  assert.match(r.json.error.details[0].reason, /导入不新建企业/);
  const a = await upload(c.invest, `${I}/leads/import/file?annotate=1`, file);
  assert.equal(a.status, 422, a.text);
  assert.equal(a.headers.get('content-type'), XLSX_TYPE);
  const sheet = readWorkbook(a.buf).sheets[0];
  const at = (line, col) => sheet.rows[line - 1][col];
  assert.match(at(3, 1).comment, /企业未登记/);
  assert.match(at(4, 3).comment, /五亿/);
  assert.ok(!at(2, 1)?.comment, 'a good cell is not marked');
  assert.deepEqual(await listAll(c.invest, `${I}/leads`), leads, 'a refused import wrote leads');
  assert.equal(await auditTotal(c.auditor), audit, 'a refused import wrote audit records');
  // Without investment.write: refused before reading the file.
  assert.equal((await upload(c.leader, `${I}/leads/import/file`, file)).status, 403);
});

test('a 卧龙区 officer cannot import the 宛城区 leads it cannot see, nor put a lead under 宛城区', async () => {
  const theirs = await listAll(c.invest, `${I}/leads?unit=411302`);
  assert.ok(theirs.length > 0, 'the demo has 宛城区 leads');
  const file = await exportOf(c.invest, `${I}/leads?format=xlsx&unit=411302`);
  const r = await upload(c.invest_wolong, `${I}/leads/import/file?dry_run=1`, file);
  expectRefused(r, '宛城区 leads by a 卧龙区 officer');
  for (const d of r.json.error.details.filter((x) => x.field !== '其余'))
    assert.match(d.field, /^第\d+行 (A列（线索编号）|I列（责任单位编码）|K列（招商员）)$/, JSON.stringify(d));
  assert.ok(r.json.error.details.some((d) => /A列（线索编号）/.test(d.field) && /不在您的管理范围内/.test(d.reason)));
  assert.deepEqual(await listAll(c.invest, `${I}/leads?unit=411302`), theirs);
});

test('a stage skip is refused naming both stages; one stage forward with its date moves the lead, audited as a stage change', async () => {
  const lead = await wolongClue();
  const rows = sheetValues(await exportOf(c.invest_wolong, `${I}/leads?format=xlsx`));
  const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
  const k = rowOf(rows, lead.id);
  rows[k][col['阶段']] = '考察';
  rows[k][col['接洽日期']] = `date:${TODAY}`;
  rows[k][col['考察日期']] = `date:${TODAY}`;
  const skip = await upload(c.invest_wolong, `${I}/leads/import/file`, makeWorkbook(rows));
  expectRefused(skip, 'a stage skip');
  assert.deepEqual(skip.json.error.details.map((d) => d.field), [`第${k + 1}行 L列（阶段）`]);
  assert.match(skip.json.error.details[0].reason, /不能从“线索”直接到“考察”/);
  assert.equal((await c.invest_wolong.get(`${I}/leads/${lead.id}`)).json.version, lead.version);
  rows[k][col['阶段']] = '接洽';
  rows[k][col['考察日期']] = null;
  const moved = await upload(c.invest_wolong, `${I}/leads/import/file`, makeWorkbook(rows));
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.updated, 1);
  const after = (await c.invest_wolong.get(`${I}/leads/${lead.id}`)).json;
  assert.equal(after.stage, 'contact');
  assert.equal(after.stage_dates.contact, TODAY);
  assert.ok((await events('investment.lead.stage')).some((e) => e.object_id === String(lead.id)), 'audited');
});

test('the leads template opens with notes, drop-downs and 填写说明, and its example row imports', async () => {
  const r = await download(c.invest_wolong, `${I}/leads/import/template?format=xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), XLSX_TYPE);
  assert.match(decodeURIComponent(r.headers.get('content-disposition')), /招商线索导入模板\.xlsx/);
  const book = readWorkbook(r.buf);
  assert.deepEqual(book.sheets.map((s) => s.name).filter((n) => n !== '选项'), ['招商线索', '填写说明']);
  const sheet = book.sheets[0];
  const names = sheet.rows[0].map((h) => h.v.replace(/^\*/, ''));
  for (const h of sheet.rows[0]) assert.ok(h.comment && h.comment.length > 1, `header ${h.v} has a note`);
  assert.equal(sheet.rows[0][names.indexOf('企业名称')].v, '*企业名称', 'required headers carry *');
  const letter = (i) => String.fromCharCode(65 + i);
  const validation = (name) => sheet.validations.find((v) => v.sqref.startsWith(`${letter(names.indexOf(name))}2:`));
  assert.ok(validation('阶段'), 'stages as a drop-down');
  assert.ok(validation('招商方式'), 'sources as a drop-down');
  assert.ok(validation('产业链'), 'chains as a drop-down');
  assert.equal(sheet.rows.length, 2, 'one example row');
  const help = book.sheets.find((s) => s.name === '填写说明');
  assert.ok(help.rows.some((row) => row.some((cell) => cell && /逐级推进/.test(cell.v))), JSON.stringify(help.rows));
  const dry = await upload(c.invest_wolong, `${I}/leads/import/file?dry_run=1`, r.buf);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(counts(dry), [1, 1, 0, 0]);
  assert.equal((await download(c.leader, `${I}/leads/import/template`)).status, 403);
});

test('CLI: tiaodu export leads → tiaodu import leads gives every lead unchanged; errors name their cells', async () => {
  const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000 });
  const out = tmp('leads.xlsx');
  let r = run('export', 'leads', '--db', server.db, '-o', out);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const all = await listAll(c.invest, `${I}/leads`);
  for (const dry of [['--dry-run'], []]) {
    r = run('import', 'leads', out, '--db', server.db, ...dry);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`rows=${all.length} inserted=0 updated=0 unchanged=${all.length}`), r.stdout);
  }
  assert.deepEqual(await listAll(c.invest, `${I}/leads`), all);
  const bad = tmp('bad.csv');
  writeFileSync(bad, '线索编号,企业名称,项目名称,意向投资额(亿元),招商方式,责任单位编码\r\n' +
    `${all[0].id},${all[0].company.name},${all[0].project_name},abc,以商招商,${all[0].unit.code}\r\n`);
  r = run('import', 'leads', bad, '--db', server.db);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^第2行 D列（意向投资额）：.*abc$/m, r.stderr);
});
