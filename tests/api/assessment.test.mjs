// Assessment (考评), docs/API.md "Assessment (考评)": scoring schemes (create, read, edit into
// new versions, archive) by the office that runs the assessment; a leader reads but does not
// change; bad bodies refused naming items[i].field with nothing written; stale versions; the
// demo's league table of 2024-06 (17 counties, districts and zones, red and black flags,
// totals, ranks and movements that agree with each other); publication that freezes a month;
// the flags board; and a county leader who sees only their own row (decision 0017).
//
// The demo's scheme "南阳市县区经济工作月度考评" ranks the 17 children of 南阳市 (411300) and is
// published for 2024-02..2024-12. The server's clock is the real date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginMany, auditTotal, assertErrorFormat } from './helpers.mjs';

const A = '/api/v1/assessment';
const DEMO_SCHEME = '南阳市县区经济工作月度考评';
const CN = new Date(Date.now() + 8 * 3600 * 1000);
const CURRENT_MONTH = CN.toISOString().slice(0, 7);
const cents = (s) => Math.round(Number(s) * 100);

let server, c, demo;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['supervisor', 'leader', 'leader_wancheng', 'stat', 'reporter_town', 'auditor']);
  const r = await c.supervisor.get(`${A}/schemes`);
  assert.equal(r.status, 200, r.text);
  demo = r.json.items.find((s) => s.name === DEMO_SCHEME);
  assert.ok(demo, 'the demo scheme exists');
});
after(async () => { await server?.stop(); });

// A valid item list whose weights add up to 100.
function items(weights = [60, 40]) {
  return [
    { kind: 'indicator_growth', name: '规上工业增加值增速', indicator: 'industrial_va', weight: weights[0], points: [100, 95, 90, 85] },
    { kind: 'project_completion', name: '重点项目投资完成率', weight: weights[1] },
  ];
}

async function schemeCount() {
  const r = await c.supervisor.get(`${A}/schemes?include_archived=1`);
  assert.equal(r.status, 200);
  return r.json.items.length;
}

// Everything a refused change could have touched: every scheme with its versions, and the audit.
async function footprint() {
  const r = await c.supervisor.get(`${A}/schemes?include_archived=1`);
  return { schemes: JSON.stringify(r.json.items), audit: await auditTotal(c.auditor) };
}

test('the demo scheme ranks 南阳市 children with seven items adding up to 100', () => {
  assert.equal(demo.parent.code, '411300');
  assert.equal(demo.current.items.length, 7);
  assert.equal(demo.current.items.reduce((s, it) => s + Number(it.weight), 0), 100);
  assert.equal(demo.current.red_flags, 3);
  assert.equal(demo.current.black_flags, 3);
  assert.ok(demo.current.items.every((it) => it.kind_name), 'each item has its kind name');
});

test('the supervisor creates, reads, edits into a new version, and archives a scheme', async () => {
  const created = await c.supervisor.post(`${A}/schemes`, {
    name: 'API测试考评方案', parent: '411300', items: items(), red_flags: 2, black_flags: 2, note: '试行',
  });
  assert.equal(created.status, 201, created.text);
  const s = created.json;
  assert.equal(s.parent.code, '411300');
  assert.equal(s.versions.length, 1);
  assert.equal(s.current.number, 1);
  assert.deepEqual(s.current.items[0].points, [100, 95, 90, 85]);
  assert.equal(s.current.items[0].weight, '60');
  assert.equal(s.current.created_by, 'supervisor');

  const read = await c.leader.get(`${A}/schemes/${s.id}`);
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.name, 'API测试考评方案');

  const renamed = await c.supervisor.put(`${A}/schemes/${s.id}`, { name: 'API测试考评方案（修订）', version: s.version });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.versions.length, 1, 'a rename adds no version');
  const edited = await c.supervisor.put(`${A}/schemes/${s.id}`, {
    items: items([30, 70]), effective_from: CURRENT_MONTH, note: '调整权重', version: renamed.json.version,
  });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.versions.length, 2);
  assert.equal(edited.json.current.number, 2);
  assert.equal(edited.json.current.effective_from, CURRENT_MONTH);
  assert.equal(edited.json.current.items[1].weight, '70');
  assert.equal(edited.json.versions[0].items[1].weight, '40', 'the first version is kept as it was');
  assert.equal(edited.json.current.red_flags, 2, 'flags carry over');

  const archived = await c.supervisor.put(`${A}/schemes/${s.id}`, { archived: true, version: edited.json.version });
  assert.equal(archived.status, 200, archived.text);
  assert.equal(archived.json.archived, true);
  const list = await c.supervisor.get(`${A}/schemes`);
  assert.ok(!list.json.items.some((x) => x.id === s.id), 'an archived scheme leaves the default list');
  const all = await c.supervisor.get(`${A}/schemes?include_archived=1`);
  assert.ok(all.json.items.some((x) => x.id === s.id));
});

