// The key-projects module (重点项目) in a real browser against a real server: a town reporter
// files last month's progress well below plan with a land problem; the project office sees the
// project lagging on the battle map of 宛城区 and the problem on the project page; the list
// filters by status; a 三个一批 batch shows its rates and freezes them at closing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

let env;
let office; // API client of the project office (`project`)
let lagging; // the 瓦店镇 project the reporter reports on
let other; // a second project, for the batch lists

const pad = (n) => String(n).padStart(2, '0');
// Beijing today / last month, as the server counts them
const bj = new Date(Date.now() + 8 * 3600 * 1000);
const YEAR = bj.getUTCFullYear();
const TODAY = `${YEAR}-${pad(bj.getUTCMonth() + 1)}-${pad(bj.getUTCDate())}`;
const lastIdx = YEAR * 12 + bj.getUTCMonth() - 1;
const LAST_MONTH = `${Math.floor(lastIdx / 12)}-${pad((lastIdx % 12) + 1)}`;
const LAST_MONTH_LABEL = `${Math.floor(lastIdx / 12)}年${(lastIdx % 12) + 1}月`;
const RUN = String(Date.now() % 100000);

async function createProject(body) {
  const r = await office.post('/api/v1/projects', body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function pickOption(page, selectTestId, text) {
  await page.locator(`[data-testid="${selectTestId}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

before(async () => {
  env = await setup();
  office = await loginAs(env.url, 'project');
  // a 瓦店镇 (T411302-02) project started last year with a sizeable plan for this year
  lagging = await createProject({
    code: `E2E-WD-${RUN}`, name: `瓦店镇农产品冷链物流园${RUN}`, level: 'district', category: 'industry', industry: 'C13',
    chain: '食品加工', unit: 'T411302-02', location: '瓦店镇工业集聚区', total_investment: '12', start_year: YEAR - 1, end_year: YEAR + 1,
    committed_completion: `${YEAR + 1}-12-31`,
    annual_plans: [{ year: YEAR - 1, amount: '2' }, { year: YEAR, amount: '6' }, { year: YEAR + 1, amount: '4' }],
  });
  other = await createProject({
    code: `E2E-WD2-${RUN}`, name: `瓦店镇智能农机装配项目${RUN}`, level: 'city', category: 'industry', unit: 'T411302-02',
    total_investment: '5', start_year: YEAR, end_year: YEAR + 1, annual_plans: [{ year: YEAR, amount: '2' }],
  });
});
after(async () => { await env?.stop(); });

test('a town reporter files last month\'s progress below plan with a land problem; the project office sees it lagging on the battle map', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'reporter_town');
  await page.locator('[data-testid="menu-projects"]').click();
  await page.locator('[data-testid="prj-tab-report"]').click();
  await page.waitForURL((u) => u.pathname === '/projects/report');
  // a reporter neither creates projects nor sees the create button
  assert.equal(await page.locator('[data-testid="prj-create"]').count(), 0);

  await page.locator(`[data-testid="report-pick-${lagging.code}"]`).click();
  await page.locator('[data-testid="report-amount"]').waitFor();
  // the month defaults to last month
  assert.equal(await page.locator('[data-testid="report-form-card"] .el-date-editor input').first().inputValue(), LAST_MONTH_LABEL);

  // a negative amount: the server's reason is shown by the field
  await page.locator('[data-testid="report-amount"]').fill('-1');
  await page.locator('[data-testid="report-submit"]').click();
  await page.locator('[data-testid="report-error"]').waitFor();
  await page.locator('.el-form-item__error', { hasText: '负数' }).waitFor();

  // 0.1 亿元 against a plan of 6 亿元 for the year, and a land problem
  await page.locator('[data-testid="report-amount"]').fill('0.1');
  await page.locator('[data-testid="report-narrative"]').fill('完成场地平整，冷库基础开挖因用地指标未落实暂停');
  await page.locator('[data-testid="report-raise"]').click();
  await page.locator('[data-testid="report-problem"]').waitFor();
  await pickOption(page, 'pb-category', '用地');
  await page.locator('[data-testid="pb-description"]').fill('冷库二期用地指标未落实，需自然资源部门协调');
  await shot(page, 'projects-report-form');
  await page.locator('[data-testid="report-submit"]').click();
  const history = page.locator('[data-testid="report-history"]');
  await history.getByText(LAST_MONTH_LABEL).waitFor();
  assert.match(await history.innerText(), /0\.10/);
  assert.match(await page.locator('[data-testid="report-plan-info"]').innerText(), /严重滞后|滞后/);
  // the same month again shows as "already reported"
  await page.locator('[data-testid="report-existing"]').waitFor();
  await shot(page, 'projects-report-done');
  assert.deepEqual(page.errors, []);

  // the project office: battle map of 宛城区
  const boss = await env.newPage();
  await login(boss, env.url, 'project');
  await boss.goto(`${env.url}/projects/battle-map?unit=411302&year=${YEAR}`);
  await boss.locator('[data-testid="bm-group-T411302-02"]').waitFor();
  await boss.locator('[data-testid="bm-q"]').fill(lagging.code);
  const row = boss.locator(`[data-testid="bm-row-${lagging.code}"]`);
  await row.waitFor();
  assert.match(await row.getAttribute('data-status'), /^(滞后|严重滞后)$/);
  assert.match(await boss.locator(`[data-testid="bm-status-${lagging.code}"]`).innerText(), /滞后/);
  await boss.locator('[data-testid="bm-q"]').fill('');
  await boss.locator('[data-testid="bm-today"]').waitFor();
  await shot(boss, 'projects-battle-map');
  // zoom to a quarter and to a month: the time axis changes, the row stays
  await boss.locator('[data-testid="bm-zoom"]').getByText('第4季度').click();
  await boss.locator('.td-bm-tick', { hasText: '12月' }).waitFor();
  assert.equal(await boss.locator('.td-bm-tick', { hasText: /^\s*1月\s*$/ }).count(), 0);
  await boss.locator('[data-testid="bm-zoom"]').getByText('全年').click();

  // click → project page, problem in the problems list
  await boss.locator('[data-testid="bm-q"]').fill(lagging.code);
  await row.click();
  await boss.waitForURL((u) => u.pathname === `/projects/${lagging.id}`);
  assert.match(await boss.locator('[data-testid="prj-detail-status"]').innerText(), /滞后/);
  assert.match(await boss.locator('[data-testid="prj-status-reason"]').innerText(), /年度计划完成/);
  await boss.locator('[data-testid="prj-detail-tab-problems"]').click();
  const problems = boss.locator('[data-testid="prj-problems"]');
  await problems.getByText('冷库二期用地指标未落实').waitFor();
  assert.match(await problems.innerText(), /用地/);
  assert.match(await problems.innerText(), /未解决/);
  await shot(boss, 'projects-detail-problems');
  // the monthly chart and table
  await boss.locator('.el-tabs__item', { hasText: '月度进度' }).click();
  await boss.locator('[data-testid="prj-progress-chart"] canvas').waitFor();
  assert.match(await boss.locator('[data-testid="prj-progress-table"]').innerText(), /用地指标未落实暂停/);
  await shot(boss, 'projects-detail-progress');
  assert.deepEqual(boss.errors, []);
});

test('project office: the list filters by status, and the create form shows the server\'s reasons by field', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'project');
  await page.goto(`${env.url}/projects/list?unit=411302`);
  await page.locator(`[data-testid="prj-row-${lagging.code}"]`).waitFor();

  for (const status of ['严重滞后', '正常']) {
    const api = await office.get(`/api/v1/projects?unit=411302&status=${encodeURIComponent(status)}&page_size=500`);
    const expected = api.json.total;
    await page.locator('[data-testid="prj-f-status"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${status}$`) }).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="prj-summary"]')?.textContent.includes(`共 ${n} 个项目`), expected);
    const tags = await page.locator('[data-testid="prj-table"] [data-testid^="prj-status-"]').allInnerTexts();
    assert.ok(tags.length > 0 || expected === 0);
    for (const x of tags) assert.equal(x.trim(), status);
    const hasLagging = api.json.items.some((p) => p.code === lagging.code);
    assert.equal(await page.locator(`[data-testid="prj-row-${lagging.code}"]`).count(), hasLagging ? 1 : 0);
    if (status === '严重滞后') await shot(page, 'projects-list-serious');
  }

  // 新建项目: an annual plan outside the construction years is refused, its row says why
  await page.locator('[data-testid="prj-create"]').click();
  await page.locator('[data-testid="pf-code"]').fill(`E2E-NEW-${RUN}`);
  await page.locator('[data-testid="pf-name"]').fill('红泥湾镇光伏农业示范园');
  await page.locator('[data-testid="pf-total"]').fill('3');
  await page.locator('[data-testid="pf-plan-amount-0"]').fill('1.5');
  await page.locator('[data-testid="pf-plan-add"]').click();
  await page.locator('[data-testid="pf-plan-year-1"] input').fill(String(YEAR + 5));
  await page.locator('[data-testid="pf-plan-amount-1"]').fill('1');
  await page.locator('[data-testid="pf-submit"]').click();
  await page.locator('[data-testid="pf-error"]').waitFor();
  await page.locator('[data-testid="pf-plan-error-1"]').waitFor();
  await shot(page, 'projects-create-refused');
  await page.locator('.td-prj-plan-table tr', { hasText: String(YEAR + 5) }).getByText('删除').click();
  await page.locator('[data-testid="pf-submit"]').click();
  await page.waitForURL((u) => /^\/projects\/\d+$/.test(u.pathname));
  await page.locator('[data-testid="prj-facts"]').getByText(`E2E-NEW-${RUN}`).waitFor();
  assert.deepEqual(page.errors, []);
});

