// Indicators (经济运行), docs/API.md "## Indicators": the entry sheet of one unit and period, its
// life cycle (draft → submitted → approved, withdraw, revise), who may do what to whose sheet,
// validation findings that block submission, optimistic concurrency, the periods a value may be
// entered at, the board read from figures derived at approval time, targets, custom rules and
// the catalog. Entered values use periods in 2025 or later (the demo loads 2022–2024), and each
// test uses its own year so that tests do not see each other's values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginMany, unitIndex, listAll, assertErrorFormat } from './helpers.mjs';

const I = '/api/v1/indicators';
let server, c, units;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['stat', 'stat_wancheng', 'reporter_town', 'leader', 'leader_wancheng', 'auditor']);
  units = await unitIndex(c.stat);
});
after(async () => { await server?.stop(); });

const TOWN = 'T411302-02';       // 瓦店镇, reporter_town's own unit
const SIBLING = 'T411302-01';    // 新华街道, another town of 宛城区
const WANCHENG = '411302';
const WOLONG = '411303';

const q = (o) => new URLSearchParams(o).toString();
const sheetOf = (client, unit, period) => client.get(`${I}/entry?${q({ unit, period })}`);
const save = (client, unit, period, values) => client.put(`${I}/entry`, { unit, period, values });
const act = (client, action, unit, period, extra = {}) => client.post(`${I}/entry/${action}`, { unit, period, ...extra });
function rowOf(sheet, code) {
  const row = sheet.rows.find((r) => r.indicator === code);
  assert.ok(row, `the sheet has no row ${code}`);
  return row;
}
async function readRow(unit, period, code) {
  const r = await sheetOf(c.stat, unit, period);
  assert.equal(r.status, 200, r.text);
  return rowOf(r.json, code);
}
function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 400)}`);
  if (status >= 400) assertErrorFormat(r, what);
}
// docs/API.md: PUT /indicators/entry of a submitted value → 422 (withdraw first), of an approved
// one → 422 (revise).
function expectRefusedEdit(r, what) {
  expectStatus(r, 422, what);
  assert.equal(r.json.error.code, 'failed_precondition', `${what}: ${r.text.slice(0, 400)}`);
}
async function currentTarget(unit, indicator, year) {
  const r = await c.stat.get(`${I}/targets?${q({ unit, year })}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((t) => t.indicator === indicator) || null;
}
const num = (s) => (s == null ? null : Number(s));

// ---------------------------------------------------------------------------------------
// Who may enter what

test('a unit reporter (瓦店镇) cannot save, submit or read the sheet of another unit, and nothing is written there', async () => {
  const period = '2025-03';
  for (const other of [SIBLING, WANCHENG, WOLONG]) {
    const r = await save(c.reporter_town, other, period, [{ indicator: 'retail_sales', value: '10.5' }]);
    assert.ok([403, 404].includes(r.status), `save for ${other}: expected 403/404, got ${r.status} ${r.text}`);
    assertErrorFormat(r, `save for ${other}`);
    const s = await act(c.reporter_town, 'submit', other, period);
    assert.ok([403, 404].includes(s.status), `submit for ${other}: expected 403/404, got ${s.status} ${s.text}`);
    const g = await sheetOf(c.reporter_town, other, period);
    assert.equal(g.status, 404, `read the sheet of ${other}: ${g.status}`);
    const row = await readRow(other, period, 'retail_sales');
    assert.equal(row.value, null, `${other}: a value was written by a refused request`);
  }
});

test('a unit reporter saves a draft for their own unit and submits it', async () => {
  const period = '2025-03';
  let r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '10.5' }]);
  expectStatus(r, 200, 'save own');
  let row = rowOf(r.json, 'retail_sales');
  assert.equal(num(row.value), 10.5);
  assert.equal(row.status, 'draft');
  assert.equal(r.json.unit.code, TOWN);
  assert.equal(r.json.counts.draft, 1);
  r = await act(c.reporter_town, 'submit', TOWN, period);
  expectStatus(r, 200, 'submit own');
  row = rowOf(r.json, 'retail_sales');
  assert.equal(row.status, 'submitted');
  assert.equal(r.json.counts.submitted, 1);
  assert.equal(r.json.counts.draft, 0);
});

// ---------------------------------------------------------------------------------------
// The life cycle

test('a submitted value cannot be edited (422) until it is withdrawn; after withdrawal it can', async () => {
  const period = '2026-03';
  let r = await save(c.reporter_town, TOWN, period, [{ indicator: 'fixed_asset_investment', value: '20' }]);
  expectStatus(r, 200, 'save');
  r = await act(c.reporter_town, 'submit', TOWN, period);
  expectStatus(r, 200, 'submit');
  const version = rowOf(r.json, 'fixed_asset_investment').version;
  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'fixed_asset_investment', value: '21', version }]);
  expectRefusedEdit(r, 'PUT a submitted value');
  let row = await readRow(TOWN, period, 'fixed_asset_investment');
  assert.equal(num(row.value), 20, 'the submitted value changed');
  assert.equal(row.status, 'submitted');
  r = await act(c.reporter_town, 'withdraw', TOWN, period);
  expectStatus(r, 200, 'withdraw');
  row = rowOf(r.json, 'fixed_asset_investment');
  assert.equal(row.status, 'draft');
  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'fixed_asset_investment', value: '21', version: row.version }]);
  expectStatus(r, 200, 'PUT after withdraw');
  assert.equal(num(rowOf(r.json, 'fixed_asset_investment').value), 21);
});

