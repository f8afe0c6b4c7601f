// The league table (红黑旗排名) as .xlsx (docs/API.md "Assessment"): `GET /assessment/league?
// format=xlsx` holds the same rows as the JSON league — rank, unit, each item's measure and
// points, total and flag — as numbers, read back with openpyxl (tests/io/read_xlsx.py); a
// county leader's export holds only their own row, as their JSON league does (decision 0017).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginMany } from './helpers.mjs';

const READ_XLSX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'io', 'read_xlsx.py');

let server, c, dir;
before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['leader', 'leader_wancheng', 'reporter_town']);
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-league-'));
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function workbook(client, path) {
  const res = await fetch(server.url + path, { headers: { cookie: client.cookie } });
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, buf.toString('utf8').slice(0, 300));
  assert.equal(buf.subarray(0, 2).toString(), 'PK');
  const file = join(dir, `league-${Date.now()}-${Math.random()}.xlsx`);
  writeFileSync(file, buf);
  return JSON.parse(execFileSync('/usr/bin/python3', [READ_XLSX, file], { encoding: 'utf8' }));
}

test('the league export holds every row of the JSON league with its points, totals and flags as numbers', async () => {
  const league = (await c.leader.get('/api/v1/assessment/league?period=2024-06')).json;
  assert.equal(league.rows.length, 17);
  const wb = await workbook(c.leader, '/api/v1/assessment/league?period=2024-06&format=xlsx');
  const rows = wb.sheets[0].rows;
  // Row 1: the title; row 2: the headers; then one row per unit.
  assert.match(rows[0][0].v, /南阳市县区经济工作月度考评（2024年6月，已发布）/);
  const headers = rows[1].map((x) => x?.v);
  assert.deepEqual(headers.slice(0, 3), ['名次', '单位编码', '单位']);
  assert.equal(headers.at(-3), '总分');
  const body = rows.slice(2);
  assert.equal(body.length, league.rows.length);
  league.rows.forEach((r, i) => {
    const cells = body[i].map((x) => x?.v ?? null);
    assert.equal(cells[0], r.rank);
    assert.equal(cells[1], r.unit.code);
    assert.equal(body[i].at(-3).t, 'number');
    assert.equal(cells.at(-3), Number(r.total));
    assert.equal(cells.at(-2) ?? '', r.flag_name);
    r.items.forEach((it, k) => assert.equal(cells[4 + 2 * k], Number(it.points), `${r.unit.name} item ${k}`));
  });
});

test('a county leader exports only their own row of the city league, with its rank among all', async () => {
  const own = (await c.leader_wancheng.get('/api/v1/assessment/league?period=2024-06')).json;
  assert.equal(own.rows.length, 1);
  assert.equal(own.rows[0].unit.code, '411302');
  const wb = await workbook(c.leader_wancheng, '/api/v1/assessment/league?period=2024-06&format=xlsx');
  const body = wb.sheets[0].rows.slice(2);
  assert.equal(body.length, 1);
  assert.equal(body[0][1].v, '411302');
  assert.equal(body[0][0].v, own.rows[0].rank);
});

test('without assessment.read the export is refused like the list', async () => {
  const res = await fetch(server.url + '/api/v1/assessment/league?period=2024-06&format=xlsx', { headers: { cookie: c.reporter_town.cookie } });
  assert.equal(res.status, 403);
});
