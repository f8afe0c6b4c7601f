// The audit log: every mutation and every login attempt leaves a row (who, from where, what,
// before/after); the SM3 chain is verified by `tiaodu verify-log` and GET /audit/verify; the
// database refuses UPDATE/DELETE (triggers), and a change made around them is detected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, Client, loginAs, loginMany, unitIndex, userIndex, auditTotal, dbKind,
  BIN, DEMO_PASSWORD, ADMIN_PASSWORD, STRONG_PASSWORD,
} from './helpers.mjs';

let server, c, units, users;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['admin', 'secadmin', 'auditor']);
  units = await unitIndex(c.admin);
  users = await userIndex(c.admin);
});
after(async () => { await server?.stop(); });

async function latestAudit() {
  const r = await c.auditor.get('/api/v1/audit?page_size=1');
  assert.equal(r.status, 200);
  return r.json.items[0];
}

function verifyLog(url) {
  const r = spawnSync(BIN, ['verify-log', '--db', url], { encoding: 'utf8', env: process.env });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function sqlite(file, sql) {
  return spawnSync('sqlite3', [file, sql], { encoding: 'utf8' });
}

function pgDbName(url) { return decodeURIComponent(new URL(url).pathname.slice(1)); }
function psql(db, sql) {
  return spawnSync('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], { encoding: 'utf8', env: process.env });
}

// Runs one action and checks that exactly one audit row with the expected fields was appended.
async function expectAudit(what, action, want) {
  const before = await auditTotal(c.auditor);
  const result = await action();
  const after = await auditTotal(c.auditor);
  assert.equal(after, before + 1, `${what}: expected exactly one new audit row, got ${after - before}`);
  const row = await latestAudit();
  assert.equal(row.ip, '127.0.0.1', `${what}: ip`);
  assert.match(row.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${what}: at`);
  for (const [k, v] of Object.entries(want)) {
    if (v instanceof RegExp) assert.match(String(row[k]), v, `${what}: ${k}`);
    else if (typeof v === 'function') assert.ok(v(row[k], result), `${what}: ${k} = ${JSON.stringify(row[k])}`);
    else assert.deepEqual(row[k], v, `${what}: ${k}`);
  }
  return { row, result };
}

const obj = (x) => x !== null && typeof x === 'object';

test('every login attempt is audited: success, wrong password, unknown user, locked', async () => {
  const invest = users.byName.invest;
  await expectAudit('login success', () => new Client(server.url).login('invest', DEMO_PASSWORD),
    { event: 'auth.login', username: 'invest', outcome: 'success', object_type: 'user', object_id: String(invest.id), role: 'investment_officer' });
  await expectAudit('login wrong password', () => new Client(server.url).login('invest', 'Wrong#Pass1'),
    { event: 'auth.login', username: 'invest', outcome: 'failure', object_id: String(invest.id), after: (a) => obj(a) && a.reason === 'bad_password' });
  await expectAudit('login unknown user', () => new Client(server.url).login('ghost_user', 'Wrong#Pass1'),
    { event: 'auth.login', username: 'ghost_user', outcome: 'failure', object_id: '' });
  // Lock supervisor, then a right-password attempt is audited as a failure too.
  for (let i = 0; i < 5; i++) await new Client(server.url).login('supervisor', `Wrong#Pass${i}`);
  await expectAudit('login while locked', () => new Client(server.url).login('supervisor', DEMO_PASSWORD),
    { event: 'auth.login', username: 'supervisor', outcome: 'failure' });
  await expectAudit('unlock', () => c.secadmin.post(`/api/v1/users/${users.byName.supervisor.id}/unlock`, {}),
    { event: 'user.unlock', username: 'secadmin', role: 'security_admin', object_type: 'user', object_id: String(users.byName.supervisor.id), outcome: 'success' });
});

test('every unit mutation is audited with before and after', async () => {
  const parent = units.byCode['411302'];
  const { result: made } = await expectAudit('unit.create', () => c.admin.post('/api/v1/units', { name: '审计测试单位', kind: 'department', parent_id: parent.id }),
    { event: 'unit.create', username: 'admin', role: 'sys_admin', object_type: 'unit', before: null, after: (a, r) => obj(a) && a.name === '审计测试单位' && a.id === r.json.id });
  const id = made.json.id;
  assert.equal(made.status, 201);
  const { result: renamed } = await expectAudit('unit.update', () => c.admin.put(`/api/v1/units/${id}`, { name: '审计测试单位改', version: 1 }),
    { event: 'unit.update', object_id: String(id), before: (b) => b.name === '审计测试单位' && b.version === 1, after: (a) => a.name === '审计测试单位改' && a.version === 2 });
  const { result: moved } = await expectAudit('unit.move', () => c.admin.post(`/api/v1/units/${id}/move`, { parent_id: units.byCode['411303'].id, version: renamed.json.version }),
    { event: 'unit.move', object_id: String(id), before: (b) => b.parent_id === parent.id, after: (a) => a.parent_id === units.byCode['411303'].id });
  const { result: archived } = await expectAudit('unit.archive', () => c.admin.post(`/api/v1/units/${id}/archive`, { version: moved.json.version }),
    { event: 'unit.archive', before: (b) => b.archived === false, after: (a) => a.archived === true });
  await expectAudit('unit.restore', () => c.admin.post(`/api/v1/units/${id}/restore`, { version: archived.json.version }),
    { event: 'unit.restore', before: (b) => b.archived === true, after: (a) => a.archived === false });
});

test('every user mutation and session event is audited (create, update, disable, enable, reset, role, password, logout)', async () => {
  const unit = units.byCode['T411302-01'];
  const { result: made } = await expectAudit('user.create', () => c.admin.post('/api/v1/users', { username: 'audit_user', display_name: '审计对象', role: 'reporter', unit_id: unit.id, password: STRONG_PASSWORD }),
    { event: 'user.create', object_type: 'user', before: null, after: (a) => a.username === 'audit_user' && a.role === 'reporter' });
  const u = made.json;
  const text = JSON.stringify(await latestAudit());
  assert.ok(!text.includes(STRONG_PASSWORD) && !/password_hash|argon2/i.test(text), 'the audit row leaks the password or its hash');
  const { result: upd } = await expectAudit('user.update', () => c.admin.put(`/api/v1/users/${u.id}`, { display_name: '审计对象改', version: u.version }),
    { event: 'user.update', object_id: String(u.id), before: (b) => b.display_name === '审计对象', after: (a) => a.display_name === '审计对象改' });
  const { result: dis } = await expectAudit('user.disable', () => c.admin.post(`/api/v1/users/${u.id}/disable`, { version: upd.json.version }),
    { event: 'user.disable', before: (b) => b.disabled === false, after: (a) => a.disabled === true });
  const { result: en } = await expectAudit('user.enable', () => c.admin.post(`/api/v1/users/${u.id}/enable`, { version: dis.json.version }),
    { event: 'user.enable', after: (a) => a.disabled === false });
  await expectAudit('user.reset_password', () => c.admin.post(`/api/v1/users/${u.id}/reset-password`, { password: 'Reset#Pass2024' }),
    { event: 'user.reset_password', object_id: String(u.id), username: 'admin' });
  const current = (await c.admin.get(`/api/v1/users/${u.id}`)).json;
  await expectAudit('user.role', () => c.secadmin.post(`/api/v1/users/${u.id}/role`, { role: 'leader', version: current.version }),
    { event: 'user.role', username: 'secadmin', before: (b) => b.role === 'reporter', after: (a) => a.role === 'leader' });
  assert.ok(en.status === 200);
  const me = await loginAs(server.url, 'audit_user', 'Reset#Pass2024');
  await expectAudit('password change', () => me.post('/api/v1/auth/password', { old_password: 'Reset#Pass2024', new_password: 'Mine#Pass2024' }),
    { event: 'auth.password_change', username: 'audit_user', object_id: String(u.id) });
  await expectAudit('logout', () => me.post('/api/v1/auth/logout', {}), { event: 'auth.logout', username: 'audit_user' });
});

test('refused requests (bad input, stale version) and reads write no audit rows', async () => {
  const before = await auditTotal(c.auditor);
  await c.admin.get('/api/v1/units');
  await c.admin.post('/api/v1/units', {});
  await c.admin.put(`/api/v1/units/${units.byCode['411302'].id}`, { name: 'x', version: 999 });
  assert.equal(await auditTotal(c.auditor), before);
});

test('GET /audit filters by username, event, object_type and date, newest first', async () => {
  let r = await c.auditor.get('/api/v1/audit?username=secadmin&page_size=500');
  assert.ok(r.json.items.length > 0 && r.json.items.every((x) => x.username === 'secadmin'));
  r = await c.auditor.get('/api/v1/audit?event=unit.move');
  assert.ok(r.json.items.length > 0 && r.json.items.every((x) => x.event === 'unit.move'));
  r = await c.auditor.get('/api/v1/audit?object_type=unit&page_size=500');
  assert.ok(r.json.items.every((x) => x.object_type === 'unit'));
  r = await c.auditor.get('/api/v1/audit?page_size=50');
  const ids = r.json.items.map((x) => x.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  r = await c.auditor.get('/api/v1/audit?to=2000-01-01');
  assert.equal(r.json.total, 0, 'nothing before 2000');
  for (const it of r.json.items) for (const k of ['id', 'at', 'username', 'role', 'unit_id', 'ip', 'event', 'object_type', 'object_id', 'outcome', 'before', 'after']) assert.ok(k in it, k);
});

test('`tiaodu verify-log` exits 0 and GET /audit/verify is ok on an untouched database', async () => {
  const v = verifyLog(server.db);
  assert.equal(v.code, 0, v.out);
  const api = await c.auditor.get('/api/v1/audit/verify');
  assert.equal(api.json.ok, true);
  assert.equal(api.json.first_bad_id, null);
  assert.equal(api.json.checked, await auditTotal(c.auditor));
});

test('SQLite: UPDATE and DELETE on audit_log are refused by the append-only triggers', (t) => {
  if (dbKind() !== 'sqlite') return t.skip('SQLite only');
  const up = sqlite(server.dbFile, "UPDATE audit_log SET after_json = '{}' WHERE id = 2;");
  assert.notEqual(up.status, 0, 'UPDATE audit_log succeeded');
  assert.match(up.stderr, /append-only/);
  const del = sqlite(server.dbFile, 'DELETE FROM audit_log WHERE id = 3;');
  assert.notEqual(del.status, 0, 'DELETE FROM audit_log succeeded');
  assert.match(del.stderr, /append-only/);
  assert.equal(verifyLog(server.db).code, 0);
});

test('SQLite: with the triggers dropped, an edited after_json is detected and named by id (CLI and API)', async (t) => {
  if (dbKind() !== 'sqlite') return t.skip('SQLite only');
  const row = (await c.auditor.get('/api/v1/audit?event=unit.update')).json.items[0];
  assert.ok(row, 'a unit.update row from an earlier test');
  const r = sqlite(server.dbFile, `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
    UPDATE audit_log SET after_json = replace(after_json, '审计测试单位改', '被篡改') WHERE id = ${row.id};`);
  assert.equal(r.status, 0, r.stderr);
  const v = verifyLog(server.db);
  assert.notEqual(v.code, 0, `verify-log missed the edit: ${v.out}`);
  assert.match(v.out, new RegExp(`id=${row.id}\\b`), `verify-log should name record ${row.id}: ${v.out}`);
  const api = await c.auditor.get('/api/v1/audit/verify');
  assert.equal(api.json.ok, false);
  assert.equal(api.json.first_bad_id, row.id);
});

test('SQLite: on a fresh database, deleting a row in the middle is detected and the record after the gap is named', (t) => {
  if (dbKind() !== 'sqlite') return t.skip('SQLite only');
  const dir = mkdtempSync(join(tmpdir(), 'tiaodu-audit-'));
  try {
    const file = join(dir, 'x.db');
    const url = `sqlite:${file}`;
    const env = { ...process.env, TIAODU_ADMIN_PASSWORD: ADMIN_PASSWORD, TIAODU_DEMO_PASSWORD: DEMO_PASSWORD };
    execFileSync(BIN, ['init', '--db', url], { env, stdio: 'pipe' });
    execFileSync(BIN, ['demo', '--db', url], { env, stdio: 'pipe' });
    assert.equal(verifyLog(url).code, 0);
    const ids = sqlite(file, 'SELECT id FROM audit_log ORDER BY seq;').stdout.trim().split('\n').map(Number);
    assert.ok(ids.length > 10);
    const mid = ids[Math.floor(ids.length / 2)];
    const next = ids[ids.indexOf(mid) + 1];
    const refused = sqlite(file, `DELETE FROM audit_log WHERE id = ${mid};`);
    assert.notEqual(refused.status, 0, 'the trigger should refuse the DELETE');
    const r = sqlite(file, `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = ${mid};`);
    assert.equal(r.status, 0, r.stderr);
    const v = verifyLog(url);
    assert.notEqual(v.code, 0, `verify-log missed the deletion: ${v.out}`);
    assert.match(v.out, new RegExp(`id=${next}\\b`), `verify-log should name record ${next} after the gap: ${v.out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL: UPDATE and DELETE on audit_log are refused by the trigger', (t) => {
  if (dbKind() !== 'postgresql') return t.skip('PostgreSQL only');
  const db = pgDbName(server.db);
  const up = psql(db, "UPDATE audit_log SET after_json = '{}' WHERE id = 2");
  assert.notEqual(up.status, 0, `UPDATE audit_log succeeded: ${up.stdout}`);
  assert.match(up.stderr, /append-only/);
  const del = psql(db, 'DELETE FROM audit_log WHERE id = 3');
  assert.notEqual(del.status, 0, `DELETE FROM audit_log succeeded: ${del.stdout}`);
  assert.match(del.stderr, /append-only/);
  assert.equal(verifyLog(server.db).code, 0);
});

test('PostgreSQL: TRUNCATE audit_log is refused too', (t) => {
  if (dbKind() !== 'postgresql') return t.skip('PostgreSQL only');
  const db = pgDbName(server.db);
  // Inside a transaction that is rolled back, so that the log survives even if TRUNCATE is allowed.
  const r = spawnSync('psql', ['-X', '-d', db], { input: 'BEGIN;\nTRUNCATE audit_log;\nROLLBACK;\n', encoding: 'utf8', env: process.env });
  assert.doesNotMatch(r.stdout, /^TRUNCATE TABLE$/m, 'TRUNCATE audit_log succeeded');
  assert.match(r.stderr, /append-only|permission denied/);
});

test('PostgreSQL: with the trigger disabled, an edited row is detected by verify-log and named by id', async (t) => {
  if (dbKind() !== 'postgresql') return t.skip('PostgreSQL only');
  const db = pgDbName(server.db);
  const row = (await c.auditor.get('/api/v1/audit?event=unit.update')).json.items[0];
  const r = psql(db, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
    UPDATE audit_log SET after_json = replace(after_json, '审计测试单位改', '被篡改') WHERE id = ${row.id};`);
  assert.equal(r.status, 0, r.stderr);
  const v = verifyLog(server.db);
  assert.notEqual(v.code, 0, v.out);
  assert.match(v.out, new RegExp(`id=${row.id}\\b`), v.out);
});
