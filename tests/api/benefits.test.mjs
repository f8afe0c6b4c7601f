// 免申即享 (issue 10), docs/API.md "Benefits (免申即享)": the enterprise register scoped by the
// registered unit; bad rules refused at save time with the position and nothing written; the
// editor's live count; a run reviewed, approved by another user and published, and frozen
// afterwards; the enterprise page with what it received and nearly received; a unit in a rule
// covers the units under it; no run of an expired policy or for a year after its validity; the
// register's xlsx export imports back unchanged.
//
// The test registers its own three enterprises (in 宛城区, each 单项冠军 and 独角兽企业: two
// certifications no demo firm holds, so that every demo firm fails two conditions of the test's
// policy): one matched, one near miss, one data missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginMany, listAll, auditTotal, assertErrorFormat } from './helpers.mjs';

const B = '/api/v1/benefits';
const PY = '/usr/bin/python3';
const READ_XLSX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'io', 'read_xlsx.py');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let server, c, dir;
const mine = {};  // name → enterprise

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['invest', 'leader', 'leader_wancheng', 'auditor', 'stat']);
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-benefits-'));
  // Three enterprises of the test, registered through the import (CSV).
  const csv = [
    '企业名称,所属单位编码,行业代码,规模,资质,年份,营业收入(万元),纳税额(万元),研发投入(万元),从业人员(人)',
    '南阳测试甲精密机械有限公司,411302,C34,规上,单项冠军、独角兽企业,2024,6000,300,400,4321',
    '南阳测试乙精密机械有限公司,411302,C34,规上,单项冠军、独角兽企业,2024,3000,100,150,4321',
    '南阳测试丙精密机械有限公司,411302,C34,规上,单项冠军、独角兽企业,2024,,80,,4321',
  ].join('\n');
  const r = await upload(c.invest, `${B}/enterprises/import/file`, Buffer.from(csv));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.inserted, 3, r.text);
  for (const name of ['甲', '乙', '丙']) {
    const list = await c.invest.get(`${B}/enterprises?q=${encodeURIComponent(`南阳测试${name}`)}`);
    assert.equal(list.json.items.length, 1, list.text);
    mine[name] = list.json.items[0];
  }
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function upload(client, path, buf) {
  const res = await fetch(server.url + path, {
    method: 'POST', body: buf,
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/octet-stream' },
  });
  const out = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(out.toString('utf8')); } catch { /* a workbook */ }
  return { status: res.status, headers: res.headers, buf: out, json, text: out.toString('utf8').slice(0, 1500) };
}
async function download(client, path) {
  const res = await fetch(server.url + path, { headers: { cookie: client.cookie } });
  return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}
function readWorkbook(buf) {
  const file = join(dir, `book-${Date.now()}-${Math.random()}.xlsx`);
  writeFileSync(file, buf);
  return JSON.parse(execFileSync(PY, [READ_XLSX, file], { encoding: 'utf8', maxBuffer: 512 << 20 }));
}

const POLICY = {
  title: '测试政策：规上企业营收奖励',
  issuer: '南阳市测试局',
  doc_number: '宛测〔2024〕1号',
  eligibility: '"单项冠军" in certifications and "独角兽企业" in certifications and revenue >= 5000万',
  amount: 'min(revenue * 0.01, 50万)',
  base_year: 2024,
  budget: '100万',
  budget_mode: 'order',
};

test('the register is scoped by the registered unit: 宛城区 users see only 宛城区 enterprises', async () => {
  const city = await c.leader.get(`${B}/enterprises?page_size=1`);
  assert.equal(city.status, 200, city.text);
  assert.ok(city.json.total >= 600, `the demo has about 600 enterprises: ${city.json.total}`);
  const wc = await listAll(c.leader_wancheng, `${B}/enterprises`);
  assert.ok(wc.length > 10 && wc.length < city.json.total);
  for (const e of wc) assert.equal(e.unit.code, '411302', `${e.name} is in ${e.unit.code}`);
  const outside = await c.leader.get(`${B}/enterprises?unit=411303&page_size=1`);
  const r = await c.leader_wancheng.get(`${B}/enterprises/${outside.json.items[0].id}`);
  assert.equal(r.status, 404, r.text);
  assert.equal((await c.stat.get(`${B}/enterprises`)).status, 403);
  // Missing figures stay missing (null), never zero.
  const bing = await c.invest.get(`${B}/enterprises/${mine.丙.id}`);
  assert.deepEqual(bing.json.figures, [{ year: 2024, revenue: null, tax_paid: '800000', rd_spending: null, employees: '4321' }]);
});

