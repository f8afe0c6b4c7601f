// The indicators module (经济运行) in a real browser against a real server: the entry grid
// (validation, refused submission, fix, submit), approval by the city statistician, the board,
// and pasting a block copied from Excel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.stop(); });

// A decimal string with two places, from a string like "12.3456".
function two(x) { return (Math.round(Number(x) * 100) / 100).toFixed(2); }

async function confirmBox(page) {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.locator('.el-message-box__btns .el-button--primary').click();
  await box.waitFor({ state: 'hidden' });
}

test('board: 卧龙区 2024年6月 GDP is 258.40 and ranks 第2 among 南阳市\'s units', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  await page.locator('[data-testid="menu-indicators"]').click();
  await page.waitForURL((u) => u.pathname === '/indicators/board');
  await page.goto(`${env.url}/indicators/board?parent=411300&period=2024-06&indicators=gdp,retail_sales`);
  const value = page.locator('[data-testid="board-value-411303-gdp"]');
  await value.waitFor();
  assert.equal((await value.innerText()).trim(), '258.40');
  assert.equal((await page.locator('[data-testid="board-rank-411303-gdp"]').innerText()).trim(), '第2');
  // the parent's total row and a growth with one decimal
  await page.locator('[data-testid="board-row-411300"]').waitFor();
  assert.match(await page.locator('[data-testid="board-yoy-411303-gdp"]').innerText(), /^[▲▼]?\s*[+-]?\d+\.\d$/);
  // the bar chart across units, and a unit's months after a click on its name
  await page.locator('[data-testid="board-chart-bar"] canvas').waitFor();
  await page.locator('[data-testid="board-row-411303"]').click();
  await page.locator('[data-testid="board-chart-line"] canvas').waitFor();
  assert.match(await page.locator('[data-testid="board-line-card"]').innerText(), /卧龙区/);
  await shot(page, 'indicators-board');
  // the link to the unit page
  await page.locator('[data-testid="board-unit-link"]').click();
  await page.waitForURL((u) => u.pathname === '/indicators/unit/411303');
  await page.locator('[data-testid="unit-value-gdp-2024-06"]').waitFor();
  assert.equal((await page.locator('[data-testid="unit-value-gdp-2024-06"]').innerText()).trim(), '258.40');
  await page.locator('[data-testid="unit-chart-line"] canvas').waitFor();
  await shot(page, 'indicators-unit');
  // a leader reads but neither enters nor approves
  assert.equal(await page.locator('[data-testid="ind-tab-entry"]').count(), 0);
  assert.equal(await page.locator('[data-testid="ind-tab-approval"]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('entry: tax above budget revenue is an error that blocks submission; fixed, submitted, approved by the city, shown on the board', async () => {
  const unit = '411302';
  const period = '2025-03';
  // realistic figures: last year's values plus a little
  const api = await loginAs(env.url, 'stat_wancheng');
  const sheet = await api.get(`/api/v1/indicators/entry?unit=${unit}&period=${period}`);
  assert.equal(sheet.status, 200, sheet.text);
  const row = (code) => sheet.json.rows.find((r) => r.indicator === code);
  assert.equal(row('tax_revenue').status, null, 'the period must have no data yet');
  const budget = two(Number(row('budget_revenue').last_year || 10) * 1.05);
  const badTax = two(Number(budget) * 1.1);
  const goodTax = two(Math.min(Number(row('tax_revenue').last_year || 7) * 1.05, Number(budget) * 0.9));

  const page = await env.newPage();
  await login(page, env.url, 'stat_wancheng');
  await page.goto(`${env.url}/indicators/entry?unit=${unit}&period=${period}`);
  await page.locator('[data-testid="cell-tax_revenue-value"]').waitFor();
  await page.locator('[data-testid="cell-budget_revenue-value"]').fill(budget);
  // Enter moves down to the next editable row: tax revenue follows budget revenue
  await page.locator('[data-testid="cell-budget_revenue-value"]').press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'cell-tax_revenue-value');
  await page.keyboard.type(badTax);
  await page.locator('[data-testid="entry-dirty"]').getByText('2 项未保存').waitFor();
  await page.locator('[data-testid="entry-save"]').click();

  // the panel lists the error; the grid marks the row
  const panel = page.locator('[data-testid="findings-panel"]');
  const err = panel.locator('[data-testid="finding-error"]').filter({ hasText: '税收' });
  await err.first().waitFor();
  await page.locator('[data-testid="status-tax_revenue"]').getByText('草稿').waitFor();
  await err.first().click();
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'cell-tax_revenue-value');
  await shot(page, 'indicators-entry-error');

  // submission is refused with the reasons in Chinese
  await page.locator('[data-testid="entry-submit"]').click();
  await confirmBox(page);
  const refusal = page.locator('[data-testid="entry-refusal"]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /报送未通过/);
  assert.match(await refusal.innerText(), /税收/);
  await page.locator('[data-testid="status-tax_revenue"]').getByText('草稿').waitFor();
  await shot(page, 'indicators-entry-refused');

  // fix, save, submit
  await page.locator('[data-testid="cell-tax_revenue-value"]').fill(goodTax);
  await page.locator('[data-testid="entry-save"]').click();
  await page.locator('[data-testid="findings-errors"]').getByText('错误 0').waitFor();
  await page.locator('[data-testid="entry-submit"]').click();
  await confirmBox(page);
  await page.locator('[data-testid="status-tax_revenue"]').getByText('已报送').waitFor();
  await page.locator('[data-testid="status-budget_revenue"]').getByText('已报送').waitFor();
  // submitted rows are read-only
  assert.equal(await page.locator('input[data-testid="cell-tax_revenue-value"]').count(), 0);
  await shot(page, 'indicators-entry-submitted');
  assert.deepEqual(page.errors, []);

  // the city statistician approves it from the queue
  const boss = await env.newPage();
  await login(boss, env.url, 'stat');
  await boss.goto(`${env.url}/indicators/approval`);
  await boss.locator(`[data-testid="queue-row-${unit}-${period}"]`).waitFor();
  await boss.locator(`[data-testid="queue-open-${unit}-${period}"]`).click();
  const dialog = boss.locator('[data-testid="approval-dialog"]');
  await dialog.locator('[data-testid="sheet-row-tax_revenue"]').waitFor();
  assert.match(await dialog.locator('[data-testid="sheet-row-tax_revenue"]').innerText(), new RegExp(goodTax.replace('.', '\\.')));
  await shot(boss, 'indicators-approval-sheet');
  await dialog.locator('[data-testid="approval-approve"]').click();
  await dialog.waitFor({ state: 'hidden' });
  await boss.locator(`[data-testid="queue-row-${unit}-${period}"]`).waitFor({ state: 'detached' });

  // and the board of 南阳市 for 2025年3月 shows it
  await boss.goto(`${env.url}/indicators/board?parent=411300&period=${period}&indicators=budget_revenue,tax_revenue`);
  const cell = boss.locator(`[data-testid="board-value-${unit}-tax_revenue"]`);
  await cell.waitFor();
  assert.equal((await cell.innerText()).trim(), goodTax);
  assert.equal((await boss.locator(`[data-testid="board-value-${unit}-budget_revenue"]`).innerText()).trim(), budget);
  await shot(boss, 'indicators-board-approved');
  assert.deepEqual(boss.errors, []);
});

