// Authentication and the three separated admin roles: cookies, CSRF token, lockout, unlock,
// logout, password change, who may create which users, and no default admin password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, loginAs, Client, loginMany, userIndex, unitIndex, assertErrorFormat,
  BIN, DEMO_PASSWORD, ROLE_PERMISSIONS, ADMIN_ROLES, STRONG_PASSWORD,
} from './helpers.mjs';

const CJK = /[\u4e00-\u9fff]/;
let server, c, users, units;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['admin', 'secadmin', 'auditor', 'leader']);
  users = await userIndex(c.admin);
  units = await unitIndex(c.admin);
});
after(async () => { await server?.stop(); });

async function rawLogin(username, password) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  return { status: res.status, setCookie: res.headers.get('set-cookie') || '', json: await res.json().catch(() => null) };
}

test('login sets an HttpOnly SameSite=Strict Path=/ session cookie and answers csrf_token and user', async () => {
  const r = await rawLogin('stat', DEMO_PASSWORD);
  assert.equal(r.status, 200);
  assert.match(r.setCookie, /^tiaodu_session=[0-9a-f]{32,};/);
  assert.match(r.setCookie, /;\s*HttpOnly/i);
  assert.match(r.setCookie, /;\s*SameSite=Strict/i);
  assert.match(r.setCookie, /;\s*Path=\//);
  assert.equal(typeof r.json.csrf_token, 'string');
  assert.ok(r.json.csrf_token.length >= 16, 'csrf_token too short');
  assert.equal(r.json.user.username, 'stat');
  assert.equal(r.json.user.role, 'statistician');
  for (const k of ['id', 'username', 'display_name', 'role', 'role_name', 'unit_id', 'unit_code', 'unit_name', 'disabled', 'locked', 'must_change_password', 'last_login_at', 'version'])
    assert.ok(k in r.json.user, `user.${k} missing`);
  assert.ok(!JSON.stringify(r.json).match(/hash|argon/i), 'the login answer leaks a password hash');
  assert.ok(!r.setCookie.includes(r.json.csrf_token), 'the CSRF token must not be the cookie');
});

test('GET /auth/me returns the user, the role permissions and the session CSRF token', async () => {
  const leader = await loginAs(server.url, 'leader');
  const me = await leader.get('/api/v1/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.username, 'leader');
  assert.equal(me.json.user.unit_code, '411300');
  assert.deepEqual([...me.json.permissions].sort(), [...ROLE_PERMISSIONS.leader].sort());
  assert.equal(me.json.csrf_token, leader.csrf);
});

test('wrong password and unknown user → 401 with the same Chinese message (no user enumeration)', async () => {
  const a = await new Client(server.url).post('/api/v1/auth/login', { username: 'project', password: 'Wrong#Pass2024' });
  const b = await new Client(server.url).post('/api/v1/auth/login', { username: 'no_such_user', password: 'Wrong#Pass2024' });
  for (const r of [a, b]) {
    assert.equal(r.status, 401);
    assertErrorFormat(r, 'login failure');
    assert.equal(r.json.error.code, 'unauthenticated');
    assert.match(r.json.error.message, CJK);
    assert.ok(!r.headers.get('set-cookie')?.match(/tiaodu_session=[0-9a-f]/), 'a failed login must not set a session');
  }
  assert.equal(a.json.error.message, b.json.error.message);
  // One good login resets the failure counter for the next tests.
  assert.equal((await rawLogin('project', DEMO_PASSWORD)).status, 200);
});

test('5 wrong passwords lock the account (423), the right password is refused while locked, security admin unlock restores login', async () => {
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await rawLogin('supervisor', `Wrong#Pass${i}x`)).status);
  assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401]);
  assert.ok([401, 423].includes(statuses[4]), `5th failure: ${statuses[4]}`);
  const locked = await new Client(server.url).post('/api/v1/auth/login', { username: 'supervisor', password: DEMO_PASSWORD });
  assert.equal(locked.status, 423, 'the right password must be refused while locked');
  assertErrorFormat(locked, 'locked');
  assert.equal(locked.json.error.code, 'locked');
  assert.match(locked.json.error.message, CJK);
  const sup = users.byName.supervisor;
  const shown = await c.secadmin.get(`/api/v1/users/${sup.id}`);
  assert.equal(shown.json.locked, true, 'the user shows as locked');
  // sys_admin and auditor cannot unlock; the security admin can.
  assert.equal((await c.admin.post(`/api/v1/users/${sup.id}/unlock`, {})).status, 403);
  assert.equal((await c.auditor.post(`/api/v1/users/${sup.id}/unlock`, {})).status, 403);
  const un = await c.secadmin.post(`/api/v1/users/${sup.id}/unlock`, {});
  assert.equal(un.status, 200, un.text);
  assert.equal(un.json.locked, false);
  assert.equal((await rawLogin('supervisor', DEMO_PASSWORD)).status, 200);
});

