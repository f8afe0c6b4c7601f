// The unit tree page: tree content, search, and creating a unit as the system admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot } from './helpers.mjs';
import { loginAs } from '../lib/server.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.stop(); });

// The text of the tree rows that are currently visible.
async function visibleNodeNames(page) {
  return page.locator('[data-testid="unit-tree"] .td-node-name:visible').allInnerTexts();
}

test('the unit tree shows 南阳市 with 宛城区 and 卧龙区 as children, and the search box filters it', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  await page.goto(`${env.url}/units`);
  const tree = page.locator('[data-testid="unit-tree"]');
  const root = tree.locator('[data-testid="unit-node-411300"]');
  await root.waitFor();
  assert.match(await root.innerText(), /南阳市/);
  assert.match(await root.innerText(), /411300/);
  // 宛城区 and 卧龙区 are children of the root node
  const rootItem = tree.locator('.el-tree-node').filter({ has: page.locator('[data-testid="unit-node-411300"]') }).first();
  const children = rootItem.locator(':scope > .el-tree-node__children');
  await children.locator('[data-testid="unit-node-411302"]').waitFor();
  assert.match(await children.locator('[data-testid="unit-node-411302"]').innerText(), /宛城区/);
  assert.match(await children.locator('[data-testid="unit-node-411303"]').innerText(), /卧龙区/);
  // the kind tag is shown
  assert.match(await tree.locator('[data-testid="unit-node-411302"]').innerText(), /区/);
  // the detail panel shows the selected unit
  assert.equal(await page.locator('[data-testid="unit-detail-name"]').innerText(), '南阳市');
  await shot(page, 'units-tree');

  await page.locator('[data-testid="units-search"]').fill('宛城');
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="unit-node-411303"]');
    return !el || el.offsetParent === null;
  });
  const names = await visibleNodeNames(page);
  assert.ok(names.includes('宛城区'), `宛城区 should stay visible: ${names}`);
  assert.ok(!names.includes('卧龙区'), `卧龙区 should be filtered out: ${names}`);
  await page.waitForTimeout(400); // let the expand animation finish for the picture
  await shot(page, 'units-tree-search');

  // a search by code works too, and clearing it brings everything back
  await page.locator('[data-testid="units-search"]').fill('411303');
  await page.locator('[data-testid="unit-node-411303"]').waitFor({ state: 'visible' });
  await page.locator('[data-testid="units-search"]').fill('');
  await page.locator('[data-testid="unit-node-411302"]').waitFor({ state: 'visible' });
  // a leader may read but not change units
  assert.equal(await page.locator('[data-testid="unit-create-child"]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('admin (sys_admin) creates a child unit under 宛城区 and sees it in the tree', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'admin');
  await page.goto(`${env.url}/units`);
  await page.locator('[data-testid="unit-node-411302"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="unit-detail-name"]')?.textContent === '宛城区');

  await page.locator('[data-testid="unit-create-child"]').click();
  const dialog = page.locator('[data-testid="unit-dialog"]');
  await dialog.waitFor();
  const name = '宛城区重点项目推进专班';
  await dialog.locator('[data-testid="unit-form-name"]').fill(name);
  await dialog.locator('[data-testid="unit-form-kind"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^专班$/ }).click();
  await shot(page, 'units-create-dialog');
  await dialog.locator('[data-testid="unit-form-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });

  // the new unit is in the tree, under 宛城区, and selected
  const tree = page.locator('[data-testid="unit-tree"]');
  const node = tree.locator('.td-node-name', { hasText: name });
  await node.waitFor();
  const wancheng = tree.locator('.el-tree-node').filter({ has: page.locator('[data-testid="unit-node-411302"]') }).first();
  assert.equal(await wancheng.locator('.td-node-name', { hasText: name }).count(), 1);
  await page.waitForFunction((n) => document.querySelector('[data-testid="unit-detail-name"]')?.textContent === n, name);
  await shot(page, 'units-created');

  // and it is still there after a reload (found with the search box)
  await page.reload();
  await page.locator('[data-testid="unit-node-411300"]').waitFor();
  await page.locator('[data-testid="units-search"]').fill('推进专班');
  await tree.locator('.td-node-name', { hasText: name }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a stale version is refused with 数据已被他人修改，请刷新后重试', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'admin');
  await page.goto(`${env.url}/units`);
  await page.locator('[data-testid="unit-node-411303"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="unit-detail-name"]')?.textContent === '卧龙区');

  // meanwhile someone else changes 卧龙区
  const other = await loginAs(env.url, 'admin');
  const tree = await other.get('/api/v1/units/tree');
  const wolong = tree.json.items[0].children.find((u) => u.code === '411303');
  const r = await other.put(`/api/v1/units/${wolong.id}`, { name: '卧龙区', version: wolong.version });
  assert.equal(r.status, 200, r.text);

  await page.locator('[data-testid="unit-edit"]').click();
  const dialog = page.locator('[data-testid="unit-dialog"]');
  await dialog.waitFor();
  await dialog.locator('[data-testid="unit-form-name"]').fill('卧龙区（改）');
  await dialog.locator('[data-testid="unit-form-submit"]').click();
  await page.locator('.el-message--error', { hasText: '数据已被他人修改，请刷新后重试' }).waitFor();
  await shot(page, 'units-conflict');
  // nothing was changed, and the page reloaded the current version
  await page.waitForFunction(() => document.querySelector('[data-testid="unit-detail-name"]')?.textContent === '卧龙区');
  assert.deepEqual(page.errors, []);
});
