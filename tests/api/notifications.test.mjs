// Notifications (消息), docs/API.md "## Notifications": every logged-in user sees only their own;
// the list with its unread filter, totals and paging; the unread count the header badge polls;
// marking one read (404 for someone else's, which stays unread) and all read (only the caller's).
// Notifications are raised here by assigning tasks to 南阳市发展和改革委员会, whose reporter is
// reporter_fgw, and by reporting them, which tells the assigning supervisor. The demo may have
// raised notifications of its own, so the tests work on deltas and on their own tasks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginMany, listAll, assertErrorFormat } from './helpers.mjs';

const API = '/api/v1';
const N = `${API}/notifications`;
const FGW = 'D411300-FGW';
const HAN = /[\u4e00-\u9fff]/;
const KINDS = ['assigned', 'reminder', 'overdue', 'escalated', 'returned', 'reported', 'accepted', 'deadline', 'cancelled'];

let server, c;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['supervisor', 'reporter_fgw', 'reporter_town', 'reporter_wancheng', 'leader', 'stat', 'auditor']);
});
after(async () => { await server?.stop(); });

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 400)}`);
  if (status >= 400) assertErrorFormat(r, what);
}
let seq = 0;
async function assign(title = `zqN 消息测试任务${++seq}`) {
  const r = await c.supervisor.post(`${API}/tasks`, { title, source: 'instruction', owner_unit: FGW });
  expectStatus(r, 201, `assign ${title}`);
  return r.json;
}
async function unread(client) {
  const r = await client.get(`${N}/unread-count`);
  expectStatus(r, 200, 'unread-count');
  assert.ok(Number.isInteger(r.json.unread) && r.json.unread >= 0, `unread ${r.text}`);
  return r.json.unread;
}
const about = (items, taskId) => items.filter((n) => n.object && n.object.kind === 'task' && n.object.id === taskId);
// The scheduler (every minute) may send reminders meanwhile, which moves the counts: runs `fn`
// again (up to three times) when the scheduler ran while it did. `fn` must be safe to repeat.
async function lastRun() {
  const r = await c.supervisor.get(`${API}/supervision/scheduler`);
  return r.status === 200 ? r.json.last_run_at : null;
}
async function quiet(fn) {
  for (let i = 0; ; i++) {
    const a = await lastRun();
    const out = await fn();
    if (a === (await lastRun()) || i === 2) return out;
  }
}
// A notification's "assigned" notice about the task, as its recipient lists it.
async function assignedNote(client, taskId) {
  const notes = about(await listAll(client, N), taskId).filter((n) => n.kind === 'assigned');
  assert.equal(notes.length, 1, `one "assigned" notice about task ${taskId}: ${JSON.stringify(notes)}`);
  return notes[0];
}

test('assigning a task notifies the owner unit\'s reporter: an unread "assigned" notice naming the task, in the documented shape; it opens the task', async () => {
  const { before, t, after: now } = await quiet(async () => {
    const b = await unread(c.reporter_fgw);
    const task = await assign('zqN 交办通知');
    return { before: b, t: task, after: await unread(c.reporter_fgw) };
  });
  assert.equal(now, before + 1, 'unread-count after one assignment');
  const n = await assignedNote(c.reporter_fgw, t.id);
  assert.deepEqual(Object.keys(n).sort(), ['at', 'body', 'id', 'kind', 'object', 'read', 'title'], `shape ${JSON.stringify(n)}`);
  assert.ok(Number.isInteger(n.id));
  assert.equal(n.read, false);
  assert.ok(HAN.test(n.title), `title ${n.title}`);
  assert.equal(typeof n.body, 'string');
  assert.ok(n.title.includes(t.title) || n.body.includes(t.title) || n.title.includes(t.code) || n.body.includes(t.code), `the notice names the task: ${JSON.stringify(n)}`);
  assert.deepEqual(n.object, { kind: 'task', id: t.id });
  assert.ok(typeof n.at === 'number' || typeof n.at === 'string', `at ${n.at}`);
  const r = await c.reporter_fgw.get(`${API}/tasks/${n.object.id}`);
  expectStatus(r, 200, 'the notice\'s task opens for its recipient');
  for (const x of await listAll(c.reporter_fgw, N)) assert.ok(KINDS.includes(x.kind), `unknown kind ${x.kind}`);
});

test('each user lists only their own notifications: others never see the reporter\'s notice', async () => {
  const t = await assign('zqN 只看自己的');
  const mine = await assignedNote(c.reporter_fgw, t.id);
  for (const who of ['reporter_town', 'reporter_wancheng', 'leader', 'stat', 'auditor']) {
    const items = await listAll(c[who], N);
    assert.ok(!items.some((x) => x.id === mine.id), `${who} lists reporter_fgw's notice ${mine.id}`);
    assert.deepEqual(about(items, t.id), [], `${who} has notices about a task that is none of theirs`);
  }
  // Roles without any task permission still have their (empty) inbox: session access.
  const r = await c.stat.get(N);
  expectStatus(r, 200, 'GET /notifications as stat');
  assert.equal(r.json.total, r.json.items.length);
  expectStatus(await c.stat.get(`${N}/unread-count`), 200, 'unread-count as stat');
});