test('an approved value changes only by revision: PUT → 422, revise without reason → 400, with reason → revision 1, kept in revisions, on the board and in the audit log', async () => {
  const period = '2027-03';
  let r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '30' }]);
  expectStatus(r, 200, 'save');
  expectStatus(await act(c.reporter_town, 'submit', TOWN, period), 200, 'submit');
  r = await act(c.stat_wancheng, 'approve', TOWN, period);
  expectStatus(r, 200, 'approve by 宛城区 statistician');
  let row = rowOf(r.json, 'retail_sales');
  assert.equal(row.status, 'approved');
  const id = row.value_id;
  assert.ok(id, 'value_id');

  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '31', version: row.version }]);
  expectRefusedEdit(r, 'PUT an approved value (reporter)');
  r = await save(c.stat_wancheng, TOWN, period, [{ indicator: 'retail_sales', value: '31', version: row.version }]);
  expectRefusedEdit(r, 'PUT an approved value (statistician)');

  r = await c.stat_wancheng.post(`${I}/values/${id}/revise`, { value: '31.5', version: row.version });
  expectStatus(r, 400, 'revise without reason');
  assert.ok(r.json.error.details.some((d) => d.field === 'reason'), `details name reason: ${r.text}`);
  r = await c.stat_wancheng.post(`${I}/values/${id}/revise`, { value: '31.5', reason: '', version: row.version });
  expectStatus(r, 400, 'revise with an empty reason');

  r = await c.stat_wancheng.post(`${I}/values/${id}/revise`, { value: '31.5', reason: '企业补报', version: row.version + 1 });
  expectStatus(r, 409, 'revise with a stale version');

  r = await c.stat_wancheng.post(`${I}/values/${id}/revise`, { value: '31.5', reason: '企业补报', version: row.version });
  expectStatus(r, 200, 'revise with reason');
  assert.equal(r.json.id, id);
  assert.equal(num(r.json.value), 31.5);
  assert.equal(r.json.revision, 1);
  assert.equal(r.json.status, 'approved');
  assert.equal(r.json.version, row.version + 1);

  r = await c.stat_wancheng.get(`${I}/values/${id}/revisions`);
  expectStatus(r, 200, 'revisions');
  assert.equal(r.json.items.length, 1);
  const rev = r.json.items[0];
  assert.equal(num(rev.old_value), 30);
  assert.equal(num(rev.new_value), 31.5);
  assert.equal(rev.reason, '企业补报');
  assert.equal(rev.username, 'stat_wancheng');

  r = await c.stat_wancheng.get(`${I}/board?${q({ parent: WANCHENG, period, indicators: 'retail_sales' })}`);
  expectStatus(r, 200, 'board');
  const cell = r.json.cells.find((x) => x.unit === TOWN && x.indicator === 'retail_sales');
  assert.ok(cell, `the board of 宛城区 at ${period} has no cell for 瓦店镇: ${r.text.slice(0, 400)}`);
  assert.equal(num(cell.value), 31.5, 'the board shows the revised value');

  r = await c.auditor.get(`/api/v1/audit?${q({ event: 'indicator.revise', page_size: 50 })}`);
  expectStatus(r, 200, 'audit');
  const a = r.json.items.find((x) => x.object_id === String(id));
  assert.ok(a, `no indicator.revise audit row for value ${id}: ${r.text.slice(0, 400)}`);
  assert.equal(a.username, 'stat_wancheng');
  assert.equal(a.object_type, 'indicator_value');
  assert.match(JSON.stringify(a.after), /企业补报/, 'the reason is in the audit row');
  assert.match(JSON.stringify(a.before), /"30"/, 'the old value is in the audit row');
});

test('PUT /indicators/entry of a submitted value and of an approved value answers 422, as docs/API.md says', async () => {
  const period = '2027-05';
  expectStatus(await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '7' }]), 200, 'save');
  let r = await act(c.reporter_town, 'submit', TOWN, period);
  expectStatus(r, 200, 'submit');
  let row = rowOf(r.json, 'retail_sales');
  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '8', version: row.version }]);
  expectStatus(r, 422, 'PUT a submitted value');
  assert.equal(r.json.error.code, 'failed_precondition');
  r = await act(c.stat_wancheng, 'approve', TOWN, period);
  expectStatus(r, 200, 'approve');
  row = rowOf(r.json, 'retail_sales');
  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '8', version: row.version }]);
  expectStatus(r, 422, 'PUT an approved value');
  assert.equal(r.json.error.code, 'failed_precondition');
});

test('a draft cannot be revised (422): revision is for approved and published values only', async () => {
  const period = '2027-04';
  let r = await save(c.reporter_town, TOWN, period, [{ indicator: 'hog_inventory', value: '100' }]);
  expectStatus(r, 200, 'save');
  const row = rowOf(r.json, 'hog_inventory');
  r = await c.stat_wancheng.post(`${I}/values/${row.value_id}/revise`, { value: '101', reason: '更正', version: row.version });
  expectStatus(r, 422, 'revise a draft');
});

// ---------------------------------------------------------------------------------------
// Approval

