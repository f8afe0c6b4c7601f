// Importing indicator values from CSV (docs/API.md "Import"): all or nothing, every bad row named
// by its line and column, dry runs write nothing, re-imports change nothing, non-UTF-8 files are
// refused with a message that says what to do, and the template carries the header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginMany, assertErrorFormat, auditTotal } from './helpers.mjs';

const I = '/api/v1/indicators';
let server, c;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['stat', 'reporter_town', 'leader', 'auditor']);
});
after(async () => { await server?.stop(); });

const HEADER = '单位编码,单位名称,指标编码,期别,数值,同比增长(%),备注';
const csv = (...rows) => [HEADER, ...rows].join('\r\n') + '\r\n';
const importCsv = (client, content, { dry = false } = {}) =>
  client.post(`${I}/import${dry ? '?dry_run=1' : ''}`, { format: 'csv', content });
async function valuesAt(period) {
  const r = await c.stat.get(`${I}/values?period=${period}&page_size=500`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 600)}`);
  if (status >= 400) assertErrorFormat(r, what);
}

test('an import with one bad row writes nothing, and the error details name that row (第N行) and its column', async () => {
  const period = '2025-03';
  const auditBefore = await auditTotal(c.auditor);
  const content = csv(
    'T411302-02,瓦店镇,retail_sales,2025-03,10.5,,',
    'T411302-01,新华街道,retail_sales,2025-03,abc,,',   // line 3: not a number
    '411303,卧龙区,fixed_asset_investment,2025-03,20,,',
  );
  const r = await importCsv(c.stat, content);
  expectStatus(r, 400, 'import with a bad row');
  const d = r.json.error.details;
  assert.equal(d.length, 1, `one problem, one detail: ${JSON.stringify(d)}`);
  assert.match(d[0].field, /^第3行/, `the field names line 3: ${d[0].field}`);
  assert.match(d[0].field, /E列|数值/, `the field names the column: ${d[0].field}`);
  assert.match(d[0].reason, /abc/);
  assert.equal((await valuesAt(period)).total, 0, 'a refused import wrote values');
  assert.equal(await auditTotal(c.auditor), auditBefore, 'a refused import wrote audit rows');
});

test('an import answers every bad row: unknown unit, unknown indicator, bad period, 1-2月 rule, derived indicator, duplicate row', async () => {
  const content = csv(
    'T411302-02,瓦店镇,retail_sales,2025-04,10.5,,',
    'X999999,无此单位,retail_sales,2025-04,1,,',          // 3: unknown unit
    'T411302-02,瓦店镇,no_such_code,2025-04,1,,',          // 4: unknown indicator
    'T411302-02,瓦店镇,fixed_asset_investment,2025-13,1,,', // 5: bad period
    'T411302-02,瓦店镇,fixed_asset_investment,2026-01,1,,', // 6: January of a ytd indicator
    'T411302-02,瓦店镇,tax_share,2025-04,80,,',             // 7: derived
    'T411302-02,瓦店镇,retail_sales,2025-04,11,,',          // 8: duplicate of line 2
  );
  const r = await importCsv(c.stat, content);
  expectStatus(r, 400, 'import with many bad rows');
  const lines = r.json.error.details.map((d) => (/^第(\d+)行/.exec(d.field) || [])[1]).map(Number);
  assert.deepEqual([...new Set(lines)].sort((a, b) => a - b), [3, 4, 5, 6, 7, 8], JSON.stringify(r.json.error.details));
  assert.equal((await valuesAt('2025-04')).total, 0);
});

test('a unit reporter cannot import values of another unit: 400 naming the row, nothing written', async () => {
  const r = await importCsv(c.reporter_town, csv(
    'T411302-02,瓦店镇,retail_sales,2025-05,10.5,,',
    '411303,卧龙区,retail_sales,2025-05,99,,',
  ));
  expectStatus(r, 400, 'import for another unit');
  assert.ok(r.json.error.details.some((d) => /^第3行/.test(d.field)), r.text);
  assert.equal((await valuesAt('2025-05')).total, 0);
  expectStatus(await importCsv(c.leader, csv('411303,卧龙区,retail_sales,2025-05,99,,')), 403, 'import as leader');
});

test('dry_run=1 validates and counts but writes nothing', async () => {
  const period = '2025-06';
  const content = csv(
    'T411302-02,瓦店镇,retail_sales,2025-06,10.5,5.1,',
    '411303,卧龙区,fixed_asset_investment,2025-06,20,,核实',
  );
  const r = await importCsv(c.stat, content, { dry: true });
  expectStatus(r, 200, 'dry run');
  assert.equal(r.json.rows, 2);
  assert.equal(r.json.inserted, 2);
  assert.equal(r.json.unchanged, 0);
  assert.ok(Array.isArray(r.json.findings));
  assert.equal((await valuesAt(period)).total, 0, 'a dry run wrote values');
});

test('an import writes drafts; re-importing the same file reports unchanged and creates no duplicates; a changed value is an update', async () => {
  const period = '2025-07';
  const content = csv(
    'T411302-02,瓦店镇,retail_sales,2025-07,10.5,5.1,',
    '411303,卧龙区,fixed_asset_investment,2025-07,20,,核实',
    '411303,卧龙区,gdp,2025Q3,80.25,6.2,',
  );
  let r = await importCsv(c.stat, content);
  expectStatus(r, 200, 'import');
  assert.deepEqual([r.json.rows, r.json.inserted, r.json.updated, r.json.unchanged], [3, 3, 0, 0]);
  let v = await valuesAt(period);
  assert.equal(v.total, 2);
  for (const it of v.items) assert.equal(it.status, 'draft');
  const retail = v.items.find((x) => x.indicator === 'retail_sales');
  assert.equal(Number(retail.value), 10.5);
  assert.equal(Number(retail.reported_yoy), 5.1);
  assert.equal(retail.unit.code, 'T411302-02');
  assert.equal(v.items.find((x) => x.indicator === 'fixed_asset_investment').note, '核实');
  const gdp = await valuesAt('2025-09');
  assert.equal(gdp.total, 1, 'gdp of 2025Q3 is stored at 2025-09');
  assert.equal(Number(gdp.items[0].value), 80.25);

  r = await importCsv(c.stat, content);
  expectStatus(r, 200, 're-import');
  assert.deepEqual([r.json.rows, r.json.inserted, r.json.updated, r.json.unchanged], [3, 0, 0, 3]);
  assert.equal((await valuesAt(period)).total, 2, 're-import created duplicates');
  assert.equal((await valuesAt('2025-09')).total, 1, 're-import created duplicates');
  const versions = JSON.stringify((await valuesAt(period)).items.map((x) => [x.id, x.version]));
  assert.equal(versions, JSON.stringify(v.items.map((x) => [x.id, x.version])), 'an unchanged re-import bumped versions');

  r = await importCsv(c.stat, csv('T411302-02,瓦店镇,retail_sales,2025-07,10.7,5.1,'));
  expectStatus(r, 200, 'import a change');
  assert.deepEqual([r.json.inserted, r.json.updated, r.json.unchanged], [0, 1, 0]);
  v = await valuesAt(period);
  assert.equal(v.total, 2);
  assert.equal(Number(v.items.find((x) => x.indicator === 'retail_sales').value), 10.7);
});

test('an import may name indicators by 指标名称 instead of 指标编码', async () => {
  const r = await importCsv(c.stat, '单位编码,指标名称,期别,数值\r\nT411302-02,社会消费品零售总额,2025-08,12\r\n');
  expectStatus(r, 200, 'import by name');
  assert.equal(r.json.inserted, 1);
  const v = await valuesAt('2025-08');
  assert.equal(v.items[0].indicator, 'retail_sales');
});

test('an import over a submitted value is refused (400 naming the row), and the value stays', async () => {
  const period = '2025-10';
  let r = await c.reporter_town.put(`${I}/entry`, { unit: 'T411302-02', period, values: [{ indicator: 'retail_sales', value: '9' }] });
  assert.equal(r.status, 200, r.text);
  r = await c.reporter_town.post(`${I}/entry/submit`, { unit: 'T411302-02', period });
  assert.equal(r.status, 200, r.text);
  r = await importCsv(c.stat, csv('T411302-02,瓦店镇,retail_sales,2025-10,9.5,,'));
  expectStatus(r, 400, 'import over a submitted value');
  assert.ok(r.json.error.details.some((d) => /^第2行/.test(d.field)), r.text);
  const v = await valuesAt(period);
  assert.equal(Number(v.items[0].value), 9);
  assert.equal(v.items[0].status, 'submitted');
});

test('an import whose findings include a validation error still saves drafts, and returns the findings', async () => {
  const r = await importCsv(c.stat, csv(
    'T411302-02,瓦店镇,budget_revenue,2025-11,5,,',
    'T411302-02,瓦店镇,tax_revenue,2025-11,6,,',
  ));
  expectStatus(r, 200, 'import');
  const f = r.json.findings.find((x) => x.rule === 'tax_le_budget');
  assert.ok(f, JSON.stringify(r.json.findings));
  assert.equal(f.unit, 'T411302-02');
  assert.equal(f.period, '2025-11');
  assert.equal(f.severity, 'error');
});

// "单位编码,指标编码,期别,数值" in GBK, then one data row.
const GBK_HEADER = Buffer.from([0xB5, 0xA5, 0xCE, 0xBB, 0xB1, 0xE0, 0xC2, 0xEB, 0x2C, 0xD6, 0xB8, 0xB1, 0xEA, 0xB1, 0xE0, 0xC2, 0xEB,
  0x2C, 0xC6, 0xDA, 0xB1, 0xF0, 0x2C, 0xCA, 0xFD, 0xD6, 0xB5]);
const GBK_ROW = 'T411302-02,retail_sales,2025-12,1';

test('a GBK (non-UTF-8) file sent as the raw bytes of "content" is refused (400) with a message saying it must be UTF-8; nothing is written', async () => {
  const body = Buffer.concat([Buffer.from('{"format":"csv","content":"'), GBK_HEADER, Buffer.from(`\\r\\n${GBK_ROW}\\r\\n"}`)]);
  const r = await c.stat.request('POST', `${I}/import`, body, { raw: true });
  expectStatus(r, 400, 'GBK import (raw bytes)');
  const text = r.json.error.message + JSON.stringify(r.json.error.details);
  assert.match(text, /UTF-8/, `the message should say the file must be UTF-8: ${text}`);
  assert.doesNotMatch(text, /JSON/, `the message should be about the file's encoding, not JSON: ${text}`);
  assert.equal((await valuesAt('2025-12')).total, 0);
});