test('entry: a 2-row block pasted from Excel fills two cells down the value column', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'stat_wancheng');
  await page.goto(`${env.url}/indicators/entry?unit=T411302-02&period=2025-02`);
  const first = page.locator('[data-testid="cell-industrial_va-value"]');
  await first.waitFor();
  await first.focus();
  await first.evaluate((el) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', '12.5\r\n1,030.1\r\n');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await page.locator('.el-message').getByText('已粘贴 2 个单元格').waitFor();
  assert.equal(await first.inputValue(), '12.5');
  assert.equal(await page.locator('[data-testid="cell-fixed_asset_investment-value"]').inputValue(), '1030.1');
  assert.equal(await page.locator('[data-testid="cell-infrastructure_investment-value"]').inputValue(), '');
  await page.locator('[data-testid="entry-dirty"]').getByText('2 项未保存').waitFor();
  await shot(page, 'indicators-entry-paste');
  // leaving with unsaved changes asks first; cancelling stays on the grid with the edits
  await page.locator('[data-testid="ind-tab-board"]').click();
  const box = page.locator('.el-message-box');
  await box.getByText('有 2 项修改尚未保存').waitFor();
  await box.locator('.el-message-box__btns .el-button:not(.el-button--primary)').click();
  await box.waitFor({ state: 'hidden' });
  assert.equal(new URL(page.url()).pathname, '/indicators/entry');
  assert.equal(await first.inputValue(), '12.5');
  assert.deepEqual(page.errors, []);
});

