// The investment module (招商引资) in a real browser against a real server: 卧龙区's investment
// officer drags a lead at 实质性谈判 to 签约 on the pipeline board, enters its contract
// (3.5亿元, 正式合同) in the dialog that asks for it, and sees 卧龙区's target progress change
// (亿元以上项目 count and contract amount); a jump (线索 → 签约) is refused with the server's
// reason and the card stays where it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

let env;
let wolong; // API client of 卧龙区's investment officer
let negotiating; // a 卧龙区 lead at 实质性谈判
let fresh; // a 卧龙区 lead at 线索
let before100m; // 卧龙区's 亿元以上项目 count this year before signing
let beforeAmount; // and its contract amount (亿元, decimal string)

const pad = (n) => String(n).padStart(2, '0');
const bj = new Date(Date.now() + 8 * 3600 * 1000);
const YEAR = bj.getUTCFullYear();
const TODAY = `${YEAR}-${pad(bj.getUTCMonth() + 1)}-${pad(bj.getUTCDate())}`;
const RUN = String(Date.now() % 100000);

function ok(r, status = [200, 201]) {
  assert.ok(status.includes(r.status), `${r.status} ${r.text}`);
  return r.json;
}
// exact sum of two decimal strings with at most 6 places, shown with 2 (as the page does)
function plus2(a, b) {
  const micro = (s) => { const [i, f = ''] = String(s).split('.'); return BigInt(i) * 1000000n + BigInt((f + '000000').slice(0, 6)); };
  const v = micro(a) + micro(b);
  const cents = (v + 5000n) / 10000n;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

async function targetOf(code) {
  const r = ok(await wolong.get(`/api/v1/investment/targets?year=${YEAR}&unit=${code}`));
  return r.items.find((x) => x.unit.code === code) || null;
}

before(async () => {
  env = await setup();
  wolong = await loginAs(env.url, 'invest_wolong');
  const company = ok(await wolong.post('/api/v1/investment/companies', { name: `南阳卧龙光电科技有限公司${RUN}`, origin: '深圳', tags: '民营' }));
  const mk = async (name) => ok(await wolong.post('/api/v1/investment/leads', {
    company_id: company.id, project_name: name, amount: '3.5', source: 'resident', unit: '411303',
  }));
  negotiating = await mk(`卧龙光电精密光学元件项目${RUN}`);
  for (const stage of ['contact', 'inspection', 'negotiation']) {
    negotiating = ok(await wolong.post(`/api/v1/investment/leads/${negotiating.id}/stage`, { stage, date: TODAY, version: negotiating.version }));
  }
  assert.equal(negotiating.stage, 'negotiation');
  fresh = await mk(`卧龙光电研发中心项目${RUN}`);

  // 卧龙区's target for this year (set one when the demo has none)
  let target = await targetOf('411303');
  if (!target) {
    target = ok(await wolong.put('/api/v1/investment/targets', { unit: '411303', year: YEAR, projects_100m: 12, contract_amount: '120' }));
  }
  before100m = target.actual.projects_100m;
  beforeAmount = target.actual.contract_amount;
});
after(async () => { await env?.stop(); });

test('卧龙区 drags a lead from 实质性谈判 to 签约, enters its contract, and its target progress counts it', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'invest_wolong');
  await page.locator('[data-testid="menu-investment"]').click();
  await page.waitForURL((u) => u.pathname === '/investment/board');
  // the officer's own district is the default scope; narrow the board to this run's leads
  await page.locator('[data-testid="inv-board-q"]').fill(RUN);
  await page.locator('[data-testid="inv-board-q"]').press('Enter');
  const card = page.locator(`[data-testid="inv-col-negotiation"] [data-testid="inv-card-${negotiating.id}"]`);
  await card.waitFor();
  assert.match(await card.innerText(), /卧龙光电精密光学元件项目/);
  assert.match(await card.innerText(), /3\.5/);
  await shot(page, 'investment-board');

  await card.dragTo(page.locator('[data-testid="inv-col-signed"]'));
  const dialog = page.locator('[data-testid="inv-stage-dialog"]');
  await dialog.locator('[data-testid="inv-need-contract"]').waitFor();
  assert.match(await dialog.innerText(), /签约/);
  await dialog.locator('[data-testid="inv-contract-amount"]').fill('3.5');
  await dialog.locator('[data-testid="inv-contract-kind-formal"]').click();
  await shot(page, 'investment-sign-dialog');
  await dialog.locator('[data-testid="inv-stage-submit"]').click();
  await page.locator(`[data-testid="inv-col-signed"] [data-testid="inv-card-${negotiating.id}"]`).waitFor();
  assert.equal(await page.locator(`[data-testid="inv-col-negotiation"] [data-testid="inv-card-${negotiating.id}"]`).count(), 0);
  await shot(page, 'investment-board-signed');

  const lead = ok(await wolong.get(`/api/v1/investment/leads/${negotiating.id}`));
  assert.equal(lead.stage, 'signed');
  assert.equal(lead.stage_dates.signed, TODAY);
  assert.equal(lead.contracts.length, 1);
  assert.equal(lead.contracts[0].kind, 'formal');
  assert.equal(Number(lead.contract_amount), 3.5);

  // 目标进度: 卧龙区's row counts one more 亿元以上 project and 3.5亿元 more
  await page.locator('[data-testid="inv-tab-targets"]').click();
  await page.waitForURL((u) => u.pathname === '/investment/targets');
  const count = page.locator('[data-testid="inv-target-count-411303"]');
  await count.waitFor();
  assert.match(await count.innerText(), new RegExp(`^${before100m + 1}\\s*/`));
  assert.match(await page.locator('[data-testid="inv-target-amount-411303"]').innerText(), new RegExp(`^${plus2(beforeAmount, '3.5').replace('.', '\\.')}\\s*/`));
  await page.locator('[data-testid="inv-targets-chart"] canvas').waitFor();
  await shot(page, 'investment-targets');

  // the lead page shows the contract and the stage dates
  await page.goto(`${env.url}/investment/leads/${negotiating.id}`);
  await page.locator('[data-testid="inv-lead-contracts"]').getByText('正式合同').waitFor();
  assert.match(await page.locator('[data-testid="inv-lead-contract-amount"]').innerText(), /3\.5/);
  await shot(page, 'investment-lead');
  assert.deepEqual(page.errors, []);
});

test('a jump from 线索 to 签约 is refused with the server\'s reason and the card stays', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'invest_wolong');
  await page.goto(`${env.url}/investment/board?q=${RUN}`);
  const card = page.locator(`[data-testid="inv-col-clue"] [data-testid="inv-card-${fresh.id}"]`);
  await card.waitFor();
  await card.dragTo(page.locator('[data-testid="inv-col-signed"]'));
  const refusal = page.locator('[data-testid="inv-board-refusal"]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /不能从“线索”直接到“签约”/);
  assert.match(await refusal.innerText(), /逐级推进/);
  await card.waitFor();
  assert.equal(await page.locator(`[data-testid="inv-col-signed"] [data-testid="inv-card-${fresh.id}"]`).count(), 0);
  assert.equal(await page.locator('[data-testid="inv-stage-dialog"]:visible').count(), 0);
  await shot(page, 'investment-board-refused');
  const lead = ok(await wolong.get(`/api/v1/investment/leads/${fresh.id}`));
  assert.equal(lead.stage, 'clue');
  assert.deepEqual(page.errors, []);
});
