// Excel in and out for units (单位) and users (用户) (docs/API.md "Excel", issue 7): each export
// is in its import's layout and imports back with every row unchanged, nothing written; an
// export imported into another database with the same demo gives the same records (read back
// with openpyxl and as JSON); a sheet may name a parent in a later row; a dry run writes
// nothing; a refused upload names each bad cell and comes back annotated; the data scope and
// the separation of the three admins (三员分立) hold row by row; a user sheet never carries a
// password and a user it creates cannot log in until an admin resets the password
// (docs/decisions/0016); and `tiaodu export/import units|users` do the same from the shell.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BIN, startServer, loginMany, loginAs, listAll, auditTotal, assertErrorFormat, unitIndex, DEMO_PASSWORD, STRONG_PASSWORD, getBytes, postBytes } from './helpers.mjs';

const READ_XLSX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'io', 'read_xlsx.py');
const PY = '/usr/bin/python3';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const U = '/api/v1/units';
const US = '/api/v1/users';
const UNIT_HEADERS = ['单位编码', '单位名称', '类别', '上级单位编码', '已撤销', '上级单位名称'];
const USER_HEADERS = ['用户名', '姓名', '角色', '所属单位编码', '状态', '所属单位名称', '已锁定', '待改密', '最近登录', '创建时间'];

let server, other, c, d, dir;

before(async () => {
  // Two installations with the same demo: `other` receives what `server` exports.
  server = await startServer();
  other = await startServer();
  c = await loginMany(server.url, ['admin', 'secadmin', 'auditor', 'sysadmin_wancheng', 'leader']);
  d = await loginMany(other.url, ['admin', 'auditor']);
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-excel-uu-'));
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
  return JSON.parse(execFileSync(PY, [READ_XLSX, file], { encoding: 'utf8', maxBuffer: 256 << 20 }));
}
// A workbook written by openpyxl from rows of values, every cell text.
function makeWorkbook(rows, title) {
  const file = tmp('made.xlsx');
  execFileSync(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = sys.argv[3]
for row in json.loads(sys.argv[2]):
    ws.append(row)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = 's'
wb.save(sys.argv[1])
`, file, JSON.stringify(rows), title]);
  return readFileSync(file);
}
async function exportOf(client, base, path) {
  const r = await download(client, base, path);
  assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text}`);
  assert.equal(r.headers.get('content-type'), XLSX_TYPE, path);
  return r.buf;
}
// The rows of a workbook's first sheet as objects keyed by header ("*" dropped), cells as text.
function sheetRecords(buf) {
  const rows = readWorkbook(buf).sheets[0].rows;
  const headers = rows[0].map((h) => h.v.replace(/^\*/, ''));
  return { headers, rows: rows.slice(1).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] && r[i].v != null ? String(r[i].v) : '']))) };
}
function expectRefused(r, what) {
  assert.equal(r.status, 400, `${what}: expected 400, got ${r.status} ${r.text}`);
  assertErrorFormat(r, what);
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `${what}: the message is Chinese`);
}
const reasonOf = (r, field) => (r.json.error.details.find((x) => x.field === field) || {}).reason || '';

// A unit and a user as an import sets them (the parent and unit by code).
async function unitRecords(client) {
  const all = await listAll(client, `${U}?include_archived=1`);
  const byId = Object.fromEntries(all.map((u) => [u.id, u]));
  return all.map((u) => ({ code: u.code, name: u.name, kind: u.kind, parent: u.parent_id ? byId[u.parent_id]?.code ?? null : null, archived: u.archived }));
}
const userRecord = (u) => ({ username: u.username, display_name: u.display_name, role: u.role, unit: u.unit_code, disabled: u.disabled });

// ---- Units ----