test('bad rules are refused at save time with the field, the position and the reason, and nothing is written', async () => {
  const before = await c.invest.get(`${B}/policies?page_size=1`);
  const audit = await auditTotal(c.auditor);
  const cases = [
    [{ eligibility: 'revenu >= 100万' }, 'eligibility', /第1行第1列：未知属性“revenu”，是否为“revenue”？/],
    [{ eligibility: 'scale > 3' }, 'eligibility', /类型不符/],
    [{ amount: 'rd_spending / (10 - 5 * 2)' }, 'amount', /除数为0/],
  ];
  for (const [patch, field, reason] of cases) {
    const r = await c.invest.post(`${B}/policies`, { ...POLICY, ...patch });
    assert.equal(r.status, 400, r.text);
    assertErrorFormat(r, JSON.stringify(patch));
    const d = r.json.error.details.find((x) => x.field === field);
    assert.ok(d && reason.test(d.reason), `${JSON.stringify(patch)}: ${r.text}`);
  }
  const after = await c.invest.get(`${B}/policies?page_size=1`);
  assert.equal(after.json.total, before.json.total);
  assert.equal(await auditTotal(c.auditor), audit);
});

test('the editor check answers the errors with line and column, or the live count over the register', async () => {
  const bad = await c.invest.post(`${B}/policies/check`, { eligibility: '"单项冠军" in certifications and\nrevenu >= 1', amount: '10万', base_year: 2024 });
  assert.equal(bad.status, 200, bad.text);
  assert.equal(bad.json.ok, false);
  assert.deepEqual(bad.json.errors.map((e) => [e.field, e.line, e.column]), [['eligibility', 2, 1]]);
  const good = await c.invest.post(`${B}/policies/check`, { eligibility: POLICY.eligibility, amount: POLICY.amount, base_year: 2024 });
  assert.equal(good.status, 200, good.text);
  assert.equal(good.json.ok, true);
  assert.equal(good.json.matched, 1);
  assert.equal(good.json.near_miss, 1);
  assert.equal(good.json.data_missing, 1);
  assert.equal(good.json.requested, '500000');
  assert.ok(good.json.enterprises >= 600);
});

test('a batch run stores a draft run of each policy listed, or of every policy in scope; one refused policy refuses the batch', async () => {
  const one = await c.invest.post(`${B}/policies`, { ...POLICY, title: '测试政策：批量匹配甲' });
  const two = await c.invest.post(`${B}/policies`, { ...POLICY, title: '测试政策：批量匹配乙', amount: '1万', budget: '' });
  assert.equal(one.status, 201, one.text);
  assert.equal(two.status, 201, two.text);
  const audit = await auditTotal(c.auditor);
  const batch = await c.invest.post(`${B}/runs`, { year: 2024, policies: [two.json.id, one.json.id] });
  assert.equal(batch.status, 201, batch.text);
  assert.equal(batch.json.total, 2);
  assert.deepEqual(batch.json.items.map((r) => [r.policy.id, r.state, r.matched, r.near_miss, r.data_missing]),
    [[two.json.id, 'draft', 1, 1, 1], [one.json.id, 'draft', 1, 1, 1]]);
  assert.equal(batch.json.items[1].granted, '500000');
  assert.equal(batch.json.items[0].granted, '10000');
  assert.equal(batch.json.items[0].results, undefined);  // the runs without their results
  assert.equal(await auditTotal(c.auditor), audit + 2);
  // The same run as the policy's own run route stores.
  const alone = await c.invest.post(`${B}/policies/${one.json.id}/runs`, { year: 2024 });
  const stored = (await c.invest.get(`${B}/runs/${batch.json.items[1].id}?page_size=500`)).json;
  const strip = (r) => r.results.items.map((x) => JSON.stringify(x)).sort();
  assert.deepEqual(strip(stored), strip(alone.json));

  // All or nothing: an unknown or archived policy refuses the whole batch, nothing is stored.
  const runsOf = async (p) => (await c.invest.get(`${B}/policies/${p.json.id}/runs`)).json.total;
  const before = [await runsOf(one), await runsOf(two)];
  const unknown = await c.invest.post(`${B}/runs`, { year: 2024, policies: [one.json.id, 99999999] });
  assert.equal(unknown.status, 404, unknown.text);
  const archived = await c.invest.post(`${B}/policies/${two.json.id}/archive`, { version: two.json.version });
  assert.equal(archived.status, 200, archived.text);
  const refused = await c.invest.post(`${B}/runs`, { year: 2024, policies: [one.json.id, two.json.id] });
  assert.equal(refused.status, 422, refused.text);
  assert.match(refused.json.error.message, /测试政策：批量匹配乙/);
  assert.deepEqual([await runsOf(one), await runsOf(two)], before);
  assert.equal((await c.invest.post(`${B}/runs`, { year: 2024, policies: [] })).status, 400);
  assert.equal((await c.invest.post(`${B}/runs`, { year: 2024, all: true })).status, 400);
  assert.equal((await c.stat.post(`${B}/runs`, { year: 2024 })).status, 403);

  // Every non-archived policy in scope (the archived one left out).
  const policies = await c.invest.get(`${B}/policies?page_size=1`);
  const all = await c.invest.post(`${B}/runs`, { year: 2024 });
  assert.equal(all.status, 201, all.text);
  assert.equal(all.json.total, policies.json.total);
  assert.ok(!all.json.items.some((r) => r.policy.id === two.json.id));
});