test('GET /notifications?unread=1 lists only unread ones; total, unread and unread-count agree', async () => {
  await assign('zqN 未读一');
  await assign('zqN 未读二');
  const { all, count, un, everything } = await quiet(async () => ({
    all: await c.reporter_fgw.get(`${N}?page_size=500`),
    count: await unread(c.reporter_fgw),
    un: await listAll(c.reporter_fgw, `${N}?unread=1`),
    everything: await listAll(c.reporter_fgw, N),
  }));
  expectStatus(all, 200, 'GET /notifications');
  assert.ok(Number.isInteger(all.json.total) && Number.isInteger(all.json.unread), `list answer ${all.text.slice(0, 200)}`);
  assert.equal(all.json.page, 1);
  assert.equal(all.json.page_size, 500);
  assert.ok(count >= 2, `unread-count ${count} after two new tasks`);
  assert.equal(all.json.unread, count, 'the list\'s unread = unread-count');
  assert.equal(un.length, count, '?unread=1 lists as many as unread-count');
  for (const x of un) assert.equal(x.read, false, `?unread=1 lists a read one: ${x.id}`);
  assert.equal(everything.filter((x) => !x.read).length, count, 'unread items of the full list = unread-count');
  assert.equal(everything.length, all.json.total, 'the full list has total items');
});

test('paging: page_size=1 pages are disjoint, each answers the same total, and together give the list', async () => {
  await assign('zqN 分页一');
  await assign('zqN 分页二');
  await assign('zqN 分页三');
  const { total, pages, beyond } = await quiet(async () => {
    const first = await c.reporter_fgw.get(`${N}?page_size=1`);
    expectStatus(first, 200, 'page 1');
    const got = [];
    for (let p = 1; p <= Math.min(first.json.total, 30); p++) got.push(await c.reporter_fgw.get(`${N}?page=${p}&page_size=1`));
    return { total: first.json.total, pages: got, beyond: await c.reporter_fgw.get(`${N}?page=${first.json.total + 1}&page_size=1`) };
  });
  assert.ok(total >= 3, `total ${total}`);
  const ids = [];
  pages.forEach((r, i) => {
    expectStatus(r, 200, `page ${i + 1}`);
    assert.equal(r.json.total, total, `total on page ${i + 1}`);
    assert.equal(r.json.items.length, 1, `items on page ${i + 1}`);
    ids.push(r.json.items[0].id);
  });
  assert.equal(new Set(ids).size, ids.length, 'pages overlap');
  expectStatus(beyond, 200, 'a page beyond the end');
  assert.deepEqual(beyond.json.items, []);
  assert.equal(beyond.json.total, total);
});

test('marking one read lowers unread-count by one and drops it from ?unread=1; marking it again changes nothing', async () => {
  const t = await assign('zqN 标记已读');
  const n = await assignedNote(c.reporter_fgw, t.id);
  // (repeatable: marking an already read one leaves the count alone, so a retry measures 0, not 1)
  let first = null;
  const { before, after: now } = await quiet(async () => {
    const b = await unread(c.reporter_fgw);
    const res = await c.reporter_fgw.post(`${N}/${n.id}/read`, {});
    first ??= res;
    return { before: b, after: await unread(c.reporter_fgw) };
  });
  expectStatus(first, 200, 'POST read');
  assert.deepEqual(first.json, { ok: true });
  assert.equal(now, before - 1, 'unread-count after marking one read');
  let r;
  assert.equal((await assignedNote(c.reporter_fgw, t.id)).read, true, 'the notice is read');
  assert.ok(!(await listAll(c.reporter_fgw, `${N}?unread=1`)).some((x) => x.id === n.id), '?unread=1 still lists it');
  const again = await quiet(async () => {
    const b = await unread(c.reporter_fgw);
    r = await c.reporter_fgw.post(`${N}/${n.id}/read`, {});
    return { b, a: await unread(c.reporter_fgw) };
  });
  expectStatus(r, 200, 'POST read again');
  assert.equal(again.a, again.b, 'marking it again changed the count');
});

