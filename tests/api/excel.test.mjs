// Excel in and out (docs/API.md "Excel: imports, templates and exports", issue 7) for key
// projects, their monthly progress and indicator values: an export imports back unchanged (dry run and real); an
// export imported into another database holding the same units and users gives the same
// records; a refused upload comes back annotated (annotate=1) with its bad cell marked, and
// writes nothing; zip bombs and renamed files are refused in Chinese; the template opens with
// its notes and drop-downs; and `tiaodu export` / `tiaodu import` do the same from the shell.
// Workbooks are read back with openpyxl (tests/io/read_xlsx.py); test files are made with it.
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
const P = '/api/v1/projects';
const I = '/api/v1/indicators';
const CN = new Date(Date.now() + 8 * 3600 * 1000);
const YEAR = CN.getUTCFullYear();

let server, other, c, d, dir, options;

before(async () => {
  // Two installations with the same demo units and users: `other` receives what `server` exports.
  server = await startServer();
  other = await startServer();
  c = await loginMany(server.url, ['project', 'stat', 'auditor', 'leader', 'reporter_town']);
  d = await loginMany(other.url, ['project', 'stat', 'auditor']);
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-excel-'));
  options = (await c.project.get(`${P}/options`)).json;
});
after(async () => {
  await server?.stop();
  await other?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const tmp = (name) => join(dir, `${++seq}-${name}`);

const download = (client, base, path) => getBytes(client, base + path);
const upload = (client, base, path, buf) => postBytes(client, base + path, buf);
function readWorkbook(buf) {
  const file = tmp('book.xlsx');
  writeFileSync(file, buf);
  return JSON.parse(execFileSync(PY, [READ_XLSX, file], { encoding: 'utf8', maxBuffer: 512 << 20 }));
}
// A workbook written by openpyxl from rows of values (dates as 'date:YYYY-MM-DD'; text starting
// with = stays text).
function makeWorkbook(rows) {
  const file = tmp('made.xlsx');
  execFileSync(PY, ['-c', `
import datetime, json, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '重点项目'
for row in json.loads(sys.argv[2]):
    ws.append([datetime.date.fromisoformat(v[5:]) if isinstance(v, str) and v.startswith('date:') else v for v in row])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith('='):
            cell.data_type = 's'  # text, as the export wrote it, not a formula
wb.save(sys.argv[1])
`, file, JSON.stringify(rows)]);
  return readFileSync(file);
}
async function exportOf(client, base, path) {
  const r = await download(client, base, path);
  assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text}`);
  assert.equal(r.headers.get('content-type'), XLSX_TYPE, path);
  assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK', `${path}: not a zip`);
  return r.buf;
}
function expectRefused(r, what) {
  assert.equal(r.status, 400, `${what}: expected 400, got ${r.status} ${r.text}`);
  assertErrorFormat(r, what);
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `${what}: the message is Chinese: ${r.json.error.message}`);
}

// A project as the import sets it: everything but ids and what depends on time of writing.
function projectRecord(p) {
  const { id, unit, leader, task_force, version, ...rest } = p;
  return { ...rest, unit: unit.code, leader: leader && leader.name, task_force: task_force && task_force.code };
}
const valueRecord = (v) => ({
  unit: v.unit.code, indicator: v.indicator, period: v.period, value: v.value, reported_yoy: v.reported_yoy,
  note: v.note, status: v.status, revision: v.revision,
});
const byKey = (f) => (a, b) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0);

// New projects in `server`, whose codes start with `prefix`: every optional field in use.
async function createProjects(prefix) {
  const leader = options.leaders[0];
  const tf = options.task_forces[0];
  assert.ok(leader && tf, 'the demo has leaders and task forces');
  const made = [
    { code: `${prefix}-001`, name: `${prefix}卧龙区新能源电池材料产业园项目`, level: 'province', category: 'industry',
      industry: 'C38', chain: '新能源汽车', unit: '411303', task_force: tf.code, leader_id: leader.id,
      location: '=卧龙区光武路与车站路交叉口', total_investment: '35.25', start_year: YEAR - 1, end_year: YEAR + 2,
      committed_completion: `${YEAR + 2}-09-30`,
      annual_plans: [{ year: YEAR - 1, amount: '3' }, { year: YEAR, amount: '10.5' }, { year: YEAR + 1, amount: '12' }] },
    { code: `${prefix}-002`, name: `${prefix}宛城区老旧小区改造工程`, level: 'district', category: 'urban_renewal',
      unit: '411302', total_investment: '2.0001', start_year: YEAR, end_year: YEAR,
      annual_plans: [{ year: YEAR, amount: '2' }] },
    { code: `${prefix}-003`, name: `${prefix}瓦店镇高标准农田建设项目`, level: 'city', category: 'agriculture',
      industry: 'A01', unit: 'T411302-02', total_investment: '0.8', start_year: YEAR + 1, end_year: YEAR + 3 },
  ];
  for (const body of made) {
    const r = await c.project.post(P, body);
    assert.equal(r.status, 201, `create ${body.code}: ${r.text}`);
  }
  return made.length;
}

test('projects: the export imports back unchanged, as a dry run and for real, and writes nothing', async () => {
  const before = await listAll(c.project, `${P}?include_archived=1`);
  const auditBefore = await auditTotal(c.auditor);
  const file = await exportOf(c.project, server.url, `${P}?format=xlsx&include_archived=1`);
  for (const dry of [true, false]) {
    const r = await upload(c.project, server.url, `${P}/import/file${dry ? '?dry_run=1' : ''}`, file);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json }, { dry_run: dry, rows: before.length, inserted: 0, updated: 0, unchanged: before.length });
  }
  assert.deepEqual(await listAll(c.project, `${P}?include_archived=1`), before, 'an unchanged import changed the list');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'an unchanged import wrote audit rows');
  // The export is the whole filtered list, in the import layout.
  const book = readWorkbook(await exportOf(c.project, server.url, `${P}?format=xlsx&unit=411303&level=province`));
  const sheet = book.sheets[0];
  const headers = sheet.rows[0].map((h) => h.v.replace(/^\*/, ''));
  assert.deepEqual(headers.slice(0, 15), ['项目编码', '项目名称', '级别', '类别', '行业代码', '产业链', '责任单位编码', '责任单位名称',
    '联系领导', '专班编码', '建设地点', '总投资(亿元)', '开工年份', '竣工年份', '承诺完工日期']);
  assert.ok(headers.includes(`${YEAR}年计划投资(亿元)`), headers.join(','));
  const listed = await listAll(c.project, `${P}?unit=411303&level=province`);
  assert.equal(sheet.rows.length - 1, listed.length, 'the export has every row of the filtered list');
  const total = headers.indexOf('总投资(亿元)');
  for (const row of sheet.rows.slice(1)) {
    assert.equal(row[2].v, '省级');
    assert.equal(row[total].t, 'number', 'amounts are numbers');
  }
});

test('projects: an export imported into another database with the same units and users gives the same records', async () => {
  const n = await createProjects('XT');
  const mine = await listAll(c.project, `${P}?q=XT-`);
  assert.equal(mine.length, n);
  const file = await exportOf(c.project, server.url, `${P}?format=xlsx&q=XT-`);
  assert.equal((await listAll(d.project, `${P}?q=XT-`)).length, 0, 'the other database starts without them');
  const dry = await upload(d.project, other.url, `${P}/import/file?dry_run=1`, file);
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.inserted, n);
  assert.equal((await listAll(d.project, `${P}?q=XT-`)).length, 0, 'a dry run wrote projects');
  const r = await upload(d.project, other.url, `${P}/import/file`, file);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ ...r.json }, { dry_run: false, rows: n, inserted: n, updated: 0, unchanged: 0 });
  const theirs = await listAll(d.project, `${P}?q=XT-`);
  assert.deepEqual(theirs.map(projectRecord), mine.map(projectRecord));
  const first = theirs.find((p) => p.code === 'XT-001');
  assert.equal(first.location, '=卧龙区光武路与车站路交叉口', 'text that starts with = stays text');
  assert.equal(first.total_investment, '35.25');
  assert.deepEqual(first.annual_plans, { [YEAR - 1]: '3', [YEAR]: '10.5', [YEAR + 1]: '12' });
  // Each created project is audited as POST /projects audits it.
  const audit = await d.auditor.get('/api/v1/audit?event=project.create&page_size=50');
  assert.ok(audit.json.items.some((e) => e.object_id === String(first.id)), JSON.stringify(audit.json.items.slice(0, 2)));
  // And the file goes back unchanged there too; one edited cell updates that project only.
  const again = await upload(d.project, other.url, `${P}/import/file`, file);
  assert.equal(again.json.unchanged, n, again.text);
  const book = readWorkbook(file);
  const rows = book.sheets[0].rows.map((row) => row.map((cell) => (cell ? (cell.t === 'date' ? `date:${cell.v}` : cell.v) : null)));
  rows[0] = rows[0].map((h) => h.replace(/^\*/, ''));
  const nameCol = rows[0].indexOf('项目名称');
  const edited = rows.findIndex((row) => row[0] === 'XT-002');
  rows[edited][nameCol] = 'XT宛城区老旧小区改造提升工程';
  const changed = await upload(d.project, other.url, `${P}/import/file`, makeWorkbook(rows));
  assert.equal(changed.status, 200, changed.text);
  assert.deepEqual([changed.json.updated, changed.json.unchanged], [1, n - 1]);
  const after = await listAll(d.project, `${P}?q=XT-`);
  assert.equal(after.find((p) => p.code === 'XT-002').name, 'XT宛城区老旧小区改造提升工程');
  assert.equal(after.find((p) => p.code === 'XT-002').version, theirs.find((p) => p.code === 'XT-002').version + 1);
});

test('projects: a refused upload writes nothing, names each bad cell, and with annotate=1 comes back marked', async () => {
  const header = ['项目编码', '项目名称', '级别', '类别', '责任单位编码', '总投资(亿元)', '开工年份', '竣工年份', '承诺完工日期'];
  const file = makeWorkbook([
    header,
    ['AN-001', '卧龙区智能制造产业园项目', '市级', '产业', '411303', 8, String(YEAR), String(YEAR + 1), `date:${YEAR + 1}-06-30`],
    ['AN-002', '卧龙区物流园项目', '市级', '产业', '999999', 5, String(YEAR), String(YEAR + 1), null],   // row 3: E
    ['AN-003', '卧龙区污水处理厂项目', '国家级', '基础设施', '411303', '五亿', String(YEAR), String(YEAR), null], // row 4: C, F
  ]);
  const before = await listAll(c.project, `${P}?q=AN-`);
  const auditBefore = await auditTotal(c.auditor);
  const r = await upload(c.project, server.url, `${P}/import/file`, file);
  expectRefused(r, 'a sheet with bad rows');
  assert.deepEqual(r.json.error.details.map((x) => x.field), ['第3行 E列（责任单位编码）', '第4行 C列（级别）', '第4行 F列（总投资）']);
  assert.match(r.json.error.details[0].reason, /999999/);
  const a = await upload(c.project, server.url, `${P}/import/file?annotate=1`, file);
  assert.equal(a.status, 422, a.text);
  assert.equal(a.headers.get('content-type'), XLSX_TYPE);
  const book = readWorkbook(a.buf);
  const sheet = book.sheets[0];
  const at = (line, col) => sheet.rows[line - 1][col];
  assert.equal(at(3, 4).v, '999999');
  assert.ok(at(3, 4).fill && at(3, 4).fill !== 'FFD9E1F2', `the bad cell is filled: ${JSON.stringify(at(3, 4))}`);
  assert.match(at(3, 4).comment, /责任单位不存在/);
  assert.match(at(4, 5).comment, /五亿/);
  assert.ok(!at(2, 4)?.comment, 'a good cell is not marked');
  const errors = book.sheets.find((s) => s.name === '错误说明');
  assert.ok(errors && errors.rows.length === 4, `错误说明 lists the three problems: ${JSON.stringify(errors)}`);
  assert.deepEqual(await listAll(c.project, `${P}?q=AN-`), before, 'a refused import wrote projects');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'a refused import wrote audit rows');
  // Without project.write (a leader, a town reporter): refused before reading the file.
  for (const who of ['leader', 'reporter_town']) {
    const denied = await upload(c[who], server.url, `${P}/import/file`, file);
    assert.equal(denied.status, 403, `${who}: ${denied.text}`);
  }
});

test('uploads that are no workbook — a zip bomb, a renamed PDF, a truncated archive — are refused in Chinese, nothing written', async () => {
  const real = await exportOf(c.project, server.url, `${P}?format=xlsx&q=XT-`);
  const realFile = tmp('real.xlsx');
  writeFileSync(realFile, real);
  // The worksheet replaced by 300 MB of blanks (about 300 KB zipped).
  const bombFile = tmp('bomb.xlsx');
  execFileSync(PY, ['-c', `
import sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as o:
    for item in z.infolist():
        data = z.read(item.filename)
        if item.filename.startswith('xl/worksheets/sheet'):
            with o.open(item.filename, 'w', force_zip64=True) as f:
                f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                block = b' ' * (1 << 20)
                for _ in range(300):
                    f.write(block)
        else:
            o.writestr(item, data)
`, realFile, bombFile]);
  const bomb = readFileSync(bombFile);
  assert.ok(bomb.length < 2 << 20, `the bomb is small: ${bomb.length}`);
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81]),
    Buffer.from('\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')]);
  const truncated = real.subarray(0, Math.floor(real.length / 2));
  const before = await listAll(c.project, `${P}?include_archived=1`);
  const auditBefore = await auditTotal(c.auditor);
  for (const [what, body] of [['zip bomb', bomb], ['renamed PDF', pdf], ['truncated xlsx', truncated]]) {
    for (const path of [`${P}/import/file`, `${P}/import/file?annotate=1`, `${I}/import/file`]) {
      const client = path.startsWith(I) ? c.stat : c.project;
      const t0 = Date.now();
      const r = await upload(client, server.url, path, body);
      expectRefused(r, `${what} → ${path}`);
      assert.ok(Date.now() - t0 < 20000, `${what}: refused in bounded time`);
    }
  }
  assert.deepEqual(await listAll(c.project, `${P}?include_archived=1`), before);
  assert.equal(await auditTotal(c.auditor), auditBefore);
});

test('the projects template opens with notes, drop-downs for 级别 and 类别, this year\'s plan column and 填写说明', async () => {
  const r = await download(c.project, server.url, `${P}/import/template?format=xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), XLSX_TYPE);
  assert.match(decodeURIComponent(r.headers.get('content-disposition')), /重点项目导入模板\.xlsx/);
  const book = readWorkbook(r.buf);
  assert.deepEqual(book.sheets.map((s) => s.name).filter((n) => n !== '选项'), ['重点项目', '填写说明']);
  const sheet = book.sheets[0];
  const header = sheet.rows[0];
  const names = header.map((h) => h.v.replace(/^\*/, ''));
  for (const h of header) assert.ok(h.comment && h.comment.length > 1, `header ${h.v} has a note`);
  assert.equal(header[names.indexOf('项目编码')].v, '*项目编码', 'required headers carry *');
  assert.ok(names.includes(`${YEAR}年计划投资(亿元)`), names.join(','));
  const letter = (i) => String.fromCharCode(65 + i);
  const validation = (name) => sheet.validations.find((v) => v.sqref.startsWith(`${letter(names.indexOf(name))}2:`));
  assert.match(validation('级别').formula1, /省级,市级,区级/);
  assert.match(validation('类别').formula1, /产业,基础设施,社会民生,城市更新,农业农村/);
  assert.ok(validation('专班编码'), 'task forces as a drop-down');
  assert.equal(sheet.rows.length, 2, 'one example row');
  const help = book.sheets.find((s) => s.name === '填写说明');
  assert.ok(help.rows.some((row) => row.some((cell) => cell && /全部或全不/.test(cell.v))), JSON.stringify(help.rows));
  // The example row imports (dry run) as it is.
  const dry = await upload(c.project, server.url, `${P}/import/file?dry_run=1`, r.buf);
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.rows, 1);
  // Permissions: the template needs project.write, the export project.read.
  assert.equal((await download(c.leader, server.url, `${P}/import/template?format=xlsx`)).status, 403);
  assert.equal((await download(c.leader, server.url, `${P}?format=xlsx`)).status, 200);
  assert.equal((await download(c.stat, server.url, `${P}?format=xlsx`)).status, 403);
});