test('units: the export (in the import layout) imports back unchanged, as a dry run and for real, and writes nothing', async () => {
  // An archived unit and a name that looks like a formula are in the export too.
  const idx = await unitIndex(c.admin);
  const made = await c.admin.post(U, { code: 'RT-ARCH', name: '=1+1 已撤销专班', kind: 'task_force', parent_id: idx.byCode['411302'].id });
  assert.equal(made.status, 201, made.text);
  assert.equal((await c.admin.post(`${U}/${made.json.id}/archive`, { version: made.json.version })).status, 200);
  const before = await listAll(c.admin, `${U}?include_archived=1`);
  const auditBefore = await auditTotal(c.auditor);
  const file = await exportOf(c.admin, server.url, `${U}?format=xlsx&include_archived=1`);
  const sheet = sheetRecords(file);
  assert.deepEqual(sheet.headers, UNIT_HEADERS);
  assert.equal(sheet.rows.length, before.length);
  const arch = sheet.rows.find((r) => r['单位编码'] === 'RT-ARCH');
  assert.deepEqual(arch, { 单位编码: 'RT-ARCH', 单位名称: '=1+1 已撤销专班', 类别: '专班', 上级单位编码: '411302', 已撤销: '是', 上级单位名称: '宛城区' });
  for (const dry of [true, false]) {
    const r = await upload(c.admin, server.url, `${U}/import/file${dry ? '?dry_run=1' : ''}`, file);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json }, { dry_run: dry, rows: before.length, inserted: 0, updated: 0, unchanged: before.length });
  }
  assert.deepEqual(await listAll(c.admin, `${U}?include_archived=1`), before, 'an unchanged import changed units');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'an unchanged import wrote audit rows');
});

test('units: an export imported into another database gives the same records; a parent may come in a later row', async () => {
  // New units in `server`: a town, a task force under it (the child's row comes first in the
  // sheet: the export is ordered by path, so it is reversed below) and an archived department.
  const idx = await unitIndex(c.admin);
  const town = await c.admin.post(U, { code: 'RT-TOWN', name: '测试街道', kind: 'town', parent_id: idx.byCode['411303'].id });
  assert.equal(town.status, 201, town.text);
  const tf = await c.admin.post(U, { code: 'RT-TF', name: '测试街道专班', kind: 'task_force', parent_id: town.json.id });
  assert.equal(tf.status, 201, tf.text);
  const dept = await c.admin.post(U, { code: 'RT-DEPT', name: '测试局', kind: 'department', parent_id: town.json.id });
  assert.equal((await c.admin.post(`${U}/${dept.json.id}/archive`, { version: dept.json.version })).status, 200);
  const file = await exportOf(c.admin, server.url, `${U}?format=xlsx&include_archived=1&q=RT-`);
  const { headers, rows } = sheetRecords(file);
  assert.deepEqual(rows.map((r) => r['单位编码']).sort(), ['RT-ARCH', 'RT-DEPT', 'RT-TF', 'RT-TOWN']);
  const reversed = makeWorkbook([headers, ...rows.reverse().map((r) => headers.map((h) => r[h]))], '单位');
  assert.equal((await listAll(d.admin, `${U}?include_archived=1&q=RT-`)).length, 0, 'the other database starts without them');
  const auditBefore = await auditTotal(d.auditor);
  const dry = await upload(d.admin, other.url, `${U}/import/file?dry_run=1`, reversed);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual({ ...dry.json }, { dry_run: true, rows: 4, inserted: 4, updated: 0, unchanged: 0 });
  assert.equal((await listAll(d.admin, `${U}?include_archived=1&q=RT-`)).length, 0, 'a dry run wrote units');
  assert.equal(await auditTotal(d.auditor), auditBefore, 'a dry run wrote audit rows');
  const r = await upload(d.admin, other.url, `${U}/import/file`, reversed);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.inserted, 4);
  const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const mine = (await unitRecords(c.admin)).filter((u) => u.code.startsWith('RT-')).sort(byCode);
  const theirs = (await unitRecords(d.admin)).filter((u) => u.code.startsWith('RT-')).sort(byCode);
  assert.deepEqual(theirs, mine);
  // Audited as the JSON routes: one unit.create per unit, unit.archive for the archived ones.
  const ids = new Set((await listAll(d.admin, `${U}?include_archived=1&q=RT-`)).map((u) => String(u.id)));
  const audit = (await listAll(d.auditor, '/api/v1/audit?object_type=unit')).filter((e) => ids.has(e.object_id));
  assert.equal(audit.filter((e) => e.event === 'unit.create' && e.username === 'admin').length, 4, 'unit.create records');
  assert.equal(audit.filter((e) => e.event === 'unit.archive').length, 2, 'unit.archive records');
  // Read back from the other database's export with openpyxl: the same cells.
  const rowOrder = (a, b) => (a['单位编码'] < b['单位编码'] ? -1 : 1);
  const back = sheetRecords(await exportOf(d.admin, other.url, `${U}?format=xlsx&include_archived=1&q=RT-`));
  assert.deepEqual(back.rows.sort(rowOrder), sheetRecords(file).rows.sort(rowOrder));
  // And the same file again: every row unchanged.
  const again = await upload(d.admin, other.url, `${U}/import/file`, reversed);
  assert.deepEqual([again.json.inserted, again.json.updated, again.json.unchanged], [0, 0, 4], again.text);
});