test('a GBK file read as UTF-8 by the client (U+FFFD replacement characters) is refused (400) with a message about the encoding; nothing is written', async () => {
  const content = new TextDecoder('utf-8').decode(GBK_HEADER) + `\r\n${GBK_ROW}\r\n`;
  assert.ok(content.includes('\uFFFD'));
  const r = await importCsv(c.stat, content);
  expectStatus(r, 400, 'GBK import (decoded as UTF-8)');
  const text = r.json.error.message + JSON.stringify(r.json.error.details);
  assert.match(text, /UTF-8/, `the message should say the file must be UTF-8: ${text}`);
  assert.equal((await valuesAt('2025-12')).total, 0);
});

test('a GBK file is never imported: whichever way it is sent the answer is 400 and nothing is written', async () => {
  const raw = Buffer.concat([Buffer.from('{"format":"csv","content":"'), GBK_HEADER, Buffer.from(`\\r\\n${GBK_ROW}\\r\\n"}`)]);
  let r = await c.stat.request('POST', `${I}/import`, raw, { raw: true });
  expectStatus(r, 400, 'GBK import (raw bytes)');
  r = await importCsv(c.stat, new TextDecoder('utf-8').decode(GBK_HEADER) + `\r\n${GBK_ROW}\r\n`);
  expectStatus(r, 400, 'GBK import (decoded as UTF-8)');
  assert.equal((await valuesAt('2025-12')).total, 0);
});