test('indicator values: the export imports back unchanged, and into another database as the same values', async () => {
  // Values of a period the demo does not have, in `server` only.
  const csv = ['单位编码,单位名称,指标编码,期别,数值,同比增长(%),备注',
    '411303,卧龙区,retail_sales,2021-06,101.25,5.5,按快报',
    '411302,宛城区,retail_sales,2021-06,88.4,,',
    'T411302-02,瓦店镇,fixed_asset_investment,2021-06,12.5,-3.1,项目集中开工'].join('\r\n') + '\r\n';
  const seeded = await upload(c.stat, server.url, `${I}/import/file`, Buffer.from(csv));
  assert.equal(seeded.status, 200, seeded.text);
  assert.equal(seeded.json.inserted, 3);
  const mine = await listAll(c.stat, `${I}/values?period=2021-06`);
  const file = await exportOf(c.stat, server.url, `${I}/values?format=xlsx&period=2021-06`);
  for (const dry of [true, false]) {
    const r = await upload(c.stat, server.url, `${I}/import/file${dry ? '?dry_run=1' : ''}`, file);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.rows, r.json.inserted, r.json.updated, r.json.unchanged], [3, 0, 0, 3]);
  }
  assert.deepEqual(await listAll(c.stat, `${I}/values?period=2021-06`), mine);
  assert.equal((await listAll(d.stat, `${I}/values?period=2021-06`)).length, 0);
  const r = await upload(d.stat, other.url, `${I}/import/file`, file);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.inserted, 3);
  const theirs = await listAll(d.stat, `${I}/values?period=2021-06`);
  assert.deepEqual(theirs.map(valueRecord).sort(byKey((v) => v.unit + v.indicator)),
    mine.map(valueRecord).sort(byKey((v) => v.unit + v.indicator)));
  // The demo's whole year, published, goes back unchanged too.
  const year = await exportOf(c.stat, server.url, `${I}/values?format=xlsx&from=2024-01&to=2024-12`);
  const back = await upload(c.stat, server.url, `${I}/import/file?dry_run=1`, year);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.unchanged, back.json.rows);
  assert.ok(back.json.rows > 1000, `a year of demo values: ${back.json.rows}`);
});