test('approval is the level above\'s job: the 宛城区 statistician cannot approve 宛城区\'s own sheet (403), the city statistics bureau can; the queue lists the sheet with its error and warning counts', async () => {
  const last = '2028-03', period = '2029-03';
  // Last year's value, so that a reported growth can be judged (a warning, explained by a note).
  expectStatus(await save(c.stat_wancheng, WANCHENG, last, [{ indicator: 'retail_sales', value: '100' }]), 200, 'save last year');
  let r = await save(c.stat_wancheng, WANCHENG, period, [
    { indicator: 'retail_sales', value: '110', reported_yoy: '30', note: '口径调整，已与市统计局核对' },
    { indicator: 'fixed_asset_investment', value: '50' },
  ]);
  expectStatus(r, 200, 'save');
  const warnings = r.json.findings.filter((f) => f.severity === 'warning').length;
  const errors = r.json.findings.filter((f) => f.severity === 'error').length;
  assert.equal(errors, 0, JSON.stringify(r.json.findings));
  assert.ok(warnings >= 1, `expected a yoy warning: ${JSON.stringify(r.json.findings)}`);
  expectStatus(await act(c.stat_wancheng, 'submit', WANCHENG, period), 200, 'submit');

  r = await c.stat.get(`${I}/queue`);
  expectStatus(r, 200, 'queue as stat');
  const item = r.json.items.find((x) => x.unit.code === WANCHENG && x.period === period);
  assert.ok(item, `the queue lacks 宛城区 ${period}: ${r.text.slice(0, 600)}`);
  assert.equal(item.count, 2);
  assert.equal(item.errors, 0);
  assert.equal(item.warnings, warnings);
  assert.equal(item.unit.name, '宛城区');
  assert.match(item.period_label, /2029/);

  r = await act(c.stat_wancheng, 'approve', WANCHENG, period);
  expectStatus(r, 403, 'stat_wancheng approves 宛城区');
  assert.equal((await readRow(WANCHENG, period, 'retail_sales')).status, 'submitted');

  r = await act(c.stat, 'approve', WANCHENG, period);
  expectStatus(r, 200, 'stat approves 宛城区');
  assert.equal(rowOf(r.json, 'retail_sales').status, 'approved');
  assert.equal(rowOf(r.json, 'fixed_asset_investment').status, 'approved');
  r = await c.stat.get(`${I}/queue`);
  assert.ok(!r.json.items.some((x) => x.unit.code === WANCHENG && x.period === period), 'an approved sheet stays in the queue');
});

test('the approval queue of a 宛城区 statistician holds only sheets inside 宛城区; a leader has no queue (403)', async () => {
  const period = '2029-04';
  expectStatus(await save(c.stat, WOLONG, period, [{ indicator: 'retail_sales', value: '5' }]), 200, 'save 卧龙区');
  expectStatus(await act(c.stat, 'submit', WOLONG, period), 200, 'submit 卧龙区');
  expectStatus(await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '5' }]), 200, 'save 瓦店镇');
  expectStatus(await act(c.reporter_town, 'submit', TOWN, period), 200, 'submit 瓦店镇');
  let r = await c.stat_wancheng.get(`${I}/queue`);
  expectStatus(r, 200, 'queue');
  const mine = new Set(['411302', 'T411302-01', 'T411302-02', 'T411302-03']);
  for (const it of r.json.items) assert.ok(mine.has(it.unit.code), `outside 宛城区 in the queue: ${it.unit.code}`);
  assert.ok(r.json.items.some((x) => x.unit.code === TOWN && x.period === period), '瓦店镇 missing from the 宛城区 queue');
  r = await c.stat.get(`${I}/queue`);
  assert.ok(r.json.items.some((x) => x.unit.code === WOLONG && x.period === period), '卧龙区 missing from the city queue');
  r = await act(c.stat_wancheng, 'approve', WOLONG, period);
  expectStatus(r, 404, 'stat_wancheng approves 卧龙区');
  expectStatus(await c.leader.get(`${I}/queue`), 403, 'queue as leader');
});

// ---------------------------------------------------------------------------------------
// Validation

test('tax_revenue > budget_revenue saves as a draft with an error finding, and submit → 422 with the finding in details', async () => {
  const period = '2030-03';
  let r = await save(c.reporter_town, TOWN, period, [
    { indicator: 'budget_revenue', value: '5' },
    { indicator: 'tax_revenue', value: '6' },
  ]);
  expectStatus(r, 200, 'save');
  assert.equal(rowOf(r.json, 'tax_revenue').status, 'draft');
  const f = r.json.findings.find((x) => x.rule === 'tax_le_budget');
  assert.ok(f, `no tax_le_budget finding: ${JSON.stringify(r.json.findings)}`);
  assert.equal(f.severity, 'error');
  assert.equal(f.indicator, 'tax_revenue');
  assert.ok(f.message.length > 0);
  const v = await c.reporter_town.get(`${I}/validate?${q({ unit: TOWN, period })}`);
  expectStatus(v, 200, 'validate');
  assert.ok(v.json.findings.some((x) => x.rule === 'tax_le_budget'), 'GET /validate lacks the finding');

  r = await act(c.reporter_town, 'submit', TOWN, period);
  expectStatus(r, 422, 'submit with an error finding');
  assert.ok(r.json.error.details.some((d) => d.field === 'tax_revenue' && d.reason === f.message),
    `details should carry the finding: ${r.text}`);
  assert.equal((await readRow(TOWN, period, 'tax_revenue')).status, 'draft', 'refused submit changed the status');

  const row = await readRow(TOWN, period, 'tax_revenue');
  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'tax_revenue', value: '4', version: row.version }]);
  expectStatus(r, 200, 'fix');
  assert.ok(!r.json.findings.some((x) => x.rule === 'tax_le_budget'));
  expectStatus(await act(c.reporter_town, 'submit', TOWN, period), 200, 'submit after the fix');
});

test('a warning (reported growth of a nominal indicator far from the computed one) blocks submit until the value has a note', async () => {
  const last = '2031-03', period = '2032-03';
  expectStatus(await save(c.reporter_town, TOWN, last, [{ indicator: 'retail_sales', value: '10' }]), 200, 'save last year');
  let r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '11', reported_yoy: '25' }]);
  expectStatus(r, 200, 'save');
  let row = rowOf(r.json, 'retail_sales');
  assert.equal(num(row.computed_yoy), 10, 'computed growth = (11 / 10 − 1) × 100');
  assert.equal(num(row.last_year), 10);
  const w = r.json.findings.find((x) => x.rule === 'yoy_mismatch' && x.indicator === 'retail_sales');
  assert.ok(w, `no yoy_mismatch warning: ${JSON.stringify(r.json.findings)}`);
  assert.equal(w.severity, 'warning');

  r = await act(c.reporter_town, 'submit', TOWN, period);
  expectStatus(r, 422, 'submit with an unexplained warning');
  assert.ok(r.json.error.details.some((d) => d.field === 'retail_sales'), `details name retail_sales: ${r.text}`);
  assert.equal((await readRow(TOWN, period, 'retail_sales')).status, 'draft');

  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', note: '含新纳统企业', version: row.version }]);
  expectStatus(r, 200, 'add a note');
  row = rowOf(r.json, 'retail_sales');
  assert.equal(row.note, '含新纳统企业');
  assert.equal(num(row.value), 11, 'a note alone keeps the value');
  assert.ok(r.json.findings.some((x) => x.rule === 'yoy_mismatch'), 'the warning still stands (explained, not removed)');
  r = await act(c.reporter_town, 'submit', TOWN, period);
  expectStatus(r, 200, 'submit with the note');
  assert.equal(rowOf(r.json, 'retail_sales').status, 'submitted');
});

