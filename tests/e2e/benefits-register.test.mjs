// The 免申即享 enterprise register (企业库, 企业详情) in a real browser against a real server on
// the demo data: the city's investment officer filters the register (规上 + 专精特新) and the
// page lists exactly the enterprises the API counts, the filters kept in the URL; an
// enterprise that received 规上工业企业研发费用补助 in the demo's published run shows its granted
// amount, and a near-miss enterprise the one condition it failed; the officer edits a figure
// and sees it saved, then saves a stale edit — the other change made meanwhile through the API
// — and gets the conflict message with both changes kept; 卧龙区's officer sees only 卧龙区's
// enterprises.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

let env;
let city; // API client of the city's investment officer (benefit.manage)
let matched; // a matched result of the published run: { enterprise, granted, ... }
let nearMiss; // a near-miss result of the published run

function ok(r) {
  assert.ok([200, 201].includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}
// '1000000' → '1,000,000.00 元', as the page writes an amount in 元
const yuanText = (s) => `${Number(s).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

async function pickOption(page, selectTestId, text) {
  await page.locator(`[data-testid="${selectTestId}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}
// An input by test id: Element Plus puts the id on the native input or on its wrapper.
const field = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

before(async () => {
  env = await setup();
  city = await loginAs(env.url, 'invest');
  const policies = ok(await city.get('/api/v1/benefits/policies')).items;
  const policy = policies.find((p) => p.title === '规上工业企业研发费用补助');
  assert.ok(policy, 'the demo has the R&D subsidy policy');
  const run = ok(await city.get(`/api/v1/benefits/policies/${policy.id}/runs`)).items.find((r) => r.state === 'published');
  assert.ok(run, 'the demo published a run of it');
  const results = ok(await city.get(`/api/v1/benefits/runs/${run.id}?page_size=500`)).results.items;
  matched = results.find((x) => x.outcome === 'matched' && x.granted);
  nearMiss = results.find((x) => x.outcome === 'near_miss' && x.failed.length === 1);
  assert.ok(matched && nearMiss);
});
after(async () => { await env?.stop(); });

test('the officer filters the register by 规上 and 专精特新 and the page lists exactly the enterprises the API counts', async () => {
  const expected = ok(await city.get(`/api/v1/benefits/enterprises?scale=above_designated&certification=${encodeURIComponent('专精特新')}&page_size=100`));
  assert.ok(expected.total > 0 && expected.total < 50, `a one-page filter (${expected.total})`);
  const all = ok(await city.get('/api/v1/benefits/enterprises?page_size=1')).total;

  const page = await env.newPage();
  await login(page, env.url, 'invest');
  await page.locator('[data-testid="menu-benefits"]').click();
  await page.waitForURL((u) => u.pathname === '/benefits/enterprises');
  await page.locator('[data-testid^="ben-ent-row-"]').first().waitFor();
  assert.equal((await page.locator('[data-testid="ben-ent-total"]').textContent()).trim(), `共 ${all} 家企业`);

  await pickOption(page, 'ben-ent-scale', '规上');
  await pickOption(page, 'ben-ent-cert', /^专精特新$/);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="ben-ent-row-"]').length === n, expected.total);
  assert.equal((await page.locator('[data-testid="ben-ent-total"]').textContent()).trim(), `共 ${expected.total} 家企业`);
  const ids = await page.locator('[data-testid^="ben-ent-row-"]').evaluateAll((els) => els.map((el) => el.dataset.testid.slice('ben-ent-row-'.length)));
  assert.deepEqual(ids.map(Number).sort((a, b) => a - b), expected.items.map((x) => x.id).sort((a, b) => a - b));
  // the filters are in the URL: a reload lists the same enterprises
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('scale'), 'above_designated');
  assert.equal(url.searchParams.get('certification'), '专精特新');
  // a figure the latest year lacks reads 未报, never 0
  const gap = expected.items.find((x) => x.figures.length && x.figures[x.figures.length - 1].rd_spending === null);
  if (gap) assert.equal((await page.locator(`[data-testid="ben-ent-rd_spending-${gap.id}"]`).textContent()).trim(), '未报');
  await shot(page, 'benefits-register');
  await page.reload();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="ben-ent-row-"]').length === n, expected.total);
  assert.equal((await page.locator('[data-testid="ben-ent-total"]').textContent()).trim(), `共 ${expected.total} 家企业`);
});

test('an enterprise of the published run shows the amount it was granted, and a near miss the one condition it failed', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'invest');
  await page.goto(`${env.url}/benefits/enterprises/${matched.enterprise.id}`);
  await page.locator('[data-testid="ben-ent-facts"]').waitFor();
  assert.equal((await page.locator('[data-testid="page-title"]').textContent()).trim(), matched.enterprise.name);
  const received = ok(await city.get(`/api/v1/benefits/enterprises/${matched.enterprise.id}/benefits`));
  const row = received.items.find((x) => x.outcome === 'matched');
  const granted = page.locator(`[data-testid="ben-ent-matched"] [data-testid="ben-granted-${row.run.id}"]`);
  await granted.waitFor();
  assert.equal((await granted.textContent()).trim(), yuanText(row.granted));
  assert.equal((await page.locator('[data-testid="ben-ent-received"]').textContent()).trim(), yuanText(received.received));
  // the policy and the run link to their pages
  assert.equal(await page.locator(`[data-testid="ben-ent-matched"] [data-testid="ben-policy-link-${row.run.id}"]`).getAttribute('href'), `/benefits/policies/${row.policy.id}`);
  assert.equal(await page.locator(`[data-testid="ben-ent-matched"] [data-testid="ben-run-link-${row.run.id}"]`).getAttribute('href'), `/benefits/runs/${row.run.id}`);
  await shot(page, 'benefits-enterprise-received');

  await page.goto(`${env.url}/benefits/enterprises/${nearMiss.enterprise.id}`);
  const failed = page.locator(`[data-testid="ben-ent-near-miss"] [data-testid^="ben-failed-"]`);
  await failed.first().waitFor();
  assert.equal(await failed.count(), 1);
  assert.equal((await failed.textContent()).trim(), nearMiss.failed[0]);
  assert.equal((await page.locator('[data-testid="ben-ent-received"]').textContent()).trim(), yuanText(0));
  assert.match(await page.locator('[data-testid="ben-ent-matched"]').innerText(), /尚未享受已公布的政策/);
  await failed.scrollIntoViewIfNeeded();
  await shot(page, 'benefits-enterprise-near-miss');
});

