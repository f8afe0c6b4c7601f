// 免申即享 in a real browser against a real server (issue 10: "write a policy, see the live match
// count, run it, approve it"): the investment officer writes a new policy and watches the live
// count follow the eligibility rule as it is edited (the page shows exactly what
// POST /benefits/policies/check answers for the same text); a misspelt attribute is shown with its
// line and column and the save is refused; the saved policy is run for a year, the run shows its
// matches and the near misses with the failed condition, the officer reviews it, the leader
// approves it (the officer is not offered 批准 and the server refuses it), the officer publishes
// it, the page says the results are frozen and its public notice (公示) downloads as a .docx. The
// leader sees a policy page read-only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup, login, shot, pathOf } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

let env, invest, leader;
const TITLE = '规上企业营收增长奖励（浏览器测试）';
const BASE_YEAR = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear() - 1; // the demo's last full year
const AMOUNT = '10万';
const RULE_1 = 'scale = "规上"';
const RULE_2 = `${RULE_1} and revenue >= 1亿`;
const TYPO = `${RULE_1} and revenu >= 1亿`;
const RULE_3 = `${RULE_2} and growth(revenue) >= 5`;

before(async () => {
  env = await setup();
  invest = await loginAs(env.url, 'invest');
  leader = await loginAs(env.url, 'leader');
});
after(async () => { await env?.stop(); });