test('CLI: tiaodu export → tiaodu import, on the same database and into another one', async () => {
  const n = await createProjects('XC');
  const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000 });
  const out = tmp('projects.xlsx');
  let r = run('export', 'projects', '--db', server.db, '-o', out, '--year', String(YEAR));
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /已导出/);
  const all = await listAll(c.project, P);
  r = run('import', 'projects', out, '--db', server.db);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`rows=${all.length} inserted=0 updated=0 unchanged=${all.length}`), r.stdout);
  // Into the other database: the XC projects are new there (the demo's are the same).
  r = run('import', 'projects', out, '--db', other.db, '--dry-run');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`inserted=${n} `), r.stdout);
  assert.equal((await listAll(d.project, `${P}?q=XC-`)).length, 0, 'a dry run wrote projects');
  r = run('import', 'projects', out, '--db', other.db);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`inserted=${n} `), r.stdout);
  assert.deepEqual((await listAll(d.project, `${P}?q=XC-`)).map(projectRecord),
    (await listAll(c.project, `${P}?q=XC-`)).map(projectRecord));
  // Errors: each bad cell on its own line, exit status 1, nothing written.
  const bad = tmp('bad.csv');
  writeFileSync(bad, '项目编码,项目名称,级别,类别,责任单位编码,总投资(亿元),开工年份,竣工年份\r\n' +
    `XC-900,卧龙区测试项目,市级,产业,411303,abc,${YEAR},${YEAR}\r\n` +
    `XC-901,卧龙区测试项目二,市级,产业,999999,3,${YEAR},${YEAR}\r\n`);
  r = run('import', 'projects', bad, '--db', server.db);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^第2行 F列（总投资）：.*abc$/m, r.stderr);
  assert.match(r.stderr, /^第3行 E列（责任单位编码）：.*999999$/m, r.stderr);
  assert.equal((await listAll(c.project, `${P}?q=XC-9`)).length, 0);
  // Indicator values: the same round trip.
  const values = tmp('values.xlsx');
  r = run('export', 'indicator-values', '--db', server.db, '-o', values, '--year', '2021');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  r = run('import', 'indicator-values', values, '--db', server.db);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /inserted=0 updated=0 unchanged=\d+/, r.stdout);
  // Unknown kinds are refused.
  r = run('export', 'no-such-kind', '--db', server.db, '-o', tmp('x.xlsx'));
  assert.notEqual(r.status, 0);
});

