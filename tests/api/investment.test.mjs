// Investment attraction (招商引资) and industry chains (链长制), docs/API.md "## Investment
// attraction": who sees and writes which leads (a 卧龙区 officer, the city's 招商局, a leader),
// bad input refused with a Chinese error naming the field and nothing written, the life cycle of
// a lead one stage at a time up to 开工 (which makes it a key project, linked both ways), lost
// and reopened leads, duplicate companies and their merge, signing statistics and unit targets,
// chains with gaps (补链), the pipeline board, and the demo's published figures.
//
// The server has no clock override: "today" is the real date in China time (UTC+8). A new lead's
// 线索 date is today and stage dates may be neither in the future nor before the previous stage,
// so every stage here is reached today. Each test makes its own companies and leads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginMany, listAll, unitIndex, subtreeIds, auditTotal, assertErrorFormat } from './helpers.mjs';

const I = '/api/v1/investment';
const WANCHENG = '411302';
const WOLONG = '411303';
const XIXIA = '411323';          // 西峡县: the unit of the statistics test
const FANGCHENG = '411322';      // 方城县: the unit of the pipeline test

// Today as the server sees it (China time).
const CN = new Date(Date.now() + 8 * 3600 * 1000);
const YEAR = CN.getUTCFullYear();
const dayFromToday = (n) => new Date(Date.UTC(YEAR, CN.getUTCMonth(), CN.getUTCDate() + n)).toISOString().slice(0, 10);
const TODAY = dayFromToday(0);
const TOMORROW = dayFromToday(1);
const HAN = /[\u4e00-\u9fff]/;

// A valid USCC (GB 32100): 91 (enterprise), 411300 (南阳市), "TD" + 7 digits, check character.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function usccCheck(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}
let usccSeq = 1000;
function newUscc() {
  const first17 = `91411300TD${String(++usccSeq).padStart(7, '0')}`;
  return first17 + usccCheck(first17);
}
// The same code with another (wrong) check character.
function wrongCheck(uscc) {
  const good = uscc[17];
  const bad = USCC_ALPHABET[(USCC_ALPHABET.indexOf(good) + 7) % 31];
  return uscc.slice(0, 17) + bad;
}

const num = (s) => (s == null ? null : Number(s));
const round6 = (x) => Math.round(x * 1e6) / 1e6;

let server, c, units;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['invest', 'invest_wolong', 'leader', 'auditor', 'project', 'admin']);
  units = await unitIndex(c.admin);
});
after(async () => { await server?.stop(); });

