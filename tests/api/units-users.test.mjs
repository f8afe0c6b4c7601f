// The unit tree and user administration: versions and optimistic concurrency, moves without
// cycles, archive/restore rules, GB/T 2260 codes, duplicates, user paging and filters, scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, loginMany, listAll, unitIndex, subtreeIds, userIndex, assertErrorFormat, STRONG_PASSWORD,
} from './helpers.mjs';

let server, c, units;
const U = '/api/v1/units';

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['admin', 'sysadmin_wancheng', 'leader']);
  units = await unitIndex(c.admin);
});
after(async () => { await server?.stop(); });

const get = async (id) => (await c.admin.get(`${U}/${id}`)).json;

test('unit lifecycle: create → rename → move → archive → restore, each bumping version', async () => {
  const wancheng = units.byCode['411302'];
  const wolong = units.byCode['411303'];
  let r = await c.admin.post(U, { code: 'D411302-TEST', name: '宛城区测试局', kind: 'department', parent_id: wancheng.id });
  assert.equal(r.status, 201, r.text);
  let u = r.json;
  assert.equal(u.version, 1);
  assert.equal(u.parent_id, wancheng.id);
  assert.equal(u.kind_name, '部门');
  assert.equal(u.archived, false);
  assert.deepEqual(await get(u.id), u);

  r = await c.admin.put(`${U}/${u.id}`, { name: '宛城区测试中心', version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, '宛城区测试中心');
  assert.equal(r.json.code, 'D411302-TEST', 'rename keeps the code');
  assert.equal(r.json.version, 2);

  r = await c.admin.post(`${U}/${u.id}/move`, { parent_id: wolong.id, version: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.parent_id, wolong.id);
  assert.equal(r.json.version, 3);
  // Moved out of 宛城区: its sys_admin no longer sees it.
  assert.equal((await c.sysadmin_wancheng.get(`${U}/${u.id}`)).status, 404);

  r = await c.admin.post(`${U}/${u.id}/archive`, { version: 3 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.archived, true);
  assert.equal(r.json.version, 4);
  const listed = (await listAll(c.admin, U)).map((x) => x.id);
  assert.ok(!listed.includes(u.id), 'an archived unit is hidden from the default list');
  const withArchived = (await listAll(c.admin, `${U}?include_archived=1`)).map((x) => x.id);
  assert.ok(withArchived.includes(u.id), 'include_archived=1 lists it');

  r = await c.admin.post(`${U}/${u.id}/restore`, { version: 4 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.archived, false);
  assert.equal(r.json.version, 5);
});

test('a stale version → 409 conflict and nothing changes (rename, move, archive, restore)', async () => {
  const parent = units.byCode['411302'];
  const made = (await c.admin.post(U, { name: '并发测试单位', kind: 'department', parent_id: parent.id })).json;
  const fresh = (await c.admin.put(`${U}/${made.id}`, { name: '并发测试单位二', version: 1 })).json;
  assert.equal(fresh.version, 2);
  const stale = [
    () => c.admin.put(`${U}/${made.id}`, { name: '过期写入', version: 1 }),
    () => c.admin.post(`${U}/${made.id}/move`, { parent_id: units.byCode['411303'].id, version: 1 }),
    () => c.admin.post(`${U}/${made.id}/archive`, { version: 1 }),
    () => c.admin.post(`${U}/${made.id}/restore`, { version: 1 }),
    () => c.admin.put(`${U}/${made.id}`, { name: '未来版本', version: 99 }),
  ];
  for (const run of stale) {
    const r = await run();
    assert.equal(r.status, 409, r.text);
    assertErrorFormat(r, 'stale');
    assert.equal(r.json.error.code, 'conflict');
    assert.deepEqual(await get(made.id), fresh, 'a refused write changed the unit');
  }
});

test('moving a unit under itself or its own descendant → 400 and nothing changes', async () => {
  const top = (await c.admin.post(U, { name: '循环测试上级', kind: 'department', parent_id: units.byCode['411302'].id })).json;
  const child = (await c.admin.post(U, { name: '循环测试下级', kind: 'department', parent_id: top.id })).json;
  const grandchild = (await c.admin.post(U, { name: '循环测试再下级', kind: 'department', parent_id: child.id })).json;
  for (const target of [child, grandchild, top]) {
    const r = await c.admin.post(`${U}/${top.id}/move`, { parent_id: target.id, version: top.version });
    assert.equal(r.status, 400, `move under ${target.name}: ${r.status} ${r.text}`);
    assertErrorFormat(r, 'cycle');
  }
  assert.deepEqual(await get(top.id), top);
  // The root cannot be moved either.
  const root = units.byCode['411300'];
  const r = await c.admin.post(`${U}/${root.id}/move`, { parent_id: child.id, version: root.version });
  assert.ok([400, 403, 422].includes(r.status), `moving the root: ${r.status}`);
  assert.deepEqual(await get(root.id), root);
});

test('archiving a unit with active children → 422; archiving a child first works; restoring under an archived parent → 422', async () => {
  const top = (await c.admin.post(U, { name: '撤销测试上级', kind: 'department', parent_id: units.byCode['411303'].id })).json;
  const child = (await c.admin.post(U, { name: '撤销测试下级', kind: 'department', parent_id: top.id })).json;
  let r = await c.admin.post(`${U}/${top.id}/archive`, { version: top.version });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'failed_precondition');
  assert.deepEqual(await get(top.id), top);
  // The demo 宛城区 has children and users.
  const wc = units.byCode['411302'];
  assert.equal((await c.admin.post(`${U}/${wc.id}/archive`, { version: wc.version })).status, 422);
  // A unit with users cannot be archived.
  const town = units.byCode['T411302-02'];
  assert.equal((await c.admin.post(`${U}/${town.id}/archive`, { version: town.version })).status, 422, 'archive of a unit with users');

  r = await c.admin.post(`${U}/${child.id}/archive`, { version: child.version });
  assert.equal(r.status, 200, r.text);
  const archivedChild = r.json;
  r = await c.admin.post(`${U}/${top.id}/archive`, { version: top.version });
  assert.equal(r.status, 200, r.text);
  r = await c.admin.post(`${U}/${child.id}/restore`, { version: archivedChild.version });
  assert.equal(r.status, 422, `restore under an archived parent: ${r.status} ${r.text}`);
  // Nothing can be created under an archived unit.
  r = await c.admin.post(U, { name: '撤销单位下的新单位', kind: 'department', parent_id: top.id });
  assert.equal(r.status, 400, r.text);
});

test('an administrative unit (district/county) with an invalid GB/T 2260 code → 400 naming code', async () => {
  const root = units.byCode['411300'];
  const before = (await listAll(c.admin, `${U}?include_archived=1`)).length;
  for (const [kind, code] of [['district', '123'], ['district', '999999'], ['county', 'ABCDEF'], ['county', '41130'], ['district', '4113021'], ['district', ''], ['county_city', '411300x']]) {
    const body = { name: '错误行政区', kind, parent_id: root.id };
    if (code) body.code = code;
    const r = await c.admin.post(U, body);
    assert.equal(r.status, 400, `${kind} with code "${code}": ${r.status} ${r.text}`);
    assertErrorFormat(r, code);
    assert.ok(r.json.error.details.some((d) => d.field === 'code'), `details should name code: ${r.text}`);
  }
  // Changing an existing district's code to an invalid one is refused as well.
  const wc = units.byCode['411302'];
  const r = await c.admin.put(`${U}/${wc.id}`, { code: '999999', version: wc.version });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(await get(wc.id), wc);
  assert.equal((await listAll(c.admin, `${U}?include_archived=1`)).length, before);
});

test('a duplicate unit code → 409 on create and on update', async () => {
  const root = units.byCode['411300'];
  let r = await c.admin.post(U, { code: '411302', name: '重复的宛城区', kind: 'district', parent_id: root.id });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'conflict');
  r = await c.admin.post(U, { code: 'D411300-TJJ', name: '重复的统计局', kind: 'department', parent_id: root.id });
  assert.equal(r.status, 409, r.text);
  const dept = units.byCode['D411302-FGW'];
  r = await c.admin.put(`${U}/${dept.id}`, { code: 'D411302-TJJ', version: dept.version });
  assert.equal(r.status, 409, r.text);
  assert.deepEqual(await get(dept.id), dept);
});

test('unit list filters: q, kind, parent_id, paging', async () => {
  const wc = units.byCode['411302'];
  let r = await c.leader.get(`${U}?kind=district`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((u) => u.code).sort(), ['411302', '411303']);
  r = await c.leader.get(`${U}?parent_id=${wc.id}&page_size=500`);
  assert.ok(r.json.items.length > 0 && r.json.items.every((u) => u.parent_id === wc.id), 'parent_id filter');
  r = await c.leader.get(`${U}?q=${encodeURIComponent('瓦店')}`);
  assert.deepEqual(r.json.items.map((u) => u.code), ['T411302-02']);
  const p1 = await c.leader.get(`${U}?page=1&page_size=5`);
  const p2 = await c.leader.get(`${U}?page=2&page_size=5`);
  assert.equal(p1.json.items.length, 5);
  assert.equal(p1.json.page_size, 5);
  assert.equal(p2.json.page, 2);
  assert.equal(p1.json.total, p2.json.total);
  const ids = new Set([...p1.json.items, ...p2.json.items].map((u) => u.id));
  assert.equal(ids.size, 10, 'pages overlap');
  r = await c.leader.get(`${U}?page_size=100000`);
  assert.ok(r.status === 400 || r.json.items.length <= 500, 'page_size above 500');
  r = await c.leader.get(`${U}?parent_id=abc`);
  assert.equal(r.status, 400);
});

test('user CRUD: create, read, edit with version, stale edit → 409 unchanged, disable/enable, reset password', async () => {
  const town = units.byCode['T411302-01'];
  let r = await c.admin.post('/api/v1/users', { username: 'crud_user', display_name: '增删改查', role: 'reporter', unit_id: town.id, password: STRONG_PASSWORD });
  assert.equal(r.status, 201, r.text);
  const u = r.json;
  assert.equal(u.version, 1);
  assert.equal(u.unit_id, town.id);
  assert.equal(u.unit_code, 'T411302-01');
  assert.equal(u.role_name, '填报员');
  assert.deepEqual((await c.admin.get(`/api/v1/users/${u.id}`)).json, u);

  r = await c.admin.post('/api/v1/users', { username: 'crud_user', display_name: '重名', role: 'reporter', unit_id: town.id, password: STRONG_PASSWORD });
  assert.equal(r.status, 409, `duplicate username: ${r.text}`);

  r = await c.admin.put(`/api/v1/users/${u.id}`, { display_name: '改名了', unit_id: units.byCode['T411302-03'].id, version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.display_name, '改名了');
  assert.equal(r.json.unit_code, 'T411302-03');
  assert.equal(r.json.version, 2);
  const current = r.json;

  r = await c.admin.put(`/api/v1/users/${u.id}`, { display_name: '过期写入', version: 1 });
  assert.equal(r.status, 409, r.text);
  assert.deepEqual((await c.admin.get(`/api/v1/users/${u.id}`)).json, current, 'a stale edit changed the user');
  r = await c.admin.post(`/api/v1/users/${u.id}/disable`, { version: 1 });
  assert.equal(r.status, 409, 'stale disable');

  r = await c.admin.post(`/api/v1/users/${u.id}/disable`, { version: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, true);
  r = await c.admin.post(`/api/v1/users/${u.id}/enable`, { version: r.json.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, false);

  r = await c.admin.post(`/api/v1/users/${u.id}/reset-password`, { password: 'short' });
  assert.equal(r.status, 400, 'a weak reset password');
  r = await c.admin.post(`/api/v1/users/${u.id}/reset-password`, { password: 'Reset#Pass2024' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.must_change_password, true);

  r = await c.admin.put(`/api/v1/users/${u.id}`, { display_name: '', version: r.json.version });
  assert.equal(r.status, 400, 'an empty display_name');
  r = await c.admin.post('/api/v1/users', { username: 'Bad Name', display_name: 'x', role: 'nonsense', unit_id: town.id, password: 'weak' });
  assert.equal(r.status, 400);
  const fields = r.json.error.details.map((d) => d.field);
  for (const f of ['username', 'role', 'password']) assert.ok(fields.includes(f), `details should name ${f}: ${r.text}`);
});

test('user list pages and filters by q, role and unit_id', async () => {
  const all = await listAll(c.admin, '/api/v1/users');
  const p1 = await c.admin.get('/api/v1/users?page=1&page_size=3');
  const p2 = await c.admin.get('/api/v1/users?page=2&page_size=3');
  assert.equal(p1.status, 200);
  assert.equal(p1.json.page_size, 3);
  assert.equal(p1.json.items.length, 3);
  assert.equal(p1.json.total, all.length);
  assert.equal(new Set([...p1.json.items, ...p2.json.items].map((u) => u.id)).size, 6, 'pages overlap');

  let r = await c.admin.get('/api/v1/users?role=statistician');
  assert.deepEqual(r.json.items.map((u) => u.username).sort(), ['stat', 'stat_wancheng']);
  assert.equal(r.json.total, 2);
  r = await c.admin.get('/api/v1/users?q=wancheng');
  assert.deepEqual(r.json.items.map((u) => u.username).sort(), ['leader_wancheng', 'reporter_wancheng', 'stat_wancheng', 'supervisor_wancheng', 'sysadmin_wancheng'].sort());
  r = await c.admin.get(`/api/v1/users?q=${encodeURIComponent('王市长')}`);
  assert.deepEqual(r.json.items.map((u) => u.username), ['leader'], 'q matches display_name');
  r = await c.admin.get(`/api/v1/users?unit_id=${units.byCode['T411302-02'].id}`);
  assert.ok(r.json.items.map((u) => u.username).includes('reporter_town'));
  assert.ok(r.json.items.every((u) => u.unit_id === units.byCode['T411302-02'].id));
  r = await c.admin.get('/api/v1/users?unit_id=abc');
  assert.equal(r.status, 400);
  r = await c.admin.get('/api/v1/users?role=leader&q=wancheng');
  assert.deepEqual(r.json.items.map((u) => u.username), ['leader_wancheng'], 'filters combine');
});

test('user search treats % and _ literally (no LIKE wildcards)', async () => {
  const all = await listAll(c.admin, '/api/v1/users');
  const want = all.filter((u) => u.username.includes('_') || u.display_name.includes('_')).map((u) => u.username).sort();
  const r = await c.admin.get('/api/v1/users?q=_&page_size=500');
  assert.deepEqual(r.json.items.map((u) => u.username).sort(), want);
  const pct = await c.admin.get(`/api/v1/users?q=${encodeURIComponent('%')}&page_size=500`);
  assert.deepEqual(pct.json.items, []);
});

test('the user list of sysadmin_wancheng contains exactly the users of 宛城区', async () => {
  const wc = units.byCode['411302'];
  const tree = subtreeIds((await unitIndex(c.admin)).units, wc.id);
  const all = await listAll(c.admin, '/api/v1/users');
  const mine = await listAll(c.sysadmin_wancheng, '/api/v1/users');
  assert.ok(mine.length > 0);
  for (const u of mine) assert.ok(tree.has(u.unit_id), `${u.username} (unit ${u.unit_name}) is outside 宛城区`);
  assert.deepEqual(mine.map((u) => u.username).sort(), all.filter((u) => tree.has(u.unit_id)).map((u) => u.username).sort());
  const users = await userIndex(c.admin);
  assert.equal((await c.sysadmin_wancheng.get(`/api/v1/users/${users.byName.leader.id}`)).status, 404);
  assert.equal((await c.sysadmin_wancheng.get(`/api/v1/users/${users.byName.reporter_town.id}`)).status, 200);
});