test('a leader reads schemes and tables but cannot change or publish them; a reporter reads nothing', async () => {
  assert.equal((await c.leader.get(`${A}/schemes`)).status, 200);
  assert.equal((await c.leader.get(`${A}/league?period=2024-06`)).status, 200);
  const before = await footprint();
  const tries = [
    await c.leader.post(`${A}/schemes`, { name: '领导方案', parent: '411300', items: items() }),
    await c.leader.put(`${A}/schemes/${demo.id}`, { name: '改名', version: demo.version }),
    await c.leader.post(`${A}/league/publish`, { period: '2024-01' }),
    await c.stat.put(`${A}/schemes/${demo.id}`, { name: '改名', version: demo.version }),
  ];
  for (const r of tries) {
    assert.equal(r.status, 403, r.text);
    assertErrorFormat(r, 'refused change');
  }
  assert.equal((await c.reporter_town.get(`${A}/league?period=2024-06`)).status, 403);
  assert.deepEqual(await footprint(), before);
});

test('bad bodies are refused with 400 naming items[i].field, and nothing is written', async () => {
  const before = await footprint();
  const cases = [
    [{ name: '权重不足', parent: '411300', items: items([50, 40]) }, 'items'],
    [{ name: '未知指标', parent: '411300', items: [{ ...items()[0], indicator: 'no_such_indicator' }, items()[1]] }, 'items[0].indicator'],
    [{ name: '未知类型', parent: '411300', items: [items()[0], { ...items()[1], kind: 'gdp_share' }] }, 'items[1].kind'],
    [{ name: '缺权重', parent: '411300', items: [items()[0], { kind: 'project_completion', name: '完成率' }] }, 'items[1].weight'],
    [{ name: '得分递增', parent: '411300', items: [{ ...items()[0], points: [80, 90] }, items()[1]] }, 'items[0].points'],
    [{ name: '多余字段', parent: '411300', items: [{ ...items()[0], bonus: 5 }, items()[1]] }, 'items[0].bonus'],
    [{ name: '缺增长率', parent: '411300', items: [{ kind: 'batch_rate', name: '开工率', weight: 40 }, items()[0]] }, 'items[0].rate'],
    [{ name: '旗数过多', parent: '411300', items: items(), red_flags: 99 }, 'red_flags'],
    [{ name: '无此单位', parent: '999999', items: items() }, 'parent'],
    [{ name: '缺项目', parent: '411300' }, 'items'],
  ];
  for (const [body, field] of cases) {
    const r = await c.supervisor.post(`${A}/schemes`, body);
    assert.equal(r.status, 400, `${body.name}: ${r.status} ${r.text}`);
    assertErrorFormat(r, body.name);
    const fields = r.json.error.details.map((d) => d.field);
    assert.ok(fields.includes(field), `${body.name}: expected ${field} among ${fields.join(', ')}`);
    assert.ok(/[\u4e00-\u9fff]/.test(r.json.error.details.find((d) => d.field === field).reason), 'a Chinese reason');
  }
  const edit = await c.supervisor.put(`${A}/schemes/${demo.id}`, { items: items([70, 40]), version: demo.version });
  assert.equal(edit.status, 400, edit.text);
  assert.deepEqual(await footprint(), before);
});

test('an edit on a stale version is refused with 409 and writes nothing', async () => {
  const made = await c.supervisor.post(`${A}/schemes`, { name: '并发测试方案', parent: '411300', items: items() });
  assert.equal(made.status, 201, made.text);
  const first = await c.supervisor.put(`${A}/schemes/${made.json.id}`, { note: '甲', items: items([40, 60]), version: made.json.version });
  assert.equal(first.status, 200, first.text);
  const before = await footprint();
  const stale = await c.supervisor.put(`${A}/schemes/${made.json.id}`, { items: items([20, 80]), version: made.json.version });
  assert.equal(stale.status, 409, stale.text);
  assertErrorFormat(stale, 'stale');
  assert.deepEqual(await footprint(), before);
  await c.supervisor.put(`${A}/schemes/${made.json.id}`, { archived: true, version: first.json.version });
});