// ---- Monthly progress (月度进展): GET /projects/progress?format=xlsx, POST /projects/progress/import/file ----

const PG = `${P}/progress`;
const PROGRESS_HEADER = ['项目编码', '项目名称', '月份', '本月完成投资(亿元)', '形象进度'];
// A report as the import sets it and the list shows it.
const progressRecord = (g) => ({ project: g.project.code, month: g.month, amount: g.amount, narrative: g.narrative,
  ytd: g.ytd, cumulative: g.cumulative, version: g.version });

// A project of 瓦店镇 (reporter_town's unit; or of `unit`), started last year, without reports yet.
async function townProject(code, unit = 'T411302-02') {
  const r = await c.project.post(P, { code, name: `${code}农村生活污水治理项目`, level: 'district',
    category: 'infrastructure', unit, total_investment: '6', start_year: YEAR - 1, end_year: YEAR + 1 });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('progress: the export imports back unchanged, as a dry run and for real, and openpyxl reads the records the list shows', async () => {
  const query = `from=${YEAR}-01&to=${YEAR}-12`;
  const before = await listAll(c.project, `${PG}?${query}`);
  assert.ok(before.length > 100, `the demo reports this year's months: ${before.length}`);
  const auditBefore = await auditTotal(c.auditor);
  const file = await exportOf(c.project, server.url, `${PG}?format=xlsx&${query}`);
  for (const dry of [true, false]) {
    const r = await upload(c.project, server.url, `${PG}/import/file${dry ? '?dry_run=1' : ''}`, file);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json }, { dry_run: dry, rows: before.length, inserted: 0, updated: 0, unchanged: before.length });
  }
  assert.deepEqual(await listAll(c.project, `${PG}?${query}`), before, 'an unchanged import changed the reports');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'an unchanged import wrote audit rows');
  // The file holds the list, in the import layout: amounts and figures as numbers.
  const sheet = readWorkbook(file).sheets[0];
  const headers = sheet.rows[0].map((h) => h.v.replace(/^\*/, ''));
  assert.deepEqual(headers, [...PROGRESS_HEADER, '年度累计完成(亿元)', '累计完成投资(亿元)', '责任单位', '填报人', '填报时间', '版本']);
  assert.deepEqual(sheet.rows[0].filter((h) => h.v.startsWith('*')).map((h) => h.v), ['*项目编码', '*月份', '*本月完成投资(亿元)']);
  const num = (cell) => (cell ? String(cell.v) : '0');
  const read = sheet.rows.slice(1).map((row) => {
    assert.equal(row[3].t, 'number', 'amounts are numbers');
    return { project: row[0].v, month: row[2].v, amount: num(row[3]), narrative: row[4] ? row[4].v : '',
      ytd: num(row[5]), cumulative: num(row[6]), version: row[10].v };
  });
  assert.deepEqual(read, before.map(progressRecord));
  // Filters: a month, a unit's subtree, a project.
  const town = await listAll(c.project, `${PG}?month=${YEAR}-01&unit=411302`);
  assert.ok(town.length > 0 && town.every((g) => g.month === `${YEAR}-01`), JSON.stringify(town[0]));
  const one = await listAll(c.project, `${PG}?project=${before[0].project.id}`);
  assert.ok(one.length > 0 && one.every((g) => g.project.id === before[0].project.id));
  const bad = await c.project.get(`${PG}?from=2026-13`);
  expectRefused(bad, 'a month that is no month');
  // A reporter sees the reports of their own unit's projects only.
  const mine = await listAll(c.reporter_town, `${PG}?${query}`);
  const all = await listAll(c.project, `${PG}?${query}&unit=T411302-02`);
  assert.deepEqual(mine, all);
});