test('a year-to-date value below the previous month\'s is an error finding', async () => {
  const period = '2032-05';
  expectStatus(await save(c.reporter_town, TOWN, '2032-04', [{ indicator: 'electricity_use', value: '8' }]), 200, 'save April');
  const r = await save(c.reporter_town, TOWN, period, [{ indicator: 'electricity_use', value: '7' }]);
  expectStatus(r, 200, 'save May');
  const f = r.json.findings.find((x) => x.rule === 'ytd_not_decreasing' && x.indicator === 'electricity_use');
  assert.ok(f, JSON.stringify(r.json.findings));
  assert.equal(f.severity, 'error');
  assert.equal(num(rowOf(r.json, 'electricity_use').previous_ytd), 8);
});

// ---------------------------------------------------------------------------------------
// Concurrency

test('two clients saving the same version of one value concurrently: exactly one 200 and one 409, and the stored value is the winner\'s', async () => {
  const period = '2033-03';
  let r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '10' }]);
  expectStatus(r, 200, 'save');
  const { version } = rowOf(r.json, 'retail_sales');
  for (let round = 0; round < 3; round++) {
    const cur = await readRow(TOWN, period, 'retail_sales');
    const a = String(100 + round * 2), b = String(101 + round * 2);
    const [ra, rb] = await Promise.all([
      save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: a, version: cur.version }]),
      save(c.stat_wancheng, TOWN, period, [{ indicator: 'retail_sales', value: b, version: cur.version }]),
    ]);
    const statuses = [ra.status, rb.status].sort();
    assert.deepEqual(statuses, [200, 409], `round ${round}: ${ra.status} ${ra.text.slice(0, 200)} / ${rb.status} ${rb.text.slice(0, 200)}`);
    const winner = ra.status === 200 ? a : b;
    const loser = ra.status === 200 ? rb : ra;
    assert.equal(loser.json.error.code, 'conflict');
    const stored = await readRow(TOWN, period, 'retail_sales');
    assert.equal(num(stored.value), Number(winner), `round ${round}: stored ${stored.value}, winner ${winner}`);
    assert.equal(stored.version, cur.version + 1);
  }
  assert.ok(version >= 1);
});

test('a stale version of a draft → 409 and nothing changes; an existing value without a version → 400', async () => {
  const period = '2033-04';
  let r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '10' }]);
  const row = rowOf(r.json, 'retail_sales');
  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '12', version: row.version + 5 }]);
  expectStatus(r, 409, 'stale');
  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'retail_sales', value: '12' }]);
  expectStatus(r, 400, 'no version');
  assert.ok(r.json.error.details.some((d) => d.field === 'values[0].version'), r.text);
  assert.equal(num((await readRow(TOWN, period, 'retail_sales')).value), 10);
});

// ---------------------------------------------------------------------------------------
// Periods

test('January is not a period of a year-to-date indicator: 2025-01 → 400 with the reason (1-2月 is stored at 2025-02)', async () => {
  const r = await save(c.reporter_town, TOWN, '2025-01', [{ indicator: 'retail_sales', value: '3' }]);
  expectStatus(r, 400, 'ytd at 2025-01');
  const d = r.json.error.details.find((x) => x.field === 'values[0].indicator' || x.field === 'values[0].period' || x.field === 'period');
  assert.ok(d, `details name the item: ${r.text}`);
  assert.match(d.reason, /1-2月|1月/, `the reason mentions 1-2月: ${d.reason}`);
  const sheet = (await sheetOf(c.reporter_town, TOWN, '2025-01')).json;
  assert.equal(rowOf(sheet, 'retail_sales').applicable, false, 'retail_sales is not applicable at 2025-01');
  assert.equal(rowOf(sheet, 'hog_inventory').applicable, true, 'a point indicator is applicable in January');
  const ok = await save(c.reporter_town, TOWN, '2025-02', [{ indicator: 'retail_sales', value: '3' }]);
  expectStatus(ok, 200, 'ytd at 2025-02 (1-2月)');
  assert.match(rowOf(ok.json, 'retail_sales').label, /1-2月/);
});

test('a point indicator can be entered for January (hog_inventory 2025-01)', async () => {
  const r = await save(c.reporter_town, TOWN, '2025-01', [{ indicator: 'hog_inventory', value: '1200' }]);
  expectStatus(r, 200, 'point indicator at 2025-01');
  assert.equal(num(rowOf(r.json, 'hog_inventory').value), 1200);
});

test('a derived indicator (tax_share) cannot be entered: 400 naming the item; nothing of the request is saved', async () => {
  const r = await save(c.reporter_town, TOWN, '2025-04', [
    { indicator: 'retail_sales', value: '12' },
    { indicator: 'tax_share', value: '80' },
  ]);
  expectStatus(r, 400, 'enter tax_share');
  assert.ok(r.json.error.details.some((d) => d.field === 'values[1].indicator'), r.text);
  assert.equal((await readRow(TOWN, '2025-04', 'retail_sales')).value, null, 'all or nothing: the valid item was saved');
});