test('approval: 退回 needs a reason and sends the sheet back to draft', async () => {
  // 瓦店镇 submits 2025-04 through the API
  const town = await loginAs(env.url, 'reporter_town');
  const unit = 'T411302-02';
  const period = '2025-04';
  let r = await town.put('/api/v1/indicators/entry', { unit, period, values: [{ indicator: 'retail_sales', value: '3.21' }] });
  assert.equal(r.status, 200, r.text);
  r = await town.post('/api/v1/indicators/entry/submit', { unit, period });
  assert.equal(r.status, 200, r.text);

  const page = await env.newPage();
  await login(page, env.url, 'stat_wancheng');
  await page.goto(`${env.url}/indicators/approval`);
  await page.locator(`[data-testid="queue-open-${unit}-${period}"]`).click();
  const dialog = page.locator('[data-testid="approval-dialog"]');
  await dialog.locator('[data-testid="status-retail_sales"]').getByText('已报送').waitFor();
  await dialog.locator('[data-testid="approval-return"]').click();
  const box = page.locator('.el-message-box');
  await box.waitFor();
  // an empty reason is refused by the form
  await box.locator('.el-message-box__btns .el-button--primary').click();
  await box.locator('.el-message-box__errormsg').getByText('请填写退回原因').waitFor();
  await box.locator('textarea').fill('社零额与商务局口径不一致，请核实');
  await shot(page, 'indicators-return-reason');
  await box.locator('.el-message-box__btns .el-button--primary').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator(`[data-testid="queue-row-${unit}-${period}"]`).waitFor({ state: 'detached' });
  const sheet = await town.get(`/api/v1/indicators/entry?unit=${unit}&period=${period}`);
  const row = sheet.json.rows.find((x) => x.indicator === 'retail_sales');
  assert.equal(row.status, 'draft');
  assert.match(row.note, /口径不一致/);
  assert.deepEqual(page.errors, []);
});

test('statistician: catalog (code fixed after creation), a custom rule, thresholds and a target', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'stat');
  await page.goto(`${env.url}/indicators/catalog`);
  await page.locator('[data-testid="catalog-row-gdp"]').waitFor();
  await page.locator('[data-testid="catalog-create"]').click();
  const dialog = page.locator('[data-testid="indicator-dialog"]');
  await dialog.waitFor();
  await dialog.locator('[data-testid="indicator-form-code"]').fill('new_firms');
  await dialog.locator('[data-testid="indicator-form-name"]').fill('新登记市场主体');
  await dialog.locator('[data-testid="indicator-form-unit"]').fill('个');
  await dialog.locator('[data-testid="indicator-form-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('[data-testid="catalog-row-new_firms"]').waitFor();
  await page.locator('[data-testid="catalog-actions-new_firms"]').getByText('编辑').click();
  await dialog.waitFor();
  assert.equal(await dialog.locator('[data-testid="indicator-form-code"]').isDisabled(), true);
  await dialog.locator('[data-testid="indicator-form-name"]').fill('新登记经营主体');
  await shot(page, 'indicators-catalog-edit');
  await dialog.locator('[data-testid="indicator-form-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('[data-testid="catalog-table"]').getByText('新登记经营主体').waitFor();

  // a rule with bad syntax is refused with the server's reason, a good one is listed
  await page.locator('[data-testid="catalog-tabs"]').getByText('校验规则').click();
  await page.locator('[data-testid="rule-create"]').click();
  const rd = page.locator('[data-testid="rule-dialog"]');
  await rd.locator('[data-testid="rule-form-expression"]').fill('industrial_investment <= fixed_asset_investment');
  await rd.locator('[data-testid="rule-form-message"]').fill('工业投资不得大于固定资产投资');
  await rd.locator('[data-testid="rule-form-submit"]').click();
  await rd.waitFor({ state: 'hidden' });
  await page.locator('[data-testid="rules-table"]').getByText('工业投资不得大于固定资产投资').waitFor();
  await shot(page, 'indicators-rules');

  // thresholds
  await page.locator('[data-testid="catalog-tabs"]').getByText('参数设置').click();
  const ahead = page.locator('[data-testid="settings-ahead_margin"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="settings-ahead_margin"]')?.value !== '');
  await ahead.fill('4');
  await page.locator('[data-testid="settings-save"]').click();
  await page.locator('.el-message--success').getByText('参数已保存').waitFor();

  // a target for 卧龙区: 保6争7
  await page.goto(`${env.url}/indicators/targets`);
  await page.locator('[data-testid="target-411303-value"]').fill('560');
  await page.locator('[data-testid="target-411303-floor"]').fill('6');
  await page.locator('[data-testid="target-411303-stretch"]').fill('7');
  await page.locator('[data-testid="targets-save"]').click();
  await page.locator('.el-message--success').getByText('已保存 1 个单位的目标').waitFor();
  await page.locator('[data-testid="targets-table"]').getByText('保6.0争7.0').waitFor();
  await shot(page, 'indicators-targets');
  assert.deepEqual(page.errors, []);
});