test('progress: a reporter uploads their months (dry run first), the figures follow, each report is audited; a project outside their scope is refused', async () => {
  const project = await townProject('XP-001');
  const file = makeWorkbook([
    PROGRESS_HEADER,
    ['XP-001', null, `${YEAR - 1}-12`, 0.5, '完成征地'],
    ['XP-001', null, `date:${YEAR}-01-01`, 1.25, '=1+1'],   // a real date cell; text that starts with =
    ['XP-001', null, `${YEAR}年2月`, '0.75', '主体施工'],
  ]);
  // A project of 卧龙区 is outside the town reporter's scope: refused, naming the project cell.
  await townProject('XP-011', '411303');
  const outside = await upload(c.reporter_town, server.url, `${PG}/import/file`, makeWorkbook([
    PROGRESS_HEADER, ['XP-001', null, `${YEAR}-01`, 1, ''], ['XP-011', null, `${YEAR}-01`, 1, '']]));
  expectRefused(outside, 'a reporter outside the project unit');
  assert.deepEqual(outside.json.error.details.map((x) => x.field), ['第3行 A列（项目编码）']);
  assert.match(outside.json.error.details[0].reason, /管理范围/);
  // Without project.report or project.write: 403.
  assert.equal((await upload(c.leader, server.url, `${PG}/import/file`, file)).status, 403);
  const auditBefore = await auditTotal(c.auditor);
  const dry = await upload(c.reporter_town, server.url, `${PG}/import/file?dry_run=1`, file);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual({ ...dry.json }, { dry_run: true, rows: 3, inserted: 3, updated: 0, unchanged: 0 });
  assert.equal((await listAll(c.project, `${PG}?project=${project.id}`)).length, 0, 'a dry run wrote reports');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'a dry run wrote audit rows');
  const r = await upload(c.reporter_town, server.url, `${PG}/import/file`, file);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ ...r.json }, { dry_run: false, rows: 3, inserted: 3, updated: 0, unchanged: 0 });
  const detail = (await c.project.get(`${P}/${project.id}`)).json;
  assert.deepEqual(detail.progress.map((g) => [g.month, g.amount, g.ytd, g.cumulative, g.narrative]), [
    [`${YEAR - 1}-12`, '0.5', '0.5', '0.5', '完成征地'],
    [`${YEAR}-01`, '1.25', '1.25', '1.75', '=1+1'],
    [`${YEAR}-02`, '0.75', '2', '2.5', '主体施工']]);
  assert.equal(detail.ytd, '2', 'the project\'s figures follow');
  assert.equal(detail.cumulative, '2.5');
  // One "project.progress" record per report, as the PUT writes them, and one for the import.
  assert.equal(await auditTotal(c.auditor), auditBefore + 4);
  const audit = (await c.auditor.get(`/api/v1/audit?event=project.progress&page_size=10`)).json.items;
  const reports = audit.filter((e) => e.event === 'project.progress' && e.object_id === String(project.id));
  assert.equal(reports.length, 3, JSON.stringify(audit.slice(0, 4)));
  assert.equal(reports[0].username, 'reporter_town');
  // The same file again: unchanged, nothing written; one changed amount: that report only.
  const again = await upload(c.reporter_town, server.url, `${PG}/import/file`, file);
  assert.deepEqual([again.json.unchanged, again.json.inserted, again.json.updated], [3, 0, 0], again.text);
  const changed = makeWorkbook([PROGRESS_HEADER, ['XP-001', null, `${YEAR}-02`, 1, '主体施工']]);
  const c2 = await upload(c.reporter_town, server.url, `${PG}/import/file`, changed);
  assert.deepEqual([c2.json.updated, c2.json.unchanged], [1, 0], c2.text);
  const after = (await c.project.get(`${P}/${project.id}`)).json;
  assert.deepEqual(after.progress.map((g) => g.version), [1, 1, 2]);
  assert.equal(after.ytd, '2.25');
});