test('a quarterly indicator (gdp) at a month that is not a quarter end (2025-05) → 400; at 2025Q2 it is stored at 2025-06', async () => {
  let r = await save(c.reporter_town, TOWN, '2025-05', [{ indicator: 'gdp', value: '30' }]);
  expectStatus(r, 400, 'gdp at 2025-05');
  assert.ok(r.json.error.details.some((d) => d.field.startsWith('values[0]')), r.text);
  r = await save(c.reporter_town, TOWN, '2025Q2', [{ indicator: 'gdp', value: '30', reported_yoy: '5.5' }]);
  expectStatus(r, 200, 'gdp at 2025Q2');
  assert.equal(r.json.period, '2025-06');
  assert.equal(num(rowOf(r.json, 'gdp').value), 30);
});

test('a bad number, an unknown indicator and an unknown period are refused with 400 naming the field', async () => {
  let r = await save(c.reporter_town, TOWN, '2025-07', [{ indicator: 'retail_sales', value: '12,3x' }]);
  expectStatus(r, 400, 'bad number');
  assert.ok(r.json.error.details.some((d) => d.field === 'values[0].value'), r.text);
  r = await save(c.reporter_town, TOWN, '2025-07', [{ indicator: 'no_such_indicator', value: '1' }]);
  expectStatus(r, 400, 'unknown indicator');
  assert.ok(r.json.error.details.some((d) => d.field === 'values[0].indicator'), r.text);
  r = await save(c.reporter_town, TOWN, '2025-13', [{ indicator: 'retail_sales', value: '1' }]);
  expectStatus(r, 400, 'bad period');
});

// ---------------------------------------------------------------------------------------
// The board (demo data: 2022-01 … 2024-12, published)

test('the board of 南阳市 at 2024-06: 卧龙区 GDP 258.4 ranks 2nd by value; retail sales 212.6, +6.3%, rank 1', async () => {
  const r = await c.leader.get(`${I}/board?${q({ parent: '411300', period: '2024-06' })}`);
  expectStatus(r, 200, 'board');
  const b = r.json;
  assert.equal(b.parent.code, '411300');
  assert.equal(b.period, '2024-06');
  const cell = (unit, ind) => b.cells.find((x) => x.unit === unit && x.indicator === ind);
  const gdp = cell(WOLONG, 'gdp');
  assert.ok(gdp, '卧龙区 gdp');
  assert.equal(num(gdp.value), 258.4);
  assert.equal(gdp.rank_value, 2);
  const retail = cell(WOLONG, 'retail_sales');
  assert.ok(retail, '卧龙区 retail_sales');
  assert.equal(num(retail.value), 212.6);
  assert.equal(Number(retail.yoy).toFixed(1), '6.3');
  assert.equal(retail.rank, 1);
  assert.equal(retail.rank_value, 1);
  assert.equal(b.indicators.find((i) => i.code === 'gdp').label, '2024年上半年');
  assert.equal(b.indicators.find((i) => i.code === 'retail_sales').label, '2024年1-6月');
});

test('every board cell belongs to a child of the parent and a shown indicator; the total row holds the parent\'s own figures; ranks are 1…n', async () => {
  const r = await c.stat.get(`${I}/board?${q({ parent: '411300', period: '2024-06' })}`);
  expectStatus(r, 200, 'board');
  const b = r.json;
  const parent = units.byCode['411300'];
  const children = units.units.filter((u) => u.parent_id === parent.id && !u.archived && u.kind !== 'department' && u.kind !== 'task_force');
  const childCodes = new Set(b.units.map((u) => u.code));
  for (const u of b.units) assert.equal(units.byCode[u.code]?.parent_id, parent.id, `${u.code} is not a child of 南阳市`);
  for (const u of children) assert.ok(childCodes.has(u.code), `child ${u.code} ${u.name} missing from units`);
  const shown = new Set(b.indicators.map((i) => i.code));
  assert.ok(shown.has('gdp') && shown.has('retail_sales'));
  assert.ok(b.cells.length > 0);
  for (const x of b.cells) {
    assert.ok(childCodes.has(x.unit), `cell of ${x.unit} which is not a child`);
    assert.ok(shown.has(x.indicator), `cell of indicator ${x.indicator} not shown`);
    assert.ok(['approved', 'published'].includes(x.status), `cell status ${x.status}`);
  }
  assert.ok(b.total.length > 0, 'the total row is empty');
  for (const x of b.total) assert.equal(x.unit, '411300', 'total cells are the parent\'s');
  assert.ok(b.total.some((x) => x.indicator === 'gdp'), 'total gdp');
  // Ranks of one indicator are 1…n among the children, 1 = the largest for an "up" indicator.
  const gdpCells = b.cells.filter((x) => x.indicator === 'gdp' && x.value != null);
  const best = gdpCells.reduce((m, x) => (num(x.value) > num(m.value) ? x : m));
  assert.equal(best.rank_value, 1);
  for (const x of gdpCells) {
    const better = gdpCells.filter((y) => num(y.value) > num(x.value)).length;
    assert.equal(x.rank_value, better + 1, `rank of ${x.unit}`);
  }
  // A league table with "down" direction: lower PM2.5 is better.
  const pm = b.cells.filter((x) => x.indicator === 'pm25' && x.value != null);
  if (pm.length) {
    const cleanest = pm.reduce((m, x) => (num(x.value) < num(m.value) ? x : m));
    assert.equal(cleanest.rank_value, 1, 'the lowest PM2.5 ranks first');
  }
});