test('三个一批: the batch page shows 签约率 / 开工率 / 投产率 / 达效率 and freezes them at closing', async () => {
  // the first project reached 开工 a few days ago; the second is still 谋划
  const d = new Date(Date.now() + 8 * 3600 * 1000 - 5 * 86400000);
  const started = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const cur = await office.get(`/api/v1/projects/${lagging.id}`);
  const st = await office.post(`/api/v1/projects/${lagging.id}/stage`, { stage: 'started', date: started, version: cur.json.version });
  assert.equal(st.status, 200, st.text);
  const number = 900 + (Number(RUN) % 99);
  const b = await office.post('/api/v1/projects/batches', { number, name: `E2E 第${number}期`, deadline: `${YEAR}-12-31` > TODAY ? `${YEAR}-12-31` : TODAY });
  assert.equal(b.status, 201, b.text);
  const l = await office.put(`/api/v1/projects/batches/${b.json.id}/lists`, {
    sign: [{ id: lagging.id }, { id: other.id }], start: [{ id: lagging.id }], produce: [{ id: other.id }], version: b.json.version,
  });
  assert.equal(l.status, 200, l.text);

  const page = await env.newPage();
  await login(page, env.url, 'project');
  await page.goto(`${env.url}/projects/batches`);
  await page.locator(`[data-testid="batch-row-${number}"]`).click();
  await page.waitForURL((u) => u.pathname === `/projects/batches/${b.json.id}`);
  const rate = (r) => page.locator(`[data-testid="batch-rate-value-${r}"]`);
  await rate('sign_rate').waitFor();
  assert.equal((await rate('sign_rate').innerText()).replace(/\s/g, ''), '50.0%');
  assert.equal((await rate('start_rate').innerText()).replace(/\s/g, ''), '100.0%');
  assert.equal((await rate('produce_rate').innerText()).replace(/\s/g, ''), '0.0%');
  assert.equal((await rate('effective_rate').innerText()).replace(/\s/g, ''), '0.0%');
  assert.match(await page.locator('[data-testid="batch-list-sign"]').innerText(), new RegExp(other.name));
  assert.equal(await page.locator('[data-testid="batch-frozen"]').count(), 0);
  await shot(page, 'projects-batch-open');

  await page.locator('[data-testid="batch-close"]').click();
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.locator('.el-message-box__btns .el-button--primary').click();
  await page.locator('[data-testid="batch-frozen"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="batch-close"]').count(), 0);
  assert.equal(await page.locator('[data-testid="batch-edit-sign"]').count(), 0);
  assert.equal((await rate('sign_rate').innerText()).replace(/\s/g, ''), '50.0%');
  await shot(page, 'projects-batch-closed');
  assert.deepEqual(page.errors, []);
});