test('progress: a refused upload writes nothing, names each bad cell (a duplicate names both rows), and with annotate=1 comes back marked', async () => {
  const project = await townProject('XP-002');
  const file = makeWorkbook([
    PROGRESS_HEADER,
    ['XP-002', null, `${YEAR}-01`, 1, ''],
    ['XP-002', null, `${YEAR + 1}-01`, -2, ''],     // row 3: C future, D negative
    ['XP-002', null, `${YEAR}-03`, 600, ''],        // row 4: D over the total investment (6亿元)
    ['XP-002', null, `${YEAR}-1`, 1, ''],           // row 5: C the same month as row 2
    ['XP-002', null, '三月', '一亿', ''],            // row 6: C, D as typed
  ]);
  const auditBefore = await auditTotal(c.auditor);
  const r = await upload(c.reporter_town, server.url, `${PG}/import/file`, file);
  expectRefused(r, 'a sheet with bad rows');
  assert.deepEqual(r.json.error.details.map((x) => x.field), ['第3行 C列（月份）', '第3行 D列（本月完成投资）',
    '第4行 D列（本月完成投资）', '第5行 C列（月份）', '第6行 C列（月份）', '第6行 D列（本月完成投资）']);
  const reason = (field) => r.json.error.details.find((x) => x.field === field).reason;
  assert.match(reason('第3行 C列（月份）'), /未来月份/);
  assert.match(reason('第4行 D列（本月完成投资）'), /总投资/);
  assert.match(reason('第5行 C列（月份）'), /第2行/);
  assert.match(reason('第6行 D列（本月完成投资）'), /一亿/);
  assert.equal((await listAll(c.project, `${PG}?project=${project.id}`)).length, 0, 'a refused import wrote reports');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'a refused import wrote audit rows');
  const a = await upload(c.reporter_town, server.url, `${PG}/import/file?annotate=1`, file);
  assert.equal(a.status, 422, a.text);
  assert.equal(a.headers.get('content-type'), XLSX_TYPE);
  const book = readWorkbook(a.buf);
  const at = (line, col) => book.sheets[0].rows[line - 1][col];
  assert.match(at(3, 2).comment, /未来月份/);
  assert.ok(at(3, 2).fill && at(3, 2).fill !== 'FFD9E1F2', `the bad cell is filled: ${JSON.stringify(at(3, 2))}`);
  assert.match(at(5, 2).comment, /第2行/);
  assert.ok(!at(2, 2)?.comment, 'a good cell is not marked');
  const errors = book.sheets.find((s) => s.name === '错误说明');
  assert.ok(errors && errors.rows.length === 7, `错误说明 lists the six problems: ${JSON.stringify(errors)}`);
});