test('the board is scoped: a 宛城区 leader gets 404 for 南阳市 and 200 for 宛城区, whose cells are 宛城区\'s towns', async () => {
  let r = await c.leader_wancheng.get(`${I}/board?${q({ parent: '411300', period: '2024-06' })}`);
  expectStatus(r, 404, 'leader_wancheng board of 南阳市');
  r = await c.leader_wancheng.get(`${I}/board?${q({ parent: WOLONG, period: '2024-06' })}`);
  expectStatus(r, 404, 'leader_wancheng board of 卧龙区');
  r = await c.leader_wancheng.get(`${I}/board?${q({ parent: WANCHENG, period: '2024-06' })}`);
  expectStatus(r, 200, 'leader_wancheng board of 宛城区');
  assert.equal(r.json.parent.code, WANCHENG);
  assert.ok(r.json.cells.length > 0, 'no cells for 宛城区');
  for (const x of r.json.cells) assert.match(x.unit, /^T411302-/, `cell of ${x.unit} on the 宛城区 board`);
  r = await c.leader_wancheng.get(`${I}/board`);
  expectStatus(r, 200, 'board with defaults');
  assert.equal(r.json.parent.code, WANCHENG, 'parent defaults to the user\'s own unit');
  assert.ok(r.json.period >= '2024-12', `period defaults to the latest with figures: ${r.json.period}`);
  r = await c.leader_wancheng.get(`${I}/series?${q({ unit: WOLONG, indicator: 'gdp' })}`);
  expectStatus(r, 404, 'leader_wancheng series of 卧龙区');
  r = await c.leader_wancheng.get(`${I}/periods?${q({ parent: '411300' })}`);
  expectStatus(r, 404, 'leader_wancheng periods of 南阳市');
});

test('the board answers only the indicators asked for, and an unknown code → 400', async () => {
  let r = await c.leader.get(`${I}/board?${q({ parent: '411300', period: '2024-06', indicators: 'gdp,retail_sales' })}`);
  expectStatus(r, 200, 'board');
  assert.deepEqual(r.json.indicators.map((i) => i.code).sort(), ['gdp', 'retail_sales']);
  for (const x of [...r.json.cells, ...r.json.total]) assert.ok(['gdp', 'retail_sales'].includes(x.indicator));
  r = await c.leader.get(`${I}/board?${q({ parent: '411300', period: '2024-06', indicators: 'gdp,nope' })}`);
  expectStatus(r, 400, 'unknown indicator');
});

test('series and periods answer: 卧龙区 GDP through 2024 at the quarter ends, 2024-06 = 258.4; periods newest first', async () => {
  let r = await c.leader.get(`${I}/series?${q({ unit: WOLONG, indicator: 'gdp', from: '2024-01', to: '2024-12' })}`);
  expectStatus(r, 200, 'series');
  assert.equal(r.json.unit.code, WOLONG);
  assert.equal(r.json.indicator.code, 'gdp');
  assert.deepEqual(r.json.points.map((p) => p.period), ['2024-03', '2024-06', '2024-09', '2024-12']);
  const june = r.json.points.find((p) => p.period === '2024-06');
  assert.equal(num(june.value), 258.4);
  assert.equal(june.rank_value, 2);
  assert.equal(june.period_label, '2024年上半年');
  r = await c.leader.get(`${I}/periods?${q({ parent: '411300' })}`);
  expectStatus(r, 200, 'periods');
  const items = r.json.items;
  assert.ok(items.includes('2024-06') && items.includes('2024-12') && items.includes('2022-02'), JSON.stringify(items.slice(0, 5)));
  assert.deepEqual(items, [...items].sort().reverse(), 'newest first');
  assert.ok(items.indexOf('2024-12') < items.indexOf('2024-06'));
});

// ---------------------------------------------------------------------------------------
// Targets

test('a target sets the board\'s time progress and status (ahead / on_track / behind by the settings\' margins); a stale version → 409', async () => {
  const settings = (await c.stat.get(`${I}/settings`)).json;
  const ahead = Number(settings.ahead_margin), behind = Number(settings.behind_margin);
  const expected = (progress, elapsed) => {
    const d = progress - elapsed;
    if (d >= ahead) return 'ahead';
    if (d < -behind) return 'behind';
    return 'on_track';
  };
  const boardCell = async () => {
    const r = await c.leader.get(`${I}/board?${q({ parent: '411300', period: '2024-06', indicators: 'gdp' })}`);
    expectStatus(r, 200, 'board');
    return r.json.cells.find((x) => x.unit === WOLONG && x.indicator === 'gdp');
  };
  // 258.4 of 500 = 51.68% at half the year: on track; of 400 = 64.6%: ahead; of 1000 = 25.84%: behind.
  // The demo may already hold a target for 卧龙区's GDP in 2024: update it then, else create it.
  const existing = await currentTarget(WOLONG, 'gdp', 2024);
  let r = await c.stat.put(`${I}/targets`, { unit: WOLONG, indicator: 'gdp', year: 2024, value: '500', ...(existing ? { version: existing.version } : {}) });
  expectStatus(r, 200, 'set target');
  let t = r.json;
  assert.equal(t.unit.code, WOLONG);
  assert.equal(t.indicator, 'gdp');
  assert.equal(t.year, 2024);
  assert.equal(num(t.value), 500);
  for (const [value, want] of [['500', 'on_track'], ['400', 'ahead'], ['1000', 'behind']]) {
    if (value !== '500') {
      r = await c.stat.put(`${I}/targets`, { unit: WOLONG, indicator: 'gdp', year: 2024, value, version: t.version });
      expectStatus(r, 200, `update target to ${value}`);
      assert.equal(r.json.version, t.version + 1);
      t = r.json;
    }
    const cell = await boardCell();
    assert.ok(cell.target, `no target on the board for target ${value}`);
    assert.equal(num(cell.target.value), Number(value));
    const progress = num(cell.target.progress), elapsed = num(cell.target.elapsed);
    assert.ok(Math.abs(progress - (258.4 / Number(value)) * 100) < 0.01, `progress ${cell.target.progress} for target ${value}`);
    assert.equal(elapsed, 50, 'half the year has elapsed at 2024-06');
    assert.equal(cell.target.status, expected(progress, elapsed), `status for target ${value}`);
    assert.equal(cell.target.status, want, `status for target ${value}`);
  }
  r = await c.stat.put(`${I}/targets`, { unit: WOLONG, indicator: 'gdp', year: 2024, value: '600', version: t.version - 1 });
  expectStatus(r, 409, 'stale target version');
  r = await c.stat.put(`${I}/targets`, { unit: WOLONG, indicator: 'gdp', year: 2024, value: '600' });
  expectStatus(r, 400, 'update without version');
  r = await c.stat.get(`${I}/targets?${q({ unit: WOLONG, year: '2024' })}`);
  expectStatus(r, 200, 'list targets');
  const listed = r.json.items.find((x) => x.indicator === 'gdp');
  assert.equal(num(listed.value), 1000, 'refused updates changed the target');
});