test('the officer edits a figure and sees it saved; a stale save shows the conflict and keeps both changes', async () => {
  const id = nearMiss.enterprise.id;
  const e0 = ok(await city.get(`/api/v1/benefits/enterprises/${id}`));
  const year = Math.max(...e0.figures.map((f) => f.year));
  const page = await env.newPage();
  await login(page, env.url, 'invest');
  await page.goto(`${env.url}/benefits/enterprises/${id}`);
  await page.locator('[data-testid="ben-ent-facts"]').waitFor();

  // 营业收入 of the latest year: 12345.67 万元 → 123456700 元
  await page.locator('[data-testid="ben-ent-edit"]').click();
  await field(page, `ben-ef-revenue-${year}`).fill('12345.67');
  await page.locator('[data-testid="ben-ef-submit"]').click();
  await page.locator('[data-testid="ben-ent-dialog"]').waitFor({ state: 'hidden' });
  await page.waitForFunction(([sel, v]) => document.querySelector(sel)?.textContent.trim() === v, [`[data-testid="ben-fig-${year}-revenue"]`, '12345.67']);
  const e1 = ok(await city.get(`/api/v1/benefits/enterprises/${id}`));
  assert.equal(e1.figures.find((f) => f.year === year).revenue, '123456700');
  assert.equal(e1.version, e0.version + 1);

  // a stale save: the dialog is opened, then someone changes 研发投入 through the API
  await page.locator('[data-testid="ben-ent-edit"]').click();
  await field(page, `ben-ef-tax_paid-${year}`).fill('88.5');
  const other = e1.figures.find((f) => f.year === year);
  ok(await city.put(`/api/v1/benefits/enterprises/${id}`, {
    unit: e1.unit.code, industry: e1.industry, scale: e1.scale, certifications: e1.certifications, founded: e1.founded,
    figures: [{ ...other, rd_spending: '4321000' }], version: e1.version,
  }));
  await page.locator('[data-testid="ben-ef-submit"]').click();
  const notice = page.locator('[data-testid="ben-ef-notice"]');
  await notice.waitFor();
  assert.match(await notice.innerText(), /该企业信息已被他人修改/);
  // the page shows the other change; the dialog keeps this user's value on top of it
  assert.equal((await page.locator(`[data-testid="ben-fig-${year}-rd_spending"]`).textContent()).trim(), '432.10');
  assert.equal(await field(page, `ben-ef-tax_paid-${year}`).inputValue(), '88.5');
  assert.equal(await field(page, `ben-ef-rd_spending-${year}`).inputValue(), '432.1');
  await shot(page, 'benefits-enterprise-conflict');
  await page.locator('[data-testid="ben-ef-submit"]').click();
  await page.locator('[data-testid="ben-ent-dialog"]').waitFor({ state: 'hidden' });
  const e3 = ok(await city.get(`/api/v1/benefits/enterprises/${id}`));
  const f3 = e3.figures.find((f) => f.year === year);
  assert.deepEqual([f3.revenue, f3.tax_paid, f3.rd_spending], ['123456700', '885000', '4321000']);
  assert.equal(e3.version, e1.version + 2);
});

test('卧龙区\'s investment officer sees only 卧龙区\'s enterprises, and not another county\'s by its address', async () => {
  const wolong = await loginAs(env.url, 'invest_wolong');
  const mine = ok(await wolong.get('/api/v1/benefits/enterprises?page_size=100'));
  assert.ok(mine.total > 0);
  const outside = ok(await city.get('/api/v1/benefits/enterprises?unit=411330&page_size=1')).items[0]; // 桐柏县
  assert.ok(outside);

  const page = await env.newPage();
  await login(page, env.url, 'invest_wolong');
  await page.goto(`${env.url}/benefits/enterprises?page_size=100`);
  await page.locator('[data-testid^="ben-ent-row-"]').first().waitFor();
  assert.equal((await page.locator('[data-testid="ben-ent-total"]').textContent()).trim(), `共 ${mine.total} 家企业`);
  const units = await page.locator('[data-testid="ben-ent-table"] .el-table__body-wrapper tr td:nth-child(3)').allTextContents();
  assert.equal(units.length, Math.min(mine.total, 100));
  assert.deepEqual([...new Set(units.map((s) => s.trim()))], ['卧龙区']);
  await shot(page, 'benefits-register-wolong');

  await page.goto(`${env.url}/benefits/enterprises/${outside.id}`);
  await page.locator('[data-testid="ben-ent-load-error"]').waitFor();
  assert.equal(await page.locator('[data-testid="ben-ent-facts"]').count(), 0);
});
