// The leaders' cockpit (驾驶舱) in a real browser on a 1366×768 laptop screen: the city leader
// opens it from the menu, it fits the screen's width, and a click on the lagging-project
// figure lands on the key-project list filtered to exactly those projects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot, pathOf } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.stop(); });

test('the city leader opens the cockpit and clicks the lagging projects: the list shows exactly those', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  const cockpitAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/cockpit');
  await page.locator('[data-testid="side-menu"]').getByText('领导驾驶舱', { exact: true }).click();
  const d = await (await cockpitAnswer).json();
  await page.locator('[data-testid="ck-lagging-count"]').waitFor();
  assert.equal(pathOf(page), '/cockpit');
  assert.match(await page.locator('[data-testid="ck-unit"]').innerText(), /南阳市/);
  // every section of a leader, the league with its flags
  for (const s of ['ck-indicators', 'ck-projects', 'ck-investment', 'ck-tasks', 'ck-league', 'ck-red', 'ck-black'])
    await page.locator(`[data-testid="${s}"]`).waitFor();
  await page.locator('[data-testid="ck-ind-gdp"]').waitFor();
  // readable on a laptop: nothing wider than the 1366 px window
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await page.waitForTimeout(600);  // let the charts finish their entry animation for the picture
  await shot(page, 'cockpit-leader');

  const lagging = d.projects.lagging.count;
  assert.ok(lagging > 0, 'the demo has lagging projects this year');
  assert.equal(Number(await page.locator('[data-testid="ck-lagging-count"]').innerText()), lagging);

  // the list's own page request (the page also asks for its form's choices)
  const listAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/projects' && new URL(r.url()).searchParams.has('status'));
  await page.locator('[data-testid="ck-lagging"]').click();
  const listResponse = await listAnswer;
  const list = await listResponse.json();
  const asked = new URL(listResponse.url()).searchParams;
  await page.waitForURL((u) => u.pathname === '/projects/list');
  const q = new URL(page.url()).searchParams;
  assert.equal(q.get('status'), '滞后');
  assert.equal(q.get('unit'), '411300');
  // the page keeps a year other than this one in the URL, and asks the API for the cockpit's year
  assert.ok([null, String(d.projects.year)].includes(q.get('year')));
  assert.equal(asked.get('year'), String(d.projects.year), listResponse.url());
  assert.equal(asked.get('status'), '滞后');
  assert.equal(list.total, lagging);
  // the page shows that filter and exactly that many rows (all on one page)
  const rows = page.locator('[data-testid="prj-table"] .el-table__body-wrapper tbody tr');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="prj-table"] .el-table__body-wrapper tbody tr').length === n, lagging);
  assert.equal(await rows.count(), lagging);
  assert.match(await page.locator('[data-testid="prj-summary"]').innerText(), new RegExp(`共 ${lagging} 个项目`));
  for (const code of list.items.map((p) => p.code).slice(0, 5))
    assert.equal(await page.locator(`[data-testid="prj-status-${code}"]`).innerText(), '滞后');
  await shot(page, 'cockpit-lagging-list');
  assert.deepEqual(page.errors, []);
});

test('every figure on the cockpit is a link to a list, and the red-light tasks open the task board filtered', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  await page.goto(`${env.url}/cockpit`);
  await page.locator('[data-testid="ck-light-red"]').waitFor();
  const red = Number(await page.locator('[data-testid="ck-light-red"] b').innerText());
  await page.locator('[data-testid="ck-light-red"]').click();
  await page.waitForURL((u) => u.pathname === '/supervision/board');
  assert.equal(new URL(page.url()).searchParams.get('light'), 'red');
  await page.locator('[data-testid="sup-board"]').waitFor();
  await page.waitForFunction((n) => document.querySelector('[data-testid="sup-board"]')?.innerText.includes(`共 ${n} 条`), red);
  assert.deepEqual(page.errors, []);
});

test('in English the cockpit keeps its figures; a county leader sees only the county', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader_wancheng');
  await page.goto(`${env.url}/cockpit?period=2024-06`);
  await page.locator('[data-testid="ck-own-rank"]').waitFor();
  assert.match(await page.locator('[data-testid="ck-unit"]').innerText(), /宛城区/);
  assert.match(await page.locator('[data-testid="ck-own-rank"]').innerText(), /宛城区/);
  await page.locator('[data-testid="lang-en"]').click();
  await page.locator('[data-testid="cockpit"]').getByText('Key indicators').waitFor();
  await shot(page, 'cockpit-county-en');
  assert.deepEqual(page.errors, []);
});
