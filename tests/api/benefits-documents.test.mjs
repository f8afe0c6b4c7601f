// The public notice (公示) of a 免申即享 run (issue 10, docs/API.md "Benefits", "Runs"):
// `GET /benefits/runs/{id}?format=docx` on the demo's published run gives a .docx that
// LibreOffice (headless) turns into a PDF whose text holds the title, the policy's 文号, the
// first matched enterprise with its amount and the run's total; its table has one row per
// matched result; the demo's draft run gives a notice marked 草稿; a user outside the run's
// scope gets 404; two downloads are the same bytes.
// Needs libreoffice-writer-nogui and poppler-utils (scripts/setup).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginMany, getBytes, docxToPdf } from './helpers.mjs';

const B = '/api/v1/benefits';
const PY = '/usr/bin/python3';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let server, c, dir;

before(async () => {
  server = await startServer();
  c = await loginMany(server.url, ['leader', 'leader_wancheng']);
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-benefit-notice-'));
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const download = (client, path) => getBytes(client, server.url + path);

// The demo's run of the policy titled `title` (the demo makes one run of each of two policies).
async function demoRun(title) {
  const policies = (await c.leader.get(`${B}/policies?page_size=100`)).json.items;
  const policy = policies.find((p) => p.title === title);
  assert.ok(policy, `demo policy ${title}`);
  const runs = (await c.leader.get(`${B}/policies/${policy.id}/runs`)).json.items;
  assert.equal(runs.length, 1);
  return { policy, run: runs[0] };
}

// The PDF's text (whitespace removed) of a .docx, as LibreOffice lays it out.
function pdfText(buf, name) {
  const docx = join(dir, `${name}.docx`);
  writeFileSync(docx, buf);
  return execFileSync('pdftotext', [docxToPdf(docx, dir), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

// The rows of the .docx's tables, each a list of its cells' texts (word/document.xml read with
// Python's zipfile).
function tableRows(buf) {
  const file = join(dir, `rows-${Date.now()}.docx`);
  writeFileSync(file, buf);
  const script = 'import json,re,sys,zipfile\n' +
    'x = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()\n' +
    'text = lambda c: "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c))\n' +
    'rows = [[text(c) for c in re.findall(r"<w:tc>.*?</w:tc>", r)] for r in re.findall(r"<w:tr[ >].*?</w:tr>", x)]\n' +
    'print(json.dumps(rows, ensure_ascii=False))';
  return JSON.parse(execFileSync(PY, ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

test('the notice of a published run names the policy, its 文号, every matched enterprise with its amount and the total', async () => {
  const { policy, run } = await demoRun('规上工业企业研发费用补助');
  assert.equal(run.state, 'published');
  assert.ok(run.matched > 1, `matched ${run.matched}`);
  const first = (await c.leader.get(`${B}/runs/${run.id}?outcome=matched&page_size=1`)).json.results.items[0];

  const doc = await download(c.leader, `${B}/runs/${run.id}?format=docx`);
  assert.equal(doc.status, 200, doc.buf.toString('utf8').slice(0, 300));
  assert.equal(doc.headers.get('content-type'), DOCX_TYPE);
  const title = `关于${policy.title}（${run.year}年度）免申即享兑现名单的公示`;
  assert.match(doc.headers.get('content-disposition'), new RegExp(encodeURIComponent(title).replace(/[()]/g, '\\$&')));
  // The header and one row per matched result, in the run's order.
  const rows = tableRows(doc.buf);
  assert.deepEqual(rows[0], ['序号', '企业名称', '统一社会信用代码', '所属单位', '核定金额(元)']);
  assert.equal(rows.length, run.matched + 1);
  assert.deepEqual(rows[1], ['1', first.enterprise.name, first.enterprise.uscc, first.enterprise.unit_name,
    Number(first.granted).toFixed(2)]);
  assert.deepEqual(rows.map((r) => r[0]).slice(1), Array.from({ length: run.matched }, (_, i) => String(i + 1)));

  const text = pdfText(doc.buf, 'published');
  assert.ok(text.includes(title), text.slice(0, 300));
  assert.ok(text.includes(policy.doc_number), policy.doc_number);
  assert.ok(text.includes(policy.issuer), policy.issuer);
  assert.ok(!text.includes('草稿'));
  const total = Number(run.granted).toFixed(2);
  assert.ok(text.includes(`核定兑现金额合计${total}元（${(Number(run.granted) / 10000).toFixed(2)}万元）`), text.slice(0, 600));
  assert.ok(text.includes(`符合条件企业${run.matched}家`));
  // The first row as laid out (pdftotext reads table cells in no reliable order).
  for (const cell of [first.enterprise.name, first.enterprise.uscc, Number(first.granted).toFixed(2)])
    assert.ok(text.includes(cell), cell);

  // Same data, same bytes.
  const again = await download(c.leader, `${B}/runs/${run.id}?format=docx`);
  assert.ok(again.buf.equals(doc.buf), 'two downloads differ');
});

test('the notice of a run not yet approved is marked a draft, and a user outside its scope gets 404', async () => {
  const { run } = await demoRun('宛城区科技型中小企业研发奖励');
  assert.equal(run.state, 'draft');
  const doc = await download(c.leader, `${B}/runs/${run.id}?format=docx`);
  assert.equal(doc.status, 200);
  assert.match(doc.headers.get('content-disposition'), new RegExp(encodeURIComponent('（草稿）.docx')));
  assert.equal(tableRows(doc.buf).length, run.matched + 1);
  const text = pdfText(doc.buf, 'draft');
  assert.ok(text.includes('（草稿，未经批准，不得公开）'), text.slice(0, 300));
  assert.ok(text.includes('比对结果尚未经批准'));

  // The city's published run is outside 宛城区's scope: 404, as for its JSON.
  const city = (await demoRun('规上工业企业研发费用补助')).run;
  const hidden = await download(c.leader_wancheng, `${B}/runs/${city.id}?format=docx`);
  assert.equal(hidden.status, 404);
  assert.equal((await c.leader_wancheng.get(`${B}/runs/${city.id}`)).status, 404);
  // 宛城区's own run is in its scope.
  assert.equal((await download(c.leader_wancheng, `${B}/runs/${run.id}?format=docx`)).status, 200);
});
