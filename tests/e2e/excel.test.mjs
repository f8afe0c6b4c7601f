// Excel in the browser (issue 7, docs/API.md "Excel"): the project office (`project`) exports
// the filtered key-projects list — the whole list, not the page on screen — and reads it back
// with openpyxl; then imports projects through the import dialog: a sheet with one bad row is
// refused on the dry run with the bad cell named and nothing written, the fixed sheet passes
// the dry run, is imported, and the new projects appear in the list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, login, shot } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

const PY = '/usr/bin/python3';
const YEAR = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
const RUN = String(Date.now() % 100000);

let env;
let office; // API client of the project office (`project`)
let dir;

before(async () => {
  env = await setup();
  office = await loginAs(env.url, 'project');
  dir = mkdtempSync(join(tmpdir(), 'tiaodu-e2e-excel-'));
});
after(async () => {
  await env?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each sheet's name and how many rows it has, read with openpyxl.
function sheetRows(file) {
  const out = execFileSync(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps([{"name": ws.title, "rows": [list(r) for r in ws.iter_rows(values_only=True)]} for ws in wb.worksheets], default=str, ensure_ascii=False))
`, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

// An .xlsx written by openpyxl from rows of values.
function makeWorkbook(name, rows) {
  const file = join(dir, name);
  execFileSync(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '重点项目'
for row in json.loads(sys.argv[2]):
    ws.append(row)
wb.save(sys.argv[1])
`, file, JSON.stringify(rows)]);
  return file;
}

// Clicks `locator` and returns the download it starts, saved under `dir`.
async function downloadOf(page, locator, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const file = join(dir, `${RUN}-${name}`);
  await dl.saveAs(file);
  return { file, name: dl.suggestedFilename(), bytes: readFileSync(file) };
}

async function projectsWithCode(prefix) {
  const r = await office.get(`/api/v1/projects?q=${encodeURIComponent(prefix)}&page_size=100`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((p) => p.code.startsWith(prefix));
}

test('the project office exports the filtered projects list: every row of the filter, not the page on screen', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'project');
  // 卧龙区's projects, 20 to a page
  await page.goto(`${env.url}/projects/list?unit=411303&page_size=20`);
  const api = await office.get('/api/v1/projects?unit=411303&page_size=500');
  const all = await office.get('/api/v1/projects?page_size=1');
  const total = api.json.total;
  assert.ok(total > 20 && total <= 500, `the filter spans more than one page (${total})`);
  assert.ok(all.json.total > total, 'the filter leaves projects out');
  await page.waitForFunction((n) => document.querySelector('[data-testid="prj-summary"]')?.textContent.includes(`共 ${n} 个项目`), total);
  assert.equal(await page.locator('[data-testid="prj-table"] [data-testid^="prj-row-"]').count(), 20);

  const dl = await downloadOf(page, page.locator('[data-testid="prj-export"]'), 'projects.xlsx');
  assert.match(dl.name, /\.xlsx$/);
  assert.equal(dl.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the download is a zip (xlsx)');
  const [sheet] = sheetRows(dl.file);
  const header = sheet.rows[0];
  assert.ok(header.includes('*项目编码') && header.includes('*责任单位编码'), `the import layout: ${header}`);
  const body = sheet.rows.slice(1).filter((r) => r.some((v) => v !== null));
  assert.equal(body.length, total, 'one row per project of the filter');
  const codeCol = header.indexOf('*项目编码');
  assert.deepEqual(body.map((r) => String(r[codeCol])).sort(), api.json.items.map((p) => p.code).sort(), 'the projects of the filter');
  await shot(page, 'excel-export');
  assert.deepEqual(page.errors, []);
});