function expectStatus(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 400)}`);
  if (status >= 400) assertErrorFormat(r, what);
}
// A refusal with a Chinese message whose details name `field`.
function expectFieldError(r, status, field, what) {
  expectStatus(r, status, what);
  assert.match(r.json.error.message, HAN, `${what}: the message is not Chinese: ${r.text}`);
  const d = r.json.error.details.find((x) => x.field === field || x.field.startsWith(`${field}.`) || x.field.startsWith(`${field}[`));
  assert.ok(d, `${what}: details do not name ${field}: ${r.text}`);
  assert.match(d.reason, HAN, `${what}: the reason for ${field} is not Chinese: ${r.text}`);
  return d;
}

let companySeq = 0;
async function makeCompany(fields = {}, who = c.invest) {
  const r = await who.post(`${I}/companies`, { name: `招商测试${++companySeq}号科技有限公司`, ...fields });
  expectStatus(r, 201, `POST /companies ${JSON.stringify(fields)}`);
  return r.json;
}
async function makeLead(fields = {}, who = c.invest) {
  const company_id = fields.company_id ?? (await makeCompany()).id;
  const r = await who.post(`${I}/leads`, { project_name: `招商测试项目${companySeq}`, amount: '3', source: 'business', unit: WANCHENG, ...fields, company_id });
  expectStatus(r, 201, `POST /leads ${JSON.stringify(fields)}`);
  return r.json;
}
const getLead = async (id, who = c.invest) => {
  const r = await who.get(`${I}/leads/${id}`);
  expectStatus(r, 200, `GET /leads/${id}`);
  return r.json;
};
const moveTo = (lead, stage, date = TODAY, who = c.invest) => who.post(`${I}/leads/${lead.id}/stage`, { stage, date, version: lead.version });
// Moves a lead through `stages` (today), one at a time; returns the lead after the last.
async function advance(lead, stages) {
  for (const s of stages) {
    const r = await moveTo(lead, s);
    expectStatus(r, 200, `lead ${lead.id} → ${s}`);
    assert.equal(r.json.stage, s);
    lead = r.json;
  }
  return lead;
}
async function addContract(lead, amount, kind = 'formal', date = TODAY) {
  const r = await c.invest.post(`${I}/leads/${lead.id}/contracts`, { date, amount, kind });
  expectStatus(r, 201, `contract ${amount} for lead ${lead.id}`);
  return r.json;
}
// A lead signed today with one contract of `amount`.
async function signedLead(fields, amount, kind = 'formal') {
  let lead = await makeLead(fields);
  lead = await advance(lead, ['contact', 'inspection', 'negotiation']);
  await addContract(lead, amount, kind);
  return advance(await getLead(lead.id), ['signed']);
}
const stats = async (unit, from, to, who = c.invest) => {
  const r = await who.get(`${I}/stats?unit=${unit}&from=${from}&to=${to}`);
  expectStatus(r, 200, `stats ${unit} ${from}..${to}`);
  return r.json;
};
async function targetOf(unit, year = YEAR) {
  const r = await c.invest.get(`${I}/targets?year=${year}&unit=${unit}`);
  expectStatus(r, 200, `targets ${unit} ${year}`);
  return r.json.items.find((t) => t.unit.code === unit) || null;
}
const totalOf = async (path, who = c.invest) => {
  const r = await who.get(`${path}${path.includes('?') ? '&' : '?'}page_size=1`);
  expectStatus(r, 200, path);
  return r.json.total;
};

// ---------------------------------------------------------------------------------------
// Scope

test('scope: invest_wolong sees only 卧龙区\'s leads, gets 404 for another unit\'s lead and cannot write to it; invest sees all', async () => {
  const wolong = await makeLead({ unit: WOLONG, project_name: '卧龙区范围测试项目' });
  const wancheng = await makeLead({ unit: WANCHENG, project_name: '宛城区范围测试项目' });
  const city = await makeLead({ unit: '411300', project_name: '市本级范围测试项目' });
  const wolongTree = subtreeIds(units.units, units.byCode[WOLONG].id);

  const mine = await listAll(c.invest_wolong, `${I}/leads`);
  const outside = mine.filter((l) => !wolongTree.has(l.unit.id));
  assert.deepEqual(outside.map((l) => `${l.id} ${l.unit.code}`), [], 'invest_wolong lists leads outside 卧龙区');
  const mineIds = new Set(mine.map((l) => l.id));
  assert.ok(mineIds.has(wolong.id), 'invest_wolong does not list 卧龙区\'s lead');
  assert.ok(!mineIds.has(wancheng.id) && !mineIds.has(city.id));
  // The city's 招商局 sees every lead: 卧龙区's are exactly invest_wolong's list.
  const all = await listAll(c.invest, `${I}/leads`);
  const allIds = new Set(all.map((l) => l.id));
  for (const l of [wolong, wancheng, city]) assert.ok(allIds.has(l.id), `invest does not list lead ${l.id} of ${l.unit.code}`);
  assert.deepEqual(all.filter((l) => wolongTree.has(l.unit.id)).map((l) => l.id).sort((a, b) => a - b), [...mineIds].sort((a, b) => a - b));
  // Filters cannot widen the scope.
  let r = await c.invest_wolong.get(`${I}/leads?unit=${WANCHENG}`);
  expectStatus(r, 200, 'leads?unit=宛城区 as invest_wolong');
  assert.equal(r.json.total, 0);
  assert.deepEqual(r.json.items, []);
  r = await c.invest_wolong.get(`${I}/leads?q=${encodeURIComponent('范围测试')}`);
  assert.deepEqual(r.json.items.map((l) => l.id), [wolong.id], 'leads?q= as invest_wolong');
  for (const path of [`${I}/pipeline?unit=${WANCHENG}`, `${I}/stats?unit=${WANCHENG}&from=${YEAR}-01-01&to=${TODAY}`,
    `${I}/targets?unit=${WANCHENG}`, `${I}/stats?unit=411300&from=${YEAR}-01-01&to=${TODAY}`]) {
    r = await c.invest_wolong.get(path);
    expectStatus(r, 404, `${path} as invest_wolong`);
  }

  // Detail: own 200, others 404.
  expectStatus(await c.invest_wolong.get(`${I}/leads/${wolong.id}`), 200, 'own lead');
  for (const other of [wancheng, city]) {
    expectStatus(await c.invest_wolong.get(`${I}/leads/${other.id}`), 404, `lead ${other.unit.code} as invest_wolong`);
  }

  // Writes to another unit's lead: 403/404, nothing changed.
  const before = await getLead(wancheng.id);
  const w = c.invest_wolong;
  const writes = [
    ['PUT', () => w.put(`${I}/leads/${wancheng.id}`, { project_name: '越权改名', version: wancheng.version })],
    ['stage', () => w.post(`${I}/leads/${wancheng.id}/stage`, { stage: 'contact', date: TODAY, version: wancheng.version })],
    ['lose', () => w.post(`${I}/leads/${wancheng.id}/lose`, { reason: '越权', version: wancheng.version })],
    ['reopen', () => w.post(`${I}/leads/${wancheng.id}/reopen`, { version: wancheng.version })],
    ['contract', () => w.post(`${I}/leads/${wancheng.id}/contracts`, { date: TODAY, amount: '1', kind: 'formal' })],
    ['convert', () => w.post(`${I}/leads/${wancheng.id}/convert`, { version: wancheng.version })],
  ];
  for (const [what, run] of writes) {
    const res = await run();
    assert.ok([403, 404].includes(res.status), `${what} of 宛城区's lead as invest_wolong: expected 403/404, got ${res.status} ${res.text}`);
    assertErrorFormat(res, what);
  }
  assert.deepEqual(await getLead(wancheng.id), before, '宛城区\'s lead changed after refused writes');

  // Nor can invest_wolong put a lead (new or its own) into another unit.
  const company = await makeCompany();
  r = await w.post(`${I}/leads`, { company_id: company.id, project_name: '越权新建项目', amount: '1', source: 'business', unit: WANCHENG });
  assert.ok([400, 403, 404].includes(r.status), `POST /leads in 宛城区 as invest_wolong: ${r.status} ${r.text}`);
  if (r.status === 400) expectFieldError(r, 400, 'unit', 'POST /leads in 宛城区');
  const own = await getLead(wolong.id, w);
  r = await w.put(`${I}/leads/${wolong.id}`, { unit: WANCHENG, version: own.version });
  assert.ok([400, 403, 404].includes(r.status), `PUT own lead unit=宛城区 as invest_wolong: ${r.status} ${r.text}`);
  assert.deepEqual(await getLead(wolong.id, w), own, 'the 卧龙区 lead changed');
  r = await w.put(`${I}/targets`, { unit: WANCHENG, year: YEAR + 1, projects_100m: 1, contract_amount: '1' });
  assert.ok([400, 403, 404].includes(r.status), `PUT targets for 宛城区 as invest_wolong: ${r.status} ${r.text}`);
  assert.equal(await targetOf(WANCHENG, YEAR + 1), null, 'a target was written for 宛城区');
  const q = await c.invest.get(`${I}/leads?q=${encodeURIComponent('越权新建')}`);
  assert.equal(q.json.total, 0, 'a lead was created in 宛城区');

  // And within its own unit it may write.
  r = await w.post(`${I}/leads/${wolong.id}/stage`, { stage: 'contact', date: TODAY, version: own.version });
  expectStatus(r, 200, 'invest_wolong moves its own lead');
});