test('a growth target (保8争9) judges the growth: floor met → on_track, stretch met → ahead', async () => {
  const boardCell = async () => {
    const r = await c.leader.get(`${I}/board?${q({ parent: '411300', period: '2024-06', indicators: 'retail_sales' })}`);
    return r.json.cells.find((x) => x.unit === WOLONG && x.indicator === 'retail_sales');
  };
  const existing = await currentTarget(WOLONG, 'retail_sales', 2024);
  let r = await c.stat.put(`${I}/targets`, { unit: WOLONG, indicator: 'retail_sales', year: 2024, value: null, growth_floor: '6', growth_stretch: '7', ...(existing ? { version: existing.version } : {}) });
  expectStatus(r, 200, 'growth target');
  let cell = await boardCell();
  assert.equal(cell.target.status, 'on_track', `yoy ${cell.yoy} against 保6争7`);
  assert.equal(r.json.value, null, 'the value target was cleared');
  r = await c.stat.put(`${I}/targets`, { unit: WOLONG, indicator: 'retail_sales', year: 2024, growth_floor: '5', growth_stretch: '6', version: r.json.version });
  expectStatus(r, 200, 'growth target 2');
  cell = await boardCell();
  assert.equal(cell.target.status, 'ahead');
  r = await c.stat.put(`${I}/targets`, { unit: WOLONG, indicator: 'retail_sales', year: 2024, growth_floor: '9', growth_stretch: '8', version: r.json.version });
  expectStatus(r, 400, 'stretch below floor');
});

test('targets: a 宛城区 statistician cannot set one for 卧龙区 (404); a leader cannot set any (403)', async () => {
  expectStatus(await c.stat_wancheng.put(`${I}/targets`, { unit: WOLONG, indicator: 'gdp', year: 2031, value: '1' }), 404, 'stat_wancheng target of 卧龙区');
  expectStatus(await c.leader.put(`${I}/targets`, { unit: WOLONG, indicator: 'gdp', year: 2031, value: '1' }), 403, 'leader target');
  assert.equal(await currentTarget(WOLONG, 'gdp', 2031), null, 'a refused target was stored');
  const r = await c.stat_wancheng.put(`${I}/targets`, { unit: TOWN, indicator: 'gdp', year: 2031, value: '80' });
  expectStatus(r, 200, 'stat_wancheng target of 瓦店镇');
});

// ---------------------------------------------------------------------------------------
// Custom validation rules

test('a statistician creates a custom rule (industrial_investment <= fixed_asset_investment); a violating sheet shows it as a finding; disabling it removes the finding', async () => {
  let r = await c.stat.post(`${I}/rules`, { expression: 'industrial_investment <= fixed_asset_investment', severity: 'error', message: '工业投资不得大于固定资产投资' });
  expectStatus(r, 201, 'create rule');
  const rule = r.json;
  assert.ok(rule.id > 0);
  assert.equal(rule.builtin, false);
  assert.equal(rule.enabled, true);
  assert.equal(rule.severity, 'error');
  r = await c.leader.get(`${I}/rules`);
  expectStatus(r, 200, 'list rules');
  const items = r.json.items;
  const firstCustom = items.findIndex((x) => !x.builtin);
  assert.ok(items.slice(0, firstCustom).every((x) => x.builtin && x.id === null), 'built-in rules first, id null');
  assert.ok(items.some((x) => x.builtin && x.code === 'tax_le_budget'));
  assert.ok(items.some((x) => x.id === rule.id));

  const period = '2034-03';
  r = await save(c.reporter_town, TOWN, period, [
    { indicator: 'fixed_asset_investment', value: '5' },
    { indicator: 'industrial_investment', value: '6' },
  ]);
  expectStatus(r, 200, 'save a violating sheet');
  const f = r.json.findings.find((x) => x.rule === rule.code);
  assert.ok(f, `no finding of ${rule.code}: ${JSON.stringify(r.json.findings)}`);
  assert.equal(f.severity, 'error');
  assert.match(f.message, /工业投资不得大于固定资产投资/);
  expectStatus(await act(c.reporter_town, 'submit', TOWN, period), 422, 'submit a sheet violating a custom error rule');

  r = await c.stat.put(`${I}/rules/${rule.id}`, { enabled: false, version: rule.version + 1 });
  expectStatus(r, 409, 'stale rule version');
  r = await c.stat.put(`${I}/rules/${rule.id}`, { enabled: false, version: rule.version });
  expectStatus(r, 200, 'disable rule');
  assert.equal(r.json.enabled, false);
  r = await sheetOf(c.reporter_town, TOWN, period);
  assert.ok(!r.json.findings.some((x) => x.rule === rule.code), 'a disabled rule still finds');
});