test('the league of 2024-06: 17 units, flags, totals, ranks and movements agree', async () => {
  const r = await c.leader.get(`${A}/league?period=2024-06`);
  assert.equal(r.status, 200, r.text);
  const l = r.json;
  assert.equal(l.scheme.id, demo.id);
  assert.equal(l.period, '2024-06');
  assert.equal(l.period_name, '2024年6月');
  assert.equal(l.published, true);
  assert.ok(l.published_at);
  assert.equal(l.scheme_items.length, 7);
  assert.equal(l.rows.length, 17);
  for (const row of l.rows) {
    assert.equal(row.items.length, 7, row.unit.name);
    const sum = row.items.reduce((s, it) => s + cents(it.points), 0);
    assert.equal(cents(row.total), sum, `${row.unit.name}: total = sum of item points`);
    for (const [i, it] of row.items.entries()) {
      assert.ok(cents(it.points) <= cents(l.scheme_items[i].weight), `${row.unit.name}: points within the weight`);
      if (it.measure == null) assert.equal(cents(it.points), 0);
    }
  }
  // Ranks: competition ranking by total, rows in rank order.
  const ranked = l.rows.filter((x) => x.rank > 0);
  for (const row of ranked) {
    const better = ranked.filter((x) => cents(x.total) > cents(row.total)).length;
    assert.equal(row.rank, better + 1, `${row.unit.name}: rank`);
  }
  for (let i = 1; i < l.rows.length; i++) {
    const a = l.rows[i - 1].rank || 1e9, b = l.rows[i].rank || 1e9;
    assert.ok(a <= b, 'rows by rank');
  }
  // Flags: the top 3 and the bottom 3 (more only when ties share the border).
  const red = l.rows.filter((x) => x.flag === 'red');
  const black = l.rows.filter((x) => x.flag === 'black');
  assert.ok(red.every((x) => x.rank <= 3) && red.every((x) => x.flag_name === '红旗'));
  assert.ok(black.every((x) => x.flag_name === '黑旗'));
  const tiesAt = (rows, k) => rows.length > k;
  assert.ok(red.length === 3 || tiesAt(red, 3), `3 red flags: ${red.length}`);
  assert.ok(black.length === 3 || tiesAt(black, 3), `3 black flags: ${black.length}`);
  const worstRed = Math.max(...red.map((x) => cents(x.total)));
  const minTotal = Math.min(...ranked.map((x) => cents(x.total)));
  assert.ok(black.some((x) => cents(x.total) === minTotal), 'the last has a black flag');
  for (const row of ranked) {
    if (!red.includes(row) && !black.includes(row)) assert.ok(cents(row.total) <= worstRed);
  }
  // Movements against the previous month's table.
  const may = (await c.leader.get(`${A}/league?period=2024-05`)).json;
  const mayRank = Object.fromEntries(may.rows.map((x) => [x.unit.code, x]));
  for (const row of l.rows) {
    assert.equal(row.previous_rank, mayRank[row.unit.code].rank, `${row.unit.name}: previous rank`);
    assert.equal(row.previous_flag, mayRank[row.unit.code].flag);
    const expected = row.previous_rank === 0 || row.rank === 0 ? 'new'
      : row.rank < row.previous_rank ? 'up' : row.rank > row.previous_rank ? 'down' : 'same';
    assert.equal(row.movement, expected, `${row.unit.name}: movement`);
  }
});

test('a county leader sees only their own row, with its rank among all 17', async () => {
  const all = (await c.leader.get(`${A}/league?period=2024-06`)).json;
  const mine = await c.leader_wancheng.get(`${A}/league?period=2024-06`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.scheme.id, demo.id, 'the default scheme of a county is the city one above it');
  assert.equal(mine.json.rows.length, 1);
  const row = mine.json.rows[0];
  assert.equal(row.unit.name, '宛城区');
  const same = all.rows.find((x) => x.unit.code === row.unit.code);
  assert.deepEqual(row, same, 'the same rank, flag and points as in the full table');
  const flags = await c.leader_wancheng.get(`${A}/flags?year=2024`);
  assert.equal(flags.status, 200, flags.text);
  assert.deepEqual(flags.json.rows.map((x) => x.unit.name), ['宛城区']);
  const other = await c.leader_wancheng.get(`${A}/flags?year=2024&unit=411303`);
  assert.equal(other.json.rows.length, 0);
  // The scheme's rules are visible to the counties it judges.
  const scheme = await c.leader_wancheng.get(`${A}/schemes/${demo.id}`);
  assert.equal(scheme.status, 200, scheme.text);
});

