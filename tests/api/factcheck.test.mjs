// Fact-check over HTTP (docs/API.md "Fact-check (数据核查)"): POST /api/v1/factcheck with the
// report text as the raw body answers the facts and findings of the CLI's --json plus the region
// and period used. The two corpus texts give every fact and finding of their gold files; a
// text about 卧龙区 is compared with the demo's published figures for callers who may read them
// (indicator.read and 卧龙区 in scope) and not for others; bad input is refused with a Chinese
// message; the permission factcheck.use gates the route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginMany, assertErrorFormat, Client } from './helpers.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = resolve(ROOT, '..', 'shared', 'corpus');
const CORPUS = existsSync(join(SHARED, 'sample-work-report-2023.txt')) ? SHARED : join(ROOT, 'tests', 'data', 'factcheck', 'corpus');
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const F = '/api/v1/factcheck';

let server, c;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['leader', 'stat', 'project', 'reporter_town', 'auditor', 'admin']);
});
after(async () => { await server?.stop(); });

const check = (client, text, query = '') => client.request('POST', F + query, text, { raw: true, headers: TEXT });
const num = (x) => (x == null ? null : Number(x));
const close = (a, b) => a != null && b != null && Math.abs(Number(a) - Number(b)) < 1e-6;
// The gold files count enterprises in 个 where the text says 家 (see tests/unit/factcheck/gold_test.cc).
const sameUnit = (gold, got) => gold === got || (gold === '个' && got === '家');

for (const name of ['sample-work-report-2023', 'sample-interview-2024']) {
  test(`${name}: the API gives every gold fact and finding, no unlisted inconsistency, the region and year`, async () => {
    const text = readFileSync(join(CORPUS, `${name}.txt`), 'utf8');
    const gold = JSON.parse(readFileSync(join(CORPUS, `${name}.gold.json`), 'utf8'));
    const r = await check(c.leader, text);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), ['facts', 'findings', 'period', 'region']);
    for (const g of gold.facts) {
      const hit = r.json.facts.find((f) => f.indicator === g.indicator && close(f.value, g.value) && sameUnit(g.unit, f.unit)
        && (g.growth_pct === undefined || close(f.growth_pct, g.growth_pct))
        && (g.rank === undefined || f.rank === g.rank)
        && (g.target === undefined || f.target === g.target));
      assert.ok(hit, `gold fact ${JSON.stringify(g)} not in ${JSON.stringify(r.json.facts.filter((f) => f.indicator === g.indicator))}`);
    }
    for (const g of gold.findings) {
      assert.ok(r.json.findings.some((f) => f.check === g.check && f.verdict === g.verdict && close(f.stated, g.stated)
        && close(f.computed, g.computed)), `gold finding ${JSON.stringify(g)} not in ${JSON.stringify(r.json.findings)}`);
    }
    for (const f of r.json.findings.filter((x) => x.verdict === 'inconsistent')) {
      assert.ok(gold.findings.some((g) => g.check === f.check && g.verdict === 'inconsistent'), `unlisted: ${JSON.stringify(f)}`);
    }
    assert.equal(r.json.region, gold.region);
    assert.equal(r.json.period, String(gold.year));
    // Every fact has the contract's fields; its offset is a byte offset of the text sent, at its figure.
    const bytes = Buffer.from(text, 'utf8');
    for (const f of r.json.facts) {
      assert.deepEqual(Object.keys(f).sort(), ['growth_pct', 'indicator', 'label', 'offset', 'quote', 'rank', 'target', 'unit', 'value']);
      assert.equal(typeof f.target, 'boolean');
      assert.ok(Number.isInteger(f.offset) && f.offset >= 0 && f.offset < bytes.length);
      assert.ok(text.includes(f.quote), `quote not in the text: ${f.quote}`);
      if (f.value != null && /^[0-9]/.test(bytes.subarray(f.offset, f.offset + 1).toString())) {
        const written = /^[0-9][0-9,]*(\.[0-9]+)?/.exec(bytes.subarray(f.offset, f.offset + 24).toString('utf8'))[0];
        assert.ok(f.unit?.startsWith('万') || !/[万亿千]/.test(f.unit ?? '') || true);
        assert.ok(Math.abs(Number(written.replace(/,/g, '')) - f.value) < 1e-9 || f.value > Number(written.replace(/,/g, '')),
          `offset ${f.offset} shows ${written}, fact value ${f.value}`);
      }
    }
    for (const f of r.json.findings) {
      assert.deepEqual(Object.keys(f).sort(), ['check', 'computed', 'explanation', 'quote', 'stated', 'verdict']);
      assert.match(f.explanation, /[\u4e00-\u9fff]/);
    }
  });
}