test('units: rename, move, archive and restore by sheet; GB/T 2260 codes, cycles and bad cells refused, annotated, nothing written', async () => {
  const idx = await unitIndex(c.admin);
  const a = await c.admin.post(U, { code: 'MV-A', name: '移动测试甲', kind: 'town', parent_id: idx.byCode['411302'].id });
  const b = await c.admin.post(U, { code: 'MV-B', name: '移动测试乙', kind: 'task_force', parent_id: a.json.id });
  assert.equal(b.status, 201, b.text);
  const header = ['单位编码', '单位名称', '类别', '上级单位编码', '已撤销'];
  // Renamed, moved to 卧龙区, its child archived first (the parent's row comes first).
  let r = await upload(c.admin, server.url, `${U}/import/file`, makeWorkbook([header,
    ['MV-A', '移动测试甲街道', '乡镇/街道', '411303', '否'],
    ['MV-B', '移动测试乙', '专班', 'MV-A', '是']], '单位'));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.inserted, r.json.updated, r.json.unchanged], [0, 2, 0]);
  let all = await unitRecords(c.admin);
  assert.deepEqual(all.find((u) => u.code === 'MV-A'), { code: 'MV-A', name: '移动测试甲街道', kind: 'town', parent: '411303', archived: false });
  assert.equal(all.find((u) => u.code === 'MV-B').archived, true);
  const events = (await listAll(c.auditor, '/api/v1/audit?object_type=unit')).slice(0, 5).map((e) => e.event);
  assert.deepEqual(events.slice(0, 4), ['unit.import', 'unit.archive', 'unit.move', 'unit.update']);
  // Both archived (the child already is) and restored again.
  r = await upload(c.admin, server.url, `${U}/import/file`, makeWorkbook([header, ['MV-A', '移动测试甲街道', '乡镇/街道', '411303', '是']], '单位'));
  assert.equal(r.status, 200, r.text);
  r = await upload(c.admin, server.url, `${U}/import/file`, makeWorkbook([header,
    ['MV-B', '移动测试乙', '专班', 'MV-A', '否'], ['MV-A', '移动测试甲街道', '乡镇/街道', '411303', '否']], '单位'));
  assert.equal(r.status, 200, r.text);
  all = await unitRecords(c.admin);
  assert.deepEqual(['MV-A', 'MV-B'].map((code) => all.find((u) => u.code === code).archived), [false, false]);

  // Refused: each bad cell named, nothing written.
  const bad = makeWorkbook([header,
    ['411302', '宛城区', '区', 'T411302-02', '否'],    // row 2: D — under its own town
    ['NEW-1', '新区', '区', '411300', '否'],            // row 3: A — a district needs a GB/T 2260 code
    ['NEW-2', '', '部门', '411300', '也许'],            // row 4: B, E
    ['NEW-3', '新局', '委员会', '999999', ''],          // row 5: C (the row is not read further)
    ['NEW-4', '新专班', '专班', 'NEW-5', ''],           // rows 6, 7: a loop within the sheet
    ['NEW-5', '新专班二', '专班', 'NEW-4', '']], '单位');
  const before = await listAll(c.admin, `${U}?include_archived=1`);
  const auditBefore = await auditTotal(c.auditor);
  r = await upload(c.admin, server.url, `${U}/import/file`, bad);
  expectRefused(r, 'bad units');
  const fields = r.json.error.details.map((x) => x.field);
  for (const f of ['第2行 D列（上级单位编码）', '第3行 A列（单位编码）', '第4行 B列（单位名称）', '第4行 E列（已撤销）', '第5行 C列（类别）'])
    assert.ok(fields.includes(f), `${f} in ${fields.join(' ')}`);
  assert.ok(fields.some((f) => /^第[67]行 D列/.test(f)), `a loop is named: ${fields.join(' ')}`);
  assert.match(reasonOf(r, '第2行 D列（上级单位编码）'), /循环|下级/);
  assert.match(reasonOf(r, '第3行 A列（单位编码）'), /2260|行政区划/);
  const a2 = await upload(c.admin, server.url, `${U}/import/file?annotate=1`, bad);
  assert.equal(a2.status, 422, a2.text);
  assert.equal(a2.headers.get('content-type'), XLSX_TYPE);
  const book = readWorkbook(a2.buf);
  assert.match(book.sheets[0].rows[2][0].comment || '', /2260|行政区划/, 'the bad code is marked');
  assert.ok(!book.sheets[0].rows[2][1]?.comment, 'a good cell is not marked');
  assert.ok(book.sheets.some((s) => s.name === '错误说明'));
  assert.deepEqual(await listAll(c.admin, `${U}?include_archived=1`), before, 'a refused import wrote units');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'a refused import wrote audit rows');
  // Without unit.write: 403 before anything is read.
  assert.equal((await upload(c.leader, server.url, `${U}/import/file`, bad)).status, 403);
  assert.equal((await upload(c.secadmin, server.url, `${U}/import/file`, bad)).status, 403);
});