test('scope: a leader reads investment data but every write is 403', async () => {
  const lead = await makeLead({ unit: WOLONG });
  expectStatus(await c.leader.get(`${I}/leads/${lead.id}`), 200, 'leader reads a lead');
  expectStatus(await c.leader.get(`${I}/leads`), 200, 'leader lists leads');
  const company = (await c.invest.get(`${I}/companies/${lead.company.id}`)).json;
  const chain = (await c.invest.post(`${I}/chains`, { name: '领导只读测试链', chain_leader: '测试' })).json;
  const L = c.leader;
  const writes = [
    ['POST /companies', () => L.post(`${I}/companies`, { name: '领导新建企业有限公司' })],
    ['PUT /companies/{id}', () => L.put(`${I}/companies/${company.id}`, { name: '领导改名有限公司', version: company.version })],
    ['POST /leads', () => L.post(`${I}/leads`, { company_id: company.id, project_name: '领导新建项目', amount: '1', source: 'business', unit: WOLONG })],
    ['PUT /leads/{id}', () => L.put(`${I}/leads/${lead.id}`, { amount: '9', version: lead.version })],
    ['stage', () => L.post(`${I}/leads/${lead.id}/stage`, { stage: 'contact', date: TODAY, version: lead.version })],
    ['lose', () => L.post(`${I}/leads/${lead.id}/lose`, { reason: '领导', version: lead.version })],
    ['contract', () => L.post(`${I}/leads/${lead.id}/contracts`, { date: TODAY, amount: '1', kind: 'formal' })],
    ['convert', () => L.post(`${I}/leads/${lead.id}/convert`, { version: lead.version })],
    ['PUT /targets', () => L.put(`${I}/targets`, { unit: WOLONG, year: YEAR + 2, projects_100m: 1, contract_amount: '1' })],
    ['POST /chains', () => L.post(`${I}/chains`, { name: '领导新建链', chain_leader: '领导' })],
    ['PUT /chains/{id}', () => L.put(`${I}/chains/${chain.id}`, { name: '领导改名链', version: chain.version })],
    ['POST /activities', () => L.post(`${I}/activities`, { kind: 'outgoing', date: TODAY, title: '领导外出招商', unit: WOLONG })],
  ];
  const audit0 = await auditTotal(c.auditor);
  for (const [what, run] of writes) {
    const r = await run();
    expectStatus(r, 403, `${what} as leader`);
    assert.equal(r.json.error.code, 'permission_denied');
  }
  assert.equal(await auditTotal(c.auditor), audit0, 'refused writes wrote audit rows');
  assert.deepEqual(await getLead(lead.id), lead);
});

// ---------------------------------------------------------------------------------------
// Bad input

test('bad input: invalid USCC, amounts in wrong units or negative, stage jumps and moves back, 签约 without a contract, future dates → clear Chinese errors naming the field; nothing written', async () => {
  // Set-up (written before the counts are taken): a lead at 线索, one at 实质性谈判.
  const company = await makeCompany({ uscc: newUscc() });
  const atClue = await makeLead({ company_id: company.id, project_name: '坏输入线索阶段项目' });
  const atNegotiation = await advance(await makeLead({ company_id: company.id, project_name: '坏输入谈判阶段项目' }), ['contact', 'inspection', 'negotiation']);
  const leads0 = await totalOf(`${I}/leads`);
  const companies0 = await totalOf(`${I}/companies`);
  const audit0 = await auditTotal(c.auditor);
  const clue0 = await getLead(atClue.id);
  const nego0 = await getLead(atNegotiation.id);

  // An invalid USCC: the wrong check character.
  let r = await c.invest.post(`${I}/companies`, { name: '校验位错误测试有限公司', uscc: wrongCheck(newUscc()) });
  let d = expectFieldError(r, 400, 'uscc', 'USCC with a wrong check character');
  assert.match(d.reason, /校验/, `the reason should say the check character is wrong: ${r.text}`);
  r = await c.invest.post(`${I}/companies`, { name: '位数错误测试有限公司', uscc: '91411300TD12345' });
  expectFieldError(r, 400, 'uscc', 'USCC of 15 characters');

  // Amounts: wrong units, negative, nonsense — on a new lead, an edit and a contract.
  const base = { company_id: company.id, project_name: '坏金额测试项目', source: 'business', unit: WANCHENG };
  for (const amount of ['12个', '5万美元', '-3', '-5亿元', '十亿', '']) {
    r = await c.invest.post(`${I}/leads`, { ...base, amount });
    d = expectFieldError(r, 400, 'amount', `POST /leads amount ${JSON.stringify(amount)}`);
    if (amount.startsWith('-')) assert.match(d.reason, /负|大于0/, `negative amount: ${r.text}`);
    if (amount === '12个' || amount === '5万美元') assert.match(d.reason, /单位/, `amount ${amount}: the reason should name the unit: ${r.text}`);
  }
  r = await c.invest.put(`${I}/leads/${atClue.id}`, { amount: '12个', version: clue0.version });
  expectFieldError(r, 400, 'amount', 'PUT /leads amount 12个');
  r = await c.invest.post(`${I}/leads/${atNegotiation.id}/contracts`, { date: TODAY, amount: '5万美元', kind: 'formal' });
  expectFieldError(r, 400, 'amount', 'contract amount 5万美元');
  r = await c.invest.post(`${I}/leads/${atNegotiation.id}/contracts`, { date: TODAY, amount: '-1', kind: 'formal' });
  expectFieldError(r, 400, 'amount', 'contract amount -1');

  // A stage jump 线索 → 签约: 422 naming both stages.
  r = await moveTo(clue0, 'signed');
  expectStatus(r, 422, '线索 → 签约');
  assert.match(r.json.error.message, /线索/, `the jump should name the current stage: ${r.text}`);
  assert.match(r.json.error.message, /签约/, `the jump should name the target stage: ${r.text}`);
  r = await moveTo(clue0, '签约');
  expectStatus(r, 422, '线索 → 签约 (Chinese stage name)');
  // Backwards: 实质性谈判 → 接洽 and → 线索.
  for (const back of ['contact', 'clue']) {
    r = await moveTo(nego0, back);
    expectStatus(r, 422, `实质性谈判 → ${back}`);
    assert.match(r.json.error.message, /实质性谈判/, r.text);
  }
  // 签约 without a contract.
  r = await moveTo(nego0, 'signed');
  expectStatus(r, 422, '签约 without a contract');
  assert.match(r.json.error.message, /合同/, `should say a contract is needed: ${r.text}`);
  // A stage date in the future, an invalid date, an unknown stage.
  r = await moveTo(clue0, 'contact', TOMORROW);
  expectFieldError(r, 400, 'date', 'stage date tomorrow');
  r = await moveTo(clue0, 'contact', `${YEAR}-02-30`);
  expectFieldError(r, 400, 'date', 'stage date 02-30');
  r = await moveTo(clue0, 'contact', dayFromToday(-400));
  expectFieldError(r, 400, 'date', 'stage date before the 线索 date');
  r = await moveTo(clue0, 'visiting');
  assert.ok([400, 422].includes(r.status), `unknown stage: ${r.status} ${r.text}`);
  // A contract dated in the future, of an unknown kind.
  r = await c.invest.post(`${I}/leads/${atNegotiation.id}/contracts`, { date: TOMORROW, amount: '1', kind: 'formal' });
  expectFieldError(r, 400, 'date', 'contract dated tomorrow');
  r = await c.invest.post(`${I}/leads/${atNegotiation.id}/contracts`, { date: TODAY, amount: '1', kind: 'memo' });
  expectFieldError(r, 400, 'kind', 'contract of kind memo');
  // A lead without a name, of an unknown source, of an unknown company.
  r = await c.invest.post(`${I}/leads`, { ...base, amount: '1', project_name: ' ' });
  expectFieldError(r, 400, 'project_name', 'blank project_name');
  r = await c.invest.post(`${I}/leads`, { ...base, amount: '1', source: 'magic' });
  expectFieldError(r, 400, 'source', 'source magic');
  r = await c.invest.post(`${I}/leads`, { ...base, amount: '1', company_id: 987654321 });
  expectFieldError(r, 400, 'company_id', 'unknown company');

  // Nothing written.
  assert.equal(await totalOf(`${I}/leads`), leads0, 'leads were created');
  assert.equal(await totalOf(`${I}/companies`), companies0, 'companies were created');
  assert.equal(await auditTotal(c.auditor), audit0, 'audit rows were written for refused input');
  assert.deepEqual(await getLead(atClue.id), clue0, 'the 线索 lead changed');
  assert.deepEqual(await getLead(atNegotiation.id), nego0, 'the 实质性谈判 lead changed (or got a contract)');
});