test('the progress template opens with notes, the reporter\'s projects as a drop-down, an example row that imports, and 填写说明', async () => {
  const r = await download(c.reporter_town, server.url, `${PG}/import/template?format=xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.match(decodeURIComponent(r.headers.get('content-disposition')), /重点项目月度进展导入模板\.xlsx/);
  const book = readWorkbook(r.buf);
  const sheet = book.sheets[0];
  const header = sheet.rows[0];
  for (const h of header) assert.ok(h.comment && h.comment.length > 1, `header ${h.v} has a note`);
  assert.deepEqual(header.slice(0, 5).map((h) => h.v.replace(/^\*/, '')), PROGRESS_HEADER);
  const codes = sheet.validations.find((v) => v.sqref.startsWith('A2:'));
  assert.ok(codes, 'project codes as a drop-down');
  const town = await listAll(c.project, `${P}?unit=T411302-02`);
  assert.ok(town.length > 0);
  assert.equal(sheet.rows.length, 2, 'one example row');
  assert.ok(town.some((p) => p.code === sheet.rows[1][0].v), `the example is a project of the reporter's: ${sheet.rows[1][0].v}`);
  assert.ok(book.sheets.find((s) => s.name === '填写说明').rows.some((row) => row.some((cell) => cell && /全部或全不/.test(cell.v))));
  const dry = await upload(c.reporter_town, server.url, `${PG}/import/file?dry_run=1`, r.buf);
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.rows, 1);
  assert.equal((await download(c.leader, server.url, `${PG}/import/template?format=xlsx`)).status, 403);
  assert.equal((await download(c.leader, server.url, `${PG}?format=xlsx`)).status, 200);
  assert.equal((await download(c.stat, server.url, `${PG}?format=xlsx`)).status, 403);
});

