// Login, the role-based menu and logout, in a real browser against a real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, login, submitLogin, shot, pathOf, DEMO_PASSWORD } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.stop(); });

test('leader logs in and sees the leader menu: 经济运行 shown, 用户管理 and 审计日志 hidden', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  assert.equal(pathOf(page), '/');
  const menu = page.locator('[data-testid="side-menu"]');
  await menu.getByText('经济运行').waitFor();
  for (const label of ['首页', '经济运行', '重点项目', '招商引资', '督查督办', '考评通报', '单位管理']) {
    assert.equal(await menu.getByText(label, { exact: true }).count(), 1, `${label} should be in the menu`);
  }
  assert.equal(await menu.getByText('用户管理').count(), 0, '用户管理 must not be in a leader\'s menu');
  assert.equal(await menu.getByText('审计日志').count(), 0, '审计日志 must not be in a leader\'s menu');
  // header: who is signed in, with role and unit
  assert.match(await page.locator('[data-testid="header-role"]').innerText(), /领导/);
  assert.match(await page.locator('[data-testid="header-unit"]').innerText(), /南阳市/);
  await page.locator('[data-testid="home-greeting"]').waitFor();
  await shot(page, 'login-leader-menu');
  // 经济运行 opens its indicator board
  await menu.getByText('经济运行').click();
  await page.locator('[data-testid="ind-board"]').waitFor();
  assert.equal(pathOf(page), '/indicators/board');
  assert.deepEqual(page.errors, []);
});

test('a wrong password shows the Chinese error 用户名或密码错误 and stays on /login', async () => {
  const page = await env.newPage();
  await submitLogin(page, env.url, 'stat', 'Wrong#password1');
  const error = page.locator('[data-testid="login-error"]');
  await error.waitFor();
  assert.match(await error.innerText(), /用户名或密码错误/);
  assert.equal(pathOf(page), '/login');
  assert.equal(await page.locator('[data-testid="header-user"]').count(), 0);
  await shot(page, 'login-wrong-password');
});

test('an unknown route shows the 404 page inside the app frame', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  await page.goto(`${env.url}/no/such/page`);
  await page.locator('[data-testid="not-found"]').getByText('页面不存在', { exact: true }).waitFor();
  await shot(page, 'not-found');
});

test('logout returns to /login, and /units then redirects to /login', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  await page.locator('[data-testid="logout"]').click();
  await page.waitForURL((u) => u.pathname === '/login');
  await page.locator('[data-testid="login-submit"]').waitFor();
  await page.goto(`${env.url}/units`);
  await page.waitForURL((u) => u.pathname === '/login');
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/units');
  await page.locator('[data-testid="login-submit"]').waitFor();
  await shot(page, 'logout-redirect');
  // logging in again returns to the page that was asked for
  await page.locator('[data-testid="login-username"]').fill('leader');
  await page.locator('[data-testid="login-password"]').fill(DEMO_PASSWORD);
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForURL((u) => u.pathname === '/units');
  await page.locator('[data-testid="unit-tree"]').getByText('南阳市').first().waitFor();
});

test('the language switch in the header shows the app in English and back in Chinese', async () => {
  const page = await env.newPage();
  await login(page, env.url, 'leader');
  const menu = page.locator('[data-testid="side-menu"]');
  await page.locator('[data-testid="lang-en"]').click();
  await menu.getByText('Indicators').waitFor();
  assert.equal(await menu.getByText('经济运行').count(), 0);
  assert.match(await page.locator('[data-testid="logout"]').innerText(), /Sign out/);
  await shot(page, 'language-english');
  // the choice survives a reload
  await page.reload();
  await menu.getByText('Indicators').waitFor();
  await page.locator('[data-testid="lang-zh-CN"]').click();
  await menu.getByText('经济运行').waitFor();
});