test('a stale version → 409 and nothing changes (lead edit, stage, company edit)', async () => {
  const lead = await makeLead({ project_name: '版本测试项目' });
  let r = await c.invest.put(`${I}/leads/${lead.id}`, { amount: '4', version: lead.version });
  expectStatus(r, 200, 'first edit');
  assert.equal(num(r.json.amount), 4);
  const now = r.json;
  r = await c.invest.put(`${I}/leads/${lead.id}`, { amount: '5', version: lead.version });
  expectStatus(r, 409, 'edit with the old version');
  r = await moveTo(lead, 'contact');
  expectStatus(r, 409, 'stage with the old version');
  assert.deepEqual(await getLead(lead.id), now);
  const co = (await c.invest.get(`${I}/companies/${lead.company.id}`)).json;
  r = await c.invest.put(`${I}/companies/${co.id}`, { origin: '上海市', version: co.version });
  expectStatus(r, 200, 'company edit');
  r = await c.invest.put(`${I}/companies/${co.id}`, { origin: '北京市', version: co.version });
  expectStatus(r, 409, 'company edit with the old version');
  assert.equal((await c.invest.get(`${I}/companies/${co.id}`)).json.origin, '上海市');
});

test('amounts may carry a unit and are stored exactly in 亿元 (125000万元 = 12.5)', async () => {
  const lead = await makeLead({ amount: '125000万元' });
  assert.equal(lead.amount, '12.5');
  const r = await c.invest.put(`${I}/leads/${lead.id}`, { amount: '3.25亿元', version: lead.version });
  expectStatus(r, 200, 'amount 3.25亿元');
  assert.equal(r.json.amount, '3.25');
});

// ---------------------------------------------------------------------------------------
// Life cycle

test('life cycle: 线索 → 接洽 → 考察 → 实质性谈判 → (contract) 签约 → 注册 → 开工 makes a key project linked both ways; convert again → the same project', async () => {
  let lead = await makeLead({ project_name: '生命周期测试艾草深加工项目', amount: '6' });
  assert.equal(lead.stage, 'clue');
  assert.equal(lead.stage_name, '线索');
  assert.deepEqual(lead.stage_dates, { clue: TODAY });
  assert.equal(lead.project, null);
  lead = await advance(lead, ['contact', 'inspection', 'negotiation']);
  assert.equal(lead.stage_name, '实质性谈判');
  const k = await addContract(lead, '50000万元', 'formal');
  assert.equal(k.amount, '5');
  assert.equal(k.kind, 'formal');
  lead = await getLead(lead.id);
  assert.equal(lead.contracts.length, 1);
  assert.equal(num(lead.contract_amount), 5);
  lead = await advance(lead, ['signed', 'registered']);
  assert.equal(lead.project, null, 'a key project before 开工');
  lead = await advance(lead, ['started']);
  assert.equal(lead.stage_name, '开工');
  assert.deepEqual(Object.keys(lead.stage_dates).sort(), ['clue', 'contact', 'inspection', 'negotiation', 'registered', 'signed', 'started'].sort());
  assert.ok(lead.project, `开工 did not make a key project: ${JSON.stringify(lead)}`);
  assert.equal(lead.project.code, `ZS${lead.id}`);
  // The key project, as the project office sees it.
  const p = await c.project.get(`/api/v1/projects/${lead.project.id}`);
  expectStatus(p, 200, 'GET /projects/{id} of the converted lead');
  assert.equal(p.json.code, `ZS${lead.id}`);
  assert.equal(p.json.name, '生命周期测试艾草深加工项目');
  assert.equal(p.json.unit.code, WANCHENG);
  assert.equal(p.json.stage, 'started');
  assert.equal(num(p.json.total_investment), 5, 'the project\'s investment is the contract amount');
  const listed = await c.project.get(`/api/v1/projects?q=ZS${lead.id}`);
  assert.ok(listed.json.items.some((x) => x.id === lead.project.id), 'the project is not in the project list');
  // Converting again answers the same project.
  for (let i = 0; i < 2; i++) {
    const r = await c.invest.post(`${I}/leads/${lead.id}/convert`, { version: lead.version });
    assert.ok([200, 201].includes(r.status), `convert again: ${r.status} ${r.text}`);
    assert.deepEqual(r.json.project, lead.project);
    assert.equal(r.json.created, false);
  }
  const projects = await c.project.get(`/api/v1/projects?q=ZS${lead.id}`);
  assert.equal(projects.json.items.filter((x) => x.code === `ZS${lead.id}`).length, 1, 'converting twice made two projects');
  lead = await advance(await getLead(lead.id), ['producing']);
  assert.equal(lead.stage_name, '投产');
});