test('CLI: tiaodu export project-progress → tiaodu import project-progress changes nothing; a bad file exits 1 naming its cells', async () => {
  const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000 });
  const out = tmp('progress.xlsx');
  let r = run('export', 'project-progress', '--db', server.db, '-o', out, '--year', String(YEAR));
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const listed = await listAll(c.project, `${PG}?from=${YEAR}-01&to=${YEAR}-12`);
  assert.equal(readWorkbook(readFileSync(out)).sheets[0].rows.length - 1, listed.length, 'the year\'s months');
  r = run('import', 'project-progress', out, '--db', server.db);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`rows=${listed.length} inserted=0 updated=0 unchanged=${listed.length}`), r.stdout);
  assert.deepEqual(await listAll(c.project, `${PG}?from=${YEAR}-01&to=${YEAR}-12`), listed);
  const bad = tmp('progress-bad.csv');
  writeFileSync(bad, `${PROGRESS_HEADER.join(',')}\r\n${listed[0].project.code},,${YEAR}-01,abc,\r\nNO-SUCH,,${YEAR}-01,1,\r\n`);
  r = run('import', 'project-progress', bad, '--db', server.db);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^第2行 D列（本月完成投资）：.*abc$/m, r.stderr);
  assert.match(r.stderr, /^第3行 A列（项目编码）：.*NO-SUCH$/m, r.stderr);
});
