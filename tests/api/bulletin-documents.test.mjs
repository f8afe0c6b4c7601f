// The monthly bulletin as documents (issue 8, docs/API.md "Assessment"): `tiaodu bulletin` on
// the demo database for 2024-06 gives a .docx that LibreOffice (headless) turns into a PDF whose
// text holds the full Chinese title and whose first page, rendered to PNG by pdftoppm, shows the
// title to OCR (tesseract chi_sim); the .xlsx read back by openpyxl holds the league and the
// indicator figures the API answers; the route gives the same bytes as the CLI, the page is
// text/html under its own CSP, and the downloads carry Chinese file names.
// Needs libreoffice-writer-nogui, poppler-utils, tesseract-ocr-chi-sim (scripts/setup).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, startServer, loginAs } from '../lib/server.mjs';
import { docxToPdf } from './helpers.mjs';

const READ_XLSX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'io', 'read_xlsx.py');
const PY = '/usr/bin/python3';
const TITLE = '南阳市2024年6月经济运行情况通报';
const B = '/api/v1/assessment/bulletin';

let server, leader, dir;

before(async () => {
  server = await startServer();
  leader = await loginAs(server.url, 'leader');
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-bulletin-'));
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (format, file) =>
  execFileSync(BIN, ['bulletin', '--db', server.db, '--period', '2024-06', '--format', format, '-o', file],
    { encoding: 'utf8', timeout: 120000 });

async function download(path) {
  const res = await fetch(server.url + path, { headers: { cookie: leader.cookie } });
  return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}

test('the .docx converts to a PDF whose first page shows the Chinese title', () => {
  const docx = join(dir, 'bulletin.docx');
  assert.match(cli('docx', docx), /已生成/);
  const pdf = docxToPdf(docx, dir);
  const text = execFileSync('pdftotext', ['-l', '1', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  assert.ok(text.includes(TITLE), `first page text: ${text.slice(0, 200)}`);
  assert.ok(text.includes('南调通〔2024〕6号'));
  assert.ok(text.includes('南阳市经济运行调度办公室'));

  execFileSync('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-singlefile', '-png', pdf, join(dir, 'page1')]);
  const ocr = execFileSync('tesseract', [join(dir, 'page1.png'), '-', '-l', 'chi_sim'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\s+/g, '');
  // OCR is allowed a few misread characters, not a missing title.
  const chars = [...new Set([...TITLE.replace(/[0-9]/g, '')])];
  const seen = chars.filter((ch) => ocr.includes(ch));
  assert.ok(seen.length >= chars.length - 2, `OCR saw ${seen.join('')} of ${chars.join('')}: ${ocr.slice(0, 200)}`);
  assert.ok(ocr.includes('通报'), ocr.slice(0, 200));
});

test('the .xlsx holds the league and the indicator figures the API answers', async () => {
  const xlsx = join(dir, 'bulletin.xlsx');
  cli('xlsx', xlsx);
  const book = JSON.parse(execFileSync(PY, [READ_XLSX, xlsx], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const sheet = (name) => book.sheets.find((s) => s.name === name);
  const league = (await leader.get('/api/v1/assessment/league?period=2024-06')).json;
  assert.equal(league.rows.length, 17);

  // 考评排名: title row, header row, then one row per unit in rank order.
  const rows = sheet('考评排名').rows.slice(2).filter((r) => r && r[1]);
  const header = sheet('考评排名').rows[1].map((c) => c?.v);
  assert.deepEqual(header.slice(0, 7), ['名次', '单位编码', '单位', '总分', '红黑旗', '上月名次', '变化']);
  assert.equal(rows.length, league.rows.length);
  league.rows.forEach((api, i) => {
    const r = rows[i];
    assert.equal(r[1].v, api.unit.code);
    assert.equal(r[0].t, 'number');
    assert.equal(r[0].v, api.rank);
    assert.equal(r[3].t, 'number');
    assert.equal(r[3].v, Number(api.total), api.unit.name);
    assert.equal(r[4]?.v ?? '', api.flag_name);
    assert.equal(r[5]?.v ?? 0, api.previous_rank);
    // Each item's measure and points, two columns per item.
    api.items.forEach((it, k) => {
      const measure = r[7 + 2 * k]?.v, points = r[8 + 2 * k]?.v;
      if (it.measure === null) assert.equal(measure ?? null, null);
      else assert.equal(measure, Number(it.measure), api.unit.name);
      assert.equal(points, Number(it.points));
    });
  });

  // 指标排名: the approved growth of each unit equals the league's measure of that indicator.
  const figures = sheet('指标排名').rows.slice(2).filter((r) => r && r[0]);
  let checked = 0;
  league.scheme_items.forEach((item, k) => {
    if (item.kind !== 'indicator_growth') return;
    for (const api of league.rows) {
      const row = figures.find((r) => r[0].v === item.indicator && r[2].v === api.unit.code);
      assert.ok(row, `${item.indicator} ${api.unit.code}`);
      assert.equal(row[5].t, 'number');
      assert.equal(row[5].v, Number(api.items[k].measure), `${item.indicator} ${api.unit.name}`);
      checked++;
    }
  });
  assert.equal(checked, 4 * 17);
  assert.ok(sheet('主要指标').rows.slice(2).some((r) => r?.[0]?.v === 'gdp'), 'GDP at the quarter end');
});

test('the route gives the CLI\'s bytes, with Chinese file names; the page is text/html under its own CSP', async () => {
  for (const format of ['docx', 'xlsx']) {
    const file = join(dir, `cli.${format}`);
    cli(format, file);
    const res = await download(`${B}?period=2024-06&format=${format}`);
    assert.equal(res.status, 200);
    assert.ok(res.buf.equals(readFileSync(file)), `${format}: route and CLI differ`);
    const disp = res.headers.get('content-disposition');
    assert.ok(disp.startsWith('attachment'), disp);
    assert.ok(disp.includes(encodeURIComponent(`${TITLE}.${format}`)), disp);
  }
  const page = await download(`${B}?period=2024-06&format=html`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.headers.get('content-security-policy'), /default-src 'none'/);
  const html = page.buf.toString('utf8');
  assert.ok(html.includes(`<h1>${TITLE}</h1>`));
  assert.ok(!html.includes('<script'));

  const bad = await download(`${B}?period=2024-06&format=pdf`);
  assert.equal(bad.status, 400);
  const quarter = await download(`${B}?period=2024Q2&format=docx`);
  assert.equal(quarter.status, 400);
  const reporter = await loginAs(server.url, 'reporter_town');
  const refused = await reporter.get(`${B}?period=2024-06&format=html`);
  assert.equal(refused.status, 403);
});
