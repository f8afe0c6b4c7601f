// The 13710 scheduler across real server restarts: a task of 瓦店镇 is assigned on a Monday;
// the server is killed (SIGKILL, no clean shutdown) and started again on the Tuesday, then
// killed again and started on the Friday. Each start runs its scheduler every second on a
// clock set by `serve --now`. What fell due while the server was down is sent after the
// restart, and no notice is sent twice — not even after several more ticks.
// The week of 2026-12-07 has no holiday: receipt due Monday, plan and first feedback due
// Thursday (3 working days later).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginAs, BIN, ADMIN_PASSWORD, DEMO_PASSWORD } from './helpers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

// Starts `tiaodu serve` on an existing database with the clock at `now` (Beijing time).
async function serveAt(db, now) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web-root', join(root, 'web', 'dist'),
    '--now', now, '--scheduler-seconds', '1'],
  { env: { ...process.env, TIAODU_ADMIN_PASSWORD: ADMIN_PASSWORD, TIAODU_DEMO_PASSWORD: DEMO_PASSWORD }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`serve exited: ${stderr}`);
    try { if ((await fetch(`${url}/api/v1/health`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, proc };
}

async function crash(proc) {
  if (proc.exitCode !== null) return;
  proc.kill('SIGKILL');
  await new Promise((r) => proc.once('exit', r));
}

// Waits until the scheduler has run at least `ticks` more times after this call.
async function waitTicks(client, ticks = 2) {
  const first = (await client.get('/api/v1/supervision/scheduler')).json.last_run_at ?? 0;
  let seen = 0, last = first;
  for (let i = 0; i < 200 && seen < ticks; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = (await client.get('/api/v1/supervision/scheduler')).json.last_run_at ?? 0;
    if (now > last) { seen++; last = now; }
  }
  assert.ok(seen >= ticks, 'the scheduler should keep ticking');
}

async function noticesOf(client, taskId) {
  const r = await client.get('/api/v1/notifications?page_size=500');
  assert.equal(r.status, 200);
  return r.json.items.filter((n) => n.object && n.object.id === taskId);
}

test('a restarted server sends what fell due while it was down, once, and never repeats a notice', async () => {
  const first = await startServer({ extraArgs: ['--now', '2026-12-07T09:00', '--scheduler-seconds', '1'] });
  let current = first;
  try {
    const supervisor = await loginAs(first.url, 'supervisor');
    const made = await supervisor.post('/api/v1/tasks', {
      title: '瓦店镇农村生活污水治理项目用地协调', source: 'instruction', source_ref: '王市长批示〔2026〕88号',
      owner_unit: 'T411302-02',
    });
    assert.equal(made.status, 201, made.text);
    const id = made.json.id;
    assert.equal(made.json.completion_due, '2026-12-21');
    await waitTicks(supervisor);
    const town0 = await loginAs(first.url, 'reporter_town');
    assert.deepEqual((await noticesOf(town0, id)).map((n) => n.kind), ['assigned']);
    await crash(first.proc);

    // Tuesday: the receipt is one working day late → a yellow notice, sent by the new process.
    current = await serveAt(first.db, '2026-12-08T09:00');
    const sup2 = await loginAs(current.url, 'supervisor');
    await waitTicks(sup2);
    const town2 = await loginAs(current.url, 'reporter_town');
    const tuesday = await noticesOf(town2, id);
    assert.deepEqual(tuesday.map((n) => n.kind).sort(), ['assigned', 'overdue']);
    assert.equal((await sup2.get(`/api/v1/tasks/${id}`)).json.light, 'yellow');
    await crash(current.proc);

    // Friday, after three days down: receipt red, plan and feedback yellow, one escalation to 宛城区.
    current = await serveAt(first.db, '2026-12-11T09:00');
    const sup3 = await loginAs(current.url, 'supervisor');
    await waitTicks(sup3, 3);
    const town3 = await loginAs(current.url, 'reporter_town');
    const friday = await noticesOf(town3, id);
    const overdue = friday.filter((n) => n.kind === 'overdue');
    assert.equal(overdue.length, 4, JSON.stringify(overdue.map((n) => n.title)));
    assert.equal(new Set(friday.map((n) => n.title)).size, friday.length, 'no notice twice');
    const district = await loginAs(current.url, 'leader_wancheng');
    const escalated = (await noticesOf(district, id)).filter((n) => n.kind === 'escalated');
    assert.equal(escalated.length, 1);
    const task = (await sup3.get(`/api/v1/tasks/${id}`)).json;
    assert.equal(task.light, 'red');
    assert.equal(task.escalated_to.code, '411302');
    // More ticks change nothing.
    await waitTicks(sup3, 2);
    assert.equal((await noticesOf(town3, id)).length, friday.length);
  } finally {
    if (current !== first) await crash(current.proc);
    await first.stop();
  }
});