test('the project office imports projects: a bad row is refused on the dry run naming its cell, nothing is written; the fixed sheet imports', async () => {
  const prefix = `E2E-XL${RUN}-`;
  const header = ['项目编码', '项目名称', '级别', '类别', '责任单位编码', '总投资(亿元)', '开工年份', '竣工年份'];
  const good = [`${prefix}1`, `宛城区精密铸件智能工厂${RUN}`, '市级', '产业', '411302', 6.5, String(YEAR), String(YEAR + 1)];
  const bad = [`${prefix}2`, `宛城区冷链物流中心${RUN}`, '市级', '产业', '999999', 2, String(YEAR), String(YEAR + 1)];
  const badFile = makeWorkbook('bad.xlsx', [header, good, bad]);
  const fixedFile = makeWorkbook('fixed.xlsx', [header, good, [...bad.slice(0, 4), '411302', ...bad.slice(5)]]);

  const page = await env.newPage();
  await login(page, env.url, 'project');
  await page.goto(`${env.url}/projects/list`);
  await page.locator('[data-testid="prj-summary"]').waitFor();
  await page.locator('[data-testid="prj-import"]').click();
  const dialog = page.locator('[data-testid="import-dialog"]');
  await dialog.waitFor();

  // 下载模板: the template workbook, with its 填写说明 sheet
  const tpl = await downloadOf(page, dialog.locator('[data-testid="import-template"]'), 'template.xlsx');
  assert.equal(tpl.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const tplSheets = sheetRows(tpl.file);
  assert.ok(tplSheets[0].rows[0].includes('*项目编码'), JSON.stringify(tplSheets[0].rows[0]));
  assert.ok(tplSheets.some((s) => s.name === '填写说明'), tplSheets.map((s) => s.name).join(','));

  // 确认导入 waits for a passing dry run
  await dialog.locator('[data-testid="import-file"]').setInputFiles(badFile);
  await dialog.locator('[data-testid="import-file-name"]').getByText('bad.xlsx').waitFor();
  assert.equal(await dialog.locator('[data-testid="import-confirm"]').isDisabled(), true);
  await dialog.locator('[data-testid="import-dry-run"]').click();
  const errors = dialog.locator('[data-testid="import-errors"]');
  await errors.waitFor();
  const errorText = await errors.innerText();
  assert.match(errorText, /第3行 E列（责任单位编码）/);
  assert.match(errorText, /999999/);
  assert.doesNotMatch(errorText, /第2行/, 'the good row is not listed');
  assert.equal(await dialog.locator('[data-testid="import-confirm"]').isDisabled(), true);
  assert.deepEqual(await projectsWithCode(prefix), [], 'a refused dry run wrote nothing');
  // 下载错误标注文件: the upload back with the bad cell marked
  const marked = await downloadOf(page, dialog.locator('[data-testid="import-annotate"]'), 'marked.xlsx');
  assert.equal(marked.bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(sheetRows(marked.file).some((s) => s.name === '错误说明'), 'the annotated file lists the problems');
  await shot(page, 'excel-import-refused');
  assert.deepEqual(await projectsWithCode(prefix), [], 'the annotated copy wrote nothing');

  // the fixed sheet: dry run, then the import
  await dialog.locator('[data-testid="import-file"]').setInputFiles(fixedFile);
  await dialog.locator('[data-testid="import-file-name"]').getByText('fixed.xlsx').waitFor();
  assert.equal(await dialog.locator('[data-testid="import-errors"]').count(), 0, 'a new file clears the old errors');
  await dialog.locator('[data-testid="import-dry-run"]').click();
  await dialog.locator('[data-testid="import-result"]').waitFor();
  const count = async (k) => (await dialog.locator(`[data-testid="import-count-${k}"] strong`).innerText()).trim();
  assert.deepEqual([await count('rows'), await count('inserted'), await count('updated')], ['2', '2', '0']);
  assert.deepEqual(await projectsWithCode(prefix), [], 'a dry run writes nothing');
  await dialog.locator('[data-testid="import-confirm"]').click();
  await dialog.locator('[data-testid="import-result"].done').waitFor();
  assert.deepEqual([await count('rows'), await count('inserted')], ['2', '2']);
  assert.equal(await dialog.locator('[data-testid="import-confirm"]').isDisabled(), true, 'the same file is not imported twice');
  await shot(page, 'excel-import-done');
  await dialog.locator('[data-testid="import-close"]').click();
  await dialog.waitFor({ state: 'hidden' });

  // the new projects are in the list
  const made = await projectsWithCode(prefix);
  assert.deepEqual(made.map((p) => [p.code, p.unit.code]).sort(), [[`${prefix}1`, '411302'], [`${prefix}2`, '411302']]);
  await page.locator('[data-testid="prj-f-q"]').fill(prefix);
  await page.locator('[data-testid="prj-f-q"]').press('Enter');
  await page.locator(`[data-testid="prj-row-${prefix}1"]`).waitFor();
  await page.locator(`[data-testid="prj-row-${prefix}2"]`).waitFor();
  assert.match(await page.locator('[data-testid="prj-table"]').innerText(), new RegExp(`宛城区冷链物流中心${RUN}`));
  assert.deepEqual(page.errors, []);
});