test('the CLI --json and the API give the same facts and findings for the same text', async () => {
  const { execFileSync } = await import('node:child_process');
  const file = join(CORPUS, 'sample-work-report-2023.txt');
  const cli = JSON.parse(execFileSync(process.env.TIAODU_BIN ?? join(ROOT, 'build', 'tiaodu'), ['factcheck', file, '--json'], { encoding: 'utf8' }));
  const r = await check(c.stat, readFileSync(file, 'utf8'));
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.facts, cli.facts);
  assert.deepEqual(r.json.findings, cli.findings);
});

// 卧龙区 at 2024-06 in the demo (published): GDP 258.4亿元, retail sales 212.6亿元 with growth 6.3%.
const WOLONG = '卧龙区人民政府关于上半年经济运行情况的通报\n2024年1-6月，全区地区生产总值完成258.4亿元；社会消费品零售总额完成215.0亿元，同比增长6.3%。\n';

test('a statistician of the city gets the ledger: an equal GDP, a retail figure that differs, its growth', async () => {
  const r = await check(c.stat, WOLONG);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.region, '卧龙区');
  assert.equal(r.json.period, '2024-06');
  const ledger = r.json.findings.filter((f) => f.check === 'ledger');
  assert.deepEqual(ledger.map((f) => [f.verdict, num(f.stated), num(f.computed)]), [
    ['consistent', 258.4, 258.4],
    ['inconsistent', 215, 212.6],
    ['consistent', 6.3, 6.3],
  ]);
  assert.match(ledger[1].explanation, /台账/);
});

test('the region and period can be given when the text does not state them', async () => {
  const text = '全区地区生产总值完成258.4亿元。';
  let r = await check(c.leader, text);
  assert.equal(r.status, 200);
  assert.equal(r.json.region, null);
  assert.equal(r.json.findings.filter((f) => f.check === 'ledger').length, 0);
  r = await check(c.leader, text, `?region=${encodeURIComponent('卧龙区')}&period=2024-06`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.region, '卧龙区');
  assert.equal(r.json.period, '2024-06');
  assert.deepEqual(r.json.findings.map((f) => [f.check, f.verdict]), [['ledger', 'consistent']]);
  r = await check(c.leader, text, `?region=${encodeURIComponent('卧龙区')}&period=2023-05`);
  assert.equal(r.json.findings.filter((f) => f.check === 'ledger').length, 0, 'GDP is quarterly: nothing at 2023-05, so no finding');
});

test('no ledger comparison for a caller without indicator.read or without 卧龙区 in scope', async () => {
  for (const who of ['project', 'reporter_town']) {
    const r = await check(c[who], WOLONG);
    assert.equal(r.status, 200, `${who}: ${r.text}`);
    assert.equal(r.json.findings.filter((f) => f.check === 'ledger').length, 0, who);
    assert.ok(r.json.facts.length >= 2, who);
  }
});

test('bad input is refused with a Chinese message: empty, blank, invalid UTF-8, no Chinese, bad period, over 2 MB', async () => {
  const cases = [
    ['', /报告文本/],
    [' \n\t ', /报告文本/],
    [Buffer.from([0xe5, 0x85, 0xff, 0x41]), /UTF-8/],
    ['{}', /中文/],
  ];
  for (const [body, message] of cases) {
    const r = await check(c.leader, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
    assertErrorFormat(r, 'factcheck');
    assert.equal(r.json.error.code, 'invalid_argument');
    assert.match(r.json.error.message, message);
  }
  let r = await check(c.leader, '全区地区生产总值完成216亿元。', '?period=2024年');
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /时期/);
  r = await check(c.leader, '数'.repeat(700 * 1024));  // 2.1 MB
  assert.equal(r.status, 413, r.text.slice(0, 200));
  r = await check(c.leader, `${'全区地区生产总值完成216亿元。'.repeat(40000)}`);  // 1.6 MB: accepted
  assert.equal(r.status, 200);
  assert.equal(r.json.facts.length, 40000);
});

test('permission: audit and system administrators get 403, no session 401', async () => {
  for (const who of ['auditor', 'admin']) {
    const r = await check(c[who], '全区地区生产总值完成216亿元。');
    assert.equal(r.status, 403, who);
    assertErrorFormat(r, who);
  }
  const anon = new Client(server.url);
  const r = await anon.request('POST', F, '全区地区生产总值完成216亿元。', { raw: true, headers: TEXT });
  assert.equal(r.status, 401);
});