test('convert: a signed lead becomes a key project (created true), repeating answers it (created false), 开工 later keeps that project; an unsigned lead cannot be converted', async () => {
  const early = await makeLead({ project_name: '未签约转换测试项目' });
  let r = await c.invest.post(`${I}/leads/${early.id}/convert`, { version: early.version });
  expectStatus(r, 422, 'convert a 线索');
  let lead = await signedLead({ project_name: '签约转换测试项目', unit: WOLONG }, '2');
  r = await c.invest.post(`${I}/leads/${lead.id}/convert`, { version: lead.version });
  expectStatus(r, 201, 'convert a signed lead');
  assert.equal(r.json.created, true);
  const project = r.json.project;
  assert.equal(project.code, `ZS${lead.id}`);
  lead = await getLead(lead.id);
  assert.deepEqual(lead.project, project, 'lead.project after convert');
  r = await c.invest.post(`${I}/leads/${lead.id}/convert`, { version: lead.version });
  expectStatus(r, 200, 'convert again');
  assert.deepEqual(r.json, { project, created: false });
  lead = await advance(lead, ['registered', 'started']);
  assert.deepEqual(lead.project, project, '开工 made another project');
  const p = await c.project.get(`/api/v1/projects/${project.id}`);
  expectStatus(p, 200, 'GET the project');
  assert.equal(p.json.stage, 'started', 'the project follows the lead to 开工');
});

test('lose with a reason → stages refused until reopened → reopen → the lead moves on', async () => {
  let lead = await advance(await makeLead({ project_name: '流失测试项目' }), ['contact']);
  let r = await c.invest.post(`${I}/leads/${lead.id}/lose`, { reason: '  ', version: lead.version });
  expectFieldError(r, 400, 'reason', 'lose without a reason');
  r = await c.invest.post(`${I}/leads/${lead.id}/lose`, { reason: '企业投资计划调整，转投他省', version: lead.version });
  expectStatus(r, 200, 'lose');
  lead = r.json;
  assert.equal(lead.lost, true);
  assert.equal(lead.lost_reason, '企业投资计划调整，转投他省');
  assert.equal(lead.lost_date, TODAY);
  assert.equal(lead.stage, 'contact', 'losing keeps the stage reached');
  const lostList = await c.invest.get(`${I}/leads?lost=1&q=${encodeURIComponent('流失测试项目')}`);
  assert.deepEqual(lostList.json.items.map((x) => x.id), [lead.id]);
  const openList = await c.invest.get(`${I}/leads?lost=0&q=${encodeURIComponent('流失测试项目')}`);
  assert.deepEqual(openList.json.items, []);
  r = await moveTo(lead, 'inspection');
  expectStatus(r, 422, 'stage of a lost lead');
  assert.match(r.json.error.message, /流失|激活/, r.text);
  r = await c.invest.post(`${I}/leads/${lead.id}/lose`, { reason: '再次流失', version: lead.version });
  expectStatus(r, 422, 'lose a lost lead');
  r = await c.invest.post(`${I}/leads/${lead.id}/reopen`, { version: lead.version });
  expectStatus(r, 200, 'reopen');
  lead = r.json;
  assert.equal(lead.lost, false);
  assert.equal(lead.lost_date, null);
  r = await c.invest.post(`${I}/leads/${lead.id}/reopen`, { version: lead.version });
  expectStatus(r, 422, 'reopen an open lead');
  lead = await advance(lead, ['inspection']);
  assert.equal(lead.stage_name, '考察');
});

test('a lost date before the lead\'s last stage date is refused (like stage dates)', async () => {
  const lead = await makeLead({ project_name: '流失日期测试项目' });
  const r = await c.invest.post(`${I}/leads/${lead.id}/lose`, { reason: '测试', date: '2001-01-01', version: lead.version });
  expectFieldError(r, 400, 'date', 'lost on 2001-01-01, before the 线索 date');
  assert.equal((await getLead(lead.id)).lost, false);
});

// ---------------------------------------------------------------------------------------
// Activities

test('activities: a leader-level visit linked to a lead is listed by unit, kind, leader_level and dates; future dates and unknown leads → 400', async () => {
  const lead = await makeLead({ unit: WOLONG, project_name: '活动测试项目' });
  let r = await c.invest_wolong.post(`${I}/activities`, { kind: 'outgoing', date: TODAY, title: '赴深圳顶格招商', location: '广东省深圳市',
    leader_level: true, leader: '区委书记', unit: WOLONG, lead_ids: [{ id: lead.id }], notes: '拜访3家企业' });
  expectStatus(r, 201, 'POST activity');
  const a = r.json;
  assert.equal(a.kind_name, '走出去');
  assert.equal(a.unit.code, WOLONG);
  assert.deepEqual(a.lead_ids, [lead.id]);
  const listed = await listAll(c.invest_wolong, `${I}/activities?unit=${WOLONG}&kind=outgoing&leader_level=1&from=${TODAY}&to=${TODAY}`);
  assert.ok(listed.some((x) => x.id === a.id), 'the activity is not listed');
  for (const x of listed) assert.ok(x.leader_level && x.kind === 'outgoing' && x.date === TODAY, JSON.stringify(x));
  assert.ok((await getLead(lead.id)).activities.some((x) => x.id === a.id), 'the lead\'s detail does not show the activity');
  const audit0 = await auditTotal(c.auditor);
  r = await c.invest.post(`${I}/activities`, { kind: 'incoming', date: TOMORROW, title: '明天的考察', unit: WOLONG });
  expectFieldError(r, 400, 'date', 'an activity tomorrow');
  r = await c.invest.post(`${I}/activities`, { kind: 'outgoing', date: TODAY, title: '无领导的顶格招商', leader_level: true, unit: WOLONG });
  expectFieldError(r, 400, 'leader', 'leader_level without a leader');
  r = await c.invest.post(`${I}/activities`, { kind: 'outgoing', date: TODAY, title: '未知线索', unit: WOLONG, lead_ids: [{ id: 987654321 }] });
  expectFieldError(r, 400, 'lead_ids', 'an unknown lead');
  r = await c.invest_wolong.post(`${I}/activities`, { kind: 'outgoing', date: TODAY, title: '越权活动', unit: WANCHENG });
  assert.ok([400, 403, 404].includes(r.status), `an activity of 宛城区 as invest_wolong: ${r.status} ${r.text}`);
  assert.equal(await auditTotal(c.auditor), audit0, 'refused activities wrote audit rows');
});

test('activities: the same lead twice in lead_ids → one link or 400 naming lead_ids, never a database error', async () => {
  const lead = await makeLead({ unit: WOLONG, project_name: '重复关联测试项目' });
  const r = await c.invest.post(`${I}/activities`, { kind: 'incoming', date: TODAY, title: '重复关联考察', unit: WOLONG, lead_ids: [{ id: lead.id }, { id: lead.id }] });
  assert.ok(!/sqlite|postgres|INSERT|UNIQUE|constraint/i.test(r.text), `the answer leaks database internals: ${r.text}`);
  if (r.status === 201) assert.deepEqual(r.json.lead_ids, [lead.id]);
  else expectFieldError(r, 400, 'lead_ids', 'the same lead twice');
});