test('a run is reviewed, approved by another user and published; a published run stays frozen; the enterprise page lists it', async () => {
  const made = await c.invest.post(`${B}/policies`, POLICY);
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.unit.code, 'D411300-ZSJ');
  const run = await c.invest.post(`${B}/policies/${made.json.id}/runs`, { year: 2024 });
  assert.equal(run.status, 201, run.text);
  assert.equal(run.json.state, 'draft');
  assert.equal(run.json.matched, 1);
  assert.equal(run.json.near_miss, 1);
  assert.equal(run.json.data_missing, 1);
  assert.equal(run.json.granted, '500000');
  const byId = Object.fromEntries(run.json.results.items.map((x) => [x.enterprise.id, x]));
  assert.equal(byId[mine.甲.id].outcome, 'matched');
  assert.deepEqual(byId[mine.甲.id].met, ['"单项冠军" in certifications', '"独角兽企业" in certifications', 'revenue >= 5000万']);
  assert.equal(byId[mine.乙.id].outcome, 'near_miss');
  assert.deepEqual(byId[mine.乙.id].failed, ['revenue >= 5000万']);
  assert.equal(byId[mine.丙.id].outcome, 'data_missing');
  assert.deepEqual(byId[mine.丙.id].missing, [{ name: 'revenue[2024]', label: '2024年营业收入（revenue[2024]）' }]);

  const id = run.json.id;
  // Approval needs benefit.approve, and a reviewed run.
  assert.equal((await c.invest.post(`${B}/runs/${id}/approve`, { version: run.json.version })).status, 403);
  const early = await c.leader.post(`${B}/runs/${id}/approve`, { version: run.json.version });
  assert.equal(early.status, 422, early.text);  // failed_precondition
  const reviewed = await c.invest.post(`${B}/runs/${id}/review`, { version: run.json.version });
  assert.equal(reviewed.status, 200, reviewed.text);
  assert.equal((await c.invest.post(`${B}/runs/${id}/review`, { version: run.json.version })).status, 409);
  const approved = await c.leader.post(`${B}/runs/${id}/approve`, { version: reviewed.json.version });
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.json.approved_by, 'leader');
  const published = await c.invest.post(`${B}/runs/${id}/publish`, { version: approved.json.version });
  assert.equal(published.status, 200, published.text);
  assert.equal(published.json.state, 'published');
  const frozen = (await c.leader.get(`${B}/runs/${id}`)).json;
  // The list to publish, as a workbook: every result with its reasons and amounts.
  const sheet = await download(c.leader, `${B}/runs/${id}?format=xlsx`);
  assert.equal(sheet.status, 200);
  assert.equal(sheet.headers.get('content-type'), XLSX_TYPE);
  const rows = readWorkbook(sheet.buf).sheets[0].rows.map((row) => row.map((cell) => cell?.v ?? null));
  const jiaRow = rows.find((row) => row[0] === mine.甲.name);
  assert.equal(jiaRow[4], '符合');
  assert.equal(Number(jiaRow[10]), 500000);
  assert.equal(rows.find((row) => row[0] === mine.乙.name)[6], 'revenue >= 5000万');

  // The data and the policy change; the published run does not.
  const yi = (await c.invest.get(`${B}/enterprises/${mine.乙.id}`)).json;
  const edit = { unit: '411302', industry: 'C34', scale: '规上', certifications: ['单项冠军', '独角兽企业'], version: yi.version,
    figures: [{ year: 2024, revenue: '90000000', tax_paid: '1000000', rd_spending: '1500000', employees: 4321 }] };
  const edited = await c.invest.put(`${B}/enterprises/${mine.乙.id}`, edit);
  assert.equal(edited.status, 200, edited.text);
  assert.equal((await c.invest.put(`${B}/enterprises/${mine.乙.id}`, edit)).status, 409);
  const changed = await c.invest.put(`${B}/policies/${made.json.id}`, { amount: '1万', version: made.json.version });
  assert.equal(changed.status, 200, changed.text);
  assert.equal((await c.invest.put(`${B}/policies/${made.json.id}`, { amount: '2万', version: made.json.version })).status, 409);
  assert.deepEqual((await c.leader.get(`${B}/runs/${id}`)).json, frozen);
  // A new run sees the new data and rules.
  const rerun = await c.invest.post(`${B}/policies/${made.json.id}/runs`, { year: 2024 });
  assert.equal(rerun.json.matched, 2);
  assert.equal(rerun.json.granted, '20000');
  // Recomputed from what it stored, the published run gives its results still.
  const again = await c.leader.get(`${B}/runs/${id}/reproduce`);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json.differences, []);
  assert.equal(again.json.ok, true);

  // The enterprise page: 甲 received 50万, 乙 nearly received.
  const jia = await c.leader_wancheng.get(`${B}/enterprises/${mine.甲.id}/benefits`);
  assert.equal(jia.status, 200, jia.text);
  const got = jia.json.items.find((x) => x.run.id === id);
  assert.equal(got.outcome, 'matched');
  assert.equal(got.granted, '500000');
  assert.equal(got.policy.title, POLICY.title);
  const nearly = (await c.leader_wancheng.get(`${B}/enterprises/${mine.乙.id}/benefits`)).json.items.find((x) => x.run.id === id);
  assert.equal(nearly.outcome, 'near_miss');
  assert.deepEqual(nearly.failed, ['revenue >= 5000万']);
  // A draft run is nobody's benefit yet.
  assert.equal(jia.json.items.filter((x) => x.run.id === rerun.json.id).length, 0);
});