test('rules: a bad expression or an unknown indicator code → 400 naming expression; a leader or unit reporter cannot create rules (403)', async () => {
  for (const expression of ['industrial_investment <=', 'industrial_investment fixed_asset_investment', '(tax_revenue <= budget_revenue', '']) {
    const r = await c.stat.post(`${I}/rules`, { expression, severity: 'error', message: '坏规则' });
    expectStatus(r, 400, `expression "${expression}"`);
    assert.ok(r.json.error.details.some((d) => d.field === 'expression'), r.text);
  }
  let r = await c.stat.post(`${I}/rules`, { expression: 'no_such_code <= budget_revenue', severity: 'error', message: '未知' });
  expectStatus(r, 400, 'unknown code');
  assert.ok(r.json.error.details.some((d) => d.field === 'expression' && d.reason.includes('no_such_code')), r.text);
  r = await c.stat.post(`${I}/rules`, { expression: 'tax_revenue <= budget_revenue', severity: 'fatal', message: 'x' });
  expectStatus(r, 400, 'bad severity');
  for (const who of ['leader', 'reporter_town']) {
    r = await c[who].post(`${I}/rules`, { expression: 'tax_revenue <= budget_revenue', severity: 'error', message: '越权' });
    expectStatus(r, 403, `${who} creates a rule`);
  }
  const rules = await c.stat.get(`${I}/rules`);
  assert.ok(!rules.json.items.some((x) => x.message === '越权' || x.message === '坏规则' || x.message === '未知'), 'a refused rule was stored');
});

// ---------------------------------------------------------------------------------------
// The catalog

test('catalog: create an indicator (201); its code is immutable (400); a stale version → 409; a current one → 200', async () => {
  const body = { code: 'test_output', name: '测试产值', unit: '亿元', periodicity: 'month', accumulation: 'ytd', growth_basis: 'nominal', direction: 'up', aliases: '测试|产值测试' };
  let r = await c.stat.post(I, body);
  expectStatus(r, 201, 'create');
  const ind = r.json;
  assert.equal(ind.code, 'test_output');
  assert.equal(ind.derived, false);
  assert.equal(ind.archived, false);
  assert.deepEqual(ind.aliases, ['测试', '产值测试']);
  r = await c.leader.get(`${I}/${ind.id}`);
  expectStatus(r, 200, 'read');
  assert.equal(r.json.name, '测试产值');
  r = await c.stat.post(I, body);
  expectStatus(r, 409, 'duplicate code');

  r = await c.stat.put(`${I}/${ind.id}`, { code: 'renamed_output', version: ind.version });
  expectStatus(r, 400, 'change code');
  assert.ok(r.json.error.details.some((d) => d.field === 'code'), r.text);
  r = await c.stat.put(`${I}/${ind.id}`, { name: '测试产值（新）', version: ind.version + 1 });
  expectStatus(r, 409, 'stale version');
  assert.equal((await c.stat.get(`${I}/${ind.id}`)).json.name, '测试产值', 'refused updates changed the indicator');
  r = await c.stat.put(`${I}/${ind.id}`, { name: '测试产值（新）', version: ind.version });
  expectStatus(r, 200, 'update');
  assert.equal(r.json.name, '测试产值（新）');
  assert.equal(r.json.code, 'test_output');
  assert.equal(r.json.version, ind.version + 1);
  r = await c.stat.put(`${I}/${ind.id}`, { code: 'test_output', decimals: 1, version: r.json.version });
  expectStatus(r, 200, 'sending the same code is not a change');
  r = await c.stat.get(`${I}?q=${encodeURIComponent('产值测试')}`);
  assert.ok(r.json.items.some((x) => x.id === ind.id), 'search by alias');
});

test('catalog: a derived indicator whose formula names an unknown code → 400; a good formula → derived, and it cannot be entered', async () => {
  let r = await c.stat.post(I, { code: 'bad_ratio', name: '坏比率', unit: '%', periodicity: 'month', accumulation: 'ytd', growth_basis: 'none', direction: 'up', formula: 'no_such_code / budget_revenue * 100' });
  expectStatus(r, 400, 'unknown code in a formula');
  assert.ok(r.json.error.details.some((d) => d.field === 'formula'), r.text);
  r = await c.stat.post(I, { code: 'bad_ratio2', name: '坏比率2', unit: '%', periodicity: 'month', accumulation: 'ytd', growth_basis: 'none', direction: 'up', formula: 'tax_revenue / (budget_revenue' });
  expectStatus(r, 400, 'bad syntax in a formula');
  r = await c.stat.post(I, { code: 'test_investment_share', name: '工业投资占比（测试）', unit: '%', periodicity: 'month', accumulation: 'ytd', growth_basis: 'none', direction: 'up', formula: 'industrial_investment / fixed_asset_investment * 100' });
  expectStatus(r, 201, 'derived indicator');
  assert.equal(r.json.derived, true);
  const period = '2035-03';
  r = await save(c.reporter_town, TOWN, period, [
    { indicator: 'fixed_asset_investment', value: '8' },
    { indicator: 'industrial_investment', value: '2' },
  ]);
  expectStatus(r, 200, 'save the parts');
  const row = rowOf(r.json, 'test_investment_share');
  assert.equal(row.derived, true);
  assert.equal(num(row.value), 25, 'the derived value is computed (2 / 8 × 100)');
  r = await save(c.reporter_town, TOWN, period, [{ indicator: 'test_investment_share', value: '30' }]);
  expectStatus(r, 400, 'enter the derived indicator');
  const all = await listAll(c.stat, `${I}?q=bad_ratio`);
  assert.deepEqual(all, [], 'a refused indicator was stored');
});

test('catalog: a leader or unit reporter cannot create or change indicators (403)', async () => {
  const gdp = (await c.leader.get(`${I}?q=gdp`)).json.items.find((x) => x.code === 'gdp');
  for (const who of ['leader', 'reporter_town']) {
    expectStatus(await c[who].post(I, { code: 'x_' + who, name: 'x', unit: '亿元', periodicity: 'month', accumulation: 'ytd', growth_basis: 'nominal', direction: 'up' }), 403, `${who} create`);
    expectStatus(await c[who].put(`${I}/${gdp.id}`, { name: 'GDP', version: gdp.version }), 403, `${who} update`);
  }
  assert.equal((await c.leader.get(`${I}/${gdp.id}`)).json.name, '地区生产总值');
});
