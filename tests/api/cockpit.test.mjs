// The leaders' cockpit (驾驶舱), docs/API.md "## Cockpit": every figure equals the total of the
// list its link opens (the link's query, sent to the matching API list, counts the same
// records), the caller's scope (leader_wancheng sees only 宛城区, a unit outside the scope is
// 404), sections missing without their read permission, and bad input refused.
//
// The server runs at the real date: the demo's key projects of this year have lagging ones, its
// tasks run on the live 13710 clock, its indicator figures end in 2024-12 and its league is
// published for 2024-02..2024-12.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginMany, assertErrorFormat } from './helpers.mjs';

const API = '/api/v1';
const CITY = '411300';
const WANCHENG = '411302';
const WOLONG = '411303';

let server;
let c;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['leader', 'leader_wancheng', 'stat', 'project', 'invest', 'supervisor', 'reporter_town', 'admin']);
});
after(async () => { await server?.stop(); });

async function cockpit(client, query = '') {
  const r = await client.get(`${API}/cockpit${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Every object of the answer that states a figure (count, value, rate, amount, rank) carries
// a link into the web app.
function assertEveryFigureLinked(node, where = 'cockpit') {
  if (Array.isArray(node)) { node.forEach((x, i) => assertEveryFigureLinked(x, `${where}[${i}]`)); return; }
  if (!node || typeof node !== 'object') return;
  const figure = ['count', 'value', 'rate', 'amount', 'rank'].some((k) => k in node);
  if (figure) assert.match(String(node.link), /^\/[a-z]/, `${where} has no link`);
  for (const [k, v] of Object.entries(node)) if (k !== 'unit') assertEveryFigureLinked(v, `${where}.${k}`);
}

// A web link's route and query.
function parseLink(link) {
  const u = new URL(link, 'http://x');
  return { path: u.pathname, q: Object.fromEntries(u.searchParams) };
}
const qs = (o) => new URLSearchParams(o).toString();

test('the city leader sees every section, and every figure carries a link', async () => {
  const d = await cockpit(c.leader);
  assert.equal(d.unit.code, CITY);
  assert.match(d.period, /^\d{4}-\d{2}$/);
  assert.equal(d.period_name, `${Number(d.period.slice(0, 4))}年${Number(d.period.slice(5))}月`);
  for (const s of ['indicators', 'projects', 'investment', 'tasks', 'league']) assert.ok(d[s], `section ${s}`);
  assertEveryFigureLinked(d);
  // Indicators: the latest month with figures (the demo's end in 2024-12).
  assert.equal(d.indicators.period, '2024-12');
  assert.ok(d.indicators.items.length >= 4);
  assert.equal(d.indicators.items[0].code, 'gdp');
});

test('the lagging-project figures equal the project list filtered by their link', async () => {
  const d = await cockpit(c.leader);
  const p = d.projects;
  assert.ok(p.lagging.count > 0, 'the demo has lagging projects this year');
  for (const fig of [p.total, ...p.by_status, p.lagging, p.seriously_lagging]) {
    const { path, q } = parseLink(fig.link);
    assert.equal(path, '/projects/list');
    assert.equal(q.unit, CITY);
    assert.equal(q.year, String(p.year));
    if (fig.key !== 'all') assert.equal(q.status, fig.key);
    const list = await c.leader.get(`${API}/projects?${qs({ ...q, page_size: 1 })}`);
    assert.equal(list.status, 200);
    assert.equal(list.json.total, fig.count, `${fig.key}: cockpit ${fig.count}, list ${list.json.total}`);
  }
  assert.equal(p.lagging.key, '滞后');
  assert.equal(p.seriously_lagging.key, '严重滞后');
  assert.equal(p.by_status.reduce((a, s) => a + s.count, 0), p.total.count);
  // Completion = invested ÷ plan of the year.
  const t = p.total;
  assert.equal(t.completion, (Number(t.amount) * 100 / Number(t.plan)).toFixed(1));
});

test('task figures equal the task list filtered by their link, and the on-time rate the on-time report', async () => {
  const d = await cockpit(c.leader);
  for (const fig of [...d.tasks.lights, d.tasks.open, d.tasks.overdue]) {
    const { path, q } = parseLink(fig.link);
    assert.equal(path, '/supervision/board');
    // The board lists open tasks unless told otherwise.
    const list = await c.leader.get(`${API}/tasks?${qs({ state: 'open', ...q, page_size: 1 })}`);
    assert.equal(list.status, 200);
    assert.equal(list.json.total, fig.count, `${fig.key}: cockpit ${fig.count}, list ${list.json.total}`);
  }
  assert.equal(parseLink(d.tasks.lights.find((l) => l.key === 'red').link).q.light, 'red');
  assert.equal(d.tasks.open.count, d.tasks.lights.reduce((a, l) => a + l.count, 0));
  const board = await c.leader.get(`${API}/tasks/board?unit=${CITY}`);
  for (const l of d.tasks.lights) assert.equal(l.count, board.json.lights[l.key]);
  const ot = await c.leader.get(`${API}/tasks/on-time?period=${d.period}&unit=${CITY}`);
  assert.equal(ot.status, 200);
  const row = ot.json.rows[0];
  assert.equal(d.tasks.on_time.due, row.due);
  assert.equal(d.tasks.on_time.on_time, row.on_time);
  assert.equal(d.tasks.on_time.rate, row.rate);
});

test('investment figures equal the pipeline board, the leads list and the targets page', async () => {
  const d = await cockpit(c.leader);
  const pipe = await c.leader.get(`${API}/investment/pipeline?unit=${CITY}`);
  for (const s of d.investment.stages) {
    const p = pipe.json.stages.find((x) => x.stage === s.key) || { count: 0, amount: '0' };
    assert.equal(s.count, p.count, s.key);
    assert.equal(Number(s.amount), Number(p.amount), s.key);
    assert.equal(parseLink(s.link).path, '/investment/board');
    assert.equal(parseLink(s.link).q.unit, CITY);
  }
  const open = await c.leader.get(`${API}/investment/leads?unit=${CITY}&lost=0&page_size=1`);
  assert.equal(d.investment.open.count, open.json.total);
  const { path, q } = parseLink(d.investment.signed.link);
  assert.equal(path, '/investment/targets');
  const targets = await c.leader.get(`${API}/investment/targets?${qs(q)}`);
  const mine = targets.json.items.find((t) => t.unit.code === CITY);
  assert.ok(mine, 'the city has a target this year');
  assert.equal(Number(d.investment.signed.amount), Number(mine.actual.contract_amount));
  assert.equal(Number(d.investment.signed.target), Number(mine.contract_amount));
});

test('indicator figures are the board\'s: value, growth and rank among the siblings', async () => {
  const d = await cockpit(c.leader, `?unit=${WANCHENG}&period=2024-06`);
  assert.equal(d.indicators.period, '2024-06');
  const { path, q } = parseLink(d.indicators.items[0].link);
  assert.equal(path, '/indicators/board');
  assert.equal(q.parent, CITY);
  assert.equal(q.period, '2024-06');
  const board = await c.leader.get(`${API}/indicators/board?parent=${CITY}&period=2024-06`);
  assert.equal(board.status, 200);
  for (const it of d.indicators.items) {
    const cell = board.json.cells.find((x) => x.unit === WANCHENG && x.indicator === it.code);
    assert.ok(cell, it.code);
    assert.equal(Number(it.value), Number(Number(cell.value).toFixed(it.decimals)), it.code);
    assert.equal(it.rank_value, cell.rank_value, it.code);
    assert.equal(it.rank_growth, cell.rank_growth, it.code);
    assert.equal(it.siblings, 17);
    assert.equal(parseLink(it.link).q.indicators, it.code);
  }
});

test('flags: the red and black units of the latest published month, and the unit\'s own rank', async () => {
  const d = await cockpit(c.leader, `?unit=${WANCHENG}&period=2024-06`);
  const league = await c.leader.get(`${API}/assessment/league?period=2024-06`);
  assert.equal(d.league.period, '2024-06');
  assert.equal(d.league.ranked, league.json.rows.filter((r) => r.rank > 0).length);
  const codes = (flag) => league.json.rows.filter((r) => r.flag === flag).map((r) => r.unit.code);
  assert.deepEqual(d.league.red.map((r) => r.unit.code), codes('red'));
  assert.deepEqual(d.league.black.map((r) => r.unit.code), codes('black'));
  const own = league.json.rows.find((r) => r.unit.code === WANCHENG);
  assert.equal(d.league.own.unit.code, WANCHENG);
  assert.equal(d.league.own.rank, own.rank);
  assert.equal(d.league.own.previous_rank, own.previous_rank);
  assert.equal(parseLink(d.league.link).path, '/assessment/league');
  assert.equal(parseLink(d.league.link).q.period, '2024-06');
  // A month after the last published one shows the last published month.
  const later = await cockpit(c.leader, '?period=2025-03');
  assert.equal(later.league.period, '2024-12');
});

test('leader_wancheng sees only 宛城区: its figures, its own league row, and 404 outside', async () => {
  const d = await cockpit(c.leader_wancheng);
  assert.equal(d.unit.code, WANCHENG);
  for (const fig of [d.projects.total, d.projects.lagging, d.projects.seriously_lagging]) {
    const { q } = parseLink(fig.link);
    assert.equal(q.unit, WANCHENG);
    const list = await c.leader_wancheng.get(`${API}/projects?${qs({ ...q, page_size: 1 })}`);
    assert.equal(list.json.total, fig.count);
  }
  const city = await cockpit(c.leader);
  assert.ok(d.projects.total.count < city.projects.total.count);
  const red = d.tasks.lights.find((l) => l.key === 'red');
  const list = await c.leader_wancheng.get(`${API}/tasks?state=open&light=red&unit=${WANCHENG}&page_size=1`);
  assert.equal(red.count, list.json.total);
  // The league: only 宛城区's row (decision 0017), with its rank among all 17.
  const l = (await cockpit(c.leader_wancheng, '?period=2024-06')).league;
  assert.deepEqual([...l.rows, ...l.red, ...l.black].map((r) => r.unit.code).filter((x) => x !== WANCHENG), []);
  assert.equal(l.own.unit.code, WANCHENG);
  assert.equal(l.ranked, 17);
  // Outside the scope: 404, nothing of the unit shown.
  for (const u of [CITY, WOLONG, 'NO-SUCH']) {
    const r = await c.leader_wancheng.get(`${API}/cockpit?unit=${u}`);
    assert.equal(r.status, 404, u);
    assertErrorFormat(r, u);
    assert.doesNotMatch(r.text, /卧龙区|南阳市"/);
  }
  // A unit inside narrows further (a town of 宛城区).
  const town = await cockpit(c.leader_wancheng, '?unit=T411302-02');
  assert.equal(town.unit.code, 'T411302-02');
  assert.equal(town.league.own.unit.code, WANCHENG);
});

test('a section is present only with its read permission', async () => {
  const has = (d) => ['indicators', 'projects', 'investment', 'tasks', 'league'].filter((s) => s in d);
  assert.deepEqual(has(await cockpit(c.stat)), ['indicators', 'league']);
  assert.deepEqual(has(await cockpit(c.project)), ['projects', 'league']);
  assert.deepEqual(has(await cockpit(c.invest)), ['projects', 'investment', 'league']);
  assert.deepEqual(has(await cockpit(c.supervisor)), ['tasks', 'league']);
  // Roles without assessment.read do not open the cockpit at all.
  for (const u of ['reporter_town', 'admin']) {
    const r = await c[u].get(`${API}/cockpit`);
    assert.equal(r.status, 403, u);
    assertErrorFormat(r, u);
  }
});

test('a bad period is refused in Chinese, naming the field', async () => {
  for (const p of ['2024-13', '2024Q2', 'abc', '2024']) {
    const r = await c.leader.get(`${API}/cockpit?period=${encodeURIComponent(p)}`);
    assert.equal(r.status, 400, p);
    assertErrorFormat(r, p);
    assert.equal(r.json.error.details[0].field, 'period');
  }
  const anon = await fetch(`${server.url}${API}/cockpit`);
  assert.equal(anon.status, 401);
});
