// The assessment module (考评) in a real browser against a real server: the city's supervisor
// (the office that runs the assessment) opens the league table of 2024-06 — the demo's 17
// counties, districts and zones with 3 red flags, published — then edits the scheme's weights
// in the editor (the running sum says when they do not add up to 100), saves a new version
// effective from the current month, and finds the league of 2024-06 unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

let env, api, scheme;
const CURRENT_MONTH = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);

before(async () => {
  env = await setup();
  api = await loginAs(env.url, 'supervisor');
  const r = await api.get('/api/v1/assessment/schemes');
  scheme = r.json.items.find((s) => s.name === '南阳市县区经济工作月度考评');
  assert.ok(scheme);
});
after(async () => { await env?.stop(); });

// An input by test id: Element Plus puts the id on the native input or on its wrapper.
const field = (page, id) => page.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`).first();

// The league page's rows: unit code → { rank, total, flag }.
async function readLeague(page) {
  await page.locator('[data-testid^="asm-row-"]').first().waitFor();
  const rows = {};
  for (const el of await page.locator('[data-testid^="asm-total-"]').all()) {
    const code = (await el.getAttribute('data-testid')).slice('asm-total-'.length);
    rows[code] = {
      total: (await el.textContent()).trim(),
      rank: (await page.locator(`[data-testid="asm-rank-${code}"]`).textContent()).trim(),
      flag: (await page.locator(`[data-testid="asm-flag-${code}"]`).count())
        ? await page.locator(`[data-testid="asm-flag-${code}"]`).getAttribute('data-flag') : 'none',
    };
  }
  return rows;
}

test('the supervisor sees June 2024, changes the weights into a new version, and June stays as published', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'supervisor');
  await page.locator('[data-testid="menu-assessment"]').click();
  await page.locator('[data-testid="asm-league"]').waitFor();
  await page.goto(`${env.url}/assessment/league?period=2024-06`);
  await page.locator('[data-testid="asm-league-table"]').waitFor();
  const june = await readLeague(page);
  assert.equal(Object.keys(june).length, 17);
  assert.equal(await page.locator('[data-testid^="asm-flag-"][data-flag="red"]').count(), 3);
  assert.equal(await page.locator('[data-testid="asm-league-state"]').textContent().then((s) => s.trim()), '已发布');
  assert.equal(await page.locator('[data-testid="asm-publish"]').count(), 0, 'a published month has no 发布 button');
  assert.match(await field(page, 'asm-league-period').inputValue(), /2024年6月/);
  await shot(page, 'assessment-league');

  // The editor: swap two weights (20 and 20 → 25 first: the sum says 105, then back to 100).
  await page.locator('[data-testid="asm-tab-schemes"]').click();
  await page.locator('[data-testid="asm-scheme-editor"]').waitFor();
  const w0 = field(page, 'asm-sf-weight-0');
  const w4 = field(page, 'asm-sf-weight-4');
  assert.equal(await w0.inputValue(), '20.00');
  await w0.fill('25');
  await w0.press('Tab');
  await page.locator('[data-testid="asm-sf-sum"]', { hasText: '105' }).waitFor();
  await w4.fill('15');
  await w4.press('Tab');
  await page.locator('[data-testid="asm-sf-sum"]', { hasText: '权重合计 100 分' }).waitFor();
  assert.equal(await field(page, 'asm-sf-effective').inputValue(),
    `${Number(CURRENT_MONTH.slice(0, 4))}年${Number(CURRENT_MONTH.slice(5))}月`, 'effective from the current month');
  await field(page, 'asm-sf-note').fill('加大工业权重（浏览器测试）');
  await page.locator('[data-testid="asm-sf-save"]').click();
  await page.locator('[data-testid="asm-version-2"]').waitFor();
  await shot(page, 'assessment-scheme-v2');

  const saved = (await api.get(`/api/v1/assessment/schemes/${scheme.id}`)).json;
  assert.equal(saved.versions.length, 2);
  assert.equal(saved.current.effective_from, CURRENT_MONTH);
  assert.equal(saved.current.items[0].weight, '25');
  assert.equal(saved.current.items[4].weight, '15');
  assert.equal(saved.current.note, '加大工业权重（浏览器测试）');
  assert.equal((await api.get(`/api/v1/assessment/league?period=${CURRENT_MONTH}`)).json.scheme.version, 2);

  // June 2024 is unchanged.
  await page.goto(`${env.url}/assessment/league?period=2024-06`);
  await page.locator('[data-testid="asm-league-table"]').waitFor();
  assert.deepEqual(await readLeague(page), june);
  assert.equal(await page.locator('[data-testid^="asm-flag-"][data-flag="red"]').count(), 3);
  assert.deepEqual(page.errors, []);
});

test('a stale save says to reload, and the flags board shows the year as a grid', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'supervisor');
  await page.goto(`${env.url}/assessment/schemes?id=${scheme.id}`);
  await page.locator('[data-testid="asm-scheme-editor"]').waitFor();
  // Someone else renames the scheme meanwhile.
  const cur = (await api.get(`/api/v1/assessment/schemes/${scheme.id}`)).json;
  assert.equal((await api.put(`/api/v1/assessment/schemes/${scheme.id}`, { name: `${cur.name}`, version: cur.version })).status, 200);
  await field(page, 'asm-sf-name').fill(`${cur.name}（改）`);
  await page.locator('[data-testid="asm-sf-save"]').click();
  await page.locator('[data-testid="asm-scheme-stale"]').waitFor();
  await page.locator('[data-testid="asm-scheme-reload"]').click();
  await page.locator('[data-testid="asm-scheme-stale"]').waitFor({ state: 'detached' });
  assert.equal(await field(page, 'asm-sf-name').inputValue(), cur.name);

  await page.goto(`${env.url}/assessment/flags?year=2024`);
  await page.locator('[data-testid^="asm-flags-row-"]').first().waitFor();
  assert.equal(await page.locator('[data-testid^="asm-flags-row-"]').count(), 17);
  const board = (await api.get('/api/v1/assessment/flags?year=2024')).json;
  const first = board.rows[0];
  assert.equal((await page.locator(`[data-testid="asm-red-${first.unit.code}"]`).textContent()).trim(), String(first.red));
  const juneCell = first.cells.find((c) => c.period === '2024-06');
  assert.equal(await page.locator(`[data-testid="asm-cell-${first.unit.code}-2024-06"]`).getAttribute('data-flag'), juneCell.flag);
  assert.equal(await page.locator('[data-testid^="asm-cell-"][data-flag="red"]').count(),
    board.rows.reduce((s, r) => s + r.red, 0));
  await shot(page, 'assessment-flags');
  assert.deepEqual(page.errors, []);
});