test('the demo\'s published run recomputed from its stored rules and register snapshot gives exactly its results', async () => {
  const policies = await listAll(c.leader, `${B}/policies`);
  let published = null;
  for (const p of policies) {
    const runs = (await c.leader.get(`${B}/policies/${p.id}/runs`)).json.items;
    published ??= runs.find((r) => r.state === 'published');
  }
  assert.ok(published, 'the demo has a published run');
  const r = await c.leader.get(`${B}/runs/${published.id}/reproduce`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.run_id, published.id);
  assert.equal(r.json.ok, true, r.text);
  assert.equal(r.json.enterprises, published.enterprises);
  assert.equal(r.json.compared, published.matched + published.near_miss + published.data_missing + published.data_error);
  assert.deepEqual(r.json.differences, []);
  assert.equal(r.json.total_differences, 0);
  // Outside the run's scope it does not exist; an unknown run neither.
  const outside = await c.leader_wancheng.get(`${B}/runs/${published.id}/reproduce`);
  assert.equal(outside.status, 404, outside.text);
  assertErrorFormat(outside);
  assert.equal((await c.leader.get(`${B}/runs/999999/reproduce`)).status, 404);
});

test('unit = "411300" in a rule covers every enterprise under 南阳市, registered in its districts', async () => {
  const counts = async (eligibility) => {
    const r = await c.invest.post(`${B}/policies/check`, { eligibility, amount: POLICY.amount, base_year: 2024 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.ok, true, r.text);
    return [r.json.matched, r.json.near_miss, r.json.data_missing, r.json.data_error];
  };
  // Only the test's firms (in 宛城区, 411302, under the city) can match: the city's unit changes nothing.
  const plain = await counts(POLICY.eligibility);
  assert.ok(plain[0] >= 1, `${plain}`);
  assert.deepEqual(await counts(`unit = "411300" and ${POLICY.eligibility}`), plain);
  assert.deepEqual(await counts(`unit in ["411303", "411302"] and ${POLICY.eligibility}`), plain);
  const other = await counts(`unit in ["411303", "411321"] and ${POLICY.eligibility}`);
  assert.equal(other[0], 0, `${other}`);
});

test('no run starts once the policy has expired, nor for a year after its validity; earlier years run', async () => {
  const expired = await c.invest.post(`${B}/policies`, { ...POLICY, valid_from: '2020-01-01', valid_to: '2021-12-31' });
  assert.equal(expired.status, 201, expired.text);
  const refused = await c.invest.post(`${B}/policies/${expired.json.id}/runs`, { year: 2021 });
  assert.equal(refused.status, 422, refused.text);
  assertErrorFormat(refused, 'expired');
  assert.equal(refused.json.error.message, '政策已于2021年12月31日失效，不能再发起匹配');
  const valid = await c.invest.post(`${B}/policies`, { ...POLICY, valid_from: '2025-01-01', valid_to: '2099-12-31' });
  assert.equal(valid.status, 201, valid.text);
  const later = await c.invest.post(`${B}/policies/${valid.json.id}/runs`, { year: 2100 });
  assert.equal(later.status, 400, later.text);
  assert.deepEqual(later.json.error.details.map((d) => d.field), ['year'], later.text);
  assert.equal((await c.invest.get(`${B}/policies/${expired.json.id}/runs`)).json.total, 0);
  assert.equal((await c.invest.get(`${B}/policies/${valid.json.id}/runs`)).json.total, 0);
  const earlier = await c.invest.post(`${B}/policies/${valid.json.id}/runs`, { year: 2024 });
  assert.equal(earlier.status, 201, earlier.text);
  assert.equal(earlier.json.year, 2024);
  assert.ok(earlier.json.matched >= 1, earlier.text);
});

test('the register exported as xlsx imports back with every row unchanged; a bad upload is marked and nothing written', async () => {
  const before = await listAll(c.invest, `${B}/enterprises?unit=411302`);
  const exported = await download(c.invest, `${B}/enterprises?unit=411302&format=xlsx`);
  assert.equal(exported.status, 200);
  assert.equal(exported.headers.get('content-type'), XLSX_TYPE);
  const book = readWorkbook(exported.buf);
  const header = book.sheets[0].rows[0].map((x) => x?.v.replace(/^\*/, ''));
  assert.deepEqual(header.slice(0, 3), ['统一社会信用代码', '企业名称', '所属单位编码']);
  const rows = book.sheets[0].rows.length - 1;
  const audit = await auditTotal(c.auditor);
  const back = await upload(c.invest, `${B}/enterprises/import/file`, exported.buf);
  assert.equal(back.status, 200, back.text);
  assert.deepEqual(back.json, { dry_run: false, rows, inserted: 0, updated: 0, unchanged: rows });
  assert.equal(await auditTotal(c.auditor), audit + 1);  // the import's own record only
  assert.deepEqual(await listAll(c.invest, `${B}/enterprises?unit=411302`), before);

  const bad = '企业名称,所属单位编码,规模,年份,营业收入(万元)\n南阳测试丁有限公司,411302,中型,2024,abc\n';
  const refused = await upload(c.invest, `${B}/enterprises/import/file`, Buffer.from(bad));
  assert.equal(refused.status, 400, refused.text);
  assert.deepEqual(refused.json.error.details.map((d) => d.field), ['第2行 C列（规模）', '第2行 E列（营业收入(万元)）']);
  const marked = await upload(c.invest, `${B}/enterprises/import/file?annotate=1`, Buffer.from(bad));
  assert.equal(marked.status, 422);
  assert.equal((await c.invest.get(`${B}/enterprises?q=${encodeURIComponent('南阳测试丁')}`)).json.total, 0);
  const template = await download(c.invest, `${B}/enterprises/import/template`);
  assert.equal(template.status, 200);
  const names = readWorkbook(template.buf).sheets.map((s) => s.name);
  assert.ok(names.includes('填写说明'), names.join(','));
});