// ---------------------------------------------------------------------------------------
// Companies: duplicates and merge

test('duplicates: the same USCC → 409 naming the first company; names differing only by brackets, spaces or 有限责任公司 show in duplicates', async () => {
  const uscc = newUscc();
  const first = await makeCompany({ name: '南阳重复测试光电（深圳）有限责任公司', uscc, origin: '广东省深圳市', tags: '民营|专精特新' });
  assert.equal(first.uscc, uscc);
  assert.deepEqual([...first.tags].sort(), ['专精特新', '民营'].sort());
  const companies0 = await totalOf(`${I}/companies`);
  let r = await c.invest.post(`${I}/companies`, { name: '完全另一个名字有限公司', uscc });
  expectStatus(r, 409, 'a second company with the same USCC');
  assert.equal(r.json.error.code, 'conflict');
  assert.ok(r.json.error.message.includes(first.name), `409 should name the first company: ${r.text}`);
  assert.ok(r.json.error.message.includes(String(first.id)), `409 should give the first company's id: ${r.text}`);
  assert.equal(await totalOf(`${I}/companies`), companies0, 'the duplicate was written');
  // An edit to another company's USCC → 409 too.
  const other = await makeCompany({ name: '南阳重复测试其他有限公司' });
  r = await c.invest.put(`${I}/companies/${other.id}`, { uscc, version: other.version });
  expectStatus(r, 409, 'PUT another company with the registered USCC');

  for (const name of ['南阳重复测试光电(深圳)有限公司', '南阳重复测试光电 （深圳） 有限公司', '南阳重复测试光电【深圳】有限责任公司']) {
    r = await c.invest.post(`${I}/companies`, { name });
    expectStatus(r, 201, `POST ${name}`);
    const hit = r.json.duplicates.find((x) => x.company_id === first.id);
    assert.ok(hit, `${name}: duplicates do not list ${first.name}: ${JSON.stringify(r.json.duplicates)}`);
    assert.equal(hit.name, first.name);
    assert.match(hit.reason, HAN);
  }
  const detail = await c.invest.get(`${I}/companies/${first.id}`);
  assert.ok(detail.json.duplicates.length >= 3, `GET the first company: duplicates ${JSON.stringify(detail.json.duplicates)}`);
  // A really different name is no duplicate.
  r = await c.invest.post(`${I}/companies`, { name: '南阳重复测试光学（深圳）有限公司' });
  assert.ok(!r.json.duplicates.some((x) => x.company_id === first.id), `a different name is listed as a duplicate: ${r.text}`);
});

test('merge: the leads move to the surviving company; the merged record is kept with merged_into and takes no new leads', async () => {
  const keep = await makeCompany({ name: '南阳合并测试材料有限责任公司', uscc: newUscc(), tags: '上市' });
  const dup = await makeCompany({ name: '南阳合并测试材料有限公司', origin: '河南省南阳市', tags: '高新技术企业' });
  assert.ok(dup.duplicates.some((x) => x.company_id === keep.id), `not found as a duplicate: ${JSON.stringify(dup.duplicates)}`);
  const l1 = await makeLead({ company_id: dup.id, project_name: '合并测试项目一' });
  const l2 = await makeLead({ company_id: dup.id, project_name: '合并测试项目二', unit: WOLONG });
  let r = await c.invest.post(`${I}/companies/${dup.id}/merge`, { into: keep.id, version: dup.version + 1 });
  expectStatus(r, 409, 'merge with a stale version');
  r = await c.invest.post(`${I}/companies/${dup.id}/merge`, { into: dup.id, version: dup.version });
  expectFieldError(r, 400, 'into', 'merge into itself');
  r = await c.invest.post(`${I}/companies/${dup.id}/merge`, { into: keep.id, version: dup.version });
  expectStatus(r, 200, 'merge');
  assert.equal(r.json.id, keep.id, 'merge answers the surviving company');
  assert.deepEqual(r.json.leads.map((l) => l.id).sort((a, b) => a - b), [l1.id, l2.id].sort((a, b) => a - b));
  assert.ok(r.json.tags.includes('上市') && r.json.tags.includes('高新技术企业'), `the surviving company keeps both records' tags: ${r.text}`);
  for (const l of [l1, l2]) assert.equal((await getLead(l.id)).company.id, keep.id);
  const merged = await c.invest.get(`${I}/companies/${dup.id}`);
  expectStatus(merged, 200, 'the merged company is kept');
  assert.equal(merged.json.merged_into, keep.id);
  assert.deepEqual(merged.json.leads, []);
  assert.equal((await c.invest.get(`${I}/companies/${keep.id}`)).json.duplicates.some((x) => x.company_id === dup.id), false,
    'a merged record is still listed as a duplicate');
  r = await c.invest.post(`${I}/leads`, { company_id: dup.id, project_name: '合并后新线索', amount: '1', source: 'business', unit: WANCHENG });
  expectFieldError(r, 400, 'company_id', 'a lead for a merged company');
  r = await c.invest.post(`${I}/companies/${dup.id}/merge`, { into: keep.id, version: merged.json.version });
  expectStatus(r, 422, 'merge a merged company again');
});

// ---------------------------------------------------------------------------------------
// Statistics and targets