test('a header without the required columns → 400 naming the header row; an unknown format → 400', async () => {
  let r = await importCsv(c.stat, '单位,指标,时间\r\nT411302-02,retail_sales,2025-12\r\n');
  expectStatus(r, 400, 'bad header');
  assert.ok(r.json.error.details.some((d) => /第1行/.test(d.field)), r.text);
  r = await c.stat.post(`${I}/import`, { format: 'xls', content: 'x' });
  expectStatus(r, 400, 'unknown format');
  assert.ok(r.json.error.details.some((d) => d.field === 'format'), r.text);
});

test('the template is a UTF-8 CSV (with BOM) whose header has the import columns', async () => {
  const res = await fetch(`${server.url}${I}/import/template`, { headers: { cookie: c.reporter_town.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') || '', /^text\/csv/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'UTF-8 BOM');
  const header = bytes.subarray(3).toString('utf8').split(/\r?\n/)[0].split(',');
  for (const col of ['单位编码', '指标编码', '期别', '数值', '同比增长(%)', '备注']) assert.ok(header.includes(col), `template header lacks ${col}: ${header}`);
  // The template's own example row imports (as a dry run) without errors.
  const r = await importCsv(c.stat, bytes.subarray(3).toString('utf8').replace('2024-06', '2026-06'), { dry: true });
  expectStatus(r, 200, 'dry-run import of the template');
});