test('logout ends the session: /auth/me → 401 afterwards, with the old cookie too', async () => {
  const u = await loginAs(server.url, 'invest');
  const cookie = u.cookie;
  assert.equal((await u.get('/api/v1/auth/me')).status, 200);
  const r = await u.post('/api/v1/auth/logout', {});
  assert.equal(r.status, 200);
  const old = new Client(server.url);
  old.cookie = cookie;
  assert.equal((await old.get('/api/v1/auth/me')).status, 401);
});

test('every login gets a new session id and CSRF token; both sessions work independently', async () => {
  const a = await loginAs(server.url, 'stat_wancheng');
  const b = await loginAs(server.url, 'stat_wancheng');
  assert.notEqual(a.cookie, b.cookie);
  assert.notEqual(a.csrf, b.csrf);
  assert.equal((await a.get('/api/v1/auth/me')).status, 200);
  assert.equal((await b.get('/api/v1/auth/me')).status, 200);
  // A's CSRF token is not valid for B's session.
  const cross = new Client(server.url);
  cross.cookie = b.cookie;
  cross.csrf = a.csrf;
  assert.equal((await cross.post('/api/v1/auth/password', {})).status, 403);
});

test('password change: weak passwords → 400 with details; success ends the other sessions, keeps this one', async () => {
  const a = await loginAs(server.url, 'reporter_town');
  const b = await loginAs(server.url, 'reporter_town');
  for (const weak of ['Ab#1', 'abcdefghij12', 'ABCDEFGHIJ!!', 'abcdefghijkl']) {
    const r = await a.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: weak });
    assert.equal(r.status, 400, `weak password "${weak}" accepted: ${r.text}`);
    assertErrorFormat(r, `weak ${weak}`);
    assert.ok(r.json.error.details.length > 0, `no details for "${weak}"`);
    assert.match(r.json.error.details.map((d) => d.reason).join(), CJK);
  }
  const wrongOld = await a.post('/api/v1/auth/password', { old_password: 'Not#Theold1', new_password: STRONG_PASSWORD });
  assert.equal(wrongOld.status, 400);
  assert.equal((await b.get('/api/v1/auth/me')).status, 200, 'failed changes must not end sessions');
  const ok = await a.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: STRONG_PASSWORD });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await a.get('/api/v1/auth/me')).status, 200, 'the changing session continues');
  assert.equal((await b.get('/api/v1/auth/me')).status, 401, 'the other session must end');
  assert.equal((await rawLogin('reporter_town', DEMO_PASSWORD)).status, 401, 'the old password still works');
  assert.equal((await rawLogin('reporter_town', STRONG_PASSWORD)).status, 200);
});

test('password change complexity details name the new_password field', async () => {
  const a = await loginAs(server.url, 'leader_wancheng');
  const r = await a.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: 'short' });
  assert.equal(r.status, 400);
  assert.ok(r.json.error.details.every((d) => d.field === 'new_password'), JSON.stringify(r.json.error.details));
});

test('the system admin cannot create admin-role users (403) but creates business users (201, must change password)', async () => {
  const unit = units.byCode['411302'].id;
  for (const role of ADMIN_ROLES) {
    const r = await c.admin.post('/api/v1/users', { username: `adm_${role}`, display_name: '管理员', role, unit_id: unit, password: STRONG_PASSWORD });
    assert.equal(r.status, 403, `sys_admin created a ${role}: ${r.status} ${r.text}`);
    assertErrorFormat(r, role);
  }
  for (const role of Object.keys(ROLE_PERMISSIONS).filter((x) => !ADMIN_ROLES.includes(x))) {
    const r = await c.admin.post('/api/v1/users', { username: `biz_${role}`, display_name: '业务用户', role, unit_id: unit, password: STRONG_PASSWORD });
    assert.equal(r.status, 201, `${role}: ${r.text}`);
    assert.equal(r.json.role, role);
    assert.equal(r.json.must_change_password, true, 'an admin-set password must be changed at first login');
  }
  const after = await userIndex(c.admin);
  for (const role of ADMIN_ROLES) assert.ok(!after.byName[`adm_${role}`], `adm_${role} exists`);
});