test('the flags board counts each unit\'s flags over the published months', async () => {
  const r = await c.leader.get(`${A}/flags?year=2024`);
  assert.equal(r.status, 200, r.text);
  const b = r.json;
  assert.equal(b.scheme.id, demo.id);
  assert.deepEqual(b.periods, ['2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08',
    '2024-09', '2024-10', '2024-11', '2024-12']);
  assert.equal(b.rows.length, 17);
  const june = (await c.leader.get(`${A}/league?period=2024-06`)).json;
  const juneFlag = Object.fromEntries(june.rows.map((x) => [x.unit.code, x]));
  let red = 0, black = 0;
  for (const row of b.rows) {
    assert.equal(row.cells.length, b.periods.length);
    assert.equal(row.red, row.cells.filter((x) => x.flag === 'red').length);
    assert.equal(row.black, row.cells.filter((x) => x.flag === 'black').length);
    const cell = row.cells[b.periods.indexOf('2024-06')];
    assert.equal(cell.flag, juneFlag[row.unit.code].flag, `${row.unit.name}: June's flag as in the league`);
    assert.equal(cell.rank, juneFlag[row.unit.code].rank);
    red += row.red;
    black += row.black;
  }
  assert.ok(red >= 33 && black >= 33, 'at least 3 of each per published month');
  const one = await c.leader.get(`${A}/flags?year=2024&unit=411302`);
  assert.equal(one.json.rows.length, 1);
  assert.equal((await c.leader.get(`${A}/flags?year=24x`)).status, 400);
});

test('publishing freezes a month: once, not in the future, and no new version inside it', async () => {
  const before = await auditTotal(c.auditor);
  const jan = await c.supervisor.post(`${A}/league/publish`, { period: '2024-01' });
  assert.equal(jan.status, 200, jan.text);
  assert.equal(jan.json.published, true);
  assert.equal(jan.json.rows.length, 17);
  assert.equal(await auditTotal(c.auditor), before + 1, 'one audit record');

  const again = await c.supervisor.post(`${A}/league/publish`, { period: '2024-01' });
  assert.equal(again.status, 409, again.text);
  const june = await c.supervisor.post(`${A}/league/publish`, { period: '2024-06' });
  assert.equal(june.status, 409, june.text);
  const [y, m] = CURRENT_MONTH.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const future = await c.supervisor.post(`${A}/league/publish`, { period: next });
  assert.equal(future.status, 400, future.text);
  assert.ok(future.json.error.details.some((d) => d.field === 'period'));
  assert.equal((await c.supervisor.post(`${A}/league/publish`, { period: '2024-13' })).status, 400);

  // A version effective from a published month is refused; from the current month it is taken,
  // and the published 2024-06 stays as it was.
  const juneBefore = (await c.supervisor.get(`${A}/league?period=2024-06`)).json;
  const scheme = (await c.supervisor.get(`${A}/schemes/${demo.id}`)).json;
  const changed = scheme.current.items.map((it) => ({
    kind: it.kind, name: it.name, indicator: it.indicator || undefined, rate: it.rate || undefined,
    weight: it.weight, points: it.points,
  }));
  [changed[0].weight, changed[4].weight] = [changed[4].weight, changed[0].weight];
  const refused = await c.supervisor.put(`${A}/schemes/${demo.id}`, {
    items: changed, effective_from: '2024-12', version: scheme.version,
  });
  assert.equal(refused.status, 400, refused.text);
  assert.ok(refused.json.error.details.some((d) => d.field === 'effective_from'));
  const taken = await c.supervisor.put(`${A}/schemes/${demo.id}`, {
    items: changed, effective_from: CURRENT_MONTH, note: 'API测试', version: scheme.version,
  });
  assert.equal(taken.status, 200, taken.text);
  const juneAfter = (await c.supervisor.get(`${A}/league?period=2024-06`)).json;
  assert.deepEqual(juneAfter, juneBefore);
  const now = (await c.supervisor.get(`${A}/league?period=${CURRENT_MONTH}`)).json;
  assert.equal(now.scheme.version, taken.json.current.number);
});