test('someone else\'s notification: POST read → 404 (as for a missing one), and it stays unread for its owner', async () => {
  const t = await assign('zqN 别人的消息');
  const n = await assignedNote(c.reporter_fgw, t.id);
  const { before, after: now } = await quiet(async () => {
    const b = await unread(c.reporter_fgw);
    for (const who of ['reporter_town', 'supervisor', 'leader', 'stat']) {
      const r = await c[who].post(`${N}/${n.id}/read`, {});
      expectStatus(r, 404, `POST read of reporter_fgw's notice as ${who}`);
      assert.equal(r.json.error.code, 'not_found');
    }
    expectStatus(await c.reporter_town.post(`${N}/987654321/read`, {}), 404, 'POST read of a missing notice');
    return { before: b, after: await unread(c.reporter_fgw) };
  });
  assert.equal((await assignedNote(c.reporter_fgw, t.id)).read, false, 'someone else marked the notice read');
  assert.equal(now, before);
});

test('read-all marks every unread notice of the caller only: marked = the unread count, then 0 unread; others keep theirs', async () => {
  const t = await assign('zqN 全部已读');
  // The supervisor gets a "reported" notice once the task is reported.
  let d = (await c.reporter_fgw.post(`${API}/tasks/${t.id}/receive`, { version: t.version })).json;
  d = (await c.reporter_fgw.post(`${API}/tasks/${t.id}/plan`, { plan: '方案', version: d.version })).json;
  let r = await c.reporter_fgw.request('POST', `${API}/tasks/${t.id}/files?name=${encodeURIComponent('佐证.txt')}`, Buffer.from('佐证'), { raw: true, headers: { 'content-type': 'text/plain' } });
  expectStatus(r, 201, 'upload');
  d = (await c.reporter_fgw.get(`${API}/tasks/${t.id}`)).json;
  r = await c.reporter_fgw.post(`${API}/tasks/${t.id}/report`, { result: '已办结', version: d.version });
  expectStatus(r, 200, 'report');
  assert.ok(about(await listAll(c.supervisor, `${N}?unread=1`), t.id).some((x) => x.kind === 'reported'), 'the supervisor has an unread "reported" notice');
  // (repeatable: a second read-all marks what the scheduler added meanwhile, and is measured anew)
  const m = await quiet(async () => {
    const sup = await unread(c.supervisor);
    const fgw = await unread(c.reporter_fgw);
    const res = await c.reporter_fgw.post(`${N}/read-all`, {});
    return { sup, fgw, res, fgwAfter: await unread(c.reporter_fgw), supAfter: await unread(c.supervisor),
      unreadList: (await c.reporter_fgw.get(`${N}?unread=1`)).json, everything: await listAll(c.reporter_fgw, N) };
  });
  assert.ok(m.fgw >= 1 || m.res.json?.marked === 0, 'reporter_fgw had unread notices');
  expectStatus(m.res, 200, 'read-all');
  assert.deepEqual(m.res.json, { marked: m.fgw });
  assert.equal(m.fgwAfter, 0);
  assert.equal(m.unreadList.total, 0);
  assert.ok(m.everything.every((x) => x.read), 'every notice of the caller is read');
  assert.ok(m.sup >= 1, 'the supervisor has unread notices');
  assert.equal(m.supAfter, m.sup, 'read-all of one user marked another\'s notices');
  const again = await quiet(async () => {
    await c.reporter_fgw.post(`${N}/read-all`, {});
    return c.reporter_fgw.post(`${N}/read-all`, {});
  });
  expectStatus(again, 200, 'read-all again');
  assert.deepEqual(again.json, { marked: 0 });
  // New notices after read-all are unread again.
  const t2 = await assign('zqN 之后的新消息');
  assert.equal((await assignedNote(c.reporter_fgw, t2.id)).read, false);
  assert.ok(await unread(c.reporter_fgw) >= 1);
});

test('without a session the inbox answers 401', async () => {
  for (const [m, p] of [['GET', N], ['GET', `${N}/unread-count`], ['POST', `${N}/read-all`], ['POST', `${N}/1/read`]]) {
    const res = await fetch(`${server.url}${p}`, { method: m, headers: m === 'POST' ? { 'content-type': 'application/json' } : {}, body: m === 'POST' ? '{}' : undefined });
    assert.equal(res.status, 401, `${m} ${p}`);
  }
});