test('statistics and targets: signing two leads with contracts of 0.8 and 2.5亿元 this year moves the stats and the unit\'s target progress; a stale target version → 409', async () => {
  const from = `${YEAR}-01-01`;
  // The unit's target for this year (the demo may have set one): set it to 10 projects / 100亿元.
  let t = await targetOf(XIXIA);
  let r = await c.invest.put(`${I}/targets`, { unit: XIXIA, year: YEAR, projects_100m: 10, contract_amount: '100', ...(t ? { version: t.version } : {}) });
  expectStatus(r, 200, 'PUT target');
  t = r.json;
  assert.equal(t.projects_100m, 10);
  assert.equal(num(t.contract_amount), 100);
  const s0 = await stats(XIXIA, from, TODAY);
  const city0 = await stats('411300', from, TODAY);
  const before0 = TODAY !== from ? await stats(XIXIA, from, dayFromToday(-1)) : null;

  await signedLead({ unit: XIXIA, project_name: '统计测试小项目', amount: '1' }, '0.8', 'framework');
  await signedLead({ unit: XIXIA, project_name: '统计测试亿元项目', amount: '3' }, '25000万元', 'formal');

  const s1 = await stats(XIXIA, from, TODAY);
  assert.equal(s1.signed_projects - s0.signed_projects, 2, 'signed_projects');
  assert.equal(s1.projects_100m - s0.projects_100m, 1, 'projects_100m (only the 2.5亿元 one is 亿元以上)');
  assert.equal(round6(num(s1.contract_amount) - num(s0.contract_amount)), 3.3, 'contract_amount');
  const city1 = await stats('411300', from, TODAY);
  assert.equal(city1.signed_projects - city0.signed_projects, 2, 'the city\'s signed_projects');
  assert.equal(round6(num(city1.contract_amount) - num(city0.contract_amount)), 3.3, 'the city\'s contract_amount');
  const row = city1.by_unit.find((x) => x.unit.code === XIXIA);
  assert.ok(row, `the city's by_unit has no row for 西峡县: ${JSON.stringify(city1.by_unit.map((x) => x.unit.code))}`);
  assert.equal(row.signed_projects, s1.signed_projects);
  assert.equal(num(row.contract_amount), num(s1.contract_amount));
  // A range that ends before today's signings does not see them.
  if (before0) assert.deepEqual(await stats(XIXIA, from, dayFromToday(-1)), before0, 'the figures up to yesterday changed');

  const t1 = await targetOf(XIXIA);
  assert.equal(t1.actual.signed_projects, s1.signed_projects, 'target actual = stats of the year to date');
  assert.equal(t1.actual.projects_100m, s1.projects_100m);
  assert.equal(num(t1.actual.contract_amount), num(s1.contract_amount));
  assert.equal(t1.actual.projects_100m - t.actual.projects_100m, 1, 'target actual projects_100m +1');
  assert.equal(round6(num(t1.actual.contract_amount) - num(t.actual.contract_amount)), 3.3, 'target actual contract_amount +3.3');
  assert.equal(round6(num(t1.progress.count_share)), round6(t1.actual.projects_100m * 100 / 10), 'count_share');
  assert.equal(round6(num(t1.progress.amount_share)), round6(num(t1.actual.contract_amount) * 100 / 100), 'amount_share');
  assert.ok(['ahead', 'on_track', 'behind'].includes(t1.progress.status), t1.progress.status);
  const month = TODAY.slice(0, 7);
  const last = t1.monthly[t1.monthly.length - 1];
  assert.equal(last.month, month, 'the monthly series runs to this month');
  assert.equal(last.projects_100m, t1.actual.projects_100m, 'this month\'s cumulative figure');
  assert.equal(num(last.contract_amount), num(t1.actual.contract_amount));

  // Optimistic concurrency of targets.
  r = await c.invest.put(`${I}/targets`, { unit: XIXIA, year: YEAR, projects_100m: 12, contract_amount: '120' });
  expectFieldError(r, 400, 'version', 'PUT an existing target without a version');
  r = await c.invest.put(`${I}/targets`, { unit: XIXIA, year: YEAR, projects_100m: 12, contract_amount: '120', version: t1.version });
  expectStatus(r, 200, 'PUT target with the current version');
  assert.equal(r.json.projects_100m, 12);
  assert.equal(r.json.version, t1.version + 1);
  assert.equal(round6(num(r.json.progress.count_share)), round6(t1.actual.projects_100m * 100 / 12), 'count_share against the new target');
  r = await c.invest.put(`${I}/targets`, { unit: XIXIA, year: YEAR, projects_100m: 15, contract_amount: '150', version: t1.version });
  expectStatus(r, 409, 'PUT target with a stale version');
  const t2 = await targetOf(XIXIA);
  assert.equal(t2.projects_100m, 12, 'a stale target write changed the target');
  assert.equal(num(t2.contract_amount), 120);
  r = await c.invest.put(`${I}/targets`, { unit: XIXIA, year: YEAR, projects_100m: 12, contract_amount: '12个', version: t2.version });
  expectFieldError(r, 400, 'contract_amount', 'target contract_amount 12个');
});

test('statistics: bad ranges → 400 naming from/to', async () => {
  let r = await c.invest.get(`${I}/stats?unit=${XIXIA}&from=2024-13-01&to=2024-12-31`);
  expectFieldError(r, 400, 'from', 'from 2024-13-01');
  r = await c.invest.get(`${I}/stats?unit=${XIXIA}&from=2024-01-01&to=yesterday`);
  expectFieldError(r, 400, 'to', 'to yesterday');
  r = await c.invest.get(`${I}/stats?unit=${XIXIA}&from=2024-12-31&to=2024-01-01`);
  expectFieldError(r, 400, 'from', 'from after to');
});

// ---------------------------------------------------------------------------------------
// Chains