test('the security admin changes roles (200, ends that user\'s sessions) but cannot create users (403)', async () => {
  const created = (await userIndex(c.admin)).byName.biz_leader;
  assert.ok(created, 'biz_leader from the previous test');
  const victim = await (async () => {
    // biz_leader must change the password first? Login works either way; the session must end on role change.
    const x = new Client(server.url);
    const r = await x.login('biz_leader', STRONG_PASSWORD);
    assert.equal(r.status, 200, r.text);
    return x;
  })();
  const r = await c.secadmin.post(`/api/v1/users/${created.id}/role`, { role: 'security_admin', version: created.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.role, 'security_admin');
  assert.equal((await victim.get('/api/v1/auth/me')).status, 401, 'the role change must end the user\'s sessions');
  const stale = await c.secadmin.post(`/api/v1/users/${created.id}/role`, { role: 'leader', version: created.version });
  assert.equal(stale.status, 409, 'a stale role change');
  const make = await c.secadmin.post('/api/v1/users', { username: 'sec_made', display_name: '安全', role: 'leader', unit_id: units.byCode['411302'].id, password: STRONG_PASSWORD });
  assert.equal(make.status, 403);
  const self = await c.secadmin.post(`/api/v1/users/${users.byName.secadmin.id}/role`, { role: 'sys_admin', version: users.byName.secadmin.version });
  assert.ok([403, 422].includes(self.status), `secadmin changed its own role: ${self.status}`);
});

test('sys_admin cannot read /audit (403); the auditor can, and cannot POST /users (403)', async () => {
  assert.equal((await c.admin.get('/api/v1/audit')).status, 403);
  assert.equal((await c.admin.get('/api/v1/audit/verify')).status, 403);
  assert.equal((await c.secadmin.get('/api/v1/audit')).status, 403);
  const a = await c.auditor.get('/api/v1/audit');
  assert.equal(a.status, 200);
  assert.ok(a.json.items.length > 0);
  const r = await c.auditor.post('/api/v1/users', { username: 'aud_made', display_name: '审计', role: 'leader', unit_id: units.byCode['411302'].id, password: STRONG_PASSWORD });
  assert.equal(r.status, 403);
  assert.equal((await c.auditor.get('/api/v1/users')).status, 403);
  assert.equal((await c.auditor.get('/api/v1/units')).status, 403);
});

test('三员分立: the system admin cannot take over the security or audit admin (reset password, disable)', async () => {
  const problems = [];
  for (const name of ['secadmin', 'auditor']) {
    const u = (await c.admin.get(`/api/v1/users/${users.byName[name].id}`)).json;
    const reset = await c.admin.post(`/api/v1/users/${u.id}/reset-password`, { password: 'Taken#Over2024' });
    if (reset.status !== 403) problems.push(`reset-password of ${name}: ${reset.status}`);
    const now = (await c.admin.get(`/api/v1/users/${u.id}`)).json;
    const dis = await c.admin.post(`/api/v1/users/${u.id}/disable`, { version: now.version });
    if (dis.status !== 403) problems.push(`disable of ${name}: ${dis.status}`);
  }
  assert.deepEqual(problems, []);
});

test('a disabled user cannot log in and their sessions end', async () => {
  const u = await loginAs(server.url, 'project');
  const p = (await c.admin.get(`/api/v1/users/${users.byName.project.id}`)).json;
  const r = await c.admin.post(`/api/v1/users/${p.id}/disable`, { version: p.version });
  assert.equal(r.status, 200, r.text);
  assert.equal((await u.get('/api/v1/auth/me')).status, 401);
  assert.equal((await rawLogin('project', DEMO_PASSWORD)).status, 401);
  const e = await c.admin.post(`/api/v1/users/${p.id}/enable`, { version: r.json.version });
  assert.equal(e.status, 200, e.text);
  assert.equal((await rawLogin('project', DEMO_PASSWORD)).status, 200);
  const self = await c.admin.post(`/api/v1/users/${users.byName.admin.id}/disable`, { version: users.byName.admin.version });
  assert.ok([403, 422].includes(self.status), `admin disabled itself: ${self.status}`);
});

test('no default password: `tiaodu init` without TIAODU_ADMIN_PASSWORD prints a random strong password, different per database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiaodu-init-'));
  try {
    const env = { ...process.env };
    delete env.TIAODU_ADMIN_PASSWORD;
    const pw = [];
    for (const name of ['a.db', 'b.db']) {
      const out = execFileSync(BIN, ['init', '--db', `sqlite:${join(dir, name)}`], { env, encoding: 'utf8' });
      const m = /initial password:\s*(\S+)/.exec(out);
      assert.ok(m, `init printed no password:\n${out}`);
      pw.push(m[1]);
      const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(m[1])).length;
      assert.ok(m[1].length >= 8 && kinds >= 3, `weak generated password ${m[1]}`);
      assert.notEqual(m[1], 'Admin#2024pass');
    }
    assert.notEqual(pw[0], pw[1], 'two installations got the same password');
    // A second init of the same database does not print or change the password.
    const again = execFileSync(BIN, ['init', '--db', `sqlite:${join(dir, 'a.db')}`], { env, encoding: 'utf8' });
    assert.ok(!again.includes(pw[0]), 'a re-init printed the password again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
