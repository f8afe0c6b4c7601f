// 数据核查 in a real browser on a 1366×768 screen: the statistician pastes (or uploads) a report
// paragraph with a wrong share and a right one; the wrong one is listed first in red, every
// figure of the answer is highlighted in the text, and a click on a finding scrolls to and marks
// its sentence. A 1 MB report stays usable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot, pathOf } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.stop(); });

// 10.8 / 11.5 = 93.9 %, not the 95.0 % the text states; 10.7 / 21.4 = 50.0 % as stated.
const WRONG = '全区一般公共预算收入完成11.5亿元，其中税收收入完成10.8亿元，占比95.0%。';
const RIGHT = '全区固定资产投资完成21.4亿元，其中工业投资完成10.7亿元，占比50.0%。';
const TARGET = '2024年，全区力争实现地区生产总值230亿元。';
// sentences without a figure, to push the paragraph out of view
const FILLER = '坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，统筹推进各项工作。\n';
const PARAGRAPH = `山阳区2023年经济运行情况\n${RIGHT}\n${FILLER.repeat(60)}${WRONG}\n${TARGET}\n`;

const isAnswer = (r) => new URL(r.url()).pathname === '/api/v1/factcheck' && r.request().method() === 'POST';

// Puts a long text into the box as a paste does (one input event; typing 1 MB through the
// keyboard API would take minutes).
async function paste(page, text) {
  await page.locator('textarea[data-testid="fc-textarea"]').evaluate((el, s) => {
    el.value = s;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

// Runs the check of what is in the text box; returns the API's answer and how long the page took
// from the answer's arrival to showing it (ms), once it shows it.
async function runCheck(page, { timeout = 10000 } = {}) {
  const answer = page.waitForResponse(isAnswer, { timeout });
  await page.locator('[data-testid="fc-check"]').click();
  const res = await answer;
  assert.equal(res.status(), 200, await res.text());
  const d = await res.json();
  const arrived = Date.now();
  await page.locator('[data-testid="fc-summary"]').waitFor();
  d.shownAfter = Date.now() - arrived;
  return d;
}

// The rectangle of a locator and whether it lies inside that of another (the text pane).
async function inside(inner, outer) {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  return a && b && a.y >= b.y - 1 && a.y + Math.min(a.height, 40) <= b.y + b.height + 1;
}

test('the statistician checks a pasted paragraph: the wrong share comes first in red, a click marks its sentence', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'stat');
  await page.locator('[data-testid="side-menu"]').getByText('数据核查', { exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/factcheck');
  assert.equal(pathOf(page), '/factcheck');
  await page.locator('textarea[data-testid="fc-textarea"]').fill(PARAGRAPH);
  const d = await runCheck(page);

  // the answer: the wrong share and the right one
  const wrong = d.findings.find((f) => f.verdict === 'inconsistent' && f.quote.includes('95.0%'));
  const right = d.findings.find((f) => f.verdict === 'consistent' && f.quote.includes('50.0%'));
  assert.ok(wrong, JSON.stringify(d.findings));
  assert.ok(right, JSON.stringify(d.findings));
  assert.equal(wrong.check, 'share');

  // the summary counts are the answer's
  const bad = d.findings.filter((f) => f.verdict === 'inconsistent').length;
  assert.match(await page.locator('[data-testid="fc-count-facts"]').innerText(), new RegExp(`^${d.facts.length}\\b`));
  assert.match(await page.locator('[data-testid="fc-count-checks"]').innerText(), new RegExp(`^${d.findings.length}\\b`));
  assert.match(await page.locator('[data-testid="fc-count-inconsistent"]').innerText(), new RegExp(`^${bad}\\b`));

  // findings: inconsistent ones first, the wrong share among them, with stated and computed
  const cards = page.locator('[data-testid="fc-findings"] .fc-finding');
  assert.equal(await cards.count(), d.findings.length);
  const verdicts = await cards.evaluateAll((els) => els.map((e) => e.dataset.verdict));
  assert.deepEqual(verdicts, [...verdicts].sort((a, b) => (a === 'inconsistent' ? 0 : 1) - (b === 'inconsistent' ? 0 : 1)));
  const first = page.locator('[data-testid="fc-finding-0"]');
  assert.equal(await first.getAttribute('data-verdict'), 'inconsistent');
  const wrongCard = cards.filter({ hasText: '95.0%' }).filter({ has: page.locator('[data-testid="fc-stated"]', { hasText: '95' }) }).first();
  assert.equal(await wrongCard.getAttribute('data-verdict'), 'inconsistent');
  assert.match(await wrongCard.innerText(), /不一致/);
  assert.equal(await wrongCard.locator('[data-testid="fc-computed"]').innerText(), `${wrong.computed}%`);
  assert.equal(await wrongCard.evaluate((e) => getComputedStyle(e).borderLeftColor), 'rgb(200, 22, 29)');
  const rightCard = cards.filter({ hasText: '50.0%' }).first();
  assert.equal(await rightCard.getAttribute('data-verdict'), 'consistent');

  // every figure of the answer is highlighted; the target in its own colour
  const text = page.locator('[data-testid="fc-text"]');
  assert.equal(await text.locator('.fc-fact').count(), d.facts.length);
  assert.equal(await text.locator('.fc-fact.target').count(), d.facts.filter((f) => f.target).length);
  assert.ok(d.facts.some((f) => f.target && Number(f.value) === 230), 'the 力争 figure is a target');
  const target = text.locator('.fc-fact.target', { hasText: '230' }).first();
  const result = text.locator('.fc-fact:not(.target)', { hasText: '21.4' }).first();
  assert.notEqual(await target.evaluate((e) => getComputedStyle(e).backgroundColor),
    await result.evaluate((e) => getComputedStyle(e).backgroundColor));
  // the page never turned the text into markup
  assert.equal(await text.innerText().then((s) => s.includes('山阳区2023年经济运行情况')), true);

  // a hover shows what was read
  await result.hover();
  const tip = page.locator('[data-testid="fc-tip"]');
  await tip.waitFor();
  assert.match(await tip.innerText(), /21\.4\s*亿元/);

  // the wrong sentence is far down: a click scrolls to it and marks exactly it
  assert.equal(await inside(text.locator('.fc-fact', { hasText: '10.8' }).first(), text), false);
  await wrongCard.click();
  const sentence = page.locator('[data-testid="fc-sentence"]');
  await sentence.waitFor();
  assert.match(await sentence.innerText(), /税收收入完成10\.8亿元，占比95\.0%/);
  assert.doesNotMatch(await sentence.innerText(), /50\.0%|230/);
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid="fc-text"]').getBoundingClientRect();
    const s = document.querySelector('[data-testid="fc-sentence"]').getBoundingClientRect();
    return s.top >= box.top && s.bottom <= box.bottom;
  });
  assert.equal(await inside(sentence, text), true);
  assert.notEqual(await sentence.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgba(0, 0, 0, 0)');
  // fits the laptop's width
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await page.waitForTimeout(300);
  await shot(page, 'factcheck-wrong-share');

  // the right one: the mark moves up to its sentence
  await rightCard.click();
  await page.waitForFunction(() => /占比50\.0%/.test(document.querySelector('[data-testid="fc-sentence"]')?.innerText || ''));
  assert.doesNotMatch(await sentence.innerText(), /95\.0%/);
  assert.deepEqual(page.errors, []);
});

test('an uploaded .txt file is read as UTF-8 and checked; 修改文本 brings the text back', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'stat');
  await page.goto(`${env.url}/factcheck`);
  const body = `${WRONG}\n${RIGHT}\n`;
  await page.locator('[data-testid="fc-file"]').setInputFiles({ name: '报告.txt', mimeType: 'text/plain', buffer: Buffer.from(body, 'utf8') });
  await page.waitForFunction((s) => document.querySelector('textarea[data-testid="fc-textarea"]').value === s, body);
  const d = await runCheck(page);
  assert.equal(await page.locator('[data-testid="fc-finding-0"]').getAttribute('data-verdict'), 'inconsistent');
  assert.equal(await page.locator('[data-testid="fc-text"] .fc-fact').count(), d.facts.length);
  await page.locator('[data-testid="fc-edit"]').click();
  assert.equal(await page.locator('textarea[data-testid="fc-textarea"]').inputValue(), body);

  // a file that is not UTF-8 is refused with a message, the text box keeps what it had
  await page.locator('[data-testid="fc-file"]').setInputFiles({ name: 'gbk.txt', mimeType: 'text/plain', buffer: Buffer.from([0xb2, 0xe2, 0xca, 0xd4, 0xff]) });
  await page.locator('.el-message--error', { hasText: 'UTF-8' }).waitFor();
  assert.equal(await page.locator('textarea[data-testid="fc-textarea"]').inputValue(), body);
  assert.deepEqual(page.errors, []);
});

