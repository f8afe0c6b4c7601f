// The users page: server-side validation shown at the fields, creating a user, role choices.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, shot } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.stop(); });

test('admin creating a user sees the server\'s validation reason next to the field, then creates the user', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'admin');
  await page.goto(`${env.url}/users`);
  await page.locator('[data-testid="users-table"]').getByText('leader_wancheng').waitFor();

  await page.locator('[data-testid="user-create"]').click();
  const dialog = page.locator('[data-testid="user-dialog"]');
  await dialog.waitFor();
  // the system admin is offered business roles only
  await dialog.locator('[data-testid="user-form-role"]').click();
  const options = page.locator('.el-select-dropdown__item:visible');
  await options.first().waitFor();
  const roleNames = await options.allInnerTexts();
  assert.ok(roleNames.includes('统计员'), `business roles offered: ${roleNames}`);
  for (const admin of ['系统管理员', '安全管理员', '审计管理员']) {
    assert.ok(!roleNames.includes(admin), `${admin} must not be offered to the system admin`);
  }
  await options.filter({ hasText: /^统计员$/ }).click();

  await dialog.locator('[data-testid="user-form-username"]').fill('Bad Name');
  await dialog.locator('[data-testid="user-form-display-name"]').fill('测试用户');
  await dialog.locator('[data-testid="user-form-password"]').fill('Test#2024pass');
  await dialog.locator('[data-testid="user-form-confirm"]').fill('Test#2024pass');
  await dialog.locator('[data-testid="user-form-submit"]').click();
  // the server refuses the user name; its reason is shown at the user name field
  const usernameItem = dialog.locator('.el-form-item').filter({ has: page.locator('[data-testid="user-form-username"]') });
  const fieldError = usernameItem.locator('.el-form-item__error');
  await fieldError.waitFor();
  assert.ok((await fieldError.innerText()).length > 0);
  await shot(page, 'users-create-invalid');

  await dialog.locator('[data-testid="user-form-username"]').fill('stat_test01');
  await dialog.locator('[data-testid="user-form-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('[data-testid="users-q"]').fill('stat_test01');
  await page.locator('[data-testid="users-search"]').click();
  const row = page.locator('[data-testid="users-table"] .el-table__body tr.el-table__row', { hasText: 'stat_test01' });
  await row.waitFor();
  assert.match(await row.innerText(), /测试用户/);
  assert.match(await row.innerText(), /统计员/);
  assert.match(await row.innerText(), /南阳市/);
  await shot(page, 'users-created');
  assert.deepEqual(page.errors, []);
});

test('security admin (secadmin) may change roles but sees no create button', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'secadmin');
  await page.goto(`${env.url}/users`);
  await page.locator('[data-testid="users-table"]').getByText('leader_wancheng').waitFor();
  assert.equal(await page.locator('[data-testid="user-create"]').count(), 0);
  const actions = page.locator('[data-testid="user-actions-leader_wancheng"]');
  assert.match(await actions.innerText(), /更改角色/);
  assert.doesNotMatch(await actions.innerText(), /停用|重置密码/);
  await shot(page, 'users-secadmin');
});