// An input by test id: Element Plus puts the id on the native input or on its wrapper.
const field = (page, id) => page.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`).first();
const text = async (loc) => (await loc.textContent()).trim();

// What the server counts for an eligibility rule (with the test's amount and base year).
async function check(eligibility) {
  const r = await invest.post('/api/v1/benefits/policies/check', { eligibility, amount: AMOUNT, base_year: BASE_YEAR });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Waits until the live panel shows the counts of `expected` (an ok answer of the check).
async function waitForCounts(page, expected) {
  await page.locator('[data-testid="ben-live"][data-state="ok"]').waitFor();
  await page.locator('[data-testid="ben-live-matched"]', { hasText: new RegExp(`^${expected.matched}$`) }).waitFor();
  for (const k of ['matched', 'near_miss', 'data_missing', 'data_error', 'not_matched', 'enterprises'])
    assert.equal(await text(page.locator(`[data-testid="ben-live-${k}"]`)), String(expected[k]), k);
  const requested = Number(expected.requested).toLocaleString('zh-CN', { minimumFractionDigits: 2 });
  assert.equal(await text(page.locator('[data-testid="ben-live-requested"]')), `${requested} 元`);
}

async function confirm(page) {
  await page.locator('.el-message-box__btns .el-button--primary').click();
}

test('invest writes a policy with the live count, runs it, reviews; leader approves; invest publishes', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'invest');
  await page.locator('[data-testid="menu-benefits"]').click();
  await page.locator('[data-testid="ben-tab-policies"]').click();
  const demo = (await invest.get('/api/v1/benefits/policies')).json;
  await page.locator(`[data-testid="ben-policy-row-${demo.items[0].id}"]`).waitFor();
  assert.equal(await page.locator('[data-testid^="ben-policy-row-"]').count(), demo.total);
  const first = demo.items[0];
  assert.match(await text(page.locator(`[data-testid="ben-policy-validity-${first.id}"]`)), /^\d{4}年1月—\d{4}年12月$/);

  await page.locator('[data-testid="ben-policy-create"]').click();
  await page.waitForURL((u) => u.pathname === '/benefits/policies/new');
  await field(page, 'ben-pf-title').fill(TITLE);
  await field(page, 'ben-pf-issuer').fill('南阳市投资促进中心');
  await field(page, 'ben-pf-doc').fill(`宛投〔${BASE_YEAR}〕1号`);
  await field(page, 'ben-pf-budget').fill('300万');
  await field(page, 'ben-pf-year').fill(String(BASE_YEAR));
  await field(page, 'ben-pf-amount').fill(AMOUNT);

  // The live count appears as the rule is typed, and follows it as it changes.
  const elig = field(page, 'ben-pf-eligibility');
  await elig.click();
  await elig.pressSequentially(RULE_1, { delay: 15 });
  const c1 = await check(RULE_1);
  await waitForCounts(page, c1);
  await elig.pressSequentially(RULE_2.slice(RULE_1.length), { delay: 15 });
  const c2 = await check(RULE_2);
  assert.notEqual(c2.matched, c1.matched, 'the added condition changes the count');
  await waitForCounts(page, c2);
  await shot(page, 'benefits-live-count');

  // A misspelt attribute: the error with its line and column, the span marked; the save is refused.
  await elig.fill(TYPO);
  const bad = await check(TYPO);
  assert.equal(bad.ok, false);
  const e = bad.errors[0];
  await page.locator('[data-testid="ben-rule-error-eligibility"]').waitFor();
  assert.equal(await text(page.locator('[data-testid="ben-rule-error-eligibility-pos"]')), `第${e.line}行第${e.column}列：`);
  assert.equal(await text(page.locator('[data-testid="ben-rule-error-eligibility-msg"]')), e.message);
  assert.match(e.message, /未知属性“revenu”/);
  assert.equal(await text(page.locator('[data-testid="ben-rule-mark-eligibility"]')), 'revenu');
  await page.locator('[data-testid="ben-live-invalid"]').waitFor();
  await shot(page, 'benefits-rule-error');
  await page.locator('[data-testid="ben-policy-save"]').click();
  await page.locator('[data-testid="ben-policy-error"]', { hasText: '规则有误' }).waitFor();
  assert.equal(pathOf(page), '/benefits/policies/new');
  assert.equal((await invest.get(`/api/v1/benefits/policies?q=${encodeURIComponent(TITLE)}`)).json.total, 0, 'nothing saved');

  // Fixed and saved.
  await elig.fill(RULE_3);
  await waitForCounts(page, await check(RULE_3));
  await page.locator('[data-testid="ben-policy-save"]').click();
  await page.waitForURL((u) => /^\/benefits\/policies\/\d+$/.test(u.pathname));
  const policyId = Number(pathOf(page).split('/').pop());
  const saved = (await invest.get(`/api/v1/benefits/policies/${policyId}`)).json;
  assert.equal(saved.title, TITLE);
  assert.equal(saved.eligibility, RULE_3);
  assert.equal(saved.amount, AMOUNT);
  assert.equal(saved.budget, '3000000');
  assert.equal(saved.base_year, BASE_YEAR);
  assert.equal(await field(page, 'ben-pf-budget').inputValue(), '300万');
  assert.equal(await page.locator('[data-testid^="ben-run-row-"]').count(), 0);

  // Run for the base year → the run page.
  await field(page, 'ben-run-year').fill(String(BASE_YEAR));
  await page.locator('[data-testid="ben-run-start"]').click();
  await page.waitForURL((u) => u.pathname.startsWith('/benefits/runs/'));
  const runId = Number(pathOf(page).split('/').pop());
  await page.locator('[data-testid="ben-run-state"]', { hasText: '草稿' }).waitFor();
  let run = (await invest.get(`/api/v1/benefits/runs/${runId}`)).json;
  assert.equal(run.year, BASE_YEAR);
  assert.ok(run.matched > 0 && run.near_miss > 0);
  assert.equal(await text(page.locator('[data-testid="ben-run-total-matched"]')), String(run.matched));
  assert.equal(await text(page.locator('[data-testid="ben-run-total-near_miss"]')), String(run.near_miss));
  assert.equal(await text(page.locator('[data-testid="ben-run-eligibility"]')), RULE_3);
  // 47 × 10万 exceed 300万: the cap note, and the granted total is the budget.
  assert.equal(Number(run.granted), 3000000);
  await page.locator('[data-testid="ben-run-capped"]').waitFor();
  const rows = page.locator('[data-testid="ben-run-results"] [data-testid^="ben-result-granted-"]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), Math.min(run.matched, 20));

  // Near misses show the failed condition.
  await page.locator('[data-testid="ben-run-tab-near_miss"]').click();
  await page.waitForURL((u) => u.searchParams.get('outcome') === 'near_miss');
  const near = (await invest.get(`/api/v1/benefits/runs/${runId}?outcome=near_miss&page_size=20`)).json.results.items;
  const n0 = near[0];
  const failed = page.locator(`[data-testid="ben-result-failed-${n0.enterprise.id}"]`);
  await failed.waitFor();
  assert.equal(await text(failed), `✗ ${n0.failed[0]}`);
  assert.ok(RULE_3.includes(n0.failed[0]));
  assert.equal(await page.locator('[data-testid^="ben-result-failed-"]').count(), near.length);
  await shot(page, 'benefits-run-near-miss');

  // Review; the officer may not approve (no button, and the server says no).
  await page.locator('[data-testid="ben-run-review"]').click();
  await confirm(page);
  await page.locator('[data-testid="ben-run-state"]', { hasText: '已审核' }).waitFor();
  assert.equal(await page.locator('[data-testid="ben-run-approve"]').count(), 0);
  run = (await invest.get(`/api/v1/benefits/runs/${runId}`)).json;
  assert.equal(run.reviewed_by, 'invest');
  assert.equal((await invest.post(`/api/v1/benefits/runs/${runId}/approve`, { version: run.version })).status, 403);

  // The leader hears of it on the bell (待批准), which opens the run, and approves.
  const lp = await env.newPage();
  await login(lp, env.url, 'leader');
  await lp.locator('[data-testid="bell"]').click();
  const bell = lp.locator('[data-testid="bell-panel"]');
  await bell.waitFor();
  const note = bell.locator('.td-bell-item.unread', { hasText: TITLE }).first();
  await note.waitFor();
  assert.match(await note.innerText(), /待批准/);
  await note.click();
  await lp.waitForURL((u) => u.pathname === `/benefits/runs/${runId}`);
  await lp.locator('[data-testid="ben-run-state"]', { hasText: '已审核' }).waitFor();
  assert.equal(await lp.locator('[data-testid="ben-run-review"]').count(), 0);
  assert.equal(await lp.locator('[data-testid="ben-run-publish"]').count(), 0);
  await lp.locator('[data-testid="ben-run-approve"]').click();
  await confirm(lp);
  await lp.locator('[data-testid="ben-run-state"]', { hasText: '已批准' }).waitFor();
  assert.match(await text(lp.locator('[data-testid="ben-run-step-approved"]')), /leader/);
  assert.deepEqual(lp.errors, []);

  // The officer publishes; the page says the results are frozen and offers nothing more.
  await page.reload();
  await page.locator('[data-testid="ben-run-state"]', { hasText: '已批准' }).waitFor();
  await page.locator('[data-testid="ben-run-publish"]').click();
  await confirm(page);
  await page.locator('[data-testid="ben-run-frozen"]', { hasText: '已公布（结果已冻结）' }).waitFor();
  for (const b of ['review', 'approve', 'publish']) assert.equal(await page.locator(`[data-testid="ben-run-${b}"]`).count(), 0);
  run = (await invest.get(`/api/v1/benefits/runs/${runId}`)).json;
  assert.equal(run.state, 'published');
  assert.equal(run.approved_by, 'leader');
  await shot(page, 'benefits-run-published');
  // 复算核对: recomputed from what the run stored, it is identical.
  await page.locator('[data-testid="ben-run-verify"]').click();
  await page.locator('[data-testid="ben-run-verified"]', { hasText: `复算一致（${run.enterprises} 家企业）` }).waitFor();
  // The public notice (公示) downloads as a Word document named after the policy.
  const [notice] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="ben-run-notice"]').click()]);
  assert.match(notice.suggestedFilename(), /免申即享兑现名单的公示\.docx$/);
  assert.equal(readFileSync(await notice.path()).subarray(0, 2).toString(), 'PK');

  // The policy page lists the run as published.
  await page.goto(`${env.url}/benefits/policies/${policyId}`);
  await page.locator(`[data-testid="ben-run-state-${runId}"]`, { hasText: '已公布' }).waitFor();

  // Archived, the policy becomes read-only and cannot be run again.
  await page.locator('[data-testid="ben-policy-archive"]').click();
  await confirm(page);
  await page.locator('[data-testid="ben-policy-readonly"]', { hasText: '已归档' }).waitFor();
  for (const id of ['ben-policy-save', 'ben-policy-archive', 'ben-run-start']) assert.equal(await page.locator(`[data-testid="${id}"]`).count(), 0, id);
  assert.equal((await invest.get(`/api/v1/benefits/policies/${policyId}`)).json.archived, true);
  assert.deepEqual(page.errors, []);
});

test('a save over someone else\'s change says so in Chinese and reloads the policy', async () => {
  const p = (await invest.get('/api/v1/benefits/policies')).json.items.find((x) => x.title === '专精特新中小企业一次性奖励');
  const page = await env.newPage();
  await login(page, env.url, 'invest');
  await page.goto(`${env.url}/benefits/policies/${p.id}`);
  await page.locator('[data-testid="ben-live"][data-state="ok"]').waitFor();
  const changed = await invest.put(`/api/v1/benefits/policies/${p.id}`, { amount: '30万', version: p.version });
  assert.equal(changed.status, 200, changed.text);
  await field(page, 'ben-pf-doc').fill('宛工信〔改〕15号');
  await page.locator('[data-testid="ben-policy-save"]').click();
  await page.locator('[data-testid="ben-policy-stale"]', { hasText: '已被他人修改' }).waitFor();
  await page.locator('[data-testid="ben-policy-reload"]').click();
  await page.locator('[data-testid="ben-policy-stale"]').waitFor({ state: 'detached' });
  assert.equal(await field(page, 'ben-pf-amount').inputValue(), '30万');
  assert.equal(await field(page, 'ben-pf-doc').inputValue(), p.doc_number);
  assert.deepEqual(page.errors, []);
});

test('the leader sees a policy page read-only: no save, no live count, no run button', async () => {
  const demo = (await leader.get('/api/v1/benefits/policies')).json;
  const p = demo.items.find((x) => x.title === '规上工业企业研发费用补助');
  assert.ok(p);
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  await page.goto(`${env.url}/benefits/policies/${p.id}`);
  await page.locator('[data-testid="ben-policy-readonly"]').waitFor();
  assert.equal(await field(page, 'ben-pf-title').inputValue(), p.title);
  assert.equal(await field(page, 'ben-pf-eligibility').inputValue(), p.eligibility);
  assert.equal(await field(page, 'ben-pf-title').isEditable(), false);
  assert.equal(await field(page, 'ben-pf-eligibility').isEditable(), false);
  for (const id of ['ben-policy-save', 'ben-policy-archive', 'ben-run-start', 'ben-live-matched'])
    assert.equal(await page.locator(`[data-testid="${id}"]`).count(), 0, id);
  await page.locator('[data-testid="ben-live-off"]').waitFor();
  await shot(page, 'benefits-leader-readonly');
  // The published demo run is listed and opens.
  const runs = (await leader.get(`/api/v1/benefits/policies/${p.id}/runs`)).json.items;
  assert.equal(runs[0].state, 'published');
  await page.locator(`[data-testid="ben-run-row-${runs[0].id}"]`).click();
  await page.locator('[data-testid="ben-run-frozen"]').waitFor();
  assert.deepEqual(page.errors, []);
});