test('units: a 宛城区 administrator imports within 宛城区 only', async () => {
  const sw = c.sysadmin_wancheng;
  const mine = await listAll(sw, `${U}?include_archived=1`);
  const file = await exportOf(sw, server.url, `${U}?format=xlsx&include_archived=1`);
  const { rows } = sheetRecords(file);
  assert.deepEqual(rows.map((r) => r['单位编码']), mine.map((u) => u.code));
  assert.equal(rows.find((r) => r['单位编码'] === '411302')['上级单位编码'], '', 'the parent of 宛城区 is out of scope: blank');
  const back = await upload(sw, server.url, `${U}/import/file`, file);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.unchanged, mine.length);
  const header = ['单位编码', '单位名称', '类别', '上级单位编码'];
  const before = await listAll(c.admin, `${U}?include_archived=1`);
  const r = await upload(sw, server.url, `${U}/import/file`, makeWorkbook([header,
    ['411303', '卧龙区（改）', '区', '411300'],    // row 2: another district
    ['WC-NEW', '宛城新专班', '专班', '411300'],    // row 3: a parent outside the scope
    ['411302', '宛城区', '区', 'T411302-02'],      // row 4: its own unit moved
    ['WC-OK', '宛城专班', '专班', '411302']], '单位'));
  expectRefused(r, 'out of scope');
  assert.deepEqual(r.json.error.details.map((x) => x.field), ['第2行 A列（单位编码）', '第3行 D列（上级单位编码）', '第4行 D列（上级单位编码）']);
  assert.match(r.json.error.details[0].reason, /管理范围/);
  assert.deepEqual(await listAll(c.admin, `${U}?include_archived=1`), before);
});

// ---- Users ----