test('a 1 MB report is checked and shown, and a click on a finding still answers at once', { timeout: 180000 }, async () => {
  const page = await env.newPage();
  await login(page, env.url, 'stat');
  await page.goto(`${env.url}/factcheck`);
  // about 1 MB: the paragraph with its own figures every ~10 KB, so the text has figures throughout
  const block = (k) => `${FILLER.repeat(90)}第${k + 1}部分。全区规模以上工业增加值完成${(50 + k / 10).toFixed(1)}亿元，同比增长5.3%。\n`;
  let big = '';
  for (let k = 0; Buffer.byteLength(big) < 1024 * 1024 - 2000; k += 1) big += block(k);
  big += `${WRONG}\n`;
  const bytes = Buffer.byteLength(big);
  assert.ok(bytes > 1000 * 1000 && bytes < 2 * 1024 * 1024, String(bytes));
  await paste(page, big);
  // the page is measured from the answer's arrival: the server's own speed is the API's benchmark
  const d = await runCheck(page, { timeout: 120000 });
  assert.ok(d.facts.length > 50, String(d.facts.length));
  assert.ok(d.shownAfter < 3000, `the answer took ${d.shownAfter} ms to show`);
  // the rest of the text is put on the page in small steps
  await page.locator('[data-testid="fc-text"][data-complete="yes"]').waitFor();
  assert.equal(await page.locator('[data-testid="fc-text"] .fc-fact').count(), d.facts.length);
  assert.equal(await page.locator('[data-testid="fc-text"]').evaluate((e) => e.innerText.replace(/\n/g, '').length), big.replace(/\n/g, '').length);

  // the wrong share at the very end: the click marks it quickly
  const wrongCard = page.locator('[data-testid="fc-findings"] .fc-finding', { hasText: '95.0%' }).first();
  const t1 = Date.now();
  await wrongCard.click();
  await page.waitForFunction(() => /占比95\.0%/.test(document.querySelector('[data-testid="fc-sentence"]')?.innerText || ''));
  const marked = Date.now() - t1;
  assert.ok(marked < 1500, `the mark took ${marked} ms`);
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid="fc-text"]').getBoundingClientRect();
    const s = document.querySelector('[data-testid="fc-sentence"]').getBoundingClientRect();
    return s.top >= box.top && s.bottom <= box.bottom;
  }, null, { timeout: 5000 });
  // the page stays responsive: a trivial evaluation comes back at once
  const t2 = Date.now();
  await page.evaluate(() => 1);
  assert.ok(Date.now() - t2 < 500);
  assert.deepEqual(page.errors, []);
});

test('the audit admin, who may not use the fact check, has no menu entry and /factcheck says 无权访问', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'auditor');
  const menu = page.locator('[data-testid="side-menu"]');
  await menu.getByText('审计日志').waitFor();
  assert.equal(await menu.getByText('数据核查').count(), 0);
  await page.goto(`${env.url}/factcheck`);
  await page.locator('[data-testid="forbidden"]').getByText('无权访问').waitFor();
  assert.equal(await page.locator('[data-testid="fc-check"]').count(), 0);
  assert.deepEqual(page.errors, []);
});