test('chains: segments with local and target firms; a segment without a local firm is a gap; an unknown firm → 400, nothing written', async () => {
  const leadFirm = await makeCompany({ name: '南阳链主测试集团有限公司', tags: '国企' });
  const local = await makeCompany({ name: '南阳链测试本地配套有限公司' });
  const wanted = await makeCompany({ name: '深圳链测试目标电子有限公司', tags: '上市' });
  let r = await c.invest.post(`${I}/chains`, { name: '测试光电信息产业链', chain_leader: '市委副书记 测试', lead_firm_id: leadFirm.id });
  expectStatus(r, 201, 'POST chain');
  let chain = r.json;
  assert.equal(chain.lead_firm.id, leadFirm.id);
  assert.equal(chain.lead_firm.name, leadFirm.name);
  assert.equal(chain.gaps, 0);
  r = await c.invest.put(`${I}/chains/${chain.id}`, {
    segments: [
      { position: 'upstream', name: '光学材料', local_firms: [{ id: leadFirm.id }], target_firms: [] },
      { position: 'midstream', name: '光电器件', local_firms: [], target_firms: [{ id: wanted.id }] },
      { position: 'downstream', name: '整机应用', local_firms: [{ id: local.id }], target_firms: [{ id: wanted.id }] },
    ],
    version: chain.version,
  });
  expectStatus(r, 200, 'PUT segments');
  chain = r.json;
  assert.equal(chain.segments.length, 3);
  const seg = Object.fromEntries(chain.segments.map((s) => [s.name, s]));
  assert.equal(seg['光电器件'].gap, true, 'a segment without a local firm is a gap');
  assert.equal(seg['光学材料'].gap, false);
  assert.equal(seg['整机应用'].gap, false);
  assert.equal(chain.gaps, 1);
  assert.equal(seg['光电器件'].position_name, '中游');
  assert.deepEqual(seg['光电器件'].target_firms.map((f) => [f.id, f.name]), [[wanted.id, wanted.name]]);
  assert.deepEqual(seg['整机应用'].local_firms.map((f) => [f.id, f.name]), [[local.id, local.name]]);
  const got = await c.leader.get(`${I}/chains/${chain.id}`);
  expectStatus(got, 200, 'GET chain as leader');
  assert.deepEqual(got.json, chain);
  const list = await c.invest.get(`${I}/chains`);
  assert.ok(list.json.items.some((x) => x.id === chain.id && x.gaps === 1));

  // A lead on the chain's segment; a segment of another chain is refused.
  const lead = await makeLead({ chain_id: chain.id, segment_id: seg['光电器件'].id, project_name: '补链测试项目' });
  assert.equal(lead.chain.id, chain.id);
  assert.equal(lead.segment.id, seg['光电器件'].id);
  const leadsOfChain = await c.invest.get(`${I}/leads?chain=${chain.id}`);
  assert.deepEqual(leadsOfChain.json.items.map((l) => l.id), [lead.id]);

  // An unknown firm → 400, the chain unchanged, no audit row.
  const audit0 = await auditTotal(c.auditor);
  r = await c.invest.put(`${I}/chains/${chain.id}`, {
    segments: [...chain.segments.map((s) => ({ id: s.id, position: s.position, name: s.name, local_firms: s.local_firms.map((f) => ({ id: f.id })), target_firms: s.target_firms.map((f) => ({ id: f.id })) })),
      { position: 'downstream', name: '售后服务', local_firms: [{ id: 987654321 }], target_firms: [] }],
    version: chain.version,
  });
  expectFieldError(r, 400, 'segments', 'a segment with an unknown firm');
  r = await c.invest.put(`${I}/chains/${chain.id}`, { segments: [{ position: 'sideways', name: '未知位置', local_firms: [], target_firms: [] }], version: chain.version });
  expectFieldError(r, 400, 'segments', 'a segment of an unknown position');
  r = await c.invest.post(`${I}/chains`, { name: '测试光电信息产业链', chain_leader: '重名' });
  expectStatus(r, 409, 'a second chain of the same name');
  r = await c.invest.put(`${I}/chains/${chain.id}`, { name: '改名产业链', version: chain.version - 1 });
  expectStatus(r, 409, 'a stale chain version');
  assert.equal(await auditTotal(c.auditor), audit0, 'refused chain writes were audited');
  assert.deepEqual((await c.invest.get(`${I}/chains/${chain.id}`)).json, chain, 'the chain changed');
});

test('chains: an unknown lead firm → 400 naming lead_firm_id', async () => {
  const r = await c.invest.post(`${I}/chains`, { name: '未知链主测试链', chain_leader: '测试', lead_firm_id: 987654321 });
  expectFieldError(r, 400, 'lead_firm_id', 'an unknown lead firm');
});

// ---------------------------------------------------------------------------------------
// Pipeline and list

test('pipeline: the open leads per stage match the list\'s totals and amounts for the unit', async () => {
  // Leads of this test in 方城县 (the demo may have more): at 线索, 接洽 ×2, 考察, one lost.
  await makeLead({ unit: FANGCHENG, amount: '1.5' });
  for (const amount of ['2', '2.25']) await advance(await makeLead({ unit: FANGCHENG, amount }), ['contact']);
  await advance(await makeLead({ unit: FANGCHENG, amount: '4' }), ['contact', 'inspection']);
  const lost = await advance(await makeLead({ unit: FANGCHENG, amount: '7' }), ['contact']);
  expectStatus(await c.invest.post(`${I}/leads/${lost.id}/lose`, { reason: '测试流失', version: lost.version }), 200, 'lose');

  for (const [who, unit] of [['invest', FANGCHENG], ['invest', '411300'], ['invest_wolong', WOLONG]]) {
    const r = await c[who].get(`${I}/pipeline?unit=${unit}`);
    expectStatus(r, 200, `pipeline ${unit}`);
    assert.deepEqual(r.json.stages.map((s) => s.stage), ['clue', 'contact', 'inspection', 'negotiation', 'signed', 'registered', 'started', 'producing']);
    assert.deepEqual(r.json.stages.map((s) => s.stage_name), ['线索', '接洽', '考察', '实质性谈判', '签约', '注册', '开工', '投产']);
    let open = 0;
    for (const s of r.json.stages) {
      const items = await listAll(c[who], `${I}/leads?unit=${unit}&stage=${s.stage}&lost=0`);
      assert.equal(s.count, items.length, `${unit} ${s.stage_name}: pipeline ${s.count}, list ${items.length}`);
      assert.equal(round6(num(s.amount)), round6(items.reduce((a, l) => a + num(l.amount), 0)), `${unit} ${s.stage_name}: amount`);
      for (const l of items) assert.equal(l.stage, s.stage);
      open += s.count;
    }
    assert.equal(open, await totalOf(`${I}/leads?unit=${unit}&lost=0`, c[who]), `${unit}: open leads`);
    // The Chinese stage name filters as the code does.
    const zh = await c[who].get(`${I}/leads?unit=${unit}&stage=${encodeURIComponent('接洽')}&lost=0&page_size=1`);
    assert.equal(zh.json.total, r.json.stages[1].count, `${unit}: stage=接洽`);
  }
  const fc = (await c.invest.get(`${I}/pipeline?unit=${FANGCHENG}`)).json.stages;
  assert.ok(fc[1].count >= 2 && fc[2].count >= 1 && fc[0].count >= 1, JSON.stringify(fc));
  const bad = await c.invest.get(`${I}/leads?stage=visiting`);
  expectFieldError(bad, 400, 'stage', 'leads?stage=visiting');
});

// ---------------------------------------------------------------------------------------
// The demo's published figures

test('the demo\'s published figures: 卧龙区 2024-01-01..06-30 signed 48 projects, 243.8亿元; 南阳官庄工区 in 2022 signed 37, 769.03亿元', async () => {
  const wolong = await stats(WOLONG, '2024-01-01', '2024-06-30');
  assert.equal(wolong.signed_projects, 48, `卧龙区 2024H1: ${JSON.stringify(wolong)}`);
  assert.equal(num(wolong.contract_amount), 243.8);
  assert.equal((await stats(WOLONG, '2024-01-01', '2024-06-30', c.invest_wolong)).signed_projects, 48, 'as invest_wolong');
  const guanzhuang = await stats('Z411373', '2022-01-01', '2022-12-31');
  assert.equal(guanzhuang.signed_projects, 37, `南阳官庄工区 2022: ${JSON.stringify(guanzhuang)}`);
  assert.equal(num(guanzhuang.contract_amount), 769.03);
});