test('users: the export (no password column) imports back unchanged; into another database as the same users, who cannot log in until reset', async () => {
  const before = await listAll(c.admin, US);
  const auditBefore = await auditTotal(c.auditor);
  const file = await exportOf(c.admin, server.url, `${US}?format=xlsx`);
  const sheet = sheetRecords(file);
  assert.deepEqual(sheet.headers, USER_HEADERS);
  assert.ok(!sheet.headers.some((h) => /密码|口令|password/i.test(h)));
  for (const dry of [true, false]) {
    const r = await upload(c.admin, server.url, `${US}/import/file${dry ? '?dry_run=1' : ''}`, file);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json }, { dry_run: dry, rows: before.length, inserted: 0, updated: 0, unchanged: before.length });
  }
  assert.deepEqual(await listAll(c.admin, US), before, 'an unchanged import changed users');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'an unchanged import wrote audit rows');
  // The security administrator's export goes back unchanged too.
  const sx = await upload(c.secadmin, server.url, `${US}/import/file`, await exportOf(c.secadmin, server.url, `${US}?format=xlsx`));
  assert.equal(sx.json?.unchanged, before.length, sx.text);

  // New business users in `server`, exported and imported into `other`.
  const idx = await unitIndex(c.admin);
  for (const [username, name, role, unit] of [['xu_ld', '徐领导', 'leader', '411303'], ['xu_tb', '=徐填报', 'reporter', 'T411302-02']]) {
    const r = await c.admin.post(US, { username, display_name: name, role, unit_id: idx.byCode[unit].id, password: STRONG_PASSWORD });
    assert.equal(r.status, 201, r.text);
  }
  const xu = await listAll(c.admin, `${US}?q=xu_`);
  assert.equal((await c.admin.post(`${US}/${xu.find((u) => u.username === 'xu_tb').id}/disable`, { version: xu.find((u) => u.username === 'xu_tb').version })).status, 200);
  const mine = await listAll(c.admin, `${US}?q=xu_`);
  const xfile = await exportOf(c.admin, server.url, `${US}?format=xlsx&q=xu_`);
  const dry = await upload(d.admin, other.url, `${US}/import/file?dry_run=1`, xfile);
  assert.deepEqual([dry.status, dry.json?.inserted], [200, 2], dry.text);
  assert.equal((await listAll(d.admin, `${US}?q=xu_`)).length, 0, 'a dry run wrote users');
  const r = await upload(d.admin, other.url, `${US}/import/file`, xfile);
  assert.deepEqual([r.status, r.json?.inserted], [200, 2], r.text);
  const theirs = await listAll(d.admin, `${US}?q=xu_`);
  assert.deepEqual(theirs.map(userRecord), mine.map(userRecord));
  assert.ok(theirs.every((u) => u.must_change_password), 'imported users must change their password');
  const back = sheetRecords(await exportOf(d.admin, other.url, `${US}?format=xlsx&q=xu_`));
  const cols = ['用户名', '姓名', '角色', '所属单位编码', '状态', '所属单位名称'];
  const pick = (rows) => rows.map((row) => cols.map((h) => row[h]));
  assert.deepEqual(pick(back.rows), pick(sheetRecords(xfile).rows));
  const audit = await listAll(d.auditor, '/api/v1/audit?event=user.create');
  assert.ok(theirs.every((u) => audit.some((e) => e.object_id === String(u.id))), 'each created user is audited');
  // Nobody knows the password: no login (not even with the exporter's passwords) until reset.
  for (const pw of [STRONG_PASSWORD, DEMO_PASSWORD]) {
    const login = await fetch(`${other.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'xu_ld', password: pw }) });
    assert.equal(login.status, 401, `login with "${pw}"`);
  }
  const ld = theirs.find((u) => u.username === 'xu_ld');
  const reset = await d.admin.post(`${US}/${ld.id}/reset-password`, { password: 'Reset#Pass2024' });
  assert.equal(reset.status, 200, reset.text);
  const session = await loginAs(other.url, 'xu_ld', 'Reset#Pass2024');
  assert.ok(session.cookie, 'logs in after the reset');
});

test('users: 三员分立 row by row — the system admin grants no role and edits no admin account; the security admin changes roles only', async () => {
  const header = ['用户名', '姓名', '角色', '所属单位编码', '状态'];
  const auditBefore = await auditTotal(c.auditor);
  const before = await listAll(c.admin, US);
  const row = (username) => {
    const u = before.find((x) => x.username === username);
    return [u.username, u.display_name, u.role_name, u.unit_code, u.disabled ? '停用' : '启用'];
  };
  const escalate = makeWorkbook([header,
    ['leader', '领导', '安全管理员', row('leader')[3], '启用'],   // row 2: C — a role change by the system admin
    ['sa_new', '新审计', '审计管理员', '411300', '启用'],           // row 3: C — a new admin account
    [...row('secadmin').slice(0, 1), '改名', ...row('secadmin').slice(2)], // row 4: B — an admin account
    [...row('admin').slice(0, 4), '停用'],                             // row 5: E — its own account
    ['new_ok', '新用户', '填报员', '411302', '启用']], '用户');
  let r = await upload(c.admin, server.url, `${US}/import/file`, escalate);
  expectRefused(r, 'escalation by the system admin');
  assert.deepEqual(r.json.error.details.map((x) => x.field), ['第2行 C列（角色）', '第3行 C列（角色）', '第4行 B列（姓名）', '第5行 E列（状态）']);
  assert.match(reasonOf(r, '第2行 C列（角色）'), /安全管理员|user\.role/);
  assert.match(reasonOf(r, '第3行 C列（角色）'), /三员分立/);
  assert.match(reasonOf(r, '第4行 B列（姓名）'), /管理员账户/);
  assert.match(reasonOf(r, '第5行 E列（状态）'), /自己/);
  assert.deepEqual(await listAll(c.admin, US), before, 'a refused import changed users');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'a refused import wrote audit rows');
  // A password column is refused outright.
  r = await upload(c.admin, server.url, `${US}/import/file`, makeWorkbook([[...header, '初始密码'], ['pw_user', '某人', '领导', '411300', '启用', STRONG_PASSWORD]], '用户'));
  expectRefused(r, 'a password column');
  assert.match(r.json.error.details[0].reason, /密码/);

  // The security admin changes a role (audited as POST /users/{id}/role); not a name, not a new user.
  const stat = before.find((u) => u.username === 'stat_wancheng');
  r = await upload(c.secadmin, server.url, `${US}/import/file`, makeWorkbook([header,
    [...row('stat_wancheng').slice(0, 2), '督查员', ...row('stat_wancheng').slice(3)]], '用户'));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.updated, r.json.unchanged], [1, 0]);
  const after = (await c.admin.get(`${US}/${stat.id}`)).json;
  assert.equal(after.role, 'supervisor');
  const roleAudit = (await c.auditor.get('/api/v1/audit?event=user.role&page_size=5')).json.items[0];
  assert.deepEqual([roleAudit.object_id, roleAudit.username, roleAudit.before.role, roleAudit.after.role], [String(stat.id), 'secadmin', 'statistician', 'supervisor']);
  r = await upload(c.secadmin, server.url, `${US}/import/file`, makeWorkbook([header,
    ['stat_wancheng', '改名', '督查员', row('stat_wancheng')[3], '启用'],
    ['sec_new', '新用户', '领导', '411300', '启用']], '用户'));
  expectRefused(r, 'the security admin edits data');
  assert.deepEqual(r.json.error.details.map((x) => x.field), ['第2行 B列（姓名）', '第3行 A列（用户名）']);
  // Restored by the security admin (role) — the system admin could not.
  r = await upload(c.secadmin, server.url, `${US}/import/file`, makeWorkbook([header, row('stat_wancheng')], '用户'));
  assert.equal(r.status, 200, r.text);
  assert.equal((await c.admin.get(`${US}/${stat.id}`)).json.role, 'statistician');
  // Without user.read (and so without user.write and user.role): 403.
  assert.equal((await upload(c.leader, server.url, `${US}/import/file`, escalate)).status, 403);
  assert.equal((await upload(c.auditor, server.url, `${US}/import/file`, escalate)).status, 403);
});

test('users: a 宛城区 administrator changes users of 宛城区 only, and disables and enables them by sheet', async () => {
  const sw = c.sysadmin_wancheng;
  const header = ['用户名', '姓名', '角色', '所属单位编码', '状态'];
  const mine = await listAll(sw, US);
  const back = await upload(sw, server.url, `${US}/import/file`, await exportOf(sw, server.url, `${US}?format=xlsx`));
  assert.equal(back.json?.unchanged, mine.length, back.text);
  const before = await listAll(c.admin, US);
  const leader = before.find((u) => u.username === 'leader');
  let r = await upload(sw, server.url, `${US}/import/file`, makeWorkbook([header,
    ['leader', leader.display_name, '领导', leader.unit_code, '停用'],  // row 2: a city user
    ['wc_new', '宛城新人', '领导', '411303', '启用'],                    // row 3: a unit outside
    ['leader_wancheng', '宛城领导', '领导', '411300', '启用']], '用户')); // row 4: moved outside
  expectRefused(r, 'out of scope');
  assert.deepEqual(r.json.error.details.map((x) => x.field), ['第2行 A列（用户名）', '第3行 D列（所属单位编码）', '第4行 D列（所属单位编码）']);
  assert.deepEqual(await listAll(c.admin, US), before);
  const lw = before.find((u) => u.username === 'leader_wancheng');
  r = await upload(sw, server.url, `${US}/import/file`, makeWorkbook([header, ['leader_wancheng', lw.display_name, '领导', lw.unit_code, '停用']], '用户'));
  assert.equal(r.status, 200, r.text);
  assert.equal((await sw.get(`${US}/${lw.id}`)).json.disabled, true);
  assert.equal((await c.auditor.get('/api/v1/audit?event=user.disable&page_size=1')).json.items[0].object_id, String(lw.id));
  r = await upload(sw, server.url, `${US}/import/file`, makeWorkbook([header, ['leader_wancheng', lw.display_name, 'leader', lw.unit_code, '启用']], '用户'));
  assert.equal(r.status, 200, r.text);
  assert.equal((await sw.get(`${US}/${lw.id}`)).json.disabled, false);
});

// ---- Templates ----

test('the units and users templates open with notes, drop-downs, one example row and 填写说明; the example imports', async () => {
  for (const [path, name, headers, dropdowns, client] of [
    [U, '单位', UNIT_HEADERS, { 类别: /市,区,县,县级市,功能区,乡镇\/街道,部门,专班/, 已撤销: /否,是/ }, c.sysadmin_wancheng],
    [US, '用户', USER_HEADERS, { 角色: /领导,统计员/, 状态: /启用,停用/ }, c.admin],
  ]) {
    const r = await download(client, server.url, `${path}/import/template?format=xlsx`);
    assert.equal(r.status, 200, r.text);
    assert.match(decodeURIComponent(r.headers.get('content-disposition')), new RegExp(`${name}导入模板\\.xlsx`));
    const book = readWorkbook(r.buf);
    assert.deepEqual(book.sheets.map((s) => s.name).filter((n) => n !== '选项'), [name, '填写说明']);
    const sheet = book.sheets[0];
    const names = sheet.rows[0].map((h) => h.v.replace(/^\*/, ''));
    assert.deepEqual(names, headers);
    for (const h of sheet.rows[0]) assert.ok(h.comment && h.comment.length > 1, `${name}: header ${h.v} has a note`);
    assert.equal(sheet.rows[0][0].v, `*${headers[0]}`, 'required headers carry *');
    for (const [col, re] of Object.entries(dropdowns)) {
      const letter = String.fromCharCode(65 + names.indexOf(col));
      const v = sheet.validations.find((x) => x.sqref.startsWith(`${letter}2:`));
      assert.ok(v, `${name}: a drop-down on ${col}`);
      assert.match(v.formula1, re);
    }
    assert.equal(sheet.rows.length, 2, 'one example row');
    const help = book.sheets.find((s) => s.name === '填写说明');
    assert.ok(help.rows.some((row) => row.some((cell) => cell && /全部或全不/.test(cell.v))));
    const dry = await upload(client, server.url, `${path}/import/file?dry_run=1`, r.buf);
    assert.equal(dry.status, 200, `${name}: ${dry.text}`);
    assert.deepEqual([dry.json.rows, dry.json.inserted], [1, 1]);
  }
  const help = readWorkbook((await download(c.admin, server.url, `${US}/import/template`)).buf).sheets.find((s) => s.name === '填写说明');
  assert.ok(help.rows.some((row) => row.some((cell) => cell && /重置密码/.test(cell.v))), 'the user template says passwords are reset by an admin');
  assert.equal((await download(c.leader, server.url, `${U}/import/template`)).status, 403);
  assert.equal((await download(c.auditor, server.url, `${US}/import/template`)).status, 403);
});

// ---- CLI ----

test('CLI: tiaodu export units|users → tiaodu import: all unchanged; a new unit by CSV, dry run first; errors name cells', async () => {
  const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000 });
  for (const [kind, path] of [['units', `${U}?include_archived=1`], ['users', US]]) {
    const out = tmp(`${kind}.xlsx`);
    let r = run('export', kind, '--db', server.db, '-o', out);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const all = await listAll(c.admin, path);
    assert.equal(sheetRecords(readFileSync(out)).rows.length, all.length, `${kind}: every record exported`);
    r = run('import', kind, out, '--db', server.db);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`rows=${all.length} inserted=0 updated=0 unchanged=${all.length}`), r.stdout);
    assert.deepEqual(await listAll(c.admin, path), all, `${kind}: an unchanged CLI import changed records`);
  }
  const bad = tmp('bad-units.csv');
  writeFileSync(bad, '单位编码,单位名称,类别,上级单位编码\r\nCLI-1,命令行专班,专班,999999\r\nCLI-2,,专班,411300\r\n');
  let r = run('import', 'units', bad, '--db', server.db);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^第2行 D列（上级单位编码）：.*999999$/m, r.stderr);
  assert.match(r.stderr, /^第3行 B列（单位名称）：必填$/m, r.stderr);
  const good = tmp('units.csv');
  writeFileSync(good, '单位编码,单位名称,类别,上级单位编码\r\nCLI-1,命令行专班,专班,411300\r\n');
  r = run('import', 'units', good, '--db', server.db, '--dry-run');
  assert.match(r.stdout, /inserted=1 /, r.stdout);
  assert.equal((await listAll(c.admin, `${U}?q=CLI-`)).length, 0, 'a CLI dry run wrote units');
  r = run('import', 'units', good, '--db', server.db);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal((await listAll(c.admin, `${U}?q=CLI-`)).length, 1);
});
