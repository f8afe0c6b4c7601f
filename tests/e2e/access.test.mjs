// Pages a role may not open, and the audit log for the audit admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot, pathOf } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.stop(); });

test('leader navigating to /audit sees 无权访问', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  await page.goto(`${env.url}/audit`);
  const forbidden = page.locator('[data-testid="forbidden"]');
  await forbidden.getByText('无权访问').waitFor();
  assert.equal(pathOf(page), '/audit');
  assert.equal(await page.locator('[data-testid="audit-table"]').count(), 0);
  await shot(page, 'access-leader-audit-forbidden');
  // /users is refused too
  await page.goto(`${env.url}/users`);
  await forbidden.getByText('无权访问').waitFor();
});

test('auditor (audit_admin) sees the audit table with login rows, and the integrity check passes', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'auditor');
  // the audit admin's menu has the audit log only
  const menu = page.locator('[data-testid="side-menu"]');
  await menu.getByText('审计日志').waitFor();
  assert.equal(await menu.getByText('经济运行').count(), 0);
  assert.equal(await menu.getByText('用户管理').count(), 0);
  await menu.getByText('审计日志').click();
  await page.waitForURL((u) => u.pathname === '/audit');
  const table = page.locator('[data-testid="audit-table"]');
  const rows = table.locator('.el-table__body tr.el-table__row');
  await rows.first().waitFor();
  const texts = await rows.allInnerTexts();
  assert.ok(texts.some((t) => /登录|login/i.test(t) && /auditor|leader/.test(t)), `login rows expected:\n${texts.join('\n')}`);
  await shot(page, 'access-auditor-audit');

  // filter by user name
  await page.locator('[data-testid="audit-username"]').fill('auditor');
  await page.locator('[data-testid="audit-search"]').click();
  await page.waitForFunction(() => {
    const rs = [...document.querySelectorAll('[data-testid="audit-table"] .el-table__body tr.el-table__row')];
    return rs.length > 0 && rs.every((r) => r.textContent.includes('auditor'));
  });

  await page.locator('[data-testid="audit-verify"]').click();
  const result = page.locator('[data-testid="audit-verify-result"]');
  await result.waitFor();
  assert.match(await result.innerText(), /日志完整/);
  await shot(page, 'access-auditor-verify');
  assert.deepEqual(page.errors, []);
});

test('admin (sys_admin) sees the users table with the demo users, paged on the server', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'admin');
  await page.goto(`${env.url}/users`);
  const table = page.locator('[data-testid="users-table"]');
  await table.getByText('leader_wancheng').waitFor();
  const text = await table.innerText();
  for (const u of ['leader', 'stat', 'auditor']) assert.match(text, new RegExp(u));
  assert.match(await page.locator('[data-testid="users-pager"]').innerText(), /共 \d+ 条/);
  // the keyword filter asks the server
  await page.locator('[data-testid="users-q"]').fill('wancheng');
  await page.locator('[data-testid="users-search"]').click();
  await page.waitForFunction(() => {
    const rs = [...document.querySelectorAll('[data-testid="users-table"] .el-table__body tr.el-table__row')];
    return rs.length > 0 && rs.every((r) => r.textContent.includes('wancheng'));
  });
  await shot(page, 'access-admin-users');
  assert.deepEqual(page.errors, []);
});
